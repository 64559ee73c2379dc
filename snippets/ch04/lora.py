"""LoRA from scratch: instead of changing a weight matrix W, learn a low-rank change
B A beside it and leave W frozen. The instruction tuning of instruction_tuning.py
again, training about one parameter in twenty.

Needs instruction_tuning.py beside it, and the book's tiny language model, the
package snippets/tinylm/ (chapter 6)."""

import copy
import sys
from pathlib import Path

import torch
from torch import nn

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from instruction_tuning import (
    answered,
    fine_tune,
    instruction_set,
    masked_batch,
    share_with_interval,
)
from tinylm import corpus, load_pretrained


# --8<-- [start:lora]
class LoRALinear(nn.Module):
    """y = W x + b + (alpha / rank) B A x, with W and b frozen. A: [rank, in] starts
    random, B: [out, rank] starts at zero, so at first the layer computes exactly
    what it did."""

    def __init__(self, base: nn.Linear, rank: int = 4, alpha: float = 8.0):
        super().__init__()
        self.base = base.requires_grad_(False)
        self.A = nn.Parameter(torch.randn(rank, base.in_features) / rank)
        self.B = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank

    def forward(self, x):  # x: [..., in]
        return self.base(x) + self.scale * (x @ self.A.T) @ self.B.T  # [..., out]

    def merged(self) -> nn.Linear:
        """An ordinary layer with W + (alpha / rank) B A: the same function, no
        extra cost."""
        layer = copy.deepcopy(self.base)
        layer.weight.data += self.scale * self.B.data @ self.A.data  # [out, in]
        return layer


# the linear layers of each block: attention's two and the feed-forward network's two
ADAPTED = [("attention", "qkv"), ("attention", "out"),
           ("feed_forward", "0"), ("feed_forward", "2")]


def add_lora(model, rank: int = 4, alpha: float = 8.0) -> list[nn.Parameter]:
    """Freeze the whole model, then put an adapter on every linear layer of every
    block. Returns the adapters' parameters: the only ones to train."""
    model.requires_grad_(False)
    for block in model.blocks:
        for part, name in ADAPTED:
            parent = getattr(block, part)
            setattr(parent, name, LoRALinear(getattr(parent, name), rank, alpha))
    return [p for p in model.parameters() if p.requires_grad]


def merge(model):
    """Replace every adapter by its merged layer."""
    for block in model.blocks:
        for part, name in ADAPTED:
            parent = getattr(block, part)
            setattr(parent, name, getattr(parent, name).merged())
    return model
# --8<-- [end:lora]


if __name__ == "__main__":
    # --8<-- [start:main]
    pretrained, tokenizer = load_pretrained()
    torch.manual_seed(0)
    model = copy.deepcopy(pretrained)
    adapters = add_lora(model)
    trainable = sum(p.numel() for p in adapters)
    total = sum(p.numel() for p in pretrained.parameters())
    print(f"trainable: {trainable:,} of {total:,} parameters ({trainable / total:.1%})")

    train_set = instruction_set(corpus.QA_PEOPLE)
    fine_tune(model, tokenizer, train_set, steps=50, lr=1.5e-2, parameters=adapters)
    seen = answered(model, tokenizer, corpus.QA_PEOPLE)
    unseen = answered(model, tokenizer, corpus.HELD_OUT_PEOPLE)
    print("after tuning the adapters alone, questions answered exactly right (95% interval):")
    print(f"  about people in the instructions: {share_with_interval(seen)}")
    print(f"  about people only read about:     {share_with_interval(unseen)}")

    frozen = [p for p in model.parameters() if not p.requires_grad]  # in original order
    changed = sum(not torch.equal(a, b) for a, b in zip(frozen, pretrained.parameters()))
    print(f"pretrained weight tensors changed: {changed} of {len(frozen)}")

    merged = merge(copy.deepcopy(model))
    ids, _ = masked_batch(train_set, tokenizer)  # [64, longest]: all the instructions
    with torch.no_grad():
        difference = (model(ids) - merged(ids)).abs().max().item()
    print(f"adapted and merged models' logits agree to within 1e-4: {difference < 1e-4}")
    merged_unseen = answered(merged, tokenizer, corpus.HELD_OUT_PEOPLE)
    print(f"merged model, people only read about: {share_with_interval(merged_unseen)}")
    # --8<-- [end:main]
