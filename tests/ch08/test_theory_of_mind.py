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
    assert all(row["belief tracker"].mean() == 1.0 for row in table.values())


def test_stories_are_well_formed(snippet):
    tom = snippet("ch08/theory_of_mind.py")
    rng = random.Random(0)
    for variant in tom.VARIANTS:
        for _ in range(50):
            words, facts = tom.story(rng, variant)
            assert facts["first"] != facts["second"]
            assert words[-1] == "?" and len(words) <= 64
            assert all(w in tom.INDEX for w in words)
