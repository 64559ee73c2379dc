"""Exercise: fine-tune through LoRA adapters, leaving every original parameter as it was.

Needs remedies.py, forgetting.py and one_model_many_tasks.py (this chapter's examples)
beside it.
"""

import copy

import torch
from torch import nn

from forgetting import scores
from one_model_many_tasks import FIRST_TASKS, TASKS, FeedForwardLM, split_strings, train
from remedies import SEEDS, over_seeds, row


# --8<-- [start:adapter]
class LoRALinear(nn.Module):
    """y = W x + b + (alpha / rank) B A x, with the layer's W and b frozen.

    A: [rank, in] starts random and B: [out, rank] at zero, so at first the layer
    computes exactly what it did; training changes rank * (in + out) numbers."""

    def __init__(self, layer: nn.Linear, rank: int = 4, alpha: float = 8.0):
        super().__init__()
        self.layer = layer.requires_grad_(False)
        self.A = nn.Parameter(torch.randn(rank, layer.in_features) / rank)
        self.B = nn.Parameter(torch.zeros(layer.out_features, rank))
        self.scale = alpha / rank

    def forward(self, x):  # x: [batch, in]
        return self.layer(x) + self.scale * (x @ self.A.T) @ self.B.T  # [batch, out]


def with_adapters(model, rank: int = 4):
    """A copy of `model`, all of its parameters frozen, with an adapter on each linear layer."""
    adapted = copy.deepcopy(model).requires_grad_(False)
    for i, layer in enumerate(adapted.classify):
        if isinstance(layer, nn.Linear):
            adapted.classify[i] = LoRALinear(layer, rank)
    return adapted


def without_adapters(adapted):
    """A copy with each adapter replaced by the frozen layer inside it."""
    model = copy.deepcopy(adapted)
    for i, layer in enumerate(model.classify):
        if isinstance(layer, LoRALinear):
            model.classify[i] = layer.layer
    return model
# --8<-- [end:adapter]


if __name__ == "__main__":
    # --8<-- [start:main]
    train_strings, test_strings = split_strings()
    old_examples = [(task, text) for task in FIRST_TASKS for text in train_strings]
    model = train(FeedForwardLM(), old_examples)
    adapted = with_adapters(model)
    trainable = sum(p.numel() for p in adapted.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    print(f"adapters: {trainable:,} trainable parameters; the model's {total:,} are frozen")

    tuned_models, results = over_seeds(adapted, train_strings, old_examples, test_strings)
    print(f"accuracy on {len(test_strings)} held-out strings per task, "
          f"mean over {len(SEEDS)} seeds (lowest-highest)")
    print(f"{'fine-tuning on shift with':30}{'shift':>16}{'old tasks':>16}")
    print(row("LoRA adapters, rank 4", results))

    tuned = tuned_models[0]
    frozen = [p for p in tuned.parameters() if not p.requires_grad]  # in the model's order
    unchanged = all(torch.equal(a, b) for a, b in zip(frozen, model.parameters()))
    print(f"after fine-tuning, the original parameters are unchanged: {unchanged}")
    removed = scores(without_adapters(tuned), test_strings)
    print("with the adapters removed: "
          + ", ".join(f"{task} {removed[task]:.0%}" for task in TASKS))
    # --8<-- [end:main]
