"""Chapter 5: a planner that slips; errors compound in open loop, not in closed loop."""

import random

import pytest


@pytest.fixture(scope="module")
def noisy(snippet):
    return snippet("ch05/noisy_planner.py")


def test_without_slips_the_plan_is_a_shortest_route(noisy):
    rng = random.Random(0)
    for length, cells in noisy.starts_by_distance().items():
        for start in cells:
            plan = noisy.noisy_plan(start, 0.0, rng)
            assert len(plan) == length
            assert noisy.open_loop(start, 0.0, rng)
            assert noisy.closed_loop(start, 0.0, rng) == length


def test_the_planner_slips_at_its_rate(noisy):
    rng = random.Random(1)
    start = noisy.starts_by_distance()[16][0]
    exact = noisy.noisy_plan(start, 0.0, rng)
    moves = changed = 0
    for _ in range(2000):
        plan = noisy.noisy_plan(start, 0.1, rng)
        moves += len(plan)
        changed += sum(a != b for a, b in zip(plan, exact))
    low, high = noisy.wilson(changed, moves)
    assert low < 0.1 < high


def test_open_loop_success_falls_like_one_minus_slip_to_the_length(ran):
    run = ran("ch05/noisy_planner.py").namespace
    table, slip = run["table"], run["slip"]
    open_loop = [table[length][0] for length in sorted(table)]
    assert open_loop == sorted(open_loop, reverse=True)
    for length, (reached, _) in table.items():
        assert reached == pytest.approx((1 - slip) ** length, abs=0.08)
    assert all(closed == 1.0 for _, closed in table.values())
