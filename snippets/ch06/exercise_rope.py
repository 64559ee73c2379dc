"""Exercise: rotary position embeddings (RoPE; Su et al., arXiv 2104.09864).

Needs the package snippets/tinylm/ (this chapter's model and its committed weights),
in the folder above. Instead of adding a learned vector per position to the input,
RoPE turns each pair of numbers of every query and key by an angle proportional to
the position, so that a query-key score depends only on how far apart they are.
Computed in float64, so that "equal" can mean equal to 1e-9.
"""

import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import MultiHeadAttention, attention, load_pretrained

F64 = {"dtype": torch.float64}


# --8<-- [start:rope]
def rotate(x, positions, base: float = 10000.0):
    """RoPE: turn the pairs (x[2i], x[2i+1]) of each vector by the angle
    position * base^(-2i/d). x: [..., t, d] with d even; positions: [t]."""
    d = x.shape[-1]
    frequencies = base ** (-torch.arange(0, d, 2, **F64) / d)  # [d / 2]: fast to slow
    angles = positions[:, None] * frequencies  # [t, d / 2]
    cos, sin = angles.cos(), angles.sin()
    even, odd = x[..., 0::2], x[..., 1::2]  # [..., t, d / 2] each
    turned = torch.stack([even * cos - odd * sin, even * sin + odd * cos], dim=-1)
    return turned.flatten(-2)  # the pairs side by side again: [..., t, d]


class RotaryAttention(MultiHeadAttention):
    """Multi-head attention whose queries and keys are turned by their position."""

    def forward(self, x, start: int = 0):  # x: [batch, t, d_model]
        batch, t, d_model = x.shape
        d_head = d_model // self.n_heads
        q, k, v = (
            z.view(batch, t, self.n_heads, d_head).transpose(1, 2)  # [b, heads, t, d_head]
            for z in self.qkv(x).split(d_model, dim=-1)
        )
        positions = torch.arange(start, start + t, **F64)  # [t]: any position at all
        y, self.weights = attention(rotate(q, positions), rotate(k, positions), v)
        return self.out(y.transpose(1, 2).reshape(batch, t, d_model))
# --8<-- [end:rope]


def reference_rotate(x, positions, base: float = 10000.0):
    """The paper's form: each pair is a complex number, multiplied by e^(i m theta)."""
    d = x.shape[-1]
    frequencies = base ** (-torch.arange(0, d, 2, **F64) / d)
    angles = positions[:, None] * frequencies  # [t, d / 2]
    turn = torch.polar(torch.ones_like(angles), angles)  # e^(i angle)
    pairs = torch.view_as_complex(x.reshape(*x.shape[:-1], d // 2, 2).contiguous())
    return torch.view_as_real(pairs * turn).flatten(-2)


def score(q, k, m: int, n: int) -> float:
    """The score of query q at position m against key k at position n."""
    turned_q = rotate(q[None], torch.tensor([m], **F64))[0]  # [d]
    turned_k = rotate(k[None], torch.tensor([n], **F64))[0]
    return (turned_q @ turned_k).item()


if __name__ == "__main__":
    # --8<-- [start:main]
    g = torch.Generator().manual_seed(0)
    q, k = (torch.randn(12, generator=g, **F64) for _ in range(2))  # one head's
    print("score of the same query and key, 3 positions apart:")
    for m in (3, 40, 1000, 100_000):
        print(f"  query at {m:>6}, key at {m - 3:>6}: {score(q, k, m, m - 3):.6f}")

    x = torch.randn(2, 4, 50, 12, generator=g, **F64)  # [batch, heads, t, d_head]
    positions = torch.arange(50, **F64)
    gap = (rotate(x, positions) - reference_rotate(x, positions)).abs().max().item()
    print(f"equal to the paper's complex-number form: {gap < 1e-9}")

    torch.manual_seed(0)
    layer = RotaryAttention(d_model=48, n_heads=4).double()
    text = torch.randn(1, 20, 48, generator=g, **F64)  # 20 token vectors
    with torch.no_grad():
        at_start, far_on = layer(text), layer(text, start=5000)
    shift = (at_start - far_on).abs().max().item()
    print(f"the same 20 tokens at positions 0-19 and 5000-5019 give the same "
          f"outputs: {shift < 1e-9}")

    model, _ = load_pretrained()  # learned position vectors: 48 of them
    try:
        model(torch.zeros(1, model.config.context + 1, dtype=torch.long))
    except IndexError:
        print(f"the tiny model, with {model.config.context} learned positions, "
              f"cannot read token {model.config.context + 1}")
    # --8<-- [end:main]
