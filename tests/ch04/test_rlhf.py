"""Chapter 4: RL against the reward model improves the judge's verdict with a KL
penalty; without one the verdict rises, then falls while the reward model's score keeps
climbing (over-optimisation); DPO on the same comparisons improves it too."""

import inspect

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/rlhf.py").namespace


def columns(history):
    steps, proxy, log_ratio, judged = zip(*history)
    return proxy, log_ratio, judged


def test_without_the_penalty_the_verdict_rises_then_falls_as_the_proxy_climbs(run):
    proxy, drift, judged = columns(run["histories"]["no KL penalty"])
    peak = judged.index(max(judged))
    for before, after in zip(range(peak), range(1, peak + 1)):  # up to the peak, both rise
        assert judged[after] > judged[before] and proxy[after] > proxy[before]
    assert 0 < peak < len(judged) - 1  # the verdict peaks in the middle of the run...
    assert judged[peak] > judged[0] + 0.1  # ...well above where it started...
    assert judged[-1] < judged[peak] - 0.1  # ...then falls
    assert judged[-1] < judged[0]  # below where it started
    # in standard deviations of the reward model's scores: after the verdict's peak the
    # reward model likes the policy's answers more than ever
    assert max(proxy[peak + 1 :]) > proxy[peak] + 0.2
    _, held_drift, _ = columns(run["histories"]["KL penalty, beta = 0.5"])
    assert drift[-1] > 3 * held_drift[-1]  # and the policy has moved far from the reference


def test_the_penalty_slows_the_proxy(run):
    free, _, _ = columns(run["histories"]["no KL penalty"])
    held, _, _ = columns(run["histories"]["KL penalty, beta = 0.5"])
    assert held[-1] < max(free) - 0.2
    assert sum(held) < sum(free)


def test_with_the_penalty_the_verdict_rises(run):
    proxy, drift, judged = columns(run["histories"]["KL penalty, beta = 0.5"])
    assert judged[-1] > judged[0] + 0.15
    assert min(judged[1:]) > judged[0]  # never below where it started
    assert judged[-1] > columns(run["histories"]["no KL penalty"])[2][-1] + 0.15
    assert proxy[-1] > 0  # the reward model likes its answers better too


def test_both_runs_and_dpo_start_from_the_reference_and_are_measured_alike(run):
    start = run["judge_score"](run["reference"], run["tokenizer"], run["PRACTICE"])
    for history in run["histories"].values():
        assert history[0][3] == pytest.approx(start, abs=1e-12)
    assert run["dpo_history"][0][1] == pytest.approx(start, abs=1e-12)
    rl_steps = [step for step, *_ in run["histories"]["no KL penalty"]]
    assert [step for step, _ in run["dpo_history"]] == rl_steps  # one axis for all three


def test_dpo_raises_the_verdict(run):
    judged = [verdict for _, verdict in run["dpo_history"]]
    assert judged[-1] > judged[0] + 0.15
    assert min(judged[1:]) > judged[0]


def test_every_step_asks_four_questions_of_one_length(run):
    """A step samples from one group of equally long questions: each holds at least the
    four the page says a step asks."""
    groups = run["questions_by_length"](run["tokenizer"])
    asked = inspect.signature(run["reinforce"]).parameters["questions_per_step"].default
    assert asked == 4
    assert min(map(len, groups)) >= asked
    assert sorted(q for group in groups for q in group) == sorted(run["PRACTICE_PROMPTS"])


def test_practice_questions_are_the_people_only_read_about(run):
    corpus = run["corpus"]
    assert {p for p, _ in run["PRACTICE"]} == set(corpus.HELD_OUT_PEOPLE)
    assert len(run["PRACTICE"]) == len(corpus.HELD_OUT_PEOPLE) * len(corpus.ATTRIBUTES)
