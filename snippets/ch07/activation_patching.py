"""Activation patching: copy one vector from the run on "Ana lives in" into the run on
"Bruno lives in", and see whether the answer becomes Ana's city.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above.
"""

import math
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

DEPTHS = ["embedding", "block 1", "block 2"]
POSITIONS = ["name", "lives", "in"]


# --8<-- [start:patch]
def run_patched(model, ids, depth: int, position: int, vectors):
    """Run the model on ids [batch, t], but at `depth` (0: the embeddings, k: the output
    of block k) replace the vector at `position` by `vectors` [batch, d_model].
    Returns the next-token scores at the last position: [batch, vocab]."""
    with torch.no_grad():
        x = model.token_embedding(ids) + model.position_embedding(torch.arange(ids.shape[1]))
        for k in range(len(model.blocks) + 1):
            if k == depth:
                x = x.clone()
                x[:, position] = vectors  # the patch
            if k < len(model.blocks):
                x = model.blocks[k](x)
        return model.head(model.final_norm(x[:, -1]))
# --8<-- [end:patch]


# --8<-- [start:pairs]
def city_pairs(tokenizer):
    """Every ordered pair (source, target) of people whose names are one token each and
    whose cities begin with different tokens: "Ana lives in" and "Bruno lives in" then line
    up position by position."""
    def first(text):
        return tokenizer.encode(text)[0]

    single = [p for p in corpus.PEOPLE if len(tokenizer.encode(p.name)) == 1]
    return [(s, t) for s in single for t in single
            if s is not t and first(" " + s.city) != first(" " + t.city)]


def patching_grid(model, tokenizer):
    """For each depth and position: the share of pairs whose answer becomes the source's
    city when the source's vector is patched in, and the share that keep their own."""
    pairs = city_pairs(tokenizer)
    source = torch.tensor([tokenizer.encode(f"{s.name} lives in") for s, _ in pairs])
    target = torch.tensor([tokenizer.encode(f"{t.name} lives in") for _, t in pairs])
    source_city = torch.tensor([tokenizer.encode(" " + s.city)[0] for s, _ in pairs])
    target_city = torch.tensor([tokenizer.encode(" " + t.city)[0] for _, t in pairs])
    with torch.no_grad():
        _, hidden = model(source, return_hidden=True)  # the vectors to copy, every depth
    moved = torch.zeros(len(DEPTHS), len(POSITIONS))
    kept = torch.zeros(len(DEPTHS), len(POSITIONS))
    for depth in range(len(DEPTHS)):
        for position in range(len(POSITIONS)):
            answer = run_patched(model, target, depth, position, hidden[depth][:, position])
            moved[depth, position] = (answer.argmax(-1) == source_city).double().mean()
            kept[depth, position] = (answer.argmax(-1) == target_city).double().mean()
    return len(pairs), moved, kept
# --8<-- [end:pairs]


def wilson(share: float, n: int, z: float = 1.96):
    """A 95% interval for a share of n (Wilson's score interval)."""
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def draw(moved, path="activation_patching.svg"):
    fig, axis = plt.subplots(figsize=(4.6, 3.0), layout="constrained")
    mesh = axis.pcolormesh(moved.numpy(), cmap="Oranges", vmin=0, vmax=1)
    for d in range(len(DEPTHS)):
        for p in range(len(POSITIONS)):
            colour = "white" if moved[d, p] > 0.6 else "black"
            axis.text(p + 0.5, d + 0.5, f"{moved[d, p]:.2f}", ha="center", va="center",
                      color=colour)
    axis.set_xticks([p + 0.5 for p in range(len(POSITIONS))], ["Ana", "lives", "in"])
    axis.set_yticks([d + 0.5 for d in range(len(DEPTHS))], DEPTHS)
    axis.set_xlabel("position patched (copied from the run on 'Ana lives in')")
    fig.colorbar(mesh, label="answer moved to Ana's city")
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    model.double()
    n, moved, kept = patching_grid(model, tokenizer)
    print(f"{n} pairs of people, e.g. 'Ana lives in' patched into 'Bruno lives in'")
    print("share of pairs whose answer becomes the source's city (95% interval),")
    print("and the share that still give the target's own city:")
    print(f"{'depth':10} {'position':9} {'moved to source':>22} {'kept own':>9}")
    for d, depth in enumerate(DEPTHS):
        for p, position in enumerate(POSITIONS):
            low, high = wilson(moved[d, p].item(), n)
            print(f"{depth:10} {position:9} {moved[d, p]:9.2f} [{low:.2f}, {high:.2f}]"
                  f" {kept[d, p]:9.2f}")
    draw(moved)
    # --8<-- [end:main]
