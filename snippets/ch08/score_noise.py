"""Noise in a score: bootstrap intervals for a benchmark's accuracy at 50, 200 and 1,000
items, and two models a few points apart that only the large benchmark tells apart.

The two models are the book's tiny language model and the same model with its weights
rounded to 4 bits. Every comparison in chapter 8 uses this file's rule (`interval`,
`difference`, `beyond_noise`). Needs the package snippets/tinylm/ (chapter 6's model and
its committed weights), in the folder above. Draws score_noise.svg.
"""

import copy
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained
from tinylm.evaluate import completes

SIZES = [50, 200, 1000]


# --8<-- [start:rule]
def interval(scores, resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """A 95% bootstrap interval for the mean of per-item scores (1 right, 0 wrong):
    draw the items again, with replacement, many times, and keep the middle 95% of
    the means."""
    scores = torch.as_tensor(scores, dtype=torch.float64)  # [n]
    generator = torch.Generator().manual_seed(seed)
    rows = torch.randint(len(scores), (resamples, len(scores)), generator=generator)
    means = scores[rows].mean(1)  # [resamples]: the score of each redrawn benchmark
    low, high = torch.quantile(means, torch.tensor([0.025, 0.975], dtype=torch.float64))
    return low.item(), high.item()


def difference(scores_a, scores_b, resamples: int = 2000, seed: int = 0):
    """A 95% interval for mean(a) - mean(b) when both models answered the same items:
    redraw the items, not the models (a paired bootstrap)."""
    a = torch.as_tensor(scores_a, dtype=torch.float64)
    b = torch.as_tensor(scores_b, dtype=torch.float64)
    return interval(a - b, resamples, seed)


def beyond_noise(scores_a, scores_b) -> bool:
    """The chapter's rule: a difference counts only if its interval excludes 0."""
    low, high = difference(scores_a, scores_b)
    return low > 0 or high < 0
# --8<-- [end:rule]


# --8<-- [start:benchmark]
def completion_items() -> list[tuple[str, str]]:
    """A benchmark drawn from held-out text: every place where an English document
    states a value ("... She is a" -> " nurse"), with the text before it as prompt."""
    values = {v for attribute in corpus.VALUES.values() for v, _ in attribute}
    items = []
    english = [d for d in corpus.held_out_documents(rounds=20) if d.isascii()]
    for document in english:
        words = document.split(" ")
        for i, word in enumerate(words[1:], start=1):
            if word.rstrip(".") in values:
                items.append((" ".join(words[:i]), " " + word.rstrip(".")))
    return items


def quantised(model, bits: int = 4):
    """The same model with each weight matrix rounded to 2**bits levels per row."""
    model = copy.deepcopy(model)
    levels = 2 ** (bits - 1) - 1
    with torch.no_grad():
        for weight in (p for p in model.parameters() if p.dim() == 2):
            scale = weight.abs().amax(1, keepdim=True) / levels  # [rows, 1]
            weight.copy_((weight / scale).round() * scale)
    return model


def right_or_wrong(model, tokenizer, items) -> torch.Tensor:
    """1 where greedy decoding writes the item's value, else 0: [n]."""
    prompts, answers = zip(*items)
    return torch.tensor(completes(model, tokenizer, list(prompts), list(answers)),
                        dtype=torch.float64)
# --8<-- [end:benchmark]


def plot(rows, path="score_noise.svg"):
    import matplotlib.pyplot as plt  # here: the files that import the rule need no plots

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for offset, (name, colour) in zip((-0.08, 0.08), [("original", "C0"), ("4-bit", "C1")]):
        for k, row in enumerate(rows):
            mean, (low, high) = row[name]
            axes[0].errorbar(k + offset, mean, [[mean - low], [high - mean]], fmt="o",
                             color=colour, capsize=4, label=name if k == 0 else None)
    for k, row in enumerate(rows):
        mean, (low, high) = row["difference"]
        axes[1].errorbar(k, mean, [[mean - low], [high - mean]], fmt="o", color="C2",
                         capsize=4)
    axes[1].axhline(0, color="grey", lw=1, ls="--")
    for axis, title in zip(axes, ["accuracy, 95% interval", "original − 4-bit, 95% interval"]):
        axis.set_xticks(range(len(rows)), [f"n = {row['n']}" for row in rows])
        axis.set_title(title, fontsize=10)
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    items = completion_items()
    print(f"{len(items)} items, e.g. {items[0]!r}")
    scores = {"original": right_or_wrong(model, tokenizer, items),
              "4-bit": right_or_wrong(quantised(model), tokenizer, items)}

    order = torch.randperm(len(items), generator=torch.Generator().manual_seed(0))
    rows = []
    print("    n   original                  4-bit                     difference (points)")
    for n in SIZES:  # a benchmark of the first n items, in a random order
        a, b = scores["original"][order[:n]], scores["4-bit"][order[:n]]
        row = {"n": n, "original": (a.mean().item(), interval(a)),
               "4-bit": (b.mean().item(), interval(b)),
               "difference": ((a - b).mean().item(), difference(a, b))}
        rows.append(row)
        (la, ha), (lb, hb), (ld, hd) = row["original"][1], row["4-bit"][1], row["difference"][1]
        print(f"{n:5}   {a.mean():6.1%} [{la:5.1%}, {ha:6.1%}]   {b.mean():6.1%} "
              f"[{lb:5.1%}, {hb:6.1%}]   {100 * (a - b).mean():+.1f} [{100 * ld:+.1f}, "
              f"{100 * hd:+.1f}] {'beyond' if beyond_noise(a, b) else 'within'} noise")

    # twenty different 50-item benchmarks drawn from the same items: who wins each?
    generator = torch.Generator().manual_seed(1)
    wins = {"original": 0, "4-bit": 0, "tie": 0}
    for _ in range(20):
        pick = torch.randperm(len(items), generator=generator)[:50]
        gap = (scores["original"][pick] - scores["4-bit"][pick]).mean()
        wins["original" if gap > 0 else "4-bit" if gap < 0 else "tie"] += 1
    print(f"20 benchmarks of 50 items: the original wins {wins['original']}, the 4-bit "
          f"model {wins['4-bit']}, ties {wins['tie']}")
    plot(rows)
    # --8<-- [end:main]
