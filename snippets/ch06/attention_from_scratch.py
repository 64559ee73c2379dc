"""Attention from scratch (tinylm/attention.py), checked against PyTorch's own.

Needs the package snippets/tinylm/ (this chapter's model), in the folder above.
"""

import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import MultiHeadAttention, attention

TOLERANCE = 1e-5  # float32 arithmetic in another order differs by about 1e-7


def largest_difference(a, b) -> float:
    return (a - b).abs().max().item()


# --8<-- [start:one_head]
def one_head(seed: int = 0):
    """Five positions, one head, vectors of 4 numbers: the weights of every pair."""
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(1, 1, 5, 4, generator=g) for _ in range(3))
    out, weights = attention(q, k, v, causal=True)  # q, k, v: [batch, heads, t, d]
    return out, weights[0, 0]  # [t, t]: row i, what position i takes from each
# --8<-- [end:one_head]


# --8<-- [start:checks]
def against_sdpa(seed: int = 0) -> dict[str, float]:
    """Ours and torch.nn.functional.scaled_dot_product_attention, with and
    without the causal mask."""
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(2, 4, 10, 8, generator=g) for _ in range(3))  # 4 heads
    return {
        f"causal={causal}": largest_difference(
            attention(q, k, v, causal)[0],
            F.scaled_dot_product_attention(q, k, v, is_causal=causal),
        )
        for causal in (False, True)
    }


def against_multihead(seed: int = 0, d_model: int = 32, n_heads: int = 4) -> float:
    """Our MultiHeadAttention and torch.nn.MultiheadAttention, same weights."""
    torch.manual_seed(seed)
    ours = MultiHeadAttention(d_model, n_heads)
    theirs = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
    with torch.no_grad():  # both stack queries, keys and values in one matrix
        theirs.in_proj_weight.copy_(ours.qkv.weight)  # [3 * d_model, d_model]
        theirs.in_proj_bias.copy_(ours.qkv.bias)
        theirs.out_proj.weight.copy_(ours.out.weight)
        theirs.out_proj.bias.copy_(ours.out.bias)
    x = torch.randn(3, 12, d_model)  # [batch, t, d_model]
    future = torch.ones(12, 12, dtype=torch.bool).triu(1)  # True: may not look
    with torch.no_grad():
        expected, _ = theirs(x, x, x, attn_mask=future, need_weights=False)
        return largest_difference(ours(x), expected)


def later_tokens_cannot_change_the_past(seed: int = 0) -> tuple[float, float]:
    """Change the input at the last position: how much does each output change?"""
    torch.manual_seed(seed)
    layer = MultiHeadAttention(32, 4)
    x = torch.randn(1, 12, 32)
    changed = x.clone()
    changed[0, -1] = torch.randn(32)  # a different last token
    with torch.no_grad():
        difference = (layer(x) - layer(changed)).abs().amax(dim=-1)[0]  # [t]
    return difference[:-1].max().item(), difference[-1].item()
# --8<-- [end:checks]


if __name__ == "__main__":
    # --8<-- [start:main]
    out, weights = one_head()
    print("attention weights of one head",
          "(row: a position; column: where it looks):")
    for row in weights:
        print("  " + "  ".join(f"{w:.2f}" for w in row))
    print("each row sums to 1:", torch.allclose(weights.sum(dim=-1), torch.ones(5)))

    for setting, difference in against_sdpa().items():
        print(f"ours vs scaled_dot_product_attention ({setting}): "
              f"equal within {TOLERANCE:g}: {difference < TOLERANCE}")
    print(f"ours vs nn.MultiheadAttention (4 heads, causal mask): "
          f"equal within {TOLERANCE:g}: {against_multihead() < TOLERANCE}")

    past, last = later_tokens_cannot_change_the_past()
    print(f"changing the last token changes the outputs at earlier positions by "
          f"{past}, at the last position by {last:.2f}")
    # --8<-- [end:main]
