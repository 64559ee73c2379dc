"""Every snippet, run as a file the way a reader runs it, prints and draws what its page
shows, and leaves the clone as it found it.

The suite's own runs happen inside pytest, with one thread; these run
`python snippets/chNN/name.py` from the clone's root in a fresh process, with PyTorch's
default threads and kernels. Slower, so not part of `python3 dev.py test`: run them with
`python3 dev.py portability` (CI does).
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
def test_a_file_prints_what_the_page_shows(snippet, status_before):
    check_against_committed(snippet, run_as_reader(snippet))


def test_running_every_file_leaves_the_clone_as_it_was(status_before):
    """Last in this module: after every snippet has run from the clone's root."""
    if status_before is None:
        pytest.skip("not a git checkout")
    assert git_status() == status_before, (
        "Running the snippets from the clone's root changed `git status`: a snippet writes "
        "a file a reader's run should not leave (or .gitignore lacks a figure's pattern):\n"
        + git_status()
    )
