"""A second prophet: a reference text. Guess by copying what followed the same words before.

Needs speculative_decoding.py beside it, and the package snippets/tinylm/ (the book's tiny
model and its committed weights) in the folder above. The prompts hold a reference text, a
fact about a person, and then ask about it: the answer repeats the reference's words.
"""

import sys
from collections import Counter
from pathlib import Path

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from speculative_decoding import NGramProphet, speculative_generate
from tinylm import corpus, generate, load_pretrained

NEW_TOKENS = 8  # the answer's line


# --8<-- [start:lookup]
def lookup_prophet(ids: list[int], k: int, longest: int = 3) -> list[int]:
    """Find the last few tokens earlier in the text (the prompt included), and guess
    the k tokens that followed them there: the longest match, the latest place."""
    for n in range(longest, 0, -1):
        tail = ids[-n:]
        for start in range(len(ids) - n - 1, -1, -1):  # latest first, not the tail
            if ids[start : start + n] == tail:
                return ids[start + n : start + n + k]
    return []  # nothing to copy: no guess, the model takes one step alone
# --8<-- [end:lookup]


def reference_prompts() -> list[str]:
    """A fact, then a question about it, for each person asked about in training."""
    return [
        corpus.fact(p, a) + "\n" + corpus.question(p, a)
        for i, p in enumerate(corpus.QA_PEOPLE)
        for a in [corpus.ATTRIBUTES[i % 4]]
    ]


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    model.double()  # float64: the model's choices do not hinge on a last bit
    prompts = reference_prompts()
    print(f"{len(prompts)} prompts like {prompts[0]!r}, {NEW_TOKENS} new tokens each:")
    own = [generate(model, tokenizer, p, NEW_TOKENS, stop=None) for p in prompts]
    ngram = NGramProphet(tokenizer, corpus.training_documents())
    prophets = {
        "3-gram counts": ngram,
        "prompt lookup": lookup_prophet,
        "lookup, else 3-gram": lambda ids, k: lookup_prophet(ids, k) or ngram(ids, k),
    }
    passes = {}  # prophet -> the passes each prompt took
    for name, prophet in prophets.items():
        runs = [speculative_generate(model, tokenizer, p, NEW_TOKENS, prophet)
                for p in prompts]
        passes[name] = [stats["passes"] for _, stats in runs]
        total = sum((stats for _, stats in runs), Counter())
        same = sum(text == mine for (text, _), mine in zip(runs, own))
        alpha = total["accepted"] / max(1, total["accepted"] + total["rejections"])
        print(f"  {name:<19} identical {same} of {len(prompts)}; "
              f"{len(prompts) * NEW_TOKENS / total['passes']:.2f} tokens per pass; "
              f"alpha = {alpha:.3f}")
    print(f"  {prompts[0]!r} -> {own[0]!r}")
    pairs = list(zip(passes["prompt lookup"], passes["3-gram counts"]))
    print(f"  lookup took fewer passes than the 3-gram on {sum(a < b for a, b in pairs)} "
          f"prompts, as many on {sum(a == b for a, b in pairs)}, more on "
          f"{sum(a > b for a, b in pairs)}")
    # --8<-- [end:main]
