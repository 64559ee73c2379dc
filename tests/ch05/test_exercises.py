"""Chapter 5's exercises: each solution's claim, checked."""


def test_remembering_locked_doors_saves_replans_on_the_way_back(ran):
    run = ran("ch05/exercise_remember_the_way_back.py").namespace
    trips, n = run["trips"], run["n"]

    def mean(name, attribute):
        return sum(getattr(e, attribute) for e in trips[name]) / n

    assert n > 300
    assert all(e.reached for episodes in trips.values() for e in episodes)
    assert mean("back, memory kept", "replans") < 0.1 < 0.9 < mean("back, memory wiped", "replans")
    assert mean("back, memory kept", "steps") < mean("back, memory wiped", "steps")
    shortest = sum(run["shortest"]) / n
    assert shortest <= mean("back, memory kept", "steps") < shortest + 0.5


def test_without_relevance_every_query_gets_the_same_memories(ran):
    retrieved = ran("ch05/exercise_without_relevance.py").namespace["retrieved"]
    party, oven = retrieved.values()
    assert party == oven
    assert not any("party" in text for text in party)
