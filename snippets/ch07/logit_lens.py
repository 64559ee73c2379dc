"""The logit lens: read every layer's vector through the model's own final norm and output
layer, and watch the answer take shape.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

DEPTHS = ["embedding", "block 1", "block 2"]
SENTENCE = "Ana lives in Lisbon. She is a nurse. Her pet is a cat."


# --8<-- [start:lens]
def logit_lens(model, ids):
    """Next-token probabilities read from every depth: the embeddings, then the output of
    each block, each through the final layer norm and the output layer, as if the model
    stopped there. ids: [batch, t]. Returns [depths, batch, t, vocab]."""
    with torch.no_grad():
        _, hidden = model(ids, return_hidden=True)  # depths x [batch, t, d_model]
        return torch.stack([model.head(model.final_norm(h)).softmax(-1) for h in hidden])
# --8<-- [end:lens]


# --8<-- [start:facts]
def answer_by_depth(model, tokenizer):
    """For the 96 prompts "Ana lives in" ... (every person and attribute): the rank (1 is
    the top) and the probability, at every depth, of the token the full model predicts."""
    ids = [tokenizer.encode(corpus.fact_prompt(p, a)[0])
           for p in corpus.PEOPLE for a in corpus.ATTRIBUTES]
    longest = max(len(i) for i in ids)
    batch = torch.tensor([i + [0] * (longest - len(i)) for i in ids])  # padded on the right
    last = torch.tensor([len(i) - 1 for i in ids])
    probabilities = logit_lens(model, batch)[:, torch.arange(len(ids)), last]  # [depths, n, v]
    final = probabilities[-1].argmax(-1)  # [n]: the model's answer
    p_final = probabilities.gather(2, final.expand(len(DEPTHS), -1)[..., None])[..., 0]
    ranks = (probabilities > p_final[..., None]).sum(-1) + 1  # [depths, n]
    return final, ranks, p_final
# --8<-- [end:facts]


def draw(tokens, probabilities, tokenizer, path="logit_lens.svg"):
    """The top token read from each depth (columns) at each position (rows), shaded by its
    probability."""
    top_p, top = probabilities.max(-1)  # [depths, t]
    depths, t = top.shape
    fig, axis = plt.subplots(figsize=(4.6, 0.3 * t + 0.9), layout="constrained")
    axis.pcolormesh(top_p.T.numpy(), cmap="Blues", vmin=0, vmax=1)
    for d in range(depths):
        for i in range(t):
            raw = tokenizer.decode([int(top[d, i])])
            text = raw.strip() or ("\\n" if "\n" in raw else "(space)")
            text = text if text.isascii() else "(zh)"  # part of a Chinese character
            colour = "white" if top_p[d, i] > 0.6 else "black"
            axis.text(d + 0.5, i + 0.5, text,
                      ha="center", va="center", fontsize=9, color=colour)
    axis.set_yticks([i + 0.5 for i in range(t)], [tok.strip() for tok in tokens], fontsize=9)
    axis.invert_yaxis()  # the text reads top to bottom
    axis.set_xticks([d + 0.5 for d in range(depths)], DEPTHS, fontsize=9)
    axis.xaxis.tick_top()
    axis.set_ylabel("input token", fontsize=9)
    axis.set_xlabel("the next token read at each depth", fontsize=9)
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    model.double()
    final, ranks, p_final = answer_by_depth(model, tokenizer)
    values = [" " + p.value(a) for p in corpus.PEOPLE for a in corpus.ATTRIBUTES]
    right = sum(tokenizer.decode([int(f)]) == v[: len(tokenizer.decode([int(f)]))]
                for f, v in zip(final, values))
    print(f"{len(final)} prompts ('Ana lives in', ...); the full model's next token begins",
          f"the true value in {right}")
    print(f"{'read from':10} {'median rank':>11} {'top-1':>6} {'mean p':>7} {'p quartiles':>13}")
    for d, name in enumerate(DEPTHS):
        q1, q3 = torch.quantile(p_final[d], torch.tensor([0.25, 0.75], dtype=p_final.dtype))
        print(f"{name:10} {int(ranks[d].median()):11} {(ranks[d] == 1).double().mean():6.2f}"
              f" {p_final[d].mean():7.2f}   {q1:.2f}-{q3:.2f}")
    ids = torch.tensor([tokenizer.encode(SENTENCE)])
    tokens = [tokenizer.decode([i]) for i in ids[0].tolist()]
    probabilities = logit_lens(model, ids)[:, 0]  # [depths, t, vocab]
    for where in (tokens.index(" in"), len(tokens) - 3):  # "... lives in", "... pet is a"
        print(f"\nafter {''.join(tokens[: where + 1])!r}, the top three at each depth:")
        for d, name in enumerate(DEPTHS):
            p, top = probabilities[d, where].topk(3)
            shown = ", ".join(f"{tokenizer.decode([int(i)])!r} {v:.2f}" for v, i in zip(p, top))
            print(f"    {name:10} {shown}")
    draw(tokens, probabilities, tokenizer)
    # --8<-- [end:main]
