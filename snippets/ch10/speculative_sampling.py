"""Speculative sampling: the accept/reject rule keeps the large model's distribution.

Needs the package snippets/tinylm/ (the book's tiny model and its committed weights), in
the folder above. The prophet is a 2-gram table of the training text, sampled; the tiny
model checks its guesses with the rule of Leviathan et al. and Chen et al. A chi-square
test compares the first two tokens of many samples with the model's exact probabilities.
"""

import sys
from collections import Counter
from pathlib import Path

import torch

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus, load_pretrained

N_SAMPLES = 10000
PROMPT = "Q: What"  # many possible next two tokens: " pet does", " is Ana", ...


def draw(probabilities, generator):
    """One token from each row of probabilities [n, vocab] (need not sum to 1), by
    inverting the cumulative sum: the same as torch.multinomial, much faster here."""
    cumulative = probabilities.cumsum(1)  # [n, vocab]
    u = torch.rand(len(cumulative), 1, generator=generator, dtype=cumulative.dtype)
    found = torch.searchsorted(cumulative, u * cumulative[:, -1:])[:, 0]
    return found.clamp(max=probabilities.shape[1] - 1)


# --8<-- [start:rule]
def accept_or_resample(p, q, guess, generator):
    """One step of speculative sampling, for many samples at once. p, q: [n, vocab],
    the model's and the prophet's probabilities; guess: [n], drawn from q. Keep the
    guess with probability min(1, p/q); otherwise draw from what p has more of than
    q, max(p - q, 0), renormalised. The result is distributed exactly as p."""
    p_guess, q_guess = p.gather(1, guess[:, None])[:, 0], q.gather(1, guess[:, None])[:, 0]
    keep = torch.rand(len(guess), generator=generator, dtype=p.dtype) * q_guess < p_guess
    leftover = (p - q).clamp_min(0)  # [n, vocab]
    leftover = torch.where(leftover.sum(1, keepdim=True) > 0, leftover, p)  # p == q: unused
    resampled = draw(leftover, generator)
    return torch.where(keep, guess, resampled), keep
# --8<-- [end:rule]


# --8<-- [start:tables]
def bigram_table(tokenizer, vocab: int) -> torch.Tensor:
    """The prophet: q(next | last token), counted in the training text: [vocab, vocab]."""
    pairs = Counter()
    for document in corpus.training_documents():
        ids = tokenizer.encode(document + "\n")
        pairs.update(zip(ids, ids[1:]))
    counts = torch.zeros(vocab, vocab, dtype=torch.float64)
    counts[tuple(torch.tensor(list(pairs)).T)] = torch.tensor(list(pairs.values())).double()
    counts[counts.sum(1) == 0] = 1.0  # a token never followed by anything: uniform
    return counts / counts.sum(1, keepdim=True)


@torch.no_grad()
def model_tables(model, prompt_ids: list[int]):
    """The model's exact probabilities: p1 = p(first token | prompt) [vocab], and
    p2[a] = p(second token | prompt, a) for every first token a [vocab, vocab]."""
    vocab = model.config.vocab_size
    first = torch.tensor(prompt_ids)
    both = torch.cat([first.expand(vocab, -1), torch.arange(vocab)[:, None]], 1)
    logits = model(both)  # [vocab, len(prompt) + 1, vocab]: one batched pass
    return logits[0, -2].softmax(-1), logits[:, -1].softmax(-1)
# --8<-- [end:tables]


# --8<-- [start:sample]
def speculative_pairs(p1, p2, q, last_prompt_token, n, generator):
    """The first two tokens of n speculative samples: the prophet guesses two tokens;
    if the first is rejected, the second guess is moot and, as in the real loop,
    the next round guesses again after the resampled token."""
    q1 = q[last_prompt_token].expand(n, -1)
    guess1 = draw(q1, generator)
    guess2 = draw(q[guess1], generator)
    token1, kept1 = accept_or_resample(p1.expand(n, -1), q1, guess1, generator)
    fresh = draw(q[token1], generator)  # the next round's guess
    guess2 = torch.where(kept1, guess2, fresh)
    token2, kept2 = accept_or_resample(p2[token1], q[token1], guess2, generator)
    return token1, token2, kept1, kept2
# --8<-- [end:sample]


# --8<-- [start:test]
def chi_square(first, second, p1, p2, min_expected: float = 5.0):
    """Pearson's test of sampled pairs against the exact probabilities p1[a] p2[a, b].
    Pairs expected fewer than min_expected times are pooled into one cell. Returns
    the statistic, its degrees of freedom and the p-value."""
    n, vocab = len(first), len(p1)
    expected = (n * p1[:, None] * p2).flatten()  # [vocab * vocab]
    observed = torch.bincount(first * vocab + second, minlength=vocab * vocab).double()
    big = expected >= min_expected
    cells_e = torch.cat([expected[big], expected[~big].sum()[None]])
    cells_o = torch.cat([observed[big], observed[~big].sum()[None]])
    statistic = float(((cells_o - cells_e) ** 2 / cells_e).sum())
    dof = len(cells_e) - 1
    p_value = float(torch.special.gammaincc(torch.tensor(dof / 2), torch.tensor(statistic / 2)))
    return statistic, dof, p_value
# --8<-- [end:test]


if __name__ == "__main__":
    # --8<-- [start:main]
    model, tokenizer = load_pretrained()
    model.double()
    generator = torch.Generator().manual_seed(0)
    vocab = model.config.vocab_size
    prompt_ids = tokenizer.encode(PROMPT)
    p1, p2 = model_tables(model, prompt_ids)
    q = bigram_table(tokenizer, vocab)
    n = N_SAMPLES

    first, second, kept1, kept2 = speculative_pairs(p1, p2, q, prompt_ids[-1], n, generator)
    own1 = draw(p1.expand(n, -1), generator)
    own2 = draw(p2[own1], generator)
    guess1 = draw(q[prompt_ids[-1]].expand(n, -1), generator)
    guess2 = draw(q[guess1], generator)

    print(f"{n} samples of the first two tokens after {PROMPT!r}, at temperature 1:")
    common = Counter(tokenizer.decode([a, b]) for a, b in zip(first.tolist(), second.tolist()))
    print("  most common:", ", ".join(f"{t!r} {c}" for t, c in common.most_common(4)))
    overlap = torch.minimum(p1, q[prompt_ids[-1]]).sum()
    print(f"  first guess kept: {kept1.double().mean():.3f} of the time "
          f"(theory: sum of min(p, q) = {overlap:.3f}); second: "
          f"{kept2.double().mean():.3f}")
    print("  chi-square test against the model's exact probabilities of the pairs:")
    for name, (a, b) in {
        "the model's own sampling": (own1, own2),
        "speculative sampling": (first, second),
        "the prophet's guesses alone": (guess1, guess2),
    }.items():
        statistic, dof, p_value = chi_square(a, b, p1, p2)
        print(f"    {name:<28} chi2 = {statistic:8.1f}, {dof} dof, p-value = {p_value:.3g}")
    # --8<-- [end:main]
