"""Exercise: a smaller green list. The same delta = 2, but only a quarter of the
vocabulary green after each token (gamma = 0.25) instead of half. Is the watermark
easier or harder to detect, and what does it cost?

Needs watermark.py (this chapter's example) beside it, and the book's tiny language
model, the package snippets/tinylm/ (chapter 6)."""

import math
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import load_pretrained
from watermark import THRESHOLD, green_lists, sample, z_score

if __name__ == "__main__":
    torch.manual_seed(0)
    model, tokenizer = load_pretrained()
    model = model.double()  # sampling amplifies last-bit differences: float64
    print("delta = 2, n = 50 texts of 163 tokens for each gamma")
    results = {}
    # --8<-- [start:solution]
    for gamma in [0.5, 0.25]:
        green = green_lists(model.config.vocab_size, gamma)  # the green share: gamma
        ids, log_p = sample(model, 50 * 4, 40, delta=2.0, green=green, seed=2)
        z = z_score(ids.reshape(50, -1), green, gamma)  # the test must use the same gamma
        perplexity = math.exp(-log_p.mean().item())  # under the plain model
        results[gamma] = (z.mean().item(), (z > THRESHOLD).double().mean().item(), perplexity)
        print(f"gamma {gamma}: mean z {results[gamma][0]:.2f}, "
              f"detected {results[gamma][1]:.0%}, perplexity {perplexity:.2f}")
    # --8<-- [end:solution]
