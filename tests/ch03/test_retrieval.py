"""Chapter 3: BM25 retrieval from scratch, and the prompt it builds."""

import math

import pytest


@pytest.fixture(scope="module")
def retrieval(snippet):
    return snippet("ch03/retrieval.py")


@pytest.mark.parametrize(
    "question, passage",
    [
        ("How do I book the GPU server?", 1),
        ("Can I print a poster for my talk?", 3),
        ("What is the Wi-Fi password for guests?", 5),
        ("When does the reading group meet?", 6),
        ("What does a new key cost?", 8),
    ],
)
def test_each_question_retrieves_the_passage_that_answers_it(ran, question, passage):
    run = ran("ch03/retrieval.py").namespace
    (best, best_score), (_, second_score) = run["index"].top(question)
    assert best == passage and best_score > 1.5 * second_score


def test_the_runner_up_for_the_gpu_question_scores_by_mentioning_the_gpu_server(ran):
    """The holiday notice is not about booking; it ranks second because it, too, says
    'GPU server'."""
    index = ran("ch03/retrieval.py").namespace["index"]
    question = "How do I book the GPU server?"
    (_, _), (second, score) = index.top(question)
    assert index.score("GPU server", second) > 0.9 * score


def test_bm25_against_the_formula_worked_by_hand(retrieval):
    """Two passages, N = 2; 'cat' is in one passage (idf ln(1.5/1.5 + 1) = ln 2),
    'the' in both (idf ln(0.5/2.5 + 1) = ln 1.2). Lengths 3 and 1, average 2."""
    index = retrieval.BM25(["the cat cat", "the"], k1=1.5, b=0.75)
    k1, b = 1.5, 0.75

    def term(idf, f, length):
        return idf * f * (k1 + 1) / (f + k1 * (1 - b + b * length / 2))

    expected = term(math.log(2), 2, 3) + term(math.log(1.2), 1, 3)
    assert index.score("the cat", 0) == pytest.approx(expected)
    assert index.score("the cat", 1) == pytest.approx(term(math.log(1.2), 1, 1))


def test_unknown_words_score_nothing_and_rare_words_weigh_more(retrieval):
    index = retrieval.BM25(["a rare word", "a common word", "a common thing"])
    assert index.score("zebra", 0) == 0
    assert index.idf["rare"] > index.idf["common"] > index.idf["a"]


def test_repeats_count_with_diminishing_returns(retrieval):
    passages = ["cat x x x x x", "cat cat x x x x", "cat cat cat cat x x", "dog"]
    index = retrieval.BM25(passages)  # three passages of equal length
    once, twice, four = (index.score("cat", i) for i in range(3))
    assert once < twice < four < 2 * twice


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_prompt_carries_exactly_the_top_passages_in_rank_order(ran, k):
    run = ran("ch03/retrieval.py").namespace
    handbook, index = run["HANDBOOK"], run["index"]
    for question in run["questions"]:
        prompt = run["augmented_prompt"](question, handbook, index, k=k)
        ranked = [i for i, _ in index.top(question, k)]
        places = [prompt.find(f"[{n}] {handbook[i]}") for n, i in enumerate(ranked, start=1)]
        assert all(place >= 0 for place in places) and places == sorted(places)
        others = [p for i, p in enumerate(handbook) if i not in ranked]
        assert not any(passage in prompt for passage in others)
        assert prompt.endswith(f"Question: {question}\nAnswer:")
