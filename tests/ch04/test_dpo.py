"""Chapter 4: DPO's loss, and DPO shifting the policy towards the preferred answers
without a reward model (trained in rlhf.py's run)."""

import torch
import torch.nn.functional as F


def test_dpo_loss_is_logistic_loss_on_the_implicit_reward_margin(snippet):
    """-log sigmoid(beta * margin) is binary cross-entropy with target 1 on beta * margin,
    and log 2 when the policy is the reference."""
    dpo_loss = snippet("ch04/dpo.py").dpo_loss
    generator = torch.Generator().manual_seed(0)
    logs = [torch.randn(8, generator=generator, dtype=torch.float64) for _ in range(4)]
    beta = 0.5
    margin = (logs[0] - logs[2]) - (logs[1] - logs[3])
    reference = F.binary_cross_entropy_with_logits(beta * margin, torch.ones_like(margin))
    torch.testing.assert_close(dpo_loss(*logs, beta), reference, rtol=1e-12, atol=0)
    same = dpo_loss(logs[0], logs[1], logs[0], logs[1], beta)
    torch.testing.assert_close(same, torch.tensor(2.0, dtype=torch.float64).log())


def test_the_push_is_the_sigmoid_of_minus_the_margin(ran):
    """dpo.py's table: loss log(1 + e^(-beta m)) and gradient size sigmoid(-beta m)."""
    lines = ran("ch04/dpo.py").stdout.splitlines()[1:]
    beta = ran("ch04/dpo.py").namespace["beta"]
    for line in lines:
        margin, loss, push = (float(x) for x in line.split())
        m = torch.tensor(beta * margin, dtype=torch.float64)
        assert loss == round(F.softplus(-m).item(), 3)
        assert push == round(torch.sigmoid(-m).item(), 3)


def test_rejected_answers_lose_most_of_their_probability(ran):
    """rlhf.py's table of DPO's mean probabilities: the rejected answers fall, on the
    training comparisons and the held-out ones; the preferred rise on the training ones."""
    probabilities = ran("ch04/rlhf.py").namespace["probabilities"]
    for pairs in ("training", "held-out"):
        (preferred, rejected), (preferred_after, rejected_after) = (
            probabilities[pairs, model] for model in ("reference", "after DPO"))
        assert rejected_after < 0.6 * rejected
        assert preferred_after / rejected_after > 1.5 * preferred / rejected
    assert probabilities["training", "after DPO"][0] > probabilities["training", "reference"][0]
    # on comparisons it never saw, the rejected answers fall less far
    kept = {pairs: probabilities[pairs, "after DPO"][1] / probabilities[pairs, "reference"][1]
            for pairs in ("training", "held-out")}
    assert kept["held-out"] > 2 * kept["training"]
