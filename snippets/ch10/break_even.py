"""When does speculation pay? How often the prophet must be right, made exact.

Needs speculative_decoding.py beside it, and the package snippets/tinylm/ (the book's tiny
model and its committed weights) in the folder above. Each guess is taken to be right with
the same probability alpha, independently (the model of Leviathan et al., 2023); the tiny
model's own run checks the formula. Draws break_even.svg.
"""

import sys
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from speculative_decoding import DRAFT, NEW_TOKENS, NGramProphet, speculative_generate
from tinylm import corpus, load_pretrained


# --8<-- [start:formula]
def tokens_per_pass(alpha: float, k: int) -> float:
    """Expected tokens one pass of the model yields, with k guesses each right with
    probability alpha: 1 + alpha + alpha^2 + ... + alpha^k (the model's own token,
    plus each guess that survives, as long as all before it did)."""
    return sum(alpha**i for i in range(k + 1))


def speed_up(alpha: float, k: int, c: float) -> float:
    """Time per token of plain decoding over that of speculation, if a guess costs
    c passes of the model and checking k guesses costs one pass (it runs in
    parallel: on a GPU, or on a CPU for a model this small)."""
    return tokens_per_pass(alpha, k) / (1 + k * c)


def break_even(k: int, c: float) -> float:
    """The alpha at which speculation is exactly as fast as plain decoding."""
    low, high = 0.0, 1.0
    for _ in range(60):  # bisection: speed_up rises with alpha
        middle = (low + high) / 2
        low, high = (middle, high) if speed_up(middle, k, c) < 1 else (low, middle)
    return (low + high) / 2
# --8<-- [end:formula]


def draw(alpha_measured, path="break_even.svg"):
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    alphas = [i / 200 for i in range(200)]
    for c, colour in [(0.0, "C0"), (0.1, "C1"), (0.3, "C3")]:
        ax.plot(alphas, [speed_up(a, DRAFT, c) for a in alphas], color=colour,
                label=f"a guess costs {c} passes")
        if c > 0:
            ax.plot([break_even(DRAFT, c)], [1], "o", color=colour)
    ax.axhline(1, color="0.5", lw=0.8, ls="--")
    ax.axvline(alpha_measured, color="0.3", lw=0.8, ls=":")
    ax.annotate("3-gram prophet\non the tiny model", (alpha_measured, 3.2),
                xytext=(-8, 0), textcoords="offset points", ha="right", fontsize=8)
    ax.set_xlabel("alpha: how often a guess is right")
    ax.set_ylabel("speed-up over plain decoding")
    ax.set_title(f"k = {DRAFT} guesses per pass", fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    print(f"k = {DRAFT} guesses per pass; c = what a guess costs, in passes of the model:")
    print("  alpha  tokens per pass  speed-up if c = 0.1  positions read per token")
    for alpha in (0.0, 0.3, 0.6, 0.9):
        print(f"  {alpha:5.1f}  {tokens_per_pass(alpha, DRAFT):15.2f}  "
              f"{speed_up(alpha, DRAFT, 0.1):18.2f}  "
              f"{(DRAFT + 1) / tokens_per_pass(alpha, DRAFT):24.2f}")
    print("break-even alpha (below it, speculation is slower than plain decoding):")
    for c in (0.05, 0.1, 0.3):
        row = ", ".join(f"k = {k}: {break_even(k, c):.2f}" for k in (1, 2, 4, 8))
        print(f"  c = {c:<4}  {row}")

    model, tokenizer = load_pretrained()
    model.double()
    prophet = NGramProphet(tokenizer, corpus.training_documents())
    runs = [speculative_generate(model, tokenizer, p.name, NEW_TOKENS, prophet)
            for p in corpus.PEOPLE[::2]]
    total = sum((stats for _, stats in runs), Counter())
    alpha = total["accepted"] / (total["accepted"] + total["rejections"])
    measured = len(runs) * NEW_TOKENS / total["passes"]
    print(f"the tiny model with the 3-gram prophet: alpha = {alpha:.3f}")
    print(f"  tokens per pass: {measured:.2f} measured, "
          f"{tokens_per_pass(alpha, DRAFT):.2f} by the formula")
    draw(alpha)
    # --8<-- [end:main]
