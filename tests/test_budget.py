"""The suite's time budget (harness/budget.py) blames the suite, not a slower machine."""

from harness import budget

REFERENCE = budget.REFERENCE_SECONDS


def test_on_the_development_machine_the_clock_decides():
    assert not budget.over_budget(110, [REFERENCE, REFERENCE])
    assert budget.over_budget(130, [REFERENCE, REFERENCE])


def test_a_slower_machine_counts_its_seconds_as_fewer():
    """A machine that does the benchmark 1.4 times slower takes 1.4 times as long."""
    assert not budget.over_budget(150, [1.4 * REFERENCE, 1.4 * REFERENCE])
    assert budget.over_budget(180, [1.4 * REFERENCE, 1.4 * REFERENCE])


def test_a_faster_machine_is_held_to_the_clock():
    """The benchmark only excuses: a run within two minutes passes on any machine."""
    assert not budget.over_budget(110, [0.8 * REFERENCE, 0.8 * REFERENCE])
    assert budget.over_budget(125, [0.8 * REFERENCE, 0.8 * REFERENCE])


def test_the_benchmark_is_a_fraction_of_a_second():
    assert 0.1 * REFERENCE < budget.benchmark() < 0.1
