"""The book's tiny language model: a decoder-only Transformer."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from tinylm.attention import MultiHeadAttention


@dataclass
class Config:
    vocab_size: int = 640
    d_model: int = 48  # the length of every token's vector
    n_heads: int = 4
    n_layers: int = 2
    context: int = 48  # the most tokens the model reads at once


class Block(nn.Module):
    """Attention (mixes information across positions), then a feed-forward network
    (works on each position alone); each adds its result to its input, and each
    starts with a layer norm."""

    def __init__(self, config: Config):
        super().__init__()
        d = config.d_model
        self.norm1 = nn.LayerNorm(d)
        self.attention = MultiHeadAttention(d, config.n_heads)
        self.norm2 = nn.LayerNorm(d)
        self.feed_forward = nn.Sequential(
            nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d)
        )

    def forward(self, x, cache=None):  # x: [batch, t, d_model]
        x = x + self.attention(self.norm1(x), cache)  # [batch, t, d_model]
        return x + self.feed_forward(self.norm2(x))  # [batch, t, d_model]


class TinyLM(nn.Module):
    def __init__(self, config: Config):
        super().__init__()
        self.config = config
        self.token_embedding = nn.Embedding(config.vocab_size, config.d_model)
        self.position_embedding = nn.Embedding(config.context, config.d_model)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.final_norm = nn.LayerNorm(config.d_model)
        self.head = nn.Linear(config.d_model, config.vocab_size, bias=False)

    def new_cache(self) -> list[dict]:
        """An empty key-value cache: one dict per block, filled by forward()."""
        return [{} for _ in self.blocks]

    def forward(self, ids, return_hidden: bool = False, cache: list | None = None):
        batch, t = ids.shape  # ids: [batch, t] token ids
        start = cache[0]["k"].shape[2] if cache and cache[0] else 0  # tokens read
        positions = torch.arange(start, start + t)  # [t]
        x = self.token_embedding(ids) + self.position_embedding(positions)
        hidden = [x]  # x: [batch, t, d_model]
        for i, block in enumerate(self.blocks):
            x = block(x, cache[i] if cache else None)  # [batch, t, d_model]
            hidden.append(x)
        logits = self.head(self.final_norm(x))  # [batch, t, vocab]: token scores
        return (logits, hidden) if return_hidden else logits
