"""Chapter 5: a memory stream scored by recency, importance and relevance, with
reflections triggered by accumulated importance."""

import math

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


def test_what_is_retrieved_for_each_query(ran):
    retrieved = ran("ch05/memory_stream.py").namespace["retrieved"]
    party, oven, matters = retrieved.values()
    assert party == [
        "Tom asks Mei to bake a cake for his birthday party",
        "Tom says twenty guests are coming to the birthday party",
        "Reflection: the birthday matters today (party, bake, cake)",
    ]
    assert all("oven" in text for text in oven)
    assert oven[1].startswith("Reflection")
    # a question no single observation answers is answered by the reflections
    assert all(text.startswith("Reflection") for text in matters[:2])


def test_retrieving_a_memory_makes_it_recent(memory):
    stream = memory.live(memory.DAY)
    found = memory.retrieve(stream, "Is the oven working?", now=30.0)
    assert all(m.last_used == 30.0 for m, _ in found)
    assert sum(m.last_used == 30.0 for m in stream) == 3
    assert math.isclose(memory.DECAY ** 24, 0.8867, abs_tol=1e-4)  # a day costs 11%
