"""Chapter 6: a key-value cache changes nothing in the output and saves most of the work."""

import pytest
import torch

from tinylm import corpus, generate, load_pretrained


@pytest.fixture(scope="module")
def pretrained():
    return load_pretrained()


def test_same_tokens_far_fewer_operations(ran):
    run = ran("ch06/kv_cache.py").namespace
    assert all(run["same"][0.0]) and all(run["same"][1.0])  # greedy and sampled
    assert run["without"] / run["cached"] > 10


def test_cached_logits_equal_full_recomputation(pretrained):
    model, tokenizer = pretrained
    ids = tokenizer.encode("Ana lives in Lisbon. She is a nurse. Her pet is a cat.")
    cache = model.new_cache()
    with torch.no_grad():
        full = model(torch.tensor([ids]))[0]  # [t, vocab]
        model(torch.tensor([ids[:4]]), cache=cache)
        for i in range(4, len(ids)):
            step = model(torch.tensor([ids[i : i + 1]]), cache=cache)[0, -1]
            assert torch.allclose(step, full[i], atol=1e-4)


@pytest.mark.parametrize("person", corpus.PEOPLE[::12], ids=lambda p: p.name)
def test_generation_with_and_without_cache_agree(pretrained, person):
    model, tokenizer = pretrained
    for prompt in (corpus.question(person, "pet"), person.name, person.name_zh):
        kwargs = dict(max_new_tokens=30, stop=None)
        assert generate(model, tokenizer, prompt, **kwargs, use_cache=True) == generate(
            model, tokenizer, prompt, **kwargs, use_cache=False
        )


def test_past_the_context_generation_still_agrees(pretrained):
    model, tokenizer = pretrained
    prompt = "Ana lives in Lisbon. She is a nurse."
    kwargs = dict(max_new_tokens=60, stop=None)  # beyond the 48-token context
    assert generate(model, tokenizer, prompt, **kwargs) == generate(
        model, tokenizer, prompt, **kwargs, use_cache=False
    )


def test_cache_size(ran, pretrained):
    model, tokenizer = pretrained
    size = ran("ch06/kv_cache.py").namespace["cache_size"](model, tokenizer, "Ana lives in")
    config = model.config
    assert size == 2 * config.n_layers * 3 * config.d_model  # keys and values, 3 tokens
