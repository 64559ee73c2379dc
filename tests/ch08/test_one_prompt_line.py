"""Chapter 8: the same model and questions, scores moved by the prompt alone."""

import pytest


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch08/one_prompt_line.py").namespace


def test_one_line_moves_the_score_beyond_the_noise(run):
    results = run["results"]
    assert results["as trained", "only read about"].sum() == 0
    assert results["as trained", "asked in training"].mean() == 1.0
    low, _ = run["difference"](results["answer's first word given", "only read about"],
                               results["as trained", "only read about"])
    assert low > 0
    reworded = results["question reworded", "asked in training"]
    assert run["interval"](reworded)[1] < 0.5  # rewording alone loses most of the score


def test_prompts_and_answers_make_the_canonical_sentence(run):
    corpus = run["corpus"]
    for person in corpus.PEOPLE[::7]:
        for attribute in corpus.ATTRIBUTES:
            for variant in run["VARIANTS"]:
                prompt, answer = run["prompt_and_answer"](person, attribute, variant)
                whole = (prompt + answer).split("A:")[-1].strip()
                assert whole == corpus.fact(person, attribute)
