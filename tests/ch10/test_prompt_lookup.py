"""Chapter 10: a reference text as the prophet: copied guesses, identical output."""


def test_identical_and_faster(ran):
    run = ran("ch10/prompt_lookup.py")
    ns = run.namespace
    assert all(len(p) == len(ns["prompts"]) for p in ns["passes"].values())
    n = ns["NEW_TOKENS"]
    for passes in ns["passes"].values():
        assert sum(passes) < len(passes) * n * 0.6  # fewer than 0.6 passes per token
    assert "identical 16 of 16" in run.stdout
    assert run.stdout.count("identical 16 of 16") == 3


def test_lookup_copies_what_followed(snippet):
    lookup = snippet("ch10/prompt_lookup.py").lookup_prophet
    assert lookup([1, 2, 3, 4, 5, 2, 3], k=2) == [4, 5]  # "2 3" was followed by "4 5"
    assert lookup([1, 2, 3, 4, 5, 9, 3], k=3) == [4, 5, 9]  # falls back to one token
    assert lookup([7, 1, 2, 8, 1, 2], k=1) == [8]  # the latest earlier place
    assert lookup([1, 2, 3], k=2) == []  # nothing to copy
