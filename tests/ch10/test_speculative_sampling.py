"""Chapter 10: speculative sampling draws from the large model's distribution exactly."""

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch10/speculative_sampling.py")


def test_the_rule_gives_p_exactly(snippet):
    """Closed form: P(out = x) = q(x) min(1, p(x)/q(x)) + (1 - sum min(p, q)) r(x),
    with r = max(p - q, 0) renormalised, equals p(x) for any p and q."""
    torch.manual_seed(0)
    for _ in range(20):
        p = torch.rand(30, dtype=torch.float64) ** 4
        q = torch.rand(30, dtype=torch.float64) ** 4
        p, q = p / p.sum(), q / q.sum()
        leftover = (p - q).clamp_min(0)
        out = torch.minimum(p, q) + (1 - torch.minimum(p, q).sum()) * leftover / leftover.sum()
        assert torch.allclose(out, p, atol=1e-12)


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
