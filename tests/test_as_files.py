"""Every snippet, run as a file the way a reader runs it, prints and draws what its page
shows, and leaves the clone as it found it.

The suite's own runs happen inside pytest, with one thread; these run
`python snippets/chNN/name.py` from (a stand-in for) the clone's root in a process of its
own, with the threads and kernels its environment gives (where the system can fork, a copy
of a process that has already imported PyTorch and matplotlib: harness/preloaded.py).
Slower, so not part of `python3 dev.py test`: run them with `python3 dev.py portability` (CI
does), two at a time, on AVX2 kernels and one thread each.
"""

import pytest

from harness.reader_runs import git_status, run_as_reader
from harness.snippet_runs import SNIPPETS, check_against_committed, snippet_files

pytestmark = pytest.mark.as_file


@pytest.fixture(scope="module")
def status_before():
    return git_status()


@pytest.mark.parametrize(
    "snippet", snippet_files(), ids=lambda path: str(path.relative_to(SNIPPETS))
)
def test_a_file_prints_what_the_page_shows_and_leaves_the_clone_as_it_was(
    snippet, status_before
):
    check_against_committed(snippet, run_as_reader(snippet))
    if status_before is not None:
        assert git_status() == status_before, (
            "Running the snippets changed the clone's `git status`: a snippet writes a file "
            "into the clone (not into the folder it runs from), or .gitignore lacks a "
            "figure's pattern:\n" + git_status()
        )
