"""Exercise: how large may the learning rate be? The data decide, and so does a formula.

Needs fit_line.py (chapter 1's example) beside it.
"""

import torch

from fit_line import make_data, train


# --8<-- [start:limit]
def stability_limit(x) -> float:
    """The largest learning rate at which gradient descent on the squared error converges.

    The loss mean((a x + b - y)^2) is quadratic in (a, b), with the constant Hessian
    H = 2 [[mean x^2, mean x], [mean x, 1]]. Each step multiplies the error along an
    eigenvector of H by (1 - learning_rate * eigenvalue), so the steps shrink the error
    exactly when learning_rate < 2 / (the largest eigenvalue)."""
    hessian = 2 * torch.tensor([[(x * x).mean(), x.mean()], [x.mean(), 1.0]])  # [2, 2]
    return 2 / torch.linalg.eigvalsh(hessian).max().item()
# --8<-- [end:limit]


def steps_to_reach(losses: list[float], target: float) -> int | None:
    """The first step whose loss is within 1% of `target`, or None if none is."""
    return next((step for step, loss in enumerate(losses, 1) if loss <= 1.01 * target), None)


if __name__ == "__main__":
    # --8<-- [start:main]
    x, y = make_data()
    inputs = torch.stack([x, torch.ones_like(x)], dim=1)  # [n, 2]: columns x and 1
    best = torch.linalg.lstsq(inputs, y.unsqueeze(1)).solution  # [2, 1]: a and b
    lowest = ((inputs @ best).squeeze(1) - y).pow(2).mean().item()
    limit = stability_limit(x)
    print(f"least squares, in closed form: lowest loss {lowest:.5f}")
    print(f"predicted limit: learning rates below {limit:.3f} converge")
    for learning_rate in [0.1, 0.3, 0.5, round(0.95 * limit, 3), round(1.05 * limit, 3)]:
        _, _, losses = train(x, y, learning_rate=learning_rate)
        steps = steps_to_reach(losses, lowest)
        outcome = f"within 1% of it after {steps} steps" if steps else "diverges"
        print(f"learning rate {learning_rate:.3f}: {outcome}, loss {losses[-1]:.3g} at step 200")
    # --8<-- [end:main]
