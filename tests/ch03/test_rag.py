"""Chapter 3: retrieval-augmented generation end to end, with a reader trained from scratch
on handbooks whose facts are random."""

import math
import random

import pytest
import torch


@pytest.fixture(scope="module")
def run(ran):
    return ran("ch03/rag.py").namespace


def share_right(run, setting, questions):
    right = [said == fact for q in questions for said, fact in run["results"][setting, q]]
    return sum(right), len(right)


def test_every_fact_is_one_word_the_reader_can_say(snippet):
    rag = snippet("ch03/rag.py")
    for values in rag.VALUES.values():
        for value in values:
            assert len(rag.tokens(value)) == 1 and rag.tokens(value)[0] in rag.ID, value
    assert rag.tokens("Opening hours: from 8:00 to 22:00.") == [
        "opening", "hours", "from", "8:00", "to", "22:00"
    ]


def test_the_chapters_handbook_is_one_of_the_random_handbooks(snippet):
    handbooks = snippet("ch03/handbooks.py")
    retrieval = snippet("ch03/retrieval.py")
    assert handbooks.MAPLE_LAB.keys() == handbooks.VALUES.keys()
    assert all(handbooks.MAPLE_LAB[s] in values for s, values in handbooks.VALUES.items())
    assert retrieval.HANDBOOK == handbooks.handbook(handbooks.MAPLE_LAB)
    # every slot is stated in exactly one passage, and every question asks about a slot
    for slot in handbooks.VALUES:
        assert sum("{" + slot + "}" in t for t in handbooks.TEMPLATES) == 1, slot
    assert set(handbooks.ALL_QUESTIONS.values()) <= handbooks.VALUES.keys()


def test_without_a_passage_the_reader_is_right_only_by_chance(run):
    """With nothing to read, the reader gives each question one fixed answer, whatever the
    lab; it is right exactly when the random fact happens to be that value. So the expected
    share is known: the mean over questions of P(fact = its fixed answer)."""
    expected = 0.0
    for question, slot in run["ALL_QUESTIONS"].items():
        said = {s for s, _ in run["results"]["no retrieval", question]}
        assert len(said) == 1, question  # the same guess for every lab
        pool = [v.lower() for v in run["VALUES"][slot]]
        expected += (said.pop() in pool) / len(pool) / len(run["ALL_QUESTIONS"])
    k, n = share_right(run, "no retrieval", run["ALL_QUESTIONS"])
    assert abs(k / n - expected) < 4 * math.sqrt(expected * (1 - expected) / n)


def test_given_the_passage_the_reader_answers_every_question(run):
    k, n = share_right(run, "the passage that answers", run["ALL_QUESTIONS"])
    assert k / n > 0.98
    k, n = share_right(run, "the passage that answers", run["IN_OTHER_WORDS"])
    assert run["wilson"](k, n)[0] > 0.9  # Saturday and Sunday included


def test_with_bm25_the_reader_fails_exactly_the_questions_without_the_word(run):
    for question in run["ALL_QUESTIONS"].keys() - run["IN_OTHER_WORDS"].keys():
        k, n = share_right(run, "BM25, top 2 passages", [question])
        assert k / n > 0.95, question
    k, n = share_right(run, "BM25, top 2 passages", run["IN_OTHER_WORDS"])
    gold = share_right(run, "the passage that answers", run["IN_OTHER_WORDS"])
    assert run["wilson"](k, n)[1] < run["wilson"](*gold)[0]  # the intervals are apart


def test_the_failure_is_retrievals_bm25_never_finds_the_opening_hours(snippet):
    """The control for the claim: on new labs, BM25's top two passages hold the answer to
    every question that shares words with it, and never to the two that do not."""
    handbooks, retrieval = snippet("ch03/handbooks.py"), snippet("ch03/retrieval.py")
    rng = random.Random(1)
    for _ in range(30):
        passages = handbooks.handbook(handbooks.random_facts(rng))
        index = retrieval.BM25(passages)
        for question, slot in handbooks.ALL_QUESTIONS.items():
            found = [i for i, _ in index.top(question, k=2)]
            hit = handbooks.passage_of(slot) in found
            assert hit == (question in handbooks.QUESTIONS), question


def test_reading_is_learned(run, snippet):
    """An untrained reader, given the passage that answers, is no better than a guess."""
    rag = snippet("ch03/rag.py")
    torch.manual_seed(0)
    untrained = rag.Reader().double()
    rng = random.Random(2)
    facts = [rag.random_facts(rng) for _ in range(20)]
    questions = list(rag.ALL_QUESTIONS) * len(facts)
    contexts, truth = [], []
    for lab in facts:
        passages = rag.handbook(lab)
        for slot in rag.ALL_QUESTIONS.values():
            contexts.append(passages[rag.passage_of(slot)])
            truth.append(rag.tokens(lab[slot])[0])
    for reader, (low, high) in [(untrained, (0, 0.3)), (run["reader"], (0.98, 1))]:
        said = rag.answer(reader, questions, contexts)
        share = sum(s == t for s, t in zip(said, truth)) / len(truth)
        assert low <= share <= high


def test_the_reader_copies_what_a_wrong_passage_offers(run):
    """The Maple Lab's Saturday question: BM25 gives it the coffee machine and the reading
    group, and the reader answers with a word from them, not the opening hour."""
    passages = run["passages"]
    wrong_context = run["settings"]["BM25, top 2 passages"]
    assert passages[0] not in wrong_context
    said = run["said"]
    assert said[1] in run["tokens"](wrong_context) and said[1] != "10:00"
    assert said[2] == "10:00"


def test_with_the_wrong_passages_the_reader_copies_from_them(run, snippet):
    """On new labs, BM25's passages for the weekend questions never hold the answer, and
    the reader's answer is nonetheless always a word it copied from them: it is right
    only when the copied value happens to equal the fact."""
    rag = snippet("ch03/rag.py")
    rng = random.Random(3)
    asked, read = [], []
    for _ in range(50):
        passages = rag.handbook(rag.random_facts(rng))
        index = rag.BM25(passages)
        for question, slot in rag.IN_OTHER_WORDS.items():
            context = rag.contexts_for(question, passages, index, slot)["BM25, top 2 passages"]
            assert passages[rag.passage_of(slot)] not in context
            asked.append(question)
            read.append(context)
    for said, context in zip(rag.answer(run["reader"], asked, read), read):
        assert said in rag.tokens(context)


@pytest.mark.parametrize("k, n", [(0, 200), (1, 20), (109, 1000), (2200, 2200)])
def test_wilson_endpoints_solve_the_score_equation(snippet, k, n):
    """Wilson's interval is every p for which k/n lies within z standard errors of p:
    its ends solve (k/n - p)^2 = z^2 p (1 - p) / n."""
    wilson, z = snippet("ch03/rag.py").wilson, 1.96
    for p in wilson(k, n):
        assert (k / n - p) ** 2 == pytest.approx(z * z * p * (1 - p) / n, abs=1e-12)
