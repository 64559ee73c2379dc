"""Chapter 3: a cascade of a cheap and an expensive model, routed by confidence."""

from itertools import pairwise

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch03/cascade.py").namespace


def test_the_expensive_model_is_better_and_the_cheap_one_much_cheaper(run):
    y = run["y"]
    accuracy = run["accuracy"]
    cheap, expensive = run["cheap_answer"], run["expensive_answer"]
    assert accuracy(expensive, y) > accuracy(cheap, y) + 0.03
    assert run["EXPENSIVE_COST"] >= 10 * run["CHEAP_COST"]


def test_the_cascade_matches_the_expensive_model_at_a_fraction_of_its_cost(run):
    """FrugalGPT's idea: on unseen queries, with the threshold chosen beforehand."""
    accuracy, y = run["accuracy"], run["y"]
    assert accuracy(run["matched"], y) >= accuracy(run["expensive_answer"], y) - 0.005
    assert run["cost"] < 0.25 * run["EXPENSIVE_COST"]
    assert 0.5 < run["threshold"] < 1.0


def test_the_extreme_thresholds_are_the_single_models(run):
    args = run["cheap_answer"], run["confidence"], run["expensive_answer"]
    answer, cost = run["cascade"](*args, threshold=0.0)
    assert torch.equal(answer, run["cheap_answer"]) and cost == run["CHEAP_COST"]
    answer, cost = run["cascade"](*args, threshold=1.01)
    assert torch.equal(answer, run["expensive_answer"])
    assert cost == pytest.approx(run["CHEAP_COST"] + run["EXPENSIVE_COST"])


def test_cost_grows_with_the_threshold(run):
    costs = [cost for cost, _ in run["curve"]]
    assert all(a <= b for a, b in pairwise(costs))


def test_the_cheap_models_confidence_tells_its_right_answers_from_its_wrong_ones(run):
    """What the cascade relies on: where the cheap model is confident it is nearly always
    right, and where it is not, it is little better than a coin."""
    right = (run["cheap_answer"] == run["y"]).float()
    escalated = run["escalated"]
    assert right[~escalated].mean() > 0.95
    assert right[escalated].mean() < 0.75


def test_nearest_neighbours_against_a_plain_loop(run):
    train_x, train_y = run["train"]
    queries = run["x"][:20]
    answers = run["expensive"](queries)
    for query, answer in zip(queries, answers):
        distances = ((train_x - query) ** 2).sum(dim=1)
        order = sorted(range(len(train_x)), key=lambda i: distances[i].item())
        nearest = order[: run["NEIGHBOURS"]]
        votes = sum(train_y[i].item() for i in nearest)
        assert answer.item() == int(votes > run["NEIGHBOURS"] / 2)


def test_the_questions_sent_on_lie_near_the_wavy_border(run):
    """What the figure's left panel shows: the straight border fails only near the wavy one."""
    x, escalated = run["x"], run["escalated"]
    distance = (x[:, 0] + 0.4 * torch.sin(3 * x[:, 1])).abs()  # from the border, along x
    assert distance[escalated].median() < 0.25 * distance[~escalated].median()
    assert distance[escalated].max() < 1.0
