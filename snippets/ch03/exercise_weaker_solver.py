"""Exercise: a solver that is right less than half the time. Does voting still help?

Needs self_consistency.py beside it.
"""

import torch

from self_consistency import VOTES, majority_accuracy

WRONG_ANSWERS = 9  # when the solver errs, it picks one of 9 wrong answers at random


def plurality_accuracy(k: int, p: float, questions: int = 20_000) -> float:
    """Simulated: each of k answers is right with probability p, otherwise one of the
    wrong answers at random; the answer given most often wins (ties at random)."""
    right = torch.rand(questions, k) < p
    wrong = torch.randint(1, WRONG_ANSWERS + 1, (questions, k))
    answers = torch.where(right, 0, wrong)  # [questions, k]; answer 0 is the right one
    counts = torch.nn.functional.one_hot(answers, WRONG_ANSWERS + 1).sum(dim=1)
    jitter = torch.rand(counts.shape) * 0.5  # breaks ties, never a real difference
    return ((counts + jitter).argmax(dim=1) == 0).float().mean().item()


if __name__ == "__main__":
    torch.manual_seed(0)
    p = 0.4
    agreeing = [majority_accuracy(k, p) for k in VOTES]  # every mistake the same
    scattered = [plurality_accuracy(k, p) for k in VOTES]
    print(f"one answer is right with p = {p}")
    print(f"{'k':>3}   mistakes all agree (exact)   mistakes scattered (simulated)")
    for k, same, spread in zip(VOTES, agreeing, scattered):
        print(f"{k:>3}   {same:>14.3f}               {spread:>14.3f}")
