"""A watermark in the tiny model's sampling (Kirchenbauer et al., 2023), and its
detector. The previous token seeds a "green list" of half the vocabulary; adding
delta to the green tokens' scores makes the model pick them a little more often, and
anyone who knows the key can count them. Draws watermark_detection.svg.

Needs the book's tiny language model, the package snippets/tinylm/ (chapter 6)."""

import math
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import load_pretrained

GAMMA = 0.5  # the share of the vocabulary that is green after any token
KEY = 15485863  # the secret: whoever knows it can rebuild the green lists
THRESHOLD = 4.0  # z above this: "watermarked" (one false alarm in ~30,000 plain texts)


# --8<-- [start:green]
def green_lists(vocab: int, gamma: float = GAMMA, key: int = KEY):
    """green[previous, token]: is `token` green right after `previous`? One random
    permutation of the vocabulary per previous token, its first gamma * vocab green.
    [vocab, vocab] booleans."""
    generator = torch.Generator().manual_seed(key)
    ranks = torch.rand(vocab, vocab, generator=generator).argsort(1).argsort(1)
    return ranks < int(gamma * vocab)
# --8<-- [end:green]


# --8<-- [start:sample]
@torch.no_grad()
def sample(model, n: int, steps: int, delta: float = 0.0, green=None,
           temperature: float = 1.0, seed: int = 0, start: int = 10):
    """n texts of `steps` tokens, sampled side by side with a key-value cache, each
    starting from token `start` (10 is the newline: a new document). With delta > 0,
    delta is added to the scores of the green tokens before each choice.
    Returns the ids [n, steps + 1] and each chosen token's log-probability under the
    plain, unwatermarked model [n, steps]."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.full((n, 1), start)  # [n, 1]
    cache, log_p = model.new_cache(), []
    for _ in range(steps):
        logits = model(ids[:, -1:], cache=cache)[:, -1] / temperature  # [n, vocab]
        plain = logits.log_softmax(-1)  # [n, vocab]
        if delta:
            logits = logits + delta * green[ids[:, -1]]  # the watermark: favour green
        # sample: the first token whose cumulative probability passes a uniform draw
        cumulative = logits.softmax(-1).cumsum(-1)  # [n, vocab]
        u = torch.rand(n, 1, generator=generator, dtype=cumulative.dtype)
        chosen = torch.searchsorted(cumulative, u * cumulative[:, -1:])  # [n, 1]
        chosen = chosen.clamp(max=logits.shape[1] - 1)  # (guards against rounding)
        log_p.append(plain.gather(1, chosen))
        ids = torch.cat([ids, chosen], 1)
    return ids, torch.cat(log_p, 1)
# --8<-- [end:sample]


# --8<-- [start:detect]
def z_score(ids, green, gamma: float = GAMMA):
    """Kirchenbauer et al.'s test: count the green tokens among the T tokens after
    the first, and compare with the gamma * T that text written without the key
    would have. ids [n, T + 1] -> z [n]."""
    hits = green[ids[:, :-1], ids[:, 1:]].sum(1)  # [n]: green tokens in each text
    t = ids.shape[1] - 1
    return (hits - gamma * t) / math.sqrt(t * gamma * (1 - gamma))


def substitute(ids, share: float, vocab: int, seed: int = 0):
    """An attacker who edits the text: each token after the first replaced, with
    probability `share`, by a token drawn uniformly from the vocabulary."""
    generator = torch.Generator().manual_seed(seed)
    replace = torch.rand(ids.shape, generator=generator) < share
    replace[:, 0] = False
    random_ids = torch.randint(vocab, ids.shape, generator=generator)
    return torch.where(replace, random_ids, ids)
# --8<-- [end:detect]


def draw(lengths, rates, path="watermark_detection.svg"):
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for delta, rate in rates.items():
        label = "no watermark" if delta == 0 else f"δ = {delta:g}"
        ax.plot(lengths, [100 * r for r in rate], marker="o", label=label)
    ax.set_xlabel("tokens of text examined")
    ax.set_ylabel(f"% of texts with z > {THRESHOLD:g}")
    ax.set_ylim(-3, 103)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.manual_seed(0)
    model, tokenizer = load_pretrained()
    model = model.double()  # sampling amplifies last-bit differences: float64
    vocab = model.config.vocab_size
    green = green_lists(vocab)
    N, PARAGRAPHS, STEPS = 50, 4, 40  # 50 texts of 4 paragraphs of 40 tokens each
    lengths = [10, 20, 40, 80, 163]
    deltas = [0.0, 1.0, 2.0, 4.0]
    texts, rates, summary, erased = {}, {}, {}, {}
    print(f"{'delta':>5} {'z: mean (sd)':>13} {'perplexity (95% interval)':>26}"
          "   detected (z > 4) after 10, 20, 40, 80, all 163 tokens")
    for i, delta in enumerate(deltas):
        ids, log_p = sample(model, N * PARAGRAPHS, STEPS, delta, green, seed=i)
        ids = ids.reshape(N, -1)  # each text: its paragraphs one after another, each
        texts[delta] = ids  # starting with its newline: [n, 4 * 41] ids, 163 after the first
        z = z_score(ids, green)
        # the cost: perplexity of the chosen tokens under the plain model, per text
        nll = -log_p.reshape(N, -1).mean(1)  # [n]
        low, high = (nll.mean() + s * 1.96 * nll.std() / math.sqrt(N) for s in (-1, 1))
        summary[delta] = (z.mean().item(), math.exp(nll.mean().item()),
                          math.exp(low), math.exp(high))
        rates[delta] = [(z_score(ids[:, : n + 1], green) > THRESHOLD).float().mean().item()
                        for n in lengths]
        print(f"{delta:5.0f} {z.mean().item():6.2f} ({z.std().item():4.2f})"
              f" {summary[delta][1]:10.2f} ({summary[delta][2]:4.2f}–{summary[delta][3]:4.2f})"
              + "   " + "  ".join(f"{r:4.0%}" for r in rates[delta]))
    print("a watermarked text, delta = 2:", repr(tokenizer.decode(texts[2.0][0, 1:42].tolist())))

    print(f"edits by an attacker, delta = 2 (n = {N} texts of 163 tokens):")
    for share in [0.0, 0.1, 0.2, 0.4]:
        z = z_score(substitute(texts[2.0], share, vocab), green)
        erased[share] = (z.mean().item(), (z > THRESHOLD).float().mean().item())
        print(f"  {share:4.0%} of tokens replaced: mean z {erased[share][0]:5.2f}, "
              f"detected {erased[share][1]:4.0%}")
    draw(lengths, rates)
    # --8<-- [end:main]
