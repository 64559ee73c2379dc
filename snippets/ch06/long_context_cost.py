"""Why long text is hard: attention's cost grows with the square of the length.

Needs the package snippets/tinylm/ (this chapter's model), in the folder above.
Nothing is timed here (times depend on the machine): the operations are counted with
PyTorch's FlopCounterMode, on "meta" tensors that have shapes but no data, so even a
16,384-token input costs nothing to count.
"""

import math
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch.utils.flop_counter import FlopCounterMode

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import Block, Config

LENGTHS = [2**k for k in range(6, 15)]  # 64 ... 16384 tokens


# --8<-- [start:count]
def count(length: int, config: Config | None = None) -> dict[str, float]:
    """The operations (FLOPs) of one Transformer block on `length` tokens, split
    into attention proper and the rest, and the bytes of its attention weights
    (by default the book's tiny model's sizes)."""
    config = config or Config()
    with torch.device("meta"):  # shapes only: nothing is computed or stored
        block = Block(config)
        x = torch.empty(1, length, config.d_model)  # [batch, t, d_model]
        with FlopCounterMode(display=False) as counter:
            block(x)
    by_operation = counter.get_flop_counts()["Global"]
    # batched matrix products (bmm) are attention's q k^T and weights @ v; the
    # plain ones (mm, addmm) are the linear layers: projections and feed-forward
    attention = sum(n for op, n in by_operation.items() if "bmm" in str(op))
    weights = block.attention.weights  # [batch, heads, t, t]
    return {
        "attention": attention,
        "rest": counter.get_total_flops() - attention,
        "bytes": weights.numel() * weights.element_size(),
    }


def slope(xs, ys) -> float:
    """The least-squares slope of log y against log x: y grows like x**slope."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    covariance = sum((a - mx) * (b - my) for a, b in zip(lx, ly))
    return covariance / sum((a - mx) ** 2 for a in lx)
# --8<-- [end:count]


def plot(costs, path="long_context_cost.svg"):
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    total = [c["attention"] + c["rest"] for c in costs]
    attention, rest = [c["attention"] for c in costs], [c["rest"] for c in costs]
    left.loglog(LENGTHS, attention, "o-", label="attention ($t^2$)")
    left.loglog(LENGTHS, rest, "s-", label="linear layers ($t$)")
    left.loglog(LENGTHS, total, "k--", label="the whole block")
    left.set(xlabel="tokens $t$", ylabel="FLOPs", title="operations of one block")
    left.legend()
    right.loglog(LENGTHS, [c["bytes"] / 2**20 for c in costs], "o-", color="C3")
    right.set(xlabel="tokens $t$", ylabel="MiB")
    right.set_title("memory of its attention weights")
    for axis in (left, right):
        axis.set_xticks(LENGTHS[::2], [str(n) for n in LENGTHS[::2]])
        axis.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    costs = [count(n) for n in LENGTHS]
    config = Config()
    print(f"one block of the tiny model (d_model {config.d_model}, "
          f"{config.n_heads} heads):")
    print(f"{'tokens':>6} {'attention FLOPs':>16} {'other FLOPs':>12} "
          f"{'attention share':>15} {'weights MiB':>11}")
    for n, c in zip(LENGTHS, costs):
        share = c["attention"] / (c["attention"] + c["rest"])
        print(f"{n:>6} {c['attention']:>16.3g} {c['rest']:>12.3g} {share:>15.0%} "
              f"{c['bytes'] / 2**20:>11.4g}")
    fitted = {
        "attention FLOPs": slope(LENGTHS, [c["attention"] for c in costs]),
        "attention memory": slope(LENGTHS, [c["bytes"] for c in costs]),
        "other FLOPs": slope(LENGTHS, [c["rest"] for c in costs]),
        "the whole block, 4096-16384 tokens": slope(
            LENGTHS[-3:], [c["attention"] + c["rest"] for c in costs[-3:]]
        ),
    }
    for what, value in fitted.items():
        print(f"fitted log-log slope, {what}: {value:.2f}")
    plot(costs)
    # --8<-- [end:main]
