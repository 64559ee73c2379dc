"""Chapter 10: the exercises' solutions say what the page says they say."""


def test_more_letters_mix_more(ran):
    ns = ran("ch10/exercise_more_letters.py").namespace
    for letters, rate in ns["rates"].items():
        low, high = ns["interval"](round(rate * ns["N_SAMPLES"]), ns["N_SAMPLES"])
        assert low < 1 - 1 / letters < high


def test_a_useless_prophet_changes_nothing_but_the_cost(ran):
    ns = ran("ch10/exercise_useless_prophet.py").namespace
    assert [t for t, _ in ns["runs"]] == ns["own"]
    total = ns["total"]
    assert total["accepted"] < 0.05 * total["guessed"]
    assert total["passes"] > 0.9 * len(ns["prompts"]) * ns["NEW_TOKENS"]
    assert total["positions"] > 4 * ns["plain_positions"]


def test_longer_drafts_give_diminishing_returns(ran):
    measured = ran("ch10/exercise_draft_length.py").namespace["measured"]
    gains = [measured[b] - measured[a] for a, b in [(1, 2), (2, 4), (4, 8)]]
    assert all(g > 0 for g in gains)
    assert gains[2] < gains[1] < gains[0] + 0.1
