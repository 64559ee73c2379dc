"""Every snippet runs and prints and draws what the pages show.

The run is shared with the chapter's property tests (the `ran` fixture); the update command
instead runs each snippet twice as a script and commits what it printed and drew, where the
committed copy no longer keeps its promise."""

import pytest

from harness.snippet_runs import (
    SNIPPETS,
    check_against_committed,
    executed,
    run_twice,
    snippet_files,
    write_committed,
)


@pytest.mark.parametrize(
    "snippet", snippet_files(), ids=lambda path: str(path.relative_to(SNIPPETS))
)
def test_snippet_output_matches_committed(snippet, update_outputs):
    if update_outputs:
        for path in write_committed(snippet, run_twice(snippet)):
            print(f"rewrote {path}")
    else:
        check_against_committed(snippet, executed(snippet))


def test_there_are_snippets():
    assert snippet_files(), "no snippet files found under snippets/"
