"""Chapter 9: facts are split and checked correctly; the model writes about strangers
as fluently as about people it knows."""

import pytest

from tinylm import corpus


@pytest.mark.parametrize("person", corpus.PEOPLE[::3], ids=lambda p: p.name)
def test_every_template_parses_to_its_fact(snippet, person):
    fact_check = snippet("ch09/fact_check.py")
    for attribute in corpus.ATTRIBUTES:
        for template in range(len(corpus.ENGLISH[attribute])):
            sentence = corpus.fact(person, attribute, "en", template)
            expected = [(person.name, attribute, person.value(attribute))]
            assert fact_check.atomic_facts(sentence, person.name) == expected
            assert fact_check.supported(expected[0]) is True
    pronoun = "She" if person.pronoun == "she" else "He"
    assert fact_check.atomic_facts(f"{pronoun} has a goat.", person.name) == [
        (person.name, "pet", "goat")]


def test_known_people_mostly_supported_strangers_never(ran):
    results = ran("ch09/fact_check.py").namespace["results"]
    texts, facts, about, right, sure_known = results["people it read about"]
    assert right / about > 0.85
    _, _, about_s, right_s, sure_strangers = results["people it never saw"]
    assert about_s > 20 and right_s == 0
    assert abs(sure_known - sure_strangers) < 0.05  # just as sure of itself
