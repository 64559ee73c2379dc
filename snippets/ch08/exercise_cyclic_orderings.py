"""Exercise: average over the 4 rotations of the options instead of all 24 orderings.
Does the cheaper average remove the position effect as well?

Needs multiple_choice.py and score_noise.py beside it, and the package
snippets/tinylm/ (chapter 6's model and its committed weights), in the folder above.
"""

import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from multiple_choice import ORDERINGS, benchmark, gold_place, ordering_scores
from score_noise import interval
from tinylm import load_pretrained

# the 4 orderings that rotate the options: each option stands once in each place
ROTATIONS = [ORDERINGS.index(tuple((i + k) % 4 for i in range(4))) for k in range(4)]


def average_over(scores, items, orderings: list[int]) -> torch.Tensor:
    """Average each option's probability over the given orderings; [n] of 0/1."""
    by_option = torch.zeros(len(items), 4)
    for k in orderings:
        for place, i in enumerate(ORDERINGS[k]):
            by_option[:, i] += scores[:, k, place].exp() / len(orderings)
    return (by_option.argmax(1) == torch.tensor([it.right for it in items])).double()


if __name__ == "__main__":
    model, tokenizer = load_pretrained()
    items = benchmark()
    results = {}
    for form in ["listed", "lettered"]:
        scores = ordering_scores(model, tokenizer, items, form)  # [96, 24, 4]
        single = (scores.argmax(-1) == gold_place(items)).double().mean(1)
        results[form] = {"one ordering (mean of 24)": single,
                         "average of 4 rotations": average_over(scores, items, ROTATIONS),
                         "average of all 24": average_over(scores, items, range(24))}
        for name, right in results[form].items():
            low, high = interval(right)
            print(f"{form:<9} {name:<27} {right.mean():6.1%}  [{low:.1%}, {high:.1%}]")
