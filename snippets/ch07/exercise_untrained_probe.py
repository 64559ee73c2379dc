"""Exercise: probe a model that never learned anything, the tiny model's architecture with
its random starting weights.

Needs probing.py beside it, and the package snippets/tinylm/ in the folder above.
"""

import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # probing.py, beside it
from probing import LAYERS, accuracies, probing_data
from tinylm import Config, TinyLM, load_pretrained

if __name__ == "__main__":
    _, tokenizer = load_pretrained()  # only its tokenizer
    torch.manual_seed(0)
    untrained = TinyLM(Config()).double().eval()  # the same shape, random weights
    vectors, rows = probing_data(untrained, tokenizer)
    results = accuracies(vectors, rows)
    print("probe accuracy on the untrained model (chance 0.125)")
    print(f"{'':10} {'split':13} {'task':>5} {'control':>8}")
    for name in LAYERS:
        for split in ("new contexts", "new people"):
            task, control = (results[name, t, split][0].double().mean().item()
                             for t in ("task", "control"))
            print(f"{name:10} {split:13} {task:5.2f} {control:8.2f}")
