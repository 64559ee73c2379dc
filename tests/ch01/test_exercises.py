"""Chapter 1's exercises: each solution's claim, checked."""

import math

import pytest
import torch


def test_the_learning_rate_limit_is_two_over_the_largest_curvature(snippet):
    exercise = snippet("ch01/exercise_learning_rate.py")
    fit_line = snippet("ch01/fit_line.py")
    x, y = fit_line.make_data()
    # the eigenvalues of the symmetric 2x2 Hessian 2 [[p, q], [q, 1]] in closed form
    p, q = (x * x).mean().item(), x.mean().item()
    largest = (p + 1) + math.sqrt((p - 1) ** 2 + 4 * q * q)
    limit = exercise.stability_limit(x)
    assert limit == pytest.approx(2 / largest, rel=1e-5)
    _, _, below = fit_line.train(x, y, learning_rate=0.99 * limit)
    _, _, above = fit_line.train(x, y, learning_rate=1.01 * limit)
    assert below[-1] < below[0] / 100, "just below the limit, gradient descent converges"
    assert above[-1] > above[0], "just above it, the loss grows"


def test_gradient_descent_reaches_the_closed_form_minimum(ran):
    run = ran("ch01/exercise_learning_rate.py").namespace
    _, _, losses = run["train"](run["x"], run["y"], learning_rate=0.3)
    assert losses[-1] == pytest.approx(run["lowest"], rel=1e-4)


def test_two_characters_of_context_are_not_enough(ran):
    short = ran("ch01/exercise_short_context.py").namespace
    chapter = ran("ch01/next_character.py").namespace
    assert short["well_formed"] < 0.5 < 0.9 < chapter["shares"][1.0][0]


def test_sampled_frequencies_match_the_probabilities(ran):
    run = ran("ch01/exercise_sampling.py").namespace
    frequencies = run["counts"] / run["draws"]
    p = run["probabilities"]
    standard_error = torch.sqrt(p * (1 - p) / run["draws"])
    assert torch.all((frequencies - p).abs() <= 4 * standard_error + 1e-9)
    torch.testing.assert_close(p, torch.softmax(run["LOGITS"] / 0.5, dim=-1))
