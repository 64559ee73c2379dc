"""Exercise: "fairness through unawareness". Delete the group column and retrain on
the same skewed decisions. Does the bias go away?

Needs bias.py (this chapter's example) beside it."""

import statistics

import torch

from bias import applicants, train


# --8<-- [start:solution]
def measure_unaware(seed: int):
    """Train without the group column; the flip test cannot change the input any more,
    so measure the gap between the groups' invitation rates and the district's weight."""
    x, past, _ = applicants(2000, seed)
    x_test, _, _ = applicants(2000, 100 + seed)
    model = train(x[:, :3], past, seed=seed)  # skill, experience, district: no group
    with torch.no_grad():
        invited = (model(x_test[:, :3])[:, 0] > 0).double()
    in_b = x_test[:, 3] == 1
    gap = (invited[~in_b].mean() - invited[in_b].mean()).item()
    return gap, model.weight[0, 2].item()
# --8<-- [end:solution]


if __name__ == "__main__":
    gaps, weights = zip(*(measure_unaware(seed) for seed in range(5)))
    print("without the group column, n = 2000 test applicants, 5 seeds:")
    print(f"  gap A - B: {statistics.mean(gaps):.1%} ± {statistics.stdev(gaps):.1%}")
    print(f"  weight on district: {statistics.mean(weights):+.2f} "
          f"± {statistics.stdev(weights):.2f}")
