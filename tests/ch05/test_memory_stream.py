"""Chapter 5: a memory stream scored by recency, importance and relevance, with
reflections triggered by accumulated importance."""

import pytest
import torch


@pytest.fixture(scope="module")
def memory(snippet):
    return snippet("ch05/memory_stream.py")


def test_cosine_of_bags_of_words_equals_torch(memory):
    texts = ["The oven breaks down and the bread burns", "Is the oven working?",
             "Tom says twenty guests are coming to the birthday party", "bread bread oven"]
    for a in texts:
        for b in texts:
            bag_a, bag_b = memory.words(a), memory.words(b)
            vocabulary = sorted(set(bag_a) | set(bag_b))
            va = torch.tensor([float(bag_a[w]) for w in vocabulary])
            vb = torch.tensor([float(bag_b[w]) for w in vocabulary])
            want = torch.nn.functional.cosine_similarity(va, vb, dim=0).item()
            assert memory.cosine(bag_a, bag_b) == pytest.approx(want, abs=1e-6)


def test_scores_are_weighted_sums_of_min_max_normalised_components(memory):
    stream = memory.live(memory.DAY)
    scored = memory.scores(stream, "Is the oven working?", now=21.0, weights=(0.5, 2, 3))
    for component in (1, 2, 3):
        values = [s[component] for s in scored]
        assert min(values) == 0.0 and max(values) == 1.0
    for total, rec, imp, rel in scored:
        assert total == pytest.approx(0.5 * rec + 2 * imp + 3 * rel)
    # recency before normalising: 0.995 per hour since the memory was last used
    raw = [memory.DECAY ** (21.0 - m.last_used) for m in stream]
    assert raw[0] == pytest.approx(0.995**14)
    low, high = min(raw), max(raw)
    assert [s[1] for s in scored] == pytest.approx([(r - low) / (high - low) for r in raw])


def test_reflections_come_when_importance_adds_up_to_the_threshold(memory, ran):
    stream = ran("ch05/memory_stream.py").namespace["stream"]
    expected_hours, total = [], 0
    for hour, importance, _ in memory.DAY:
        total += importance
        if total >= memory.THRESHOLD:
            expected_hours.append(hour)
            total = 0
    reflections = [m for m in stream if m.evidence]
    assert [m.created for m in reflections] == expected_hours == [11.0, 17.0]
    assert len(stream) == len(memory.DAY) + len(reflections)
    for reflection in reflections:  # it cites memories that came before it
        earlier = [m.text for m in stream if m.created <= reflection.created]
        assert set(reflection.evidence) <= set(earlier)
    assert "birthday" in reflections[0].text and "oven" in reflections[1].text


def test_a_reflection_uses_only_words_of_the_memories_before_it(ran, memory):
    """The template adds no words of its own, so a reflection can match a query only
    through the words of what it stands for (a template with "matters today" once
    won "What matters to Mei today?" on those two words alone)."""
    stream = ran("ch05/memory_stream.py").namespace["stream"]
    for reflection in (m for m in stream if m.evidence):
        before = set()
        for m in stream:
            if m.created <= reflection.created and not m.evidence:
                before |= set(memory.words(m.text))
        assert set(memory.words(reflection.text)) - {"reflection"} <= before


def test_what_is_retrieved_for_each_query(ran, memory):
    run = ran("ch05/memory_stream.py").namespace
    stream, retrieved = run["stream"], run["retrieved"]
    party, oven, matters = retrieved.values()
    query_words = {q: set(memory.words(q)) for q in retrieved}
    # the first two: everything recalled shares a topic word with the question
    for query in list(retrieved)[:2]:
        for text in retrieved[query]:
            assert set(memory.words(text)) & query_words[query] - {"mei"}
    assert party[0] == max((m.text for m in stream),
                           key=lambda t: memory.cosine(memory.words(t), memory.words(
                               "What should Mei prepare for the birthday party?")))
    assert all("oven" in text for text in oven)
    assert any(text.startswith("Reflection") for text in party + oven)
    # the third: only "mei" links it to the day, and the reflections, which do not
    # name her, get no relevance from it
    question = list(retrieved)[2]
    assert query_words[question] & set().union(*(memory.words(m.text) for m in stream)) == {"mei"}
    scored = memory.scores(stream, question, now=21.0)
    for m, (_, _, _, relevance) in zip(stream, scored):
        assert (relevance > 0) == ("mei" in memory.words(m.text))
    assert "mei" in memory.words(matters[0])


def test_retrieving_a_memory_makes_it_the_most_recent(memory):
    stream = memory.live(memory.DAY)
    found = memory.retrieve(stream, "Is the oven working?", now=30.0)
    assert all(m.last_used == 30.0 for m, _ in found)
    assert sum(m.last_used == 30.0 for m in stream) == 3
    # asked anything at that hour, they have the highest recency, and all else less
    recency = [s[1] for s in memory.scores(stream, "Mei", now=30.0)]
    for m, r in zip(stream, recency):
        assert (r == 1.0) == (m.last_used == 30.0)
    # exponential decay scales every memory alike, so a day without questions leaves
    # the normalised recency as it was
    later = [s[1] for s in memory.scores(stream, "Mei", now=54.0)]
    assert later == pytest.approx(recency)
