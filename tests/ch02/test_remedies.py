"""Chapter 2: of the remedies for forgetting, replay keeps the old tasks, a smaller
learning rate only part of them; both still teach the new task."""

import pytest


@pytest.fixture(scope="module")
def results(ran):
    return ran("ch02/remedies.py").namespace["results"]


def test_each_row_has_one_result_per_seed_and_the_seed_matters(results, ran):
    """The table's ranges come from three different runs, not three copies of one."""
    seeds = ran("ch02/remedies.py").namespace["SEEDS"]
    for name, per_seed in results.items():
        assert len(per_seed) == len(seeds) == 3
        assert len(set(per_seed)) > 1, name  # another seed, another run


def test_every_remedy_still_learns_the_new_task(results):
    for name, per_seed in results.items():
        assert min(shift for shift, _ in per_seed) >= 0.9, name


def test_replay_keeps_far_more_than_a_smaller_learning_rate(results, ran):
    forgetting = ran("ch02/forgetting.py").namespace
    alone = forgetting["results"]["shift alone"]
    none = sum(alone[task] for task in forgetting["FIRST_TASKS"]) / 3  # seed 1, lr 0.01
    smaller, replay = (
        [old for _, old in results[name]]
        for name in ("a tenth of the learning rate", "replay: 20% old data")
    )
    # every seed of one row beyond every seed of the next, by far more than their spread
    assert none <= 0.05
    assert min(smaller) > none + 0.2
    assert min(replay) > max(smaller) + 0.3
    assert min(replay) >= 0.9


def test_a_row_is_the_mean_and_the_range_over_seeds(snippet):
    remedies = snippet("ch02/remedies.py")
    line = remedies.row("x", [(1.0, 0.30), (0.98, 0.20), (0.96, 0.34)])
    assert line.split()[1:] == ["98%", "(96-100)", "28%", "(20-34)"]
