"""Chapter 4: a Bradley-Terry reward model learned from the judge's comparisons."""

import pytest
import torch
import torch.nn.functional as F


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/reward_model.py").namespace


def test_comparisons_are_the_judges(run):
    corpus = run["corpus"]
    by_question = {corpus.question(p, a): (p, a) for p, a in run["QUESTIONS"]}
    for prompt, preferred, rejected in run["pairs"]:
        person, attribute = by_question[prompt]
        assert run["human_likes"](person, attribute, preferred) == 1.0
        assert run["human_likes"](person, attribute, rejected) == 0.0
    assert len(run["train_pairs"]) + len(run["test_pairs"]) == len(run["pairs"])
    assert not set(run["train_pairs"]) & set(run["test_pairs"])


def test_held_out_agreement_beats_a_coin(run):
    assert run["agreement"](run["reward"], run["train_pairs"]) >= 0.75
    held_out = run["agreement"](run["reward"], run["test_pairs"])
    assert held_out >= 0.6  # better than chance (0.5), far from the judge itself (1.0)


def test_bradley_terry_loss_is_logistic_regression_on_the_margin(run):
    """-log sigmoid(r+ - r-) is binary cross-entropy with target 1 on the margin."""
    prompts, preferred, rejected = (list(x) for x in zip(*run["train_pairs"][:32]))
    with torch.no_grad():
        margin = run["reward"](prompts, preferred) - run["reward"](prompts, rejected)
    ours = -F.logsigmoid(margin).mean()
    reference = F.binary_cross_entropy_with_logits(margin, torch.ones_like(margin))
    assert ours.item() == pytest.approx(reference.item(), rel=1e-6)


def test_rewards_are_standardised_on_the_training_answers(run):
    prompts, preferred, rejected = (list(x) for x in zip(*run["train_pairs"]))
    with torch.no_grad():
        scores = torch.cat([run["reward"](prompts, preferred), run["reward"](prompts, rejected)])
    assert scores.mean().item() == pytest.approx(0.0, abs=1e-4)
    assert scores.std().item() == pytest.approx(1.0, abs=1e-4)


def test_only_the_head_is_trained(run):
    reference = run["load_pretrained"]()[0]
    for a, b in zip(run["reward"].body.parameters(), reference.parameters()):
        assert torch.equal(a, b)


def test_log_probability_matches_the_models_likelihood(run):
    """log p(answer | question) equals log p(question + answer) - log p(question)."""
    from tinylm.evaluate import log_likelihood

    model, tokenizer = run["reference"], run["tokenizer"]
    prompts = [p for p, _, _ in run["pairs"][:6]]
    answers = [a + "\n" for _, a, _ in run["pairs"][:6]]
    with torch.no_grad():
        ours = run["log_probability"](model, tokenizer, prompts,
                                      [tokenizer.encode(a) for a in answers])
    whole = log_likelihood(model, tokenizer, [p + a for p, a in zip(prompts, answers)])
    start = log_likelihood(model, tokenizer, prompts)
    expected = torch.tensor(whole) - torch.tensor(start)
    torch.testing.assert_close(ours, expected, atol=1e-4, rtol=1e-5)
