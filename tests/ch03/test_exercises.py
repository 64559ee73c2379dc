"""Chapter 3's exercises: each solution's claim, checked."""

from itertools import pairwise


def test_voting_hurts_when_mistakes_agree_and_helps_when_they_scatter(ran):
    run = ran("ch03/exercise_weaker_solver.py").namespace
    agreeing, scattered = run["agreeing"], run["scattered"]
    assert all(b < a for a, b in pairwise(agreeing))
    assert agreeing[-1] < 0.1
    assert all(b > a for a, b in pairwise(scattered))
    assert scattered[-1] > 0.95


def test_a_cascade_saves_only_when_the_price_gap_is_large(ran):
    shares = ran("ch03/exercise_cascade_prices.py").namespace["shares"]
    prices = sorted(shares)
    assert all(shares[a] > shares[b] for a, b in pairwise(prices))
    assert shares[1.1] > 1, "at 1.1 times the price, the cascade costs more"
    assert shares[100.0] < 0.2


def test_two_tests_let_wrong_programs_through(ran):
    run = ran("ch03/exercise_fewer_tests.py").namespace
    chapter = ran("ch03/roles.py").namespace["rates"]
    assert run["visible"][-1] - run["hidden"][-1] > 0.2
    assert run["hidden"][-1] < chapter["with a tester, hidden tests"][-1] - 0.1
