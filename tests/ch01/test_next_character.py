"""Chapter 1: generation as repeated classification with a character model."""

import pytest
import torch


@pytest.fixture(scope="module")
def chars(snippet):
    return snippet("ch01/next_character.py")


@pytest.fixture(scope="module")
def trained(ran):
    """The corpus, model and vocabulary of the snippet's own run (shown on the page)."""
    run = ran("ch01/next_character.py").namespace
    return run["corpus"], run["model"], run["vocabulary"]


@pytest.mark.parametrize("text", ["", "the cat s", "a robot dances in the "])
def test_next_unit_distribution_sums_to_one(chars, trained, text):
    _, model, vocabulary = trained
    for temperature in (0.5, 1.0, 2.0):
        p = chars.next_distribution(model, vocabulary, text, temperature)
        assert p.shape == (len(vocabulary.characters),)
        assert p.min() >= 0
        assert p.sum().item() == pytest.approx(1.0, abs=1e-5)


def test_greedy_is_deterministic_and_sampling_varies(chars, trained):
    _, model, vocabulary = trained
    assert chars.generate(model, vocabulary, "the ") == chars.generate(model, vocabulary, "the ")
    same_seed = {chars.generate(model, vocabulary, "", 1.0, seed=3) for _ in range(3)}
    assert len(same_seed) == 1
    different_seeds = {chars.generate(model, vocabulary, "", 1.0, seed) for seed in range(20)}
    assert len(different_seeds) > 5


def test_higher_temperature_flattens_the_distribution(chars, trained):
    _, model, vocabulary = trained
    entropy = [
        torch.special.entr(chars.next_distribution(model, vocabulary, "the ", t)).sum()
        for t in (0.5, 1.0, 2.0)
    ]
    assert entropy[0] < entropy[1] < entropy[2]


def test_the_model_generates_new_well_formed_sentences(chars, ran):
    run = ran("ch01/next_character.py").namespace  # the 200 samples the page reports on
    samples, corpus = run["samples"], run["corpus"]
    new_and_well_formed = [s for s in samples if s in chars.grammar() and s not in corpus]
    assert run["new_sentences"] > 0.15
    assert run["new_trigrams"] > 0
    assert len(new_and_well_formed) / len(samples) > 0.15
    assert run["well_formed"] > 0.9


def test_half_of_the_grammar_is_held_out(chars):
    corpus = chars.make_corpus()
    assert len(corpus) == len(chars.grammar()) // 2
    assert set(corpus) < set(chars.grammar())
