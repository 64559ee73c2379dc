"""Chapter 8: a learned judge's biases reorder an arena; both orders and a length
control repair it."""

import math

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch08/judge_arena.py").namespace


def test_bradley_terry_recovers_a_known_win_rate(snippet):
    arena = snippet("ch08/judge_arena.py")
    battles = [("x", "y")] * 100
    verdicts = torch.tensor([1.0] * 75 + [0.0] * 25)
    ratings = arena.bradley_terry(["x", "y"], battles, verdicts)
    # two players: r_x - r_y = logit(0.75), up to the tiny ridge penalty
    assert ratings["x"] - ratings["y"] == pytest.approx(math.log(3), abs=0.01)


def test_the_judge_learned_the_raters_biases(run):
    w = run["judge"].weights
    assert w[1] > 0.5 and w[3] < -0.5  # longer answers win, in either slot
    assert w[4] > 0.1  # the first slot wins more often
    assert run["consistent"].mean() < 0.8
    assert run["longer_wins"].mean() > 0.9


def test_length_bias_reorders_the_ranking_and_the_control_repairs_it(run):
    ratings, ranking = run["ratings"], run["ranking"]
    truth = ranking(ratings["truth (right beats wrong)"])
    assert truth.startswith("Careful")
    assert ranking(ratings["judge, both orders"]) != truth
    biased = ratings["judge, both orders"]
    assert biased["Chatty"] > biased["Careful"]
    assert ranking(ratings["judge, both orders, length controlled"]) == truth


def test_chatbots_accuracy_orders_as_designed(run):
    arena, answers = run["arena"], run["answers"]
    right = {name: sum(a[q].correct for q in arena) for name, a in answers.items()}
    assert right["Careful"] > right["Chatty"] > right["Guesser"]
