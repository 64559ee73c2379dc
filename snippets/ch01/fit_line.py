"""Machine learning in miniature: find y = a*x + b from data, then use it."""

import matplotlib.pyplot as plt
import torch

TRUE_A, TRUE_B = 2.0, -1.0


# --8<-- [start:data]
def make_data(n: int = 100, noise: float = 0.1, seed: int = 0):
    """Noisy samples of the function we pretend not to know: y = 2x - 1."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(n, generator=generator) * 4 - 2  # [n], uniform in [-2, 2)
    y = TRUE_A * x + TRUE_B + noise * torch.randn(n, generator=generator)  # [n]
    return x, y
# --8<-- [end:data]


# --8<-- [start:train]
def train(x, y, steps: int = 200, learning_rate: float = 0.1):
    """Training: gradient descent finds the parameters a and b that fit the data."""
    a = torch.zeros((), requires_grad=True)  # the parameters start at 0
    b = torch.zeros((), requires_grad=True)
    losses = []
    for _ in range(steps):
        loss = ((a * x + b - y) ** 2).mean()  # mean squared error on the data
        loss.backward()  # d loss / d a and d loss / d b
        with torch.no_grad():
            # one step against the gradient; learning_rate is a hyperparameter
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            a.grad.zero_()
            b.grad.zero_()
        losses.append(loss.item())
    return a.item(), b.item(), losses
# --8<-- [end:train]


def plot_losses(losses, path: str = "fit_line_loss.svg"):
    fig, ax = plt.subplots(figsize=(6, 3.2))
    ax.plot(range(1, len(losses) + 1), losses)
    ax.set(xlabel="gradient-descent step", ylabel="mean squared error", yscale="log")
    ax.set_title("Training: the loss falls as a and b approach the data's function")
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    x, y = make_data()
    a, b, losses = train(x, y)
    print(f"true parameters:    a = {TRUE_A:.3f}, b = {TRUE_B:.3f}")
    print(f"learned parameters: a = {a:.3f}, b = {b:.3f}")
    print(
        f"loss: {losses[0]:.4f} at the start, "
        f"{losses[-1]:.4f} after {len(losses)} steps"
    )

    # Inference: the learned parameters answer for an x the data never had.
    x_new = 3.5
    print(
        f"inference at x = {x_new}: {a * x_new + b:.3f} "
        f"(true value {TRUE_A * x_new + TRUE_B:.3f})"
    )
    plot_losses(losses)
    # --8<-- [end:main]
