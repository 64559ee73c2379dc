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
    texts, facts, about, right, sure_known, half_known = results["people it read about"]
    assert right / about > 0.85
    texts_s, _, about_s, _, sure_strangers, half_strangers = results["people it never saw"]
    assert about_s > 0.5 * texts_s  # it readily states facts about people it never saw
    # no difference in sureness beyond the spread over names: the intervals overlap
    assert abs(sure_known - sure_strangers) < half_known + half_strangers


def test_sureness_counts_only_the_kept_tokens(ran, snippet):
    """Reference: the mean probability of the kept tokens, recomputed by scoring each kept
    text with the model itself."""
    import torch

    ns = ran("ch09/fact_check.py").namespace
    model, tokenizer = ns["model"], ns["tokenizer"]
    texts, sure = snippet("ch09/fact_check.py").write(model, tokenizer, "Ana", 3, seed=0)
    prompt = tokenizer.encode("Ana")
    for text, s in zip(texts, sure):
        ids = tokenizer.encode(text)
        assert ids[: len(prompt)] == prompt and "\n" not in text
        with torch.no_grad():
            p = model(torch.tensor([ids[:-1]])).softmax(-1)[0]
        kept = p[len(prompt) - 1:].gather(1, torch.tensor(ids[len(prompt):])[:, None])
        assert abs(kept.mean().item() - s) < 1e-9
