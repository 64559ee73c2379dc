"""Chapter 1: generation as repeated classification with a character model."""

import math

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
def test_the_next_character_continues_a_sentence_of_the_grammar(chars, trained, text):
    """Nearly all the probability is on characters that continue some sentence the grammar
    makes; an untrained model would put about one part in the vocabulary's size on each."""
    _, model, vocabulary = trained
    legal = {s[len(text)] for s in chars.grammar() if s.startswith(text)}
    for temperature in (0.5, 1.0):
        p = chars.next_distribution(model, vocabulary, text, temperature)
        assert sum(p[vocabulary.ids[c]].item() for c in legal) > 0.95, (text, temperature)


def test_after_the_cat_s_it_hesitates_between_sings_and_sleeps(chars, trained):
    """The page: after "the cat s" the model splits its belief almost evenly between i and l."""
    _, model, vocabulary = trained
    p = chars.next_distribution(model, vocabulary, "the cat s", 1.0)
    assert min(p[vocabulary.ids["i"]].item(), p[vocabulary.ids["l"]].item()) > 0.4


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


def test_sampling_many_at_once_is_the_same_loop(chars, trained):
    """With one sentence, the batched sampler draws exactly what `generate` draws."""
    _, model, vocabulary = trained
    for seed in range(5):
        for temperature in (0.5, 2.0):
            batched = chars.sample_many(model, vocabulary, 1, temperature, seed)
            assert batched == [chars.generate(model, vocabulary, "", temperature, seed)]


def test_novelty_counts_new_sentences_and_new_trigrams(chars):
    corpus = ["the cat sings at home.", "a bird reads in bed."]
    samples = ["the cat sings at home.", "the cat reads in bed."]
    # the second sample is new, and of the samples' 6 word trigrams so are two of its own:
    # "the cat reads" and "cat reads in" ("reads in bed" is in the corpus)
    new_sentences, new_trigrams = chars.novelty(samples, corpus)
    assert new_sentences == 1 / 2
    assert new_trigrams == 2 / 6


def test_the_model_generates_new_well_formed_sentences(ran):
    shares = ran("ch01/next_character.py").namespace["shares"]  # the 1000 samples per row
    for well_formed, new, new_and_well_formed, _ in shares.values():
        # a new, well-formed sample is both; at least this many samples must be both
        at_least = well_formed + new - 1 - 1e-9
        assert at_least <= new_and_well_formed <= min(well_formed, new)
    well_formed, new, new_and_well_formed, new_trigrams = shares[1.0]
    assert well_formed > 0.9, "at T = 1 almost every sample is a sentence of the grammar"
    assert new_and_well_formed > 0.15, "and many are correct sentences it was never shown"
    assert new_trigrams > 0


def clearly_below(p, q, n=1000):
    """p < q by more than twice the standard error of the difference of two shares of n."""
    return q - p > 2 * math.sqrt((p * (1 - p) + q * (1 - q)) / n)


def test_temperature_trades_correctness_for_novelty(ran):
    shares = ran("ch01/next_character.py").namespace["shares"]
    well_formed = [shares[t][0] for t in (0.5, 1.0, 2.0)]
    new = [shares[t][1] for t in (0.5, 1.0, 2.0)]
    assert clearly_below(well_formed[2], well_formed[1])
    assert well_formed[1] <= well_formed[0]
    assert clearly_below(new[0], new[1]) and clearly_below(new[1], new[2])
    # but beyond T = 1 the extra novelty is misspelling: fewer new, well-formed sentences
    assert clearly_below(shares[2.0][2], shares[1.0][2])


def test_half_of_the_grammar_is_held_out(chars):
    corpus = chars.make_corpus()
    assert len(corpus) == len(chars.grammar()) // 2
    assert set(corpus) < set(chars.grammar())
