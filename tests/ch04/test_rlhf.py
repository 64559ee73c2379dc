"""Chapter 4: RL against the reward model improves the judge's verdict with a KL
penalty, and over-optimises the reward model without one; DPO on the same comparisons
improves it too."""

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/rlhf.py").namespace


def columns(history):
    steps, proxy, log_ratio, judged = zip(*history)
    return proxy, log_ratio, judged


def test_without_the_penalty_the_proxy_rises_while_the_judge_falls(run):
    proxy, drift, judged = columns(run["histories"]["no KL penalty"])
    assert proxy[0] == 0.0  # the gain is measured from the reference's own answers
    assert proxy[-1] > 0.2  # in standard deviations of the reward model's scores
    assert proxy[-1] == max(proxy)  # still rising at the end...
    assert judged[-1] < judged[0] - 0.08  # ...while the judge's verdict has fallen
    _, held_drift, _ = columns(run["histories"]["KL penalty, beta = 0.5"])
    assert drift[-1] > 3 * held_drift[-1]  # and the policy has moved far from the reference


def test_with_the_penalty_the_verdict_rises(run):
    proxy, drift, judged = columns(run["histories"]["KL penalty, beta = 0.5"])
    assert judged[-1] > judged[0] + 0.04
    assert min(judged) >= judged[0] - 0.02
    assert proxy[-1] > 0  # the reward model likes its answers better too


def test_both_runs_and_dpo_start_from_the_reference(run):
    start = run["judge_score"](run["reference"], run["tokenizer"], run["PRACTICE"])
    for history in run["histories"].values():
        assert history[0][3] == pytest.approx(start, abs=1e-12)
        assert history[0][2] == 0.0
    assert run["dpo_history"][0][1] == pytest.approx(start, abs=1e-12)


def test_dpo_raises_the_verdict(run):
    assert run["dpo_history"][-1][1] > run["dpo_history"][0][1] + 0.05


def test_practice_questions_are_the_people_only_read_about(run):
    corpus = run["corpus"]
    assert {p for p, _ in run["PRACTICE"]} == set(corpus.HELD_OUT_PEOPLE)
    assert len(run["PRACTICE"]) == len(corpus.HELD_OUT_PEOPLE) * len(corpus.ATTRIBUTES)
