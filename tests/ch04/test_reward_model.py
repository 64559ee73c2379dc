"""Chapter 4: a Bradley-Terry reward model learned from the judge's comparisons (trained
in rlhf.py's run), and the Bradley-Terry model on its own (reward_model.py's run)."""

import pytest
import torch
import torch.nn.functional as F


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch04/rlhf.py").namespace


@pytest.fixture(scope="module")
def module(snippet):
    return snippet("ch04/reward_model.py")


def test_comparisons_are_the_judges(run, module):
    by_prompt = dict(zip(module.PROMPTS, module.QUESTIONS))
    for prompt, preferred, rejected in run["pairs"]:
        person, attribute = by_prompt[prompt]
        assert module.human_likes(person, attribute, preferred) == 1.0
        assert module.human_likes(person, attribute, rejected) == 0.0
    assert len(set(run["pairs"])) == len(run["pairs"])
    assert len(run["train_pairs"]) + len(run["test_pairs"]) == len(run["pairs"])
    assert not set(run["train_pairs"]) & set(run["test_pairs"])


def test_the_reward_model_agrees_with_the_judge_beyond_chance(run):
    held_out = run["agreed"][True]
    low, _ = run["wilson"](sum(held_out), len(held_out))
    assert low > 0.7  # far better than a coin (0.5), even at the bottom of its interval


def test_capacity_fits_the_training_comparisons(run):
    """With the last feed-forward network the reward model fits every training
    comparison; the output layer alone cannot."""
    head_only, tuned = run["fitted"]  # training comparisons ranked as the judge did
    assert tuned == len(run["train_pairs"])
    assert head_only / len(run["train_pairs"]) < 0.9


def test_sign_test_counts_coin_tosses(module):
    """The sign test's p-value against counting all 2^n sequences of fair tosses."""
    for wins, losses in [(11, 4), (7, 7), (9, 0), (3, 8)]:
        n, fewer = wins + losses, min(wins, losses)
        uneven = sum(min(bin(s).count("1"), n - bin(s).count("1")) <= fewer for s in range(2**n))
        assert module.sign_test(wins, losses) == pytest.approx(min(1.0, uneven / 2**n))


def test_the_held_out_difference_is_stated_as_within_the_noise(run, module):
    """The page says the held-out gain is not beyond the noise (p above 0.05); if a
    change made it significant, the page should say so."""
    head_only, tuned = run["agreed"][False], run["agreed"][True]
    wins = sum(a and not b for a, b in zip(tuned, head_only))
    losses = sum(b and not a for a, b in zip(tuned, head_only))
    assert [wins, losses] == run["only"]
    assert wins > losses
    assert module.sign_test(wins, losses) > 0.05


def test_bradley_terry_loss_is_logistic_regression_on_the_margin(module):
    """-log sigmoid(r+ - r-) is binary cross-entropy with target 1 on the margin."""
    margin = torch.linspace(-6, 6, 25, dtype=torch.float64)
    ours = module.bradley_terry_loss(margin)
    reference = F.binary_cross_entropy_with_logits(margin, torch.ones_like(margin))
    assert ours.item() == pytest.approx(reference.item(), rel=1e-12)


def test_bradley_terry_recovers_the_hidden_scores(ran):
    toy = ran("ch04/reward_model.py").namespace
    hidden, learned = toy["hidden"], toy["learned"]
    assert torch.equal(learned.argsort(), hidden.argsort())  # the same order
    assert (learned - hidden).abs().max() < 0.7  # ~300 comparisons: close, not exact
    # the fit is the maximum of the likelihood: each answer's expected number of wins
    # under the fitted scores equals the wins it had
    preferred, rejected = toy["preferred"], toy["rejected"]
    p_first = torch.sigmoid(learned[preferred] - learned[rejected])
    for i in range(len(hidden)):
        expected = p_first[preferred == i].sum() + (1 - p_first[rejected == i]).sum()
        assert expected.item() == pytest.approx((preferred == i).sum().item(), abs=0.05)


def test_training_lowered_the_loss_below_a_coin(run, module):
    prompts, preferred, rejected = (list(x) for x in zip(*run["train_pairs"]))
    with torch.no_grad():
        margin = run["reward"](prompts, preferred) - run["reward"](prompts, rejected)
    assert module.bradley_terry_loss(margin).item() < 0.3  # a coin's: log 2 = 0.69


def test_rewards_are_standardised_on_the_training_answers(run):
    prompts, preferred, rejected = (list(x) for x in zip(*run["train_pairs"]))
    with torch.no_grad():
        scores = torch.cat([run["reward"](prompts, preferred), run["reward"](prompts, rejected)])
    assert scores.mean().item() == pytest.approx(0.0, abs=1e-9)
    assert scores.std().item() == pytest.approx(1.0, abs=1e-9)


def test_untrained_copies_compute_what_the_language_model_does(run, module):
    """The frozen features, run through the untrained copies of the last feed-forward
    network and the final layer norm, give the language model's own last vector."""
    reward = module.RewardModel(run["reference"], run["tokenizer"])
    prompts, answers = module.PROMPTS[:6], [" She has a cat.", " cat.", "", " He is", "x", "?"]
    rows = [run["tokenizer"].encode(q + a + "\n") for q, a in zip(prompts, answers)]
    with torch.no_grad():
        features = reward.features(prompts, answers)
        ours = reward.final_norm(features + reward.feed_forward(reward.norm(features)))
        for row, vector in zip(rows, ours):
            _, hidden = run["reference"](torch.tensor([row]), return_hidden=True)
            expected = run["reference"].final_norm(hidden[-1])[0, -1]
            torch.testing.assert_close(vector, expected, rtol=1e-10, atol=1e-10)


def test_only_the_copies_and_the_head_are_trained(run):
    reward = run["reward"]
    body = {id(p) for p in reward.body.parameters()}
    assert not body & {id(p) for p in reward.trained}
    copies = [reward.head, reward.norm, reward.feed_forward, reward.final_norm]
    assert {id(p) for p in reward.trained} == {id(p) for m in copies for p in m.parameters()}


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
    expected = torch.tensor(whole, dtype=ours.dtype) - torch.tensor(start, dtype=ours.dtype)
    torch.testing.assert_close(ours, expected, atol=1e-9, rtol=1e-9)


def test_samples_follow_the_models_probabilities(run):
    """Sampled answers' frequencies match the model's own probabilities of them."""
    model, tokenizer = run["reference"], run["tokenizer"]
    prompt = run["PRACTICE_PROMPTS"][0]
    n = 200
    answers = run["sample"](model, tokenizer, [prompt], n, torch.Generator().manual_seed(3))[0]
    texts = [run["text"](tokenizer, a) for a in answers]
    common = max(set(texts), key=texts.count)
    with torch.no_grad():
        p = run["log_probability"](model, tokenizer, [prompt],
                                   [tokenizer.encode(common + "\n")]).exp().item()
    assert texts.count(common) / n == pytest.approx(p, abs=4 * (p * (1 - p) / n) ** 0.5)
