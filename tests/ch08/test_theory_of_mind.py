"""Chapter 8: a model that passes the false-belief test fails its trivial alterations."""

import random

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch08/theory_of_mind.py").namespace


def test_passes_the_standard_form_fails_the_alterations(run):
    table = run["table"]
    assert table["standard"]["trained model"].mean() >= 0.95
    for variant in ("transparent", "watching", "told"):
        assert table[variant]["trained model"].mean() <= 0.05
        assert table[variant]["reality"].mean() == 1.0
    assert table["standard"]["reality"].mean() == 0.0
    # it fails them by answering the first container, as on the standard stories
    assert all(share.mean() >= 0.9 for share in run["first"].values())


def test_the_tracker_agrees_with_a_reading_of_the_words(snippet):
    """The tracker reads the facts; check it against the story's words instead: the
    answer is the container after "to the" if a sentence lets Sally see or hear of
    the move, else the one after "in the"."""
    tom = snippet("ch08/theory_of_mind.py")
    rng = random.Random(2)
    for variant in tom.VARIANTS:
        for _ in range(50):
            words, facts = tom.story(rng, variant)
            text = " ".join(words)
            first = words[words.index("in") + 2]
            second = words[words.index("to") + 2]
            news = any(w in text for w in ("glass", "watches", "tells"))
            assert tom.belief_tracker(facts) == (second if news else first)
            assert (variant == "standard") != news


def test_stories_are_well_formed(snippet):
    tom = snippet("ch08/theory_of_mind.py")
    rng = random.Random(0)
    for variant in tom.VARIANTS:
        for _ in range(50):
            words, facts = tom.story(rng, variant)
            assert facts["first"] != facts["second"]
            assert words[-1] == "?" and len(words) <= 64
            assert all(w in tom.INDEX for w in words)
