"""Chapter 4: DPO shifts the policy towards the preferred answers without a reward model."""

import copy
import math

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/dpo.py").namespace


def test_preferred_answers_rise_relative_to_the_reference(run):
    for pairs in (run["train_pairs"], run["test_pairs"]):  # held-out comparisons too
        before = run["probabilities"](run["reference"], run["tokenizer"], pairs)
        after = run["probabilities"](run["policy"], run["tokenizer"], pairs)
        assert after[0] > before[0] + 0.02  # preferred answers: more likely
        assert after[1] < before[1]  # rejected answers: less likely


def test_dpo_loss_starts_at_log_2(run):
    """When the policy is the reference, every margin is 0 and the loss is -log sigmoid(0)."""
    prompts, preferred, rejected = run["as_ids"](run["tokenizer"], run["train_pairs"][:16])
    policy = copy.deepcopy(run["reference"])
    lp = run["log_probability"]
    with torch.no_grad():
        margin = ((lp(policy, run["tokenizer"], prompts, preferred)
                   - lp(run["reference"], run["tokenizer"], prompts, preferred))
                  - (lp(policy, run["tokenizer"], prompts, rejected)
                     - lp(run["reference"], run["tokenizer"], prompts, rejected)))
    loss = -torch.nn.functional.logsigmoid(0.5 * margin).mean().item()
    assert loss == pytest.approx(math.log(2), abs=1e-6)


def test_dpo_beats_rl_on_the_judges_verdict(run, ran):
    dpo_final = run["history"][-1][1]
    reference = run["history"][0][1]
    assert dpo_final > reference + 0.01
    rl = ran("ch04/rlhf.py").namespace["histories"]
    assert dpo_final > rl["KL penalty, beta = 2"][-1][3]
    assert dpo_final > rl["no KL penalty"][-1][3]
