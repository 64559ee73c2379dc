"""Where the trained model looks: the attention weights of every head, as heatmaps.

Needs the package snippets/tinylm/ (this chapter's model and its committed weights),
in the folder above.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import load_pretrained

TEXT = "Ana lives in Lisbon. She is a nurse. Her pet is a cat."


# --8<-- [start:weights]
def attention_weights(model, tokenizer, text: str):
    """The tokens of `text` and every head's weights: [layers, heads, t, t]."""
    ids = tokenizer.encode(text)
    with torch.no_grad():
        logits = model(torch.tensor([ids]))  # each attention layer keeps weights
    weights = torch.stack([block.attention.weights[0] for block in model.blocks])
    tokens = [tokenizer.decode([i]) for i in ids]
    return tokens, weights, logits[0].softmax(-1)  # probabilities: [t, vocab]
# --8<-- [end:weights]


def draw(tokens, weights, path="attention_heatmap.svg"):
    n_layers, n_heads, t, _ = weights.shape
    size = (2.4 * n_heads, 2.9 * n_layers)
    fig, axes = plt.subplots(n_layers, n_heads, figsize=size, layout="constrained")
    fig.get_layout_engine().set(h_pad=0.15)  # each row's titles clear of the row above
    labels = [token.strip() for token in tokens]
    for layer in range(n_layers):
        for head in range(n_heads):
            axis = axes[layer, head]
            cells = weights[layer, head].numpy()  # a bitmap in the SVG; labels stay vectors
            axis.pcolormesh(cells, cmap="Blues", vmin=0, vmax=1, rasterized=True)
            axis.set_aspect("equal")
            axis.invert_yaxis()  # the first token at the top
            axis.set_title(f"layer {layer + 1}, head {head + 1}", fontsize=9)
            bottom, left = layer == n_layers - 1, head == 0
            ticks = [i + 0.5 for i in range(t)]  # the middle of each cell
            axis.set_xticks(ticks, labels if bottom else [], fontsize=6)
            axis.tick_params(axis="x", labelrotation=90)
            axis.set_yticks(ticks, labels if left else [], fontsize=6)
    fig.supxlabel("the position looked at (key)", fontsize=9)
    fig.supylabel("the position looking (query)", fontsize=9)
    fig.savefig(path, dpi=200)  # sharp cells; a third of the file of cells drawn as vectors


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    tokens, weights, probabilities = attention_weights(model, tokenizer, TEXT)
    print("tokens:", "|".join(tokens))
    name = tokens.index("Ana")
    for query in [i for i, token in enumerate(tokens) if token == " a"]:
        best = int(probabilities[query].argmax())
        print(f"at ' a' (position {query}), which predicts "
              f"{tokenizer.decode([best])!r} with probability "
              f"{probabilities[query, best]:.2f}:")
        for layer in range(len(model.blocks)):
            on_name = " ".join(f"{w:.2f}" for w in weights[layer, :, query, name])
            print(f"    layer {layer + 1}, weight on 'Ana' by head: {on_name}")
    draw(tokens, weights)
    # --8<-- [end:main]
