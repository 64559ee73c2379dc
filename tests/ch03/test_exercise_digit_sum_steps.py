"""Chapter 3's exercise on writing the steps for a new task: the digit sum's last digit."""

import math
import random

import pytest


def share(right):
    return sum(right) / len(right)


def test_the_steps_are_the_running_digit_sum(snippet):
    steps_of = snippet("ch03/exercise_digit_sum_steps.py").running_digit_sum
    rng = random.Random(0)
    for _ in range(200):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 12)))
        steps = steps_of(digits)
        assert len(steps) == len(digits)
        for i, step in enumerate(steps):
            assert int(step) == sum(map(int, digits[: i + 1])) % 10


def test_steps_keep_the_model_far_above_guessing_at_every_length(ran, snippet):
    wilson = snippet("ch03/window_model.py").wilson
    right = ran("ch03/exercise_digit_sum_steps.py").namespace["right"]
    at_once, with_steps = right[False], right[True]
    for length in range(4, 13):  # answering at once: one guess in ten is right by chance
        assert share(at_once[length]) < 0.2
    for length in range(2, 13):
        low = wilson(sum(with_steps[length]), len(with_steps[length]))[0]
        high = wilson(sum(at_once[length]), len(at_once[length]))[1]
        assert high < low, length
    assert all(share(with_steps[length]) == 1 for length in range(1, 5))


def test_a_long_chain_is_right_only_when_every_step_is(ran):
    run = ran("ch03/exercise_digit_sum_steps.py").namespace
    with_steps, steps = run["right"][True], run["steps"]
    assert share(with_steps[12]) < share(with_steps[4]) - 0.1
    # every step alone is right far more often than the whole chain ...
    assert min(steps) > share(with_steps[12]) + 0.1
    # ... and the chain is about as often right as all its steps would be, if independent
    assert math.prod(steps) == pytest.approx(share(with_steps[12]), abs=0.03)
