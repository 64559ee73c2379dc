"""Was this text written by the tiny model, or taken from the corpus it learned from?
Two detectors that need no training, only the model: its likelihood of the text, and a
DetectGPT-style curvature (Mitchell et al., 2023): how much the likelihood drops when
a few tokens are rewritten. AUROC for each, by temperature and by length.

Needs watermark.py (this chapter's sampler) beside it, and the book's tiny language
model, the package snippets/tinylm/ (chapter 6)."""

import sys
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained
from watermark import sample

N, LENGTH = 150, 32  # texts of each kind; tokens per text (after the newline)


def human_texts(tokenizer, n: int = N, length: int = LENGTH):
    """Windows of the held-out corpus text (which the model never trained on) that
    start at a document's newline: ids [n, length + 1]. They stand for human writing."""
    ids = tokenizer.encode("\n" + corpus.held_out_text(rounds=5))
    starts = [i for i, t in enumerate(ids[: -length - 1]) if t == 10][:n]
    return torch.tensor([ids[i : i + length + 1] for i in starts])


# --8<-- [start:scores]
@torch.no_grad()
def token_log_p(model, ids):
    """The log-probability of each token after the first: [n, t]."""
    log_p = model(ids[:, :-1]).log_softmax(-1)  # [n, t, vocab]
    return log_p.gather(2, ids[:, 1:, None])[..., 0]


@torch.no_grad()
def perturb(model, ids, k: int, share: float = 0.15, seed: int = 0):
    """k rewrites of each text: each token after the first replaced, with probability
    `share`, by a token the model proposes there given the original text before it.
    DetectGPT asks a second model (T5) to rewrite spans; here the model itself
    rewrites single tokens. ids [n, t + 1] -> [n, k, t + 1]."""
    generator = torch.Generator().manual_seed(seed)
    probabilities = model(ids[:, :-1]).softmax(-1)  # [n, t, vocab]
    n, t, vocab = probabilities.shape
    proposals = torch.multinomial(probabilities.reshape(-1, vocab), k, replacement=True,
                                  generator=generator).view(n, t, k).permute(0, 2, 1)
    replace = torch.rand(n, k, t, generator=generator) < share  # [n, k, t]
    copies = ids[:, None, :].repeat(1, k, 1)  # [n, k, t + 1]
    copies[:, :, 1:] = torch.where(replace, proposals, copies[:, :, 1:])
    return copies


def scores(model, ids, k: int = 4):
    """Per text and per prefix length: the mean log-likelihood per token, and the
    curvature, log p(text) minus the mean log p of its rewrites (per token).
    Returns two tensors [n, t]: column L-1 scores the text's first L tokens."""
    log_p = token_log_p(model, ids).cumsum(1)  # [n, t]: log p of each prefix
    rewrites = perturb(model, ids, k)  # [n, k, t + 1]
    n, _, length = rewrites.shape
    log_p_rewrites = token_log_p(model, rewrites.view(n * k, length)).cumsum(1)
    curvature = log_p - log_p_rewrites.view(n, k, -1).mean(1)  # [n, t]
    per_token = torch.arange(1, log_p.shape[1] + 1)
    return log_p / per_token, curvature / per_token
# --8<-- [end:scores]


# --8<-- [start:auroc]
def auroc(machine, human) -> float:
    """The chance that a random machine text scores higher than a random human one
    (ties count half): 1 is a perfect detector, 0.5 a coin."""
    machine, human = machine[:, None], human[None, :]
    return ((machine > human).double().mean() + 0.5 * (machine == human).double().mean()).item()


def interval(machine, human, resamples: int = 200, seed: int = 0):
    """A 95% bootstrap interval for the AUROC: resample both groups with replacement."""
    generator = torch.Generator().manual_seed(seed)
    values = sorted(
        auroc(machine[torch.randint(len(machine), (len(machine),), generator=generator)],
              human[torch.randint(len(human), (len(human),), generator=generator)])
        for _ in range(resamples))
    return values[int(0.025 * resamples)], values[int(0.975 * resamples) - 1]
# --8<-- [end:auroc]


if __name__ == "__main__":
    # --8<-- [start:main]
    torch.manual_seed(0)
    model, tokenizer = load_pretrained()
    model = model.double()  # sampling amplifies last-bit differences: float64
    human = scores(model, human_texts(tokenizer))
    results = {}
    print(f"n = {N} texts of each kind; AUROC (95% bootstrap interval)")
    print(f"{'machine text':<18}{'tokens':>7}{'likelihood':>24}{'curvature':>24}")
    for temperature in [1.0, 0.7]:
        ids, _ = sample(model, N, LENGTH, temperature=temperature, seed=1)
        machine = scores(model, ids)
        for length in [8, LENGTH]:
            row = []
            for m, h in zip(machine, human):  # likelihood, then curvature
                m, h = m[:, length - 1], h[:, length - 1]
                row.append((auroc(m, h), *interval(m, h)))
            results[temperature, length] = row
            print(f"{'temperature ' + str(temperature):<18}{length:>7}" + "".join(
                f"{a:>12.2f} ({low:.2f}–{high:.2f})" for a, low, high in row))
    # --8<-- [end:main]
