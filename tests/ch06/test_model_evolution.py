"""Chapter 6: N-gram, feed-forward, RNN and a Transformer grown part by part, on the same
held-out text; the grown Transformer, complete, is the tiny model."""

import math

import pytest
import torch

from tinylm import corpus, load_pretrained
from tinylm.evaluate import perplexity


@pytest.fixture(scope="module")
def evolution(ran):
    return ran("ch06/model_evolution.py").namespace


def test_the_complete_growth_is_the_tiny_model(snippet):
    """With every part in, two blocks, width 48 and 48 positions, Grown takes the tiny
    model's weights name for name and computes the same scores."""
    module = snippet("ch06/model_evolution.py")
    tiny, tokenizer = load_pretrained()
    grown = module.Grown(tokenizer.vocab_size, **module.GROWTH["+ layer norm"], d=48,
                         context=48, n_layers=2)
    grown.load_state_dict(tiny.state_dict())  # strict: the same parameters, no more
    ids = torch.tensor([tokenizer.encode("Ana lives in Lisbon. She is a nurse.")])
    with torch.no_grad():
        assert torch.allclose(grown(ids), tiny(ids), atol=1e-5)


def test_each_step_adds_one_part(snippet):
    steps = list(snippet("ch06/model_evolution.py").GROWTH.values())
    assert steps[0] == {"heads": 1}
    for before, after in zip(steps, steps[1:]):
        changed = {k for k in after if before.get(k) != after[k]}
        assert len(changed) == 1


def test_what_the_page_reads_from_the_table(evolution):
    """Each claim of the page, on both seeds (the ranges, not only the means)."""
    r = evolution["results"]
    bigram, four_gram = r["2-gram"][0], r["4-gram"][0]
    assert r["2-gram"][0] > r["3-gram"][0] > four_gram  # more context helps the counts
    assert max(r["feed-forward"]) < four_gram  # embeddings generalise
    assert min(r["RNN"]) > max(r["feed-forward"])  # at this budget and learning rate
    assert min(r["+ attention, 1 head"]) > bigram  # one head alone: worse than the bigram
    assert max(r["+ 4 heads"]) < bigram  # four heads: better
    assert min(r["+ feed-forward"]) > max(r["+ 4 heads"])  # stacked without residual: worse
    assert max(r["+ residual"]) < min(r["+ 4 heads"])  # with residual: the best block
    residual, norm = r["+ residual"], r["+ layer norm"]
    assert abs(sum(norm) - sum(residual)) / 2 < 0.05  # layer norm: no gain worth the name
    block = residual + norm  # a block with residual connections vs the window of 8
    assert min(block) > max(r["feed-forward"])  # at this budget the window is ahead
    trained_here = [p for name, ps in r.items() if name != "the tiny model" for p in ps]
    assert r["the tiny model"][0] < 0.8 * min(trained_here)


def test_two_seeds_each_and_different_models(evolution):
    results, seeds = evolution["results"], evolution["SEEDS"]
    for name in evolution["networks"](10):
        assert len(results[name]) == len(seeds) == 2
        assert results[name][0] != results[name][1]  # the seed changes the training


def test_parameter_counts_are_comparable(evolution):
    counts = {name: evolution["n_parameters"](m) for name, m in evolution["models"].items()}
    networks = [counts[name] for name in evolution["networks"](10)]
    assert max(networks) < 1.6 * min(networks)
    assert counts["the tiny model"] == 120384


def test_the_small_world_is_english_prose_about_eight_people(evolution):
    training, held_out = evolution["training"], evolution["held_out"]
    names = {p.name for p in corpus.PEOPLE[: evolution["N_PEOPLE"]]}
    for document in training + held_out:
        assert document.isascii() and not document.startswith("Q:")
        mentioned = {p.name for p in corpus.PEOPLE if p.name in document}
        assert mentioned and mentioned <= names
    assert not set(held_out) & set(corpus.training_documents())
    tokenizer = evolution["tokenizer"]
    longest = max(len(tokenizer.encode(d + "\n")) for d in held_out)
    assert longest - 1 <= evolution["CONTEXT"]  # every position read was trained


def test_ngram_probabilities_sum_to_one(evolution):
    model = evolution["models"]["3-gram"]
    for context in [(-1, -1), tuple(evolution["tokenizer"].encode("Ana lives")), (5, 7)]:
        p = model.distribution(context)
        assert p.sum().item() == pytest.approx(1.0, abs=1e-5)
        assert (p > 0).all()  # smoothing: nothing is impossible


def test_perplexity_is_the_exponent_of_the_mean_negative_log_likelihood(evolution):
    tokenizer = evolution["tokenizer"]
    documents = evolution["held_out"][:5]

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
