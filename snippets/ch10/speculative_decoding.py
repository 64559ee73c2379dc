"""Speculative decoding: a cheap prophet guesses, the tiny model checks the guesses.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above. The prophet is a table of 3-gram counts of the model's own training text:
it costs no model pass at all. With greedy decoding the output must be exactly the
model's own; what changes is how many passes of the model it takes.
"""

import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, generate, load_pretrained

# How far numbers on these lines may move on another machine, and why: they are times
# measured on the machine that runs the file, and depend on its CPU and its load.
# (Checked by the tests; the page says so too.)
OUTPUT_TOLERANCE = {"time on this machine": 1.0}

NEW_TOKENS = 32  # a name and 32 new tokens stay within the model's 48-token context
DRAFT = 4  # tokens the prophet guesses each round


# --8<-- [start:prophet]
class NGramProphet:
    """Guesses the next tokens from counts of 3-grams in the training text: after the
    last two tokens, the token that most often followed them (falling back on the
    last token alone, when the pair was never seen)."""

    def __init__(self, tokenizer, documents):
        self.follows = defaultdict(Counter)  # context (1 or 2 tokens) -> next tokens
        for document in documents:
            ids = tokenizer.encode(document + "\n")
            for i in range(1, len(ids)):
                self.follows[tuple(ids[i - 1 : i])][ids[i]] += 1
                if i >= 2:
                    self.follows[tuple(ids[i - 2 : i])][ids[i]] += 1

    def __call__(self, ids: list[int], k: int) -> list[int]:
        guesses = list(ids)
        for _ in range(k):
            counts = self.follows.get(tuple(guesses[-2:])) or self.follows.get(
                tuple(guesses[-1:]))
            if not counts:
                break
            guesses.append(counts.most_common(1)[0][0])
        return guesses[len(ids):]
# --8<-- [end:prophet]


# --8<-- [start:speculate]
@torch.no_grad()
def speculative_generate(model, tokenizer, prompt: str, max_new_tokens: int,
                         prophet, k: int = DRAFT):
    """Greedy generation, checked in parallel: the prophet guesses k tokens, one pass
    of the model scores them all, and the guesses that agree with the model's own choice
    are kept, plus the model's token where they stop agreeing (or after the last)."""
    ids = tokenizer.encode(prompt)
    n_prompt, cache = len(ids), model.new_cache()
    stats = Counter()
    while len(ids) - n_prompt < max_new_tokens:
        guesses = prophet(ids, min(k, max_new_tokens - (len(ids) - n_prompt) - 1))
        n_read = cache[0]["k"].shape[2] if cache[0] else 0  # tokens already in the cache
        new = torch.tensor([ids[n_read:] + guesses])  # what the cache lacks, then guesses
        logits = model(new, cache=cache)[0]  # [new tokens, vocab]: one pass
        choices = logits[-len(guesses) - 1 :].argmax(-1).tolist()  # the model's picks
        agree = 0
        while agree < len(guesses) and guesses[agree] == choices[agree]:
            agree += 1
        ids += guesses[:agree] + [choices[agree]]  # kept guesses, then the model's token
        for layer in cache:  # forget the keys and values of the rejected guesses
            for name in ("k", "v"):  # [batch, heads, positions, d_head]
                layer[name] = layer[name][:, :, : len(ids) - 1]
        stats["passes"] += 1
        stats["positions"] += new.shape[1]  # the model's work grows with what it reads
        stats["guessed"] += len(guesses)
        stats["accepted"] += agree
        stats["rejections"] += agree < len(guesses)
    return tokenizer.decode(ids[n_prompt:]), stats
# --8<-- [end:speculate]


def timed(functions: dict, repeats: int = 3) -> tuple[dict, dict]:
    """Each function's result, and its fastest time of a few runs (in seconds), the
    runs taken in turns so that a busy moment of the machine hits all alike. CPU
    time, not the clock on the wall: on one thread it is the wall-clock time of a
    machine with nothing else to do."""
    results, times = {}, {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.process_time()
            results[name] = function()
            times[name].append(time.process_time() - start)
    return results, {name: min(t) for name, t in times.items()}


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.set_num_threads(1)  # a model this small runs fastest on one thread
    model, tokenizer = load_pretrained()
    model.double()  # float64: the model's choices do not hinge on a last bit
    prophet = NGramProphet(tokenizer, corpus.training_documents())
    prompts = [p.name for p in corpus.PEOPLE[::2]]  # a name: the model writes a document

    def plain():
        return [generate(model, tokenizer, p, NEW_TOKENS, stop=None) for p in prompts]

    def speculative(guesser=prophet):
        return [speculative_generate(model, tokenizer, p, NEW_TOKENS, guesser)
                for p in prompts]

    results, seconds = timed({"plain": plain, "speculative": speculative})
    own = results["plain"]
    texts = [text for text, _ in results["speculative"]]
    total = sum((stats for _, stats in results["speculative"]), Counter())

    identical = sum(a == b for a, b in zip(own, texts))
    print(f"{len(prompts)} prompts (names), {NEW_TOKENS} new tokens each, greedy:")
    print(f"  identical to the model's own output: {identical} of {len(prompts)}")
    print(f"  {prompts[0]!r} -> {texts[0].splitlines()[0]!r} ...")
    n_tokens = len(prompts) * NEW_TOKENS
    print(f"  passes of the model: {n_tokens} plain, {total['passes']} speculative "
          f"({n_tokens / total['passes']:.2f} tokens per pass)")
    per_prompt = torch.tensor([NEW_TOKENS / s["passes"] for _, s in results["speculative"]])
    print(f"  tokens per pass, prompt by prompt: {per_prompt.min():.2f} to "
          f"{per_prompt.max():.2f}, median {per_prompt.median():.2f}")
    checked = total["accepted"] + total["rejections"]  # a guess after a wrong one is not
    alpha = total["accepted"] / checked
    print(f"  guesses: {total['guessed']}, checked {checked}, kept {total['accepted']}; "
          f"a checked guess is right with probability alpha = {alpha:.3f}")
    read_plain = sum(len(tokenizer.encode(p)) + NEW_TOKENS - 1 for p in prompts)
    print(f"  positions the model read: {read_plain} plain, {total['positions']} "
          f"speculative ({total['positions'] / read_plain:.2f} times the work)")
    print(f"  time on this machine: {seconds['plain'] / seconds['speculative']:.1f} "
          "times as fast as plain decoding")
    # --8<-- [end:main]
