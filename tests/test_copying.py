"""A snippet copied as its docstring says runs: the docstring names every file it needs
beside it, directly or through the files it imports (the book's tiny model, tinylm/,
included)."""

import ast

import pytest
from chapter_notebook import imported_modules

from harness.snippet_runs import SNIPPETS, snippet_files

PACKAGE = "tinylm"


def needs(snippet) -> set[str]:
    """The sibling files (e.g. "lora.py") and the package ("tinylm") that `snippet` needs,
    following its siblings' own imports."""
    needed, waiting = set(), [snippet]
    while waiting:
        for name in imported_modules(waiting.pop().read_text(encoding="utf-8")):
            sibling = snippet.parent / f"{name}.py"
            if sibling.is_file() and sibling.name not in needed:
                needed.add(sibling.name)
                waiting.append(sibling)
            elif name == PACKAGE:
                needed.add(PACKAGE)
    return needed


@pytest.mark.parametrize(
    "snippet", snippet_files(), ids=lambda path: str(path.relative_to(SNIPPETS))
)
def test_the_docstring_names_everything_a_copy_needs(snippet):
    docstring = ast.get_docstring(ast.parse(snippet.read_text(encoding="utf-8"))) or ""
    missing = sorted(name for name in needs(snippet) if name not in docstring)
    assert not missing, (
        f"{snippet.relative_to(SNIPPETS.parent)}: a reader who copies it needs "
        f"{', '.join(missing)} too; say so in its docstring (e.g. 'Needs lora.py beside it, "
        "and the book's tiny language model, the package snippets/tinylm/')."
    )
