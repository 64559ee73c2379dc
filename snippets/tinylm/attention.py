"""Causal multi-head self-attention, from scratch."""

from __future__ import annotations

import math

import torch
from torch import nn


def attention(q, k, v, causal: bool = True):
    """Scaled dot-product attention.

    q: [batch, heads, t_q, d_head] queries; k, v: [batch, heads, t_k, d_head] keys
    and values. Returns the outputs [batch, heads, t_q, d_head] and the weights
    [batch, heads, t_q, t_k]. With a cache, the queries are the last t_q of the t_k
    positions."""
    d_head = q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)  # [batch, heads, t_q, t_k]
    if causal:  # a position may look at itself and earlier positions, not later
        t_q, t_k = scores.shape[-2:]
        allowed = torch.ones(t_q, t_k, dtype=torch.bool).tril(diagonal=t_k - t_q)
        scores = scores.masked_fill(~allowed, float("-inf"))
    weights = scores.softmax(dim=-1)  # each row sums to 1
    return weights @ v, weights  # a weighted sum of the values


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)  # queries, keys and values
        self.out = nn.Linear(d_model, d_model)  # mixes the heads' outputs
        self.weights = None  # the last attention weights, kept for looking at

    def forward(self, x, cache: dict | None = None, causal: bool = True):
        batch, t, d_model = x.shape  # x: [batch, t, d_model]
        d_head = d_model // self.n_heads
        q, k, v = self.qkv(x).split(d_model, dim=-1)  # each [batch, t, d_model]
        # split d_model into heads: [batch, t, d_model] -> [batch, heads, t, d_head]
        q, k, v = (
            z.view(batch, t, self.n_heads, d_head).transpose(1, 2)
            for z in (q, k, v)
        )
        if cache is not None:  # keys and values of earlier positions, kept
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)  # [batch, heads, all, d_head]
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        y, weights = attention(q, k, v, causal)  # y: [batch, heads, t, d_head]
        self.weights = weights.detach()
        y = y.transpose(1, 2).reshape(batch, t, d_model)  # heads side by side again
        return self.out(y)  # [batch, t, d_model]
