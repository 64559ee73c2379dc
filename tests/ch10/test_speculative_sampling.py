"""Chapter 10: speculative sampling draws from the large model's distribution exactly."""

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch10/speculative_sampling.py")


def test_the_snippets_rule_draws_from_p(snippet):
    """The snippet's accept_or_resample, run on many guesses drawn from q, gives each
    token as often as p says (not as q says), and keeps a guess as often as the overlap
    sum min(p, q)."""
    module = snippet("ch10/speculative_sampling.py")
    rule, draw = module.accept_or_resample, module.draw
    n, vocab = 200_000, 8
    torch.manual_seed(0)
    for _ in range(3):
        p = torch.rand(vocab, dtype=torch.float64) ** 4
        q = torch.rand(vocab, dtype=torch.float64) ** 4
        p, q = p / p.sum(), q / q.sum()
        generator = torch.Generator().manual_seed(1)
        guess = draw(q.expand(n, -1), generator)
        out, keep = rule(p.expand(n, -1), q.expand(n, -1), guess, generator)
        share = torch.bincount(out, minlength=vocab).double() / n
        noise = 5 * (p * (1 - p) / n).sqrt() + 1e-9
        assert ((share - p).abs() < noise).all()
        assert ((share - q).abs() > noise).any()  # the guesses alone would fail
        overlap = float(torch.minimum(p, q).sum())
        assert abs(keep.double().mean().item() - overlap) < 5 * (overlap / n) ** 0.5


def test_the_rule_keeps_every_guess_of_p_and_none_that_p_forbids(snippet):
    module = snippet("ch10/speculative_sampling.py")
    p = torch.tensor([[0.0, 0.5, 0.5]], dtype=torch.float64).expand(1000, -1)
    q = torch.tensor([[0.5, 0.25, 0.25]], dtype=torch.float64).expand(1000, -1)
    guess = torch.arange(1000) % 3
    generator = torch.Generator().manual_seed(0)
    drawn = 1 + torch.arange(1000) % 2  # guesses that q = p could draw
    out, keep = module.accept_or_resample(p, p, drawn, generator)
    assert keep.all() and torch.equal(out, drawn)  # p == q: every guess stands
    out, keep = module.accept_or_resample(p, q, guess, generator)
    assert not keep[guess == 0].any() and (out != 0).all()  # p(0) = 0: never kept, never drawn
    assert keep[guess != 0].all()  # p > q there: always kept


def test_chi_square_accepts_speculative_and_rejects_the_prophet(run):
    ns = run.namespace
    p1, p2, chi_square = ns["p1"], ns["p2"], ns["chi_square"]
    assert chi_square(ns["first"], ns["second"], p1, p2)[2] > 0.01
    assert chi_square(ns["own1"], ns["own2"], p1, p2)[2] > 0.01
    assert chi_square(ns["guess1"], ns["guess2"], p1, p2)[2] < 1e-6  # the test has power


@pytest.mark.parametrize("seed", [1, 2])
def test_other_seeds_pass_too(run, seed):
    ns = run.namespace
    generator = torch.Generator().manual_seed(seed)
    first, second, _, _ = ns["speculative_pairs"](
        ns["p1"], ns["p2"], ns["q"], ns["prompt_ids"][-1], ns["n"], generator)
    assert ns["chi_square"](first, second, ns["p1"], ns["p2"])[2] > 0.001


def test_acceptance_matches_the_overlap(run):
    ns = run.namespace
    n, overlap = ns["n"], float(ns["overlap"])
    kept = ns["kept1"].double().mean().item()
    assert abs(kept - overlap) < 4 * (overlap * (1 - overlap) / n) ** 0.5


def test_fast_sampler_matches_multinomial(snippet):
    draw = snippet("ch10/speculative_sampling.py").draw
    probabilities = torch.tensor([[0.1, 0.0, 0.6, 0.3]], dtype=torch.float64).expand(40000, -1)
    counts = torch.bincount(draw(probabilities, torch.Generator().manual_seed(0)), minlength=4)
    assert counts[1] == 0
    assert torch.allclose(counts / 40000.0, probabilities[0].float(), atol=0.01)
