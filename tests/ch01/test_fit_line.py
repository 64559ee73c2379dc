"""Chapter 1: gradient descent recovers the function that generated the data."""

import pytest


@pytest.fixture(scope="module")
def fit_line(snippet):
    return snippet("ch01/fit_line.py")


def test_training_recovers_the_true_parameters(fit_line):
    x, y = fit_line.make_data()
    a, b, losses = fit_line.train(x, y)
    assert a == pytest.approx(fit_line.TRUE_A, abs=0.05)
    assert b == pytest.approx(fit_line.TRUE_B, abs=0.05)


def test_loss_falls_by_orders_of_magnitude(fit_line):
    _, _, losses = fit_line.train(*fit_line.make_data())
    assert losses[-1] < losses[0] / 100
    # gradient descent on this convex loss never goes up (beyond float32 rounding)
    assert all(later <= earlier * (1 + 1e-5) for earlier, later in zip(losses, losses[1:]))
