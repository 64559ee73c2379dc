"""One token, many meanings: a token's vector, layer by layer, in two contexts.

Needs the package snippets/tinylm/ (this chapter's model and its committed weights),
in the folder above.
"""

import sys
from pathlib import Path

import torch
import torch.nn.functional as F

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import load_pretrained

PAIRS = [("Ana is a", "Ana has a"), ("Ana is a", "Chidi is a")]


# --8<-- [start:similarity]
def last_token_vectors(model, tokenizer, text: str) -> list[torch.Tensor]:
    """The last token's vector after the embeddings, then after each block."""
    ids = torch.tensor([tokenizer.encode(text)])  # [1, t]
    with torch.no_grad():
        _, hidden = model(ids, return_hidden=True)
    return [h[0, -1] for h in hidden]  # n_layers + 1 vectors of d_model numbers


def similarity_by_layer(model, tokenizer, a: str, b: str) -> list[float]:
    """Cosine similarity of the two texts' last-token vectors at each depth."""
    vectors_a = last_token_vectors(model, tokenizer, a)
    vectors_b = last_token_vectors(model, tokenizer, b)
    pairs = zip(vectors_a, vectors_b)
    return [F.cosine_similarity(x, y, dim=0).item() for x, y in pairs]
# --8<-- [end:similarity]


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    print("cosine similarity of the vectors of the last token, ' a',",
          "at each depth:")
    print(f"{'':27} {'embedding':>9} {'block 1':>8} {'block 2':>8}")
    similarities = {}
    for a, b in PAIRS:
        similarities[a, b] = similarity_by_layer(model, tokenizer, a, b)
        values = "".join(f"{s:9.2f}" for s in similarities[a, b])
        label = f"{a!r} vs {b!r}"
        print(f"{label:<27}{values}")
    for text in dict.fromkeys(t for pair in PAIRS for t in pair):
        with torch.no_grad():
            logits = model(torch.tensor([tokenizer.encode(text)]))[0, -1]  # [vocab]
        best = tokenizer.decode([int(logits.argmax())])
        print(f"after {text!r} the model predicts {best!r}")
    # --8<-- [end:main]
