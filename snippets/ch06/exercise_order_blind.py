"""Exercise: attention alone does not know the order of its inputs.

Needs the package snippets/tinylm/ (this chapter's model), in the folder above.
Shuffle the tokens given to one attention layer, and compare its outputs with its
outputs for the original order, shuffled the same way.
"""

import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import MultiHeadAttention

torch.manual_seed(0)
layer = MultiHeadAttention(d_model=32, n_heads=4)
tokens = torch.randn(1, 10, 32)  # ten token vectors: [batch, t, d_model]
positions = torch.randn(1, 10, 32)  # a vector per position: position embeddings
order = torch.randperm(10)  # a shuffle of the ten positions


def difference(add_positions: bool, causal: bool) -> float:
    """Largest gap between layer(shuffled input) and the shuffled layer(input)."""
    x, shuffled = tokens, tokens[:, order]
    if add_positions:  # each position keeps its vector, whatever token moves there
        x, shuffled = x + positions, shuffled + positions
    with torch.no_grad():
        gap = layer(shuffled, causal=causal) - layer(x, causal=causal)[:, order]
    return gap.abs().max().item()


results = {
    "tokens only, no mask": difference(add_positions=False, causal=False),
    "tokens + positions, no mask": difference(add_positions=True, causal=False),
    "tokens only, causal mask": difference(add_positions=False, causal=True),
}
for setting, gap in results.items():
    print(f"{setting:<28} outputs merely shuffled: {gap < 1e-5}")
