"""Chapter 4: RL against the reward model over-optimises it without a KL penalty."""

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/rlhf.py").namespace


def test_without_the_penalty_the_proxy_rises_while_the_judge_falls(run):
    history = run["histories"]["no KL penalty"]
    proxy = [h[1] for h in history]
    judged = [h[3] for h in history]
    assert proxy[0] == 0.0  # the gain is measured from the reference's own answers
    assert proxy[-1] > 0.4  # in standard deviations of the reward model's scores
    assert proxy[-1] >= 0.8 * max(proxy)  # still near its highest at the end
    assert judged[-1] < 0.1 * judged[0]


def test_with_the_penalty_both_stay_sane(run):
    history = run["histories"]["KL penalty, beta = 2"]
    proxy = [h[1] for h in history]
    judged = [h[3] for h in history]
    assert min(judged) >= 0.85 * judged[0]
    assert max(abs(p) for p in proxy) < 0.3
    free = run["histories"]["no KL penalty"][-1]
    assert history[-1][2] < 0.2 * free[2]  # it stayed far closer to the reference


def test_both_runs_start_from_the_reference(run):
    judge_score = run["judge_score"]
    start = judge_score(run["reference"], run["tokenizer"])
    for history in run["histories"].values():
        assert history[0][3] == pytest.approx(start)
        assert history[0][2] == 0.0
