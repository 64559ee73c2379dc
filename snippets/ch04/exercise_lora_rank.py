"""Exercise: LoRA adapters of rank 1 instead of 4.

Needs lora.py and instruction_tuning.py (this chapter's examples) beside it, and
the book's tiny language model, the package snippets/tinylm/ (chapter 6)."""

import copy

import torch

from instruction_tuning import accuracy, fine_tune, instruction_set
from lora import add_lora
from tinylm import corpus, load_pretrained

if __name__ == "__main__":
    pretrained, tokenizer = load_pretrained()
    train_set = instruction_set(corpus.QA_PEOPLE)
    total = sum(p.numel() for p in pretrained.parameters())
    results = {}
    for rank in [1]:
        torch.manual_seed(0)
        model = copy.deepcopy(pretrained)
        adapters = add_lora(model, rank=rank, alpha=2.0 * rank)  # alpha / rank stays 2
        fine_tune(model, tokenizer, train_set, steps=80, lr=1e-2, parameters=adapters)
        trainable = sum(p.numel() for p in adapters)
        results[rank] = (trainable, accuracy(model, tokenizer, corpus.QA_PEOPLE),
                         accuracy(model, tokenizer, corpus.HELD_OUT_PEOPLE))
        print(f"rank {rank:2d}: {trainable:,} trainable parameters "
              f"({trainable / total:.1%}); "
              f"{results[rank][1]:.0%} of questions about people in the instructions, "
              f"{results[rank][2]:.0%} about people only read about")
