"""Exercise: from what length on does attention cost more than the rest of a block?

Needs the package snippets/tinylm/ (this chapter's model), in the folder above.
Counts the FLOPs of one Transformer block for several widths d_model, and finds the
length at which attention (growing like t^2) overtakes the linear layers (growing
like t).
"""

import sys
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import Block, Config

LENGTH = 1024


def crossover(d_model: int, n_heads: int = 4) -> float:
    with torch.device("meta"):  # shapes only: nothing is computed
        block = Block(Config(d_model=d_model, n_heads=n_heads))
        with FlopCounterMode(display=False) as counter:
            block(torch.empty(1, LENGTH, d_model))
    by_operation = counter.get_flop_counts()["Global"]
    attention = sum(n for op, n in by_operation.items() if "bmm" in str(op))
    rest = counter.get_total_flops() - attention
    # attention = a * t^2 and rest = b * t: they are equal at t = b / a,
    # which is LENGTH * rest / attention
    return LENGTH * rest / attention


for d_model in (48, 96, 192, 768, 4096):
    t = crossover(d_model)
    print(f"d_model {d_model:>4}: attention outgrows the rest from {t:,.0f} tokens")
