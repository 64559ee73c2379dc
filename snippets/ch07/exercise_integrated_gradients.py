"""Exercise: integrated gradients, gradient x input made exact, on the tiny model's prompts.

Needs attribution.py and asking_vs_looking.py beside it, and the package snippets/tinylm/ in
the folder above.
"""

import math
import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # attribution.py, beside it
from asking_vs_looking import wilson
from attribution import attribute_lm, lm_score, two_sentence_prompts
from tinylm import corpus, load_pretrained


def integrated_gradients(score, x, baseline, steps: int = 16):
    """Average the gradient at `steps` points on the straight line from the baseline to x,
    then dot it with (x - baseline). Per text, the scores add up to
    score(x) - score(all baseline) (up to the error of the average). Returns [n, t]."""
    total = torch.zeros_like(x)
    for k in range(steps):
        alpha = (k + 0.5) / steps  # the midpoint of each of the steps
        point = (baseline + alpha * (x - baseline)).detach().requires_grad_(True)
        score(point).sum().backward()
        total += point.grad
    return ((x - baseline) * total / steps).sum(-1)


if __name__ == "__main__":
    model, tokenizer = load_pretrained()
    model.double()
    prompts = two_sentence_prompts()
    tokens, targets, scores = attribute_lm(model, tokenizer, [t for _, t in prompts])
    ids = [tokenizer.encode(t) for _, t in prompts]
    longest = max(len(i) for i in ids)
    batch = torch.tensor([i + [0] * (longest - len(i)) for i in ids])
    last = torch.tensor([len(i) - 1 for i in ids])
    x = model.token_embedding(batch).detach()
    baseline = model.token_embedding.weight.mean(0).detach()
    score = lm_score(model, torch.tensor(targets), last)
    scores["integrated gradients"] = integrated_gradients(score, x, baseline)
    with torch.no_grad():  # the completeness check: the scores add up to the whole change
        change = score(x) - score(baseline.expand_as(x).clone())
    mask = torch.arange(longest)[None] <= last[:, None]  # padding is not part of a text
    gap = ((scores["integrated gradients"] * mask).sum(1) - change).abs().max().item()
    print("the change to explain (log-odds, whole prompt replaced by the baseline):",
          f"mean {change.abs().mean():.1f}; largest gap between it and the summed scores:",
          f"{gap:.2f}")
    hits, n = {m: 0 for m in scores}, 0
    only = {"integrated gradients": 0, "gradient x input": 0}  # prompts one names, not the other
    for k, (person, _) in enumerate(prompts):
        attribute = corpus.ATTRIBUTES[k % len(corpus.ATTRIBUTES)]
        if targets[k] != tokenizer.encode(" " + getattr(person, attribute))[0]:
            continue
        second = max(i for i, token in enumerate(tokens[k]) if token == ".") + 1
        n_name = len(tokenizer.encode(person.name))
        named = {m: int(s[k, : second + 1].argmax()) < n_name for m, s in scores.items()}
        for method in scores:
            hits[method] += named[method]
        for a, b in (("integrated gradients", "gradient x input"),
                     ("gradient x input", "integrated gradients")):
            only[a] += named[a] and not named[b]
        n += 1
    print(f"{n} prompts: how often the top token of the first sentence and the pronoun",
          "is the name (share, 95% interval)")
    for method, h in hits.items():
        print(f"    {method:21} {wilson(h, n)}")
    wins, losses = only["integrated gradients"], only["gradient x input"]
    print("prompts where integrated gradients names the name and gradient x input does not:",
          f"{wins}; the other way round: {losses}")
    p = 2 * sum(math.comb(wins + losses, k) for k in range(losses + 1)) / 2 ** (wins + losses)
    print(f"two-sided sign test: a split this uneven, if neither were better: p = {p:.3f}")
