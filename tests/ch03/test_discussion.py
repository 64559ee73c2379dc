"""Chapter 3: agents with independent errors discuss; one agent reflects alone."""

import math
from itertools import pairwise

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch03/discussion.py").namespace


def test_discussion_beats_self_reflection_at_equal_calls(run):
    reflection, discussion = run["reflection_errors"], run["discussion_errors"]
    for r, d in zip(reflection, discussion):
        assert d < r - 0.1
    assert discussion[-1] < 0.5 * reflection[-1]


def test_discussion_improves_round_by_round(run):
    errors = run["discussion_errors"]
    assert all(b < a for a, b in pairwise(errors))


def test_reflection_barely_helps(run):
    single = 1 - run["ACCURACY"]
    assert all(single - 0.05 < e <= single + 0.01 for e in run["reflection_errors"])


def test_reflection_is_a_majority_vote_with_correlated_errors(run, snippet):
    """An agent gives only two answers to a question (right, or its favourite mistake),
    so reflecting over 3 calls is self_consistency.py's beta-binomial majority of 3."""
    sc = snippet("ch03/self_consistency.py")
    exact_error = 1 - sc.majority_accuracy(3, run["ACCURACY"], run["BIAS"])
    standard_error = math.sqrt(exact_error * (1 - exact_error) / run["QUESTIONS"])
    assert abs(run["reflection_errors"][0] - exact_error) < 4 * standard_error


def test_the_judge_takes_the_majority_or_the_first_agent(snippet):
    discussion = snippet("ch03/discussion.py")
    answers = torch.tensor([[1, 2, 2], [3, 3, 1], [0, 1, 2], [4, 4, 4]])
    assert discussion.judge(answers).tolist() == [2, 3, 0, 4]


def test_the_agents_mostly_reach_agreement_and_the_judge_saves_calls(run):
    assert run["agreed"].float().mean() > 0.9
    assert run["calls"][-1] < 0.6 * 3 * run["ROUNDS"]
