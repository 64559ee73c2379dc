"""Overfitting: as a model's capacity grows, training error keeps falling but test
error turns back up. Polynomials of rising degree fitted to the same twelve noisy
points."""

import matplotlib.pyplot as plt
import torch


# --8<-- [start:data]
def true_function(x):
    return torch.sin(2 * torch.pi * x)


def make_data(n: int, noise: float = 0.25, seed: int = 0):
    """n noisy measurements of sin(2 pi x), one at a random x in each of n equal
    slices of [0, 1] (so that the points cover the interval)."""
    generator = torch.Generator().manual_seed(seed)
    # double precision: least squares on high powers of x needs it
    x = (torch.arange(n) + torch.rand(n, generator=generator, dtype=torch.float64)) / n
    y = true_function(x) + noise * torch.randn(n, generator=generator, dtype=torch.float64)
    return x, y
# --8<-- [end:data]


# --8<-- [start:fit]
def features(x, degree: int):
    """Legendre polynomials P_0 .. P_degree of x mapped to [-1, 1]: the same
    functions as 1, x, ..., x^degree, but far better conditioned for least squares.
    """
    t = 2 * x - 1
    columns = [torch.ones_like(t), t]
    for k in range(1, degree):  # Bonnet: (k+1) P_{k+1} = (2k+1) t P_k - k P_{k-1}
        columns.append(((2 * k + 1) * t * columns[k] - k * columns[k - 1]) / (k + 1))
    return torch.stack(columns[: degree + 1], dim=1)  # [n, degree + 1]


def fit(x, y, degree: int):
    """The polynomial of this degree with the least squared error on (x, y), in
    closed form: the best parameters exist and are found exactly, so optimisation
    cannot be to blame."""
    solution = torch.linalg.lstsq(features(x, degree), y.unsqueeze(1)).solution
    return solution  # [degree + 1, 1]


def mean_squared_error(weights, x, y) -> float:
    return ((features(x, len(weights) - 1) @ weights).squeeze(1) - y).pow(2).mean().item()
# --8<-- [end:fit]


def sweep(x_train, y_train, x_test, y_test, degrees):
    """Train and test error of the fit of every degree."""
    errors = {}
    for degree in degrees:
        weights = fit(x_train, y_train, degree)
        errors[degree] = (
            mean_squared_error(weights, x_train, y_train),
            mean_squared_error(weights, x_test, y_test),
        )
    return errors


def plot(errors, x_train, y_train, shown=(1, 5, 11), path: str = "overfitting.png"):
    degrees = list(errors)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    floor = 1e-3  # an error of 0 cannot be drawn on a log scale: show it on the floor
    train = [max(errors[d][0], floor) for d in degrees]
    left.plot(degrees, train, "o-", label="training error")
    left.plot(degrees, [errors[d][1] for d in degrees], "s-", label="test error")
    left.set(xlabel="polynomial degree (capacity)", ylabel="mean squared error",
             yscale="log", ylim=(floor / 2, None))
    left.set_title("Training error falls; test error turns up")
    left.legend()
    grid = torch.linspace(0, 1, 400, dtype=torch.float64)
    right.plot(grid, true_function(grid), "k--", linewidth=1, label="true function")
    for degree in shown:
        weights = fit(x_train, y_train, degree)
        curve = (features(grid, degree) @ weights).squeeze(1)  # [400]
        right.plot(grid, curve, label=f"degree {degree}")
    right.plot(x_train, y_train, "ko", label="training points")
    right.set(xlabel="x", ylabel="y", ylim=(-2, 2))
    right.set_title("Fits of three capacities")
    right.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=150)


if __name__ == "__main__":
    # --8<-- [start:main]
    x_train, y_train = make_data(12, seed=0)
    x_test, y_test = make_data(1000, seed=1)  # fresh points from the same source
    degrees = range(12)  # degree 11 has 12 parameters: one per training point
    errors = sweep(x_train, y_train, x_test, y_test, degrees)
    print("degree  training error  test error")
    for degree, (train_error, test_error) in errors.items():
        shown = f"{train_error:.3g}" if train_error > 1e-12 else "0"  # rounding error only
        print(f"{degree:6d}  {shown:>14}  {test_error:10.3g}")
    best = min(errors, key=lambda d: errors[d][1])
    print(f"lowest test error at degree {best}: {errors[best][1]:.3g} "
          f"(the noise alone gives {0.25 ** 2:.4f})")
    plot(errors, x_train, y_train)
    # --8<-- [end:main]
