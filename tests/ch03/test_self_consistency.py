"""Chapter 3: majority voting over sampled answers, simulated and exact."""

import math
from itertools import pairwise

import pytest
import torch


@pytest.fixture(scope="module")
def sc(snippet):
    return snippet("ch03/self_consistency.py")


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch03/self_consistency.py").namespace


@pytest.mark.parametrize("k", [1, 3, 9, 45])
@pytest.mark.parametrize("p", [0.3, 0.6, 0.9])
def test_independent_votes_follow_the_binomial_tail(sc, k, p):
    votes = torch.arange(k + 1, dtype=torch.float64)
    binomial = torch.distributions.Binomial(k, torch.tensor(p, dtype=torch.float64))
    reference = binomial.log_prob(votes).exp()[k // 2 + 1 :].sum().item()
    assert sc.majority_accuracy(k, p) == pytest.approx(reference, abs=1e-12)


def beta_binomial_by_integration(k, p, rho, points=200_000):
    """The same probability the long way: the binomial tail at each question accuracy q,
    averaged over the Beta density of q (midpoint rule, float64)."""
    total = 1 / rho - 1
    a, b = p * total, (1 - p) * total
    q = (torch.arange(points, dtype=torch.float64) + 0.5) / points
    density = torch.distributions.Beta(
        torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)
    ).log_prob(q).exp()
    majorities = range(k // 2 + 1, k + 1)
    tail = sum(math.comb(k, j) * q**j * (1 - q) ** (k - j) for j in majorities)
    return (density * tail).sum().item() / points


@pytest.mark.parametrize("rho", [0.1, 0.3])
@pytest.mark.parametrize("k", [3, 9, 25])
def test_correlated_votes_follow_the_beta_binomial_tail(sc, k, rho):
    exact = sc.majority_accuracy(k, 0.6, rho)
    assert exact == pytest.approx(beta_binomial_by_integration(k, 0.6, rho), abs=2e-4)


def test_tiny_correlation_is_nearly_independent(sc):
    assert sc.majority_accuracy(15, 0.6, 1e-7) == pytest.approx(
        sc.majority_accuracy(15, 0.6), abs=1e-5
    )


def test_simulation_agrees_with_the_exact_values(run):
    for (rho, k), (simulated, exact) in run["table"].items():
        standard_error = math.sqrt(exact * (1 - exact) / run["QUESTIONS"])
        assert abs(simulated - exact) < 4 * standard_error, (rho, k)


def test_independent_votes_keep_helping(run):
    exact = [run["table"][0.0, k][1] for k in run["VOTES"]]
    assert all(a < b for a, b in pairwise(exact))
    assert exact[0] == pytest.approx(0.6)
    assert exact[-1] > 0.9


def test_with_correlated_errors_voting_stops_helping(sc, run):
    votes = run["VOTES"]
    exact = {key: value for key, (_, value) in run["table"].items()}
    gain = {rho: exact[rho, votes[-1]] - exact[rho, 1] for rho in (0.0, 0.3)}
    assert gain[0.3] < 0.15 * gain[0.0]
    limit = 1 - sc.never_fixed(0.6, 0.3)
    assert run["table"][0.3, votes[-1]][1] == pytest.approx(limit, abs=0.005)
    assert sc.majority_accuracy(301, 0.6, 0.3) == pytest.approx(limit, abs=2e-3)


@pytest.mark.parametrize(
    "p, rho, expected",
    [
        # Beta(3, 2): P(q < 1/2) = P(Binomial(4, 1/2) >= 3) = 5/16
        (0.6, 1 / 6, 5 / 16),
        # Beta(1, 1) is uniform: half the questions lie below 1/2
        (0.5, 1 / 3, 0.5),
        # Beta(a, a) is symmetric about 1/2, whatever a is
        (0.5, 0.3, 0.5),
    ],
)
def test_the_limit_of_voting_against_closed_forms(sc, p, rho, expected):
    """The dotted lines of the figure: the share of questions whose own accuracy is below
    one half, which no number of votes fixes."""
    assert sc.never_fixed(p, rho) == pytest.approx(expected, abs=1e-6)
