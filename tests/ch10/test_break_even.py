"""Chapter 10: the break-even of speculation, and its formula checked by simulation."""

import random

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch10/break_even.py")


def test_formula_matches_a_simulation(snippet):
    tokens_per_pass = snippet("ch10/break_even.py").tokens_per_pass
    rng = random.Random(0)
    for alpha, k in [(0.3, 2), (0.7, 4), (0.9, 8)]:
        rounds = 8000
        total = 0
        for _ in range(rounds):
            kept = 0
            while kept < k and rng.random() < alpha:
                kept += 1
            total += kept + 1  # the kept guesses and the model's own token
        assert total / rounds == pytest.approx(tokens_per_pass(alpha, k), rel=0.03)
    assert tokens_per_pass(0.5, 3) == pytest.approx((1 - 0.5**4) / (1 - 0.5))


def test_break_even_points(run):
    ns = run.namespace
    break_even, speed_up = ns["break_even"], ns["speed_up"]
    for k in (1, 2, 4, 8):
        assert break_even(k, 0.0) == pytest.approx(0.0, abs=1e-9)  # a free prophet never loses
        for c in (0.05, 0.1, 0.3):
            assert speed_up(break_even(k, c), k, c) == pytest.approx(1.0, abs=1e-9)
            assert break_even(k, c) > break_even(k, 0.05 if c > 0.05 else 0.0)
        assert break_even(k, 0.1) < break_even(2 * k, 0.1)  # more guesses need a surer prophet


def test_formula_predicts_the_tiny_model(run):
    ns = run.namespace
    assert ns["measured"] == pytest.approx(ns["tokens_per_pass"](ns["alpha"], ns["DRAFT"]),
                                           abs=0.1)
    assert "break_even.svg" in run.figures
