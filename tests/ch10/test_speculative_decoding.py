"""Chapter 10: greedy speculative decoding writes exactly the model's own tokens, in
fewer passes of the model."""

import pytest
import torch

from tinylm import corpus, generate, load_pretrained


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch10/speculative_decoding.py")


@pytest.fixture(scope="module")
def model_and_tokenizer():
    model, tokenizer = load_pretrained()
    return model.double(), tokenizer


def test_identical_output_fewer_passes(run):
    ns = run.namespace
    assert ns["identical"] == len(ns["prompts"]) == 12
    assert ns["texts"] == ns["own"]
    n_tokens = len(ns["prompts"]) * ns["NEW_TOKENS"]
    assert ns["total"]["passes"] < n_tokens / 2  # more than 2 tokens per pass
    assert ns["total"]["positions"] > ns["read_plain"]  # checking guesses costs work
    assert ns["seconds"]["speculative"] < ns["seconds"]["plain"]  # and it pays here


@pytest.mark.parametrize("k", [1, 3, 8])
def test_identical_for_other_prompts_and_draft_lengths(run, model_and_tokenizer, k):
    model, tokenizer = model_and_tokenizer
    speculative_generate = run.namespace["speculative_generate"]
    prophet = run.namespace["prophet"]
    people = corpus.PEOPLE[1::8]
    prompts = [p.name_zh for p in people] + [corpus.question(p, "job") for p in people]
    for prompt in prompts:
        n = 46 - len(tokenizer.encode(prompt))  # up to the end of the context
        text, stats = speculative_generate(model, tokenizer, prompt, n, prophet, k)
        assert text == generate(model, tokenizer, prompt, n, stop=None)
        assert stats["passes"] <= n


def test_the_prophet_guesses_from_counts(run, model_and_tokenizer):
    _, tokenizer = model_and_tokenizer
    prophet = run.namespace["prophet"]
    ids = tokenizer.encode("Q: Where does Ana")
    assert tokenizer.decode(prophet(ids, 2)) == " live?"
    assert len(prophet(ids, 5)) == 5


def test_cache_is_cut_back_to_the_accepted_tokens(run, model_and_tokenizer):
    """After a round, the cache holds exactly the tokens decided, minus the last."""
    model, tokenizer = model_and_tokenizer
    speculative_generate = run.namespace["speculative_generate"]
    seen = []

    def spy(ids, k):  # records what the cache held each round, through the model
        seen.append(len(ids))
        return [0] * k  # wrong guesses: every round rejects some

    text, stats = speculative_generate(model, tokenizer, "Ana", 10, spy, 3)
    assert text == generate(model, tokenizer, "Ana", 10, stop=None)
    assert seen == list(range(1, 11))  # one new token per round, none lost or doubled
    assert torch.tensor(stats["rejections"]) >= 8
