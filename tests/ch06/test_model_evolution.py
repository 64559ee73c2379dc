"""Chapter 6: N-gram, feed-forward, RNN and Transformer on the same held-out text."""

import math

import pytest
import torch

from tinylm import corpus, load_pretrained
from tinylm.evaluate import perplexity


@pytest.fixture(scope="module")
def evolution(ran):
    return ran("ch06/model_evolution.py").namespace


def test_the_transformer_is_best(evolution):
    results = evolution["results"]
    assert min(results, key=results.get) == "Transformer"
    assert results["Transformer"] < 0.85 * min(v for k, v in results.items() if k != "Transformer")


def test_the_transformer_is_best_at_the_same_budget_too(evolution, ran):
    """The others trained for 200 steps; the Transformer's held-out perplexity after its
    first 200 steps (printed by train_tiny_lm.py) is already lower."""
    assert evolution["STEPS"] == 200
    at_200 = ran("ch06/train_tiny_lm.py").namespace["held_out_perplexity"][200]
    results = evolution["results"]
    assert at_200 < results["feed-forward"]
    assert at_200 < results["RNN"]


def test_a_longer_ngram_context_helps(evolution):
    results = evolution["results"]
    assert results["2-gram"] > results["3-gram"] > results["4-gram"] > results["feed-forward"]


def test_parameter_counts_are_comparable(evolution):
    counts = {name: evolution["n_parameters"](model) for name, model in evolution["models"].items()}
    neural = [counts[name] for name in ("feed-forward", "RNN", "Transformer")]
    assert max(neural) < 1.5 * min(neural)
    assert counts["Transformer"] == 120384


def test_ngram_probabilities_sum_to_one(evolution):
    model = evolution["models"]["3-gram"]
    for context in [(-1, -1), tuple(evolution["tokenizer"].encode("Ana lives")), (5, 7)]:
        p = model.distribution(context)
        assert p.sum().item() == pytest.approx(1.0, abs=1e-5)
        assert (p > 0).all()  # smoothing: nothing is impossible


def test_perplexity_is_the_exponent_of_the_mean_negative_log_likelihood(evolution):
    tokenizer = evolution["tokenizer"]
    documents = corpus.held_out_documents()[:5]

    def uniform(ids):  # every token equally likely: perplexity = vocabulary size
        return torch.zeros(*ids.shape, tokenizer.vocab_size)

    assert perplexity(uniform, tokenizer, documents) == pytest.approx(tokenizer.vocab_size)
    model = evolution["models"]["2-gram"]
    total, n = 0.0, 0
    for document in documents:
        ids = tokenizer.encode(document + "\n")
        for i in range(1, len(ids)):
            context = tuple(([-1] + ids)[i : i + 1])
            total -= math.log(model.distribution(context)[ids[i]].item())
            n += 1
    assert perplexity(model, tokenizer, documents) == pytest.approx(math.exp(total / n), rel=1e-4)


def test_held_out_documents_were_never_trained_on():
    held_out = corpus.held_out_documents()
    assert len(held_out) > 100
    assert not set(held_out) & set(corpus.training_documents())


def test_the_table_uses_the_committed_transformer(evolution):
    committed, _ = load_pretrained()
    transformer = evolution["models"]["Transformer"]
    for name, tensor in committed.state_dict().items():
        assert torch.equal(transformer.state_dict()[name], tensor)
