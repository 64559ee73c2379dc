"""Exercise: activation patching for another fact, the job ("Ana is a" into "Bruno is a").

Needs activation_patching.py beside it, and the package snippets/tinylm/ in the folder above.
"""

import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # activation_patching.py
from activation_patching import DEPTHS, run_patched, wilson
from tinylm import corpus, load_pretrained


def job_grid(model, tokenizer):
    """The patching grid for "<name> is a": every ordered pair of one-token names whose
    jobs begin with different tokens; the share whose answer becomes the source's job."""
    def first(text):
        return tokenizer.encode(text)[0]

    single = [p for p in corpus.PEOPLE if len(tokenizer.encode(p.name)) == 1]
    pairs = [(s, t) for s in single for t in single
             if s is not t and first(" " + s.job) != first(" " + t.job)]
    source = torch.tensor([tokenizer.encode(f"{s.name} is a") for s, _ in pairs])
    target = torch.tensor([tokenizer.encode(f"{t.name} is a") for _, t in pairs])
    source_job = torch.tensor([first(" " + s.job) for s, _ in pairs])
    with torch.no_grad():
        _, hidden = model(source, return_hidden=True)
    moved = torch.zeros(len(DEPTHS), source.shape[1])
    for depth in range(len(DEPTHS)):
        for position in range(source.shape[1]):
            answer = run_patched(model, target, depth, position, hidden[depth][:, position])
            moved[depth, position] = (answer.argmax(-1) == source_job).double().mean()
    return len(pairs), moved


if __name__ == "__main__":
    model, tokenizer = load_pretrained()
    model.double()
    n, moved = job_grid(model, tokenizer)
    print(f"{n} pairs, e.g. 'Ana is a' patched into 'Bruno is a':",
          "share whose answer becomes the source's job")
    print(f"{'depth':10}" + "".join(f"{p:>7}" for p in ("name", "is", "a")))
    for d, depth in enumerate(DEPTHS):
        print(f"{depth:10}" + "".join(f"{m:7.2f}" for m in moved[d]))
    print("95% intervals after block 1: " + ", ".join(
        f"{p} [{low:.2f}, {high:.2f}]" for p, (low, high) in
        (("name", wilson(moved[1, 0].item(), n)), ("a", wilson(moved[1, 2].item(), n)))))
