"""Choosing each token: greedy, sampling, top-k, top-p (nucleus) and beam search.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above. For each of 8 people, the tiny model writes the rest of a line that
starts with the person's name, 50 times per sampling strategy. We measure diversity
(different lines), likelihood (the model's own log-probability per token) and truth (a
line that states a fact the world does not hold). Draws decoding_strategies.svg.
"""

import math
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

PEOPLE = [p for p in corpus.PEOPLE if p.name in
          ("Ana", "Bruno", "Chidi", "Elif", "Farid", "Greta", "Ines", "Jonas")]  # 1 token each
SAMPLES = 30  # lines per person, for each sampling strategy
MAX_TOKENS = 24  # a line of the training text ends well before this


# --8<-- [start:truncate]
def top_k(logits, k: int):
    """Keep the k most likely tokens; the others get probability 0."""
    kth = logits.topk(k, dim=-1).values[..., -1:]  # [n, 1]: the k-th largest score
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p(logits, p: float):
    """Keep the fewest most likely tokens whose probabilities add up to at least p
    (the "nucleus"); the others get probability 0."""
    probabilities, order = logits.softmax(-1).sort(dim=-1, descending=True)
    before = probabilities.cumsum(-1) - probabilities  # mass of the tokens ranked higher
    drop = (before >= p).scatter(-1, order, before >= p)  # back in the vocabulary's order
    return logits.masked_fill(drop, float("-inf"))
# --8<-- [end:truncate]


# --8<-- [start:sample]
@torch.no_grad()
def sample_lines(model, tokenizer, prompts: list[str], n: int, truncate=None, seed: int = 0):
    """n continuations of each prompt (prompts of as many tokens), sampled together in
    one batch, up to the end of the line: lists of token ids, each ending with the
    newline (if it came), n for the first prompt, then n for the next..."""
    generator = torch.Generator().manual_seed(seed)
    newline = tokenizer.encode("\n")[0]
    cache = model.new_cache()
    ids = torch.tensor([tokenizer.encode(p) for p in prompts for _ in range(n)])  # [b, t]
    logits = model(ids, cache=cache)[:, -1]  # [n, vocab]
    out = []
    for _ in range(MAX_TOKENS):
        if truncate is not None:
            logits = truncate(logits)
        cumulative = logits.softmax(-1).cumsum(-1)  # [b, vocab]: sample by inverting it
        u = torch.rand(len(cumulative), 1, generator=generator, dtype=cumulative.dtype)
        token = torch.searchsorted(cumulative, u).clamp(max=cumulative.shape[1] - 1)  # [b, 1]
        out.append(token)
        logits = model(token, cache=cache)[:, -1]
    lines = torch.cat(out, 1).tolist()  # [b, MAX_TOKENS]
    return [line[: line.index(newline) + 1] if newline in line else line for line in lines]
# --8<-- [end:sample]


# --8<-- [start:beam]
@torch.no_grad()
def beam_search(model, tokenizer, prompt: str, width: int):
    """The line with the highest total log-probability that a beam of `width`
    candidates finds: at each step every unfinished candidate is extended by each
    token, and the `width` best of all are kept. width 1 is greedy decoding."""
    newline = tokenizer.encode("\n")[0]
    start = tokenizer.encode(prompt)
    beams = [([], 0.0)]  # (new tokens, their total log-probability)
    for _ in range(MAX_TOKENS):
        open_beams = [b for b in beams if not b[0] or b[0][-1] != newline]
        if not open_beams:
            break
        batch = torch.tensor([start + tokens for tokens, _ in open_beams])
        log_p = model(batch)[:, -1].log_softmax(-1)  # [beams, vocab]
        candidates = [b for b in beams if b not in open_beams]  # finished lines stay
        for (tokens, score), row in zip(open_beams, log_p):
            best = row.topk(width)
            candidates += [(tokens + [int(t)], score + float(v))
                           for v, t in zip(best.values, best.indices)]
        beams = sorted(candidates, key=lambda b: b[1], reverse=True)[:width]
    return beams[0][0]
# --8<-- [end:beam]


