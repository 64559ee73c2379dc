"""Temperature reshapes one step's choice: low sharpens it, high flattens it."""

import matplotlib.pyplot as plt
import torch

CHOICES = ["cat", "dog", "bird", "robot", "teacher"]
LOGITS = torch.tensor(
    [3.0, 2.0, 1.0, 0.5, -1.0]
)  # [choices]: a model's scores for the next unit


# --8<-- [start:softmax]
def softmax_with_temperature(logits, temperature: float):
    """p_i = exp(z_i / T) / sum_j exp(z_j / T)."""
    scaled = logits / temperature
    exp = torch.exp(
        scaled - scaled.max()
    )  # subtracting the max changes nothing but overflow
    return exp / exp.sum()
# --8<-- [end:softmax]


def plot(temperatures, path: str = "temperature.svg"):
    fig, axes = plt.subplots(1, len(temperatures), figsize=(9, 2.8), sharey=True)
    for ax, temperature in zip(axes, temperatures):
        ax.bar(CHOICES, softmax_with_temperature(LOGITS, temperature).numpy())
        ax.set_title(f"T = {temperature}")
        ax.tick_params(axis="x", labelrotation=45)
    axes[0].set_ylabel("probability")
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    temperatures = [0.1, 0.5, 1.0, 2.0, 10.0]
    for temperature in temperatures:
        p = softmax_with_temperature(LOGITS, temperature)
        entropy = torch.special.entr(p).sum()  # -sum p log p, with 0 log 0 = 0
        print(
            f"T = {temperature:>4}: "
            + "  ".join(f"{c} {q:.3f}" for c, q in zip(CHOICES, p))
            + f"   entropy {entropy:.3f} nats"
        )
    print(
        f"uniform entropy for {len(CHOICES)} choices: "
        f"{torch.log(torch.tensor(float(len(CHOICES)))):.3f} nats"
    )
    plot([0.5, 1.0, 2.0])
    # --8<-- [end:main]
