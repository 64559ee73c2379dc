"""Every snippet runs, twice identically, and prints and draws what the pages show."""

import pytest

from harness.snippet_runs import (
    SNIPPETS,
    check_against_committed,
    run_twice,
    snippet_files,
    write_committed,
)


@pytest.mark.parametrize(
    "snippet", snippet_files(), ids=lambda path: str(path.relative_to(SNIPPETS))
)
def test_snippet_output_matches_committed(snippet, update_outputs):
    run = run_twice(snippet)
    if update_outputs:
        write_committed(snippet, run)
    else:
        check_against_committed(snippet, run)


def test_there_are_snippets():
    assert snippet_files(), "no snippet files found under snippets/"
