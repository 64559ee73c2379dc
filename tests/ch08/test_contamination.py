"""Chapter 8: leaked test items score higher, and both detectors find them."""

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch08/contamination.py").namespace


def test_leaked_items_score_higher_beyond_the_noise(run):
    s = run["score"](run["contaminated"])
    leaked = s[torch.tensor(run["is_leaked"])]
    clean = s[~torch.tensor(run["is_leaked"])]
    assert run["interval"](leaked)[0] > run["interval"](clean)[1]
    before = run["score"](run["model"])
    assert before.sum() == 0  # before the leak the model answered none of them


def test_detectors(run):
    results = run["results"]
    assert results["10-character overlap with the training text"][0] == 1.0
    after = results["Min-20% probability, model after"]
    before = results["Min-20% probability, model before"]
    assert after[1][0] > 0.5  # better than a coin, beyond the noise
    assert before[1][0] < 0.5 < before[1][1]  # the control: no signal before the leak


def test_auroc_against_its_definition(snippet):
    contamination = snippet("ch08/contamination.py")
    positives, negatives = [0.9, 0.8, 0.4], [0.5, 0.1, 0.4]
    pairs = [(p, n) for p in positives for n in negatives]
    expected = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)
    assert contamination.auroc(positives, negatives) == pytest.approx(expected)


def test_min_k_of_all_tokens_is_the_mean_log_likelihood(run):
    from tinylm.evaluate import log_likelihood

    model, tokenizer = run["model"], run["tokenizer"]
    texts = run["texts"][:4]
    whole = run["min_k_probability"](model, tokenizer, texts, k=1.0)
    reference = log_likelihood(model, tokenizer, texts)
    for w, r, t in zip(whole, reference, texts):
        assert w == pytest.approx(r / (len(tokenizer.encode(t)) - 1), abs=1e-4)