# --8<-- [start:measure]
@torch.no_grad()
def log_probability(model, tokenizer, prompt: str, lines: list[list[int]]) -> list[float]:
    """The model's own (untruncated) log-probability of each line after the prompt."""
    start, longest = tokenizer.encode(prompt), max(len(line) for line in lines)
    padded = torch.tensor([start + line + [0] * (longest - len(line)) for line in lines])
    log_p = model(padded[:, :-1])[:, len(start) - 1 :].log_softmax(-1)  # [n, longest, vocab]
    per_token = log_p.gather(2, padded[:, len(start) :, None])[..., 0]  # [n, longest]
    real = torch.tensor([[i < len(line) for i in range(longest)] for line in lines])
    return (per_token * real).sum(1).tolist()  # the padding is read by no real token


def false_fact(person, text: str) -> bool:
    """Whether the line names a value (a city, job, pet or colour) that is not the
    person's: every sentence of a line that starts with a name is about that person."""
    words = text.replace(".", " ").split()
    return any(
        value in words and value != getattr(person, attribute)
        for attribute, values in corpus.VALUES.items()
        for value, _ in values
    )


def repeats(text: str) -> bool:
    """Whether the line says the same sentence twice."""
    sentences = [s.strip() for s in text.split(".") if s.strip()]
    return len(set(sentences)) < len(sentences)
# --8<-- [end:measure]


def interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson 95% interval for a proportion k / n."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def draw(results, path="decoding_strategies.svg"):
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    for name, r in results.items():
        ax.plot(r["distinct"], r["log_p"], "o", color="C3" if r["sampled"] else "C0")
        ax.annotate(name, (r["distinct"], r["log_p"]), xytext=(5, 3),
                    textcoords="offset points", fontsize=8)
    ax.set_xlabel(f"different lines per person (of {SAMPLES} sampled)")
    ax.set_ylabel("log-probability per token")
    ax.set_xlim(0, max(r["distinct"] for r in results.values()) * 1.35)
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    model.double()  # float64: sampled tokens do not hinge on a last bit
    strategies = {
        "sampling, T = 1": None,
        "top-k, k = 3": lambda logits: top_k(logits, 3),
        "top-p, p = 0.8": lambda logits: top_p(logits, 0.8),
        "greedy": "beam 1",
        "beam search, 4": "beam 4",
    }
    results = {}
    print(f"{len(PEOPLE)} people x {SAMPLES} lines per sampling strategy:")
    print(f"  {'strategy':<16} {'different':>9}  {'log-p/token':>11}  {'repeats':>7}  false facts")
    for name, strategy in strategies.items():
        names = [person.name for person in PEOPLE]
        if isinstance(strategy, str):  # deterministic: one line per person
            width = int(strategy.split()[1])
            grouped = [[beam_search(model, tokenizer, name, width)] for name in names]
        else:
            lines = sample_lines(model, tokenizer, names, SAMPLES, strategy)
            grouped = [lines[i * SAMPLES : (i + 1) * SAMPLES] for i in range(len(names))]
        lines, scores, distinct, wrong, repeated = [], [], 0, 0, 0
        for person, person_lines in zip(PEOPLE, grouped):
            scores += log_probability(model, tokenizer, person.name, person_lines)
            distinct += len({tuple(line) for line in person_lines})
            wrong += sum(false_fact(person, tokenizer.decode(line)) for line in person_lines)
            repeated += sum(repeats(tokenizer.decode(line)) for line in person_lines)
            lines += person_lines
        n_tokens = sum(len(line) for line in lines)
        low, high = interval(wrong, len(lines))
        results[name] = {"distinct": distinct / len(PEOPLE), "log_p": sum(scores) / n_tokens,
                         "wrong": wrong, "n": len(lines), "total_log_p": scores,
                         "repeated": repeated,
                         "sampled": not isinstance(strategy, str), "first": lines[0]}
        print(f"  {name:<16} {distinct / len(PEOPLE):9.1f}  {sum(scores) / n_tokens:11.3f}  "
              f"{repeated:>7}  {wrong:>3} of {len(lines):<3} ({low:.1%} to {high:.1%})")
    greedy, beam = results["greedy"]["total_log_p"], results["beam search, 4"]["total_log_p"]
    print(f"whole-line log-probability, beam vs greedy: higher for "
          f"{sum(b > g + 1e-9 for b, g in zip(beam, greedy))}, equal for "
          f"{sum(abs(b - g) <= 1e-9 for b, g in zip(beam, greedy))} of {len(PEOPLE)} people")
    for name in ("sampling, T = 1", "top-p, p = 0.8"):
        line = tokenizer.decode(results[name]["first"]).strip()
        print(f"  {name}: {PEOPLE[0].name!r} -> {line!r}")
    draw(results)
    # --8<-- [end:main]
