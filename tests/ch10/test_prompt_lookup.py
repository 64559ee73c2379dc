"""Chapter 10: a reference text as the prophet: copied guesses, identical output."""


def test_identical_and_faster(ran):
    run = ran("ch10/prompt_lookup.py")
    ns = run.namespace
    assert all(len(p) == len(ns["prompts"]) for p in ns["passes"].values())
    n = ns["NEW_TOKENS"]
    for passes in ns["passes"].values():
        assert sum(passes) < len(passes) * n * 0.6  # fewer than 0.6 passes per token
    # the last prophet's texts are the model's own, token for token
    assert [text for text, _ in ns["runs"]] == ns["own"]
    passes = {name: sum(each) for name, each in ns["passes"].items()}
    assert passes["prompt lookup"] < passes["3-gram counts"]  # copying beats counting here
    assert passes["lookup, else 3-gram"] == passes["prompt lookup"]  # the fallback: no change


def test_lookup_copies_what_followed(snippet):
    lookup = snippet("ch10/prompt_lookup.py").lookup_prophet
    assert lookup([1, 2, 3, 4, 5, 2, 3], k=2) == [4, 5]  # "2 3" was followed by "4 5"
    assert lookup([1, 2, 3, 4, 5, 9, 3], k=3) == [4, 5, 9]  # falls back to one token
    assert lookup([7, 1, 2, 8, 1, 2], k=1) == [8]  # the latest earlier place
    assert lookup([1, 2, 3], k=2) == []  # nothing to copy
