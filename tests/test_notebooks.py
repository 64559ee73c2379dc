"""Chapter notebooks are made from the page's snippet files, the same file every time."""

from pathlib import Path

import nbformat
from harness.markdown_docs import load_snippet_options
from notebooks import chapter_notebook, included_python_files

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_1 = (ROOT / "docs" / "01-what-is-generative-ai.md").read_text(encoding="utf-8")


def test_notebook_holds_each_included_file_whole_in_page_order():
    notebook = chapter_notebook(CHAPTER_1, load_snippet_options(ROOT / "mkdocs.yml"))
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    files = included_python_files(CHAPTER_1)
    assert files[:2] == ["ch01/output_space.py", "ch01/fit_line.py"]
    assert len(code) == len(files)
    for path, source in zip(files, code):
        whole = (ROOT / "snippets" / path).read_text(encoding="utf-8")
        without_markers = "".join(
            line for line in whole.splitlines(keepends=True) if "--8<-- [" not in line
        )
        assert source.strip() == without_markers.strip(), path


def test_notebook_is_the_same_file_every_time():
    options = load_snippet_options(ROOT / "mkdocs.yml")
    first, second = (nbformat.writes(chapter_notebook(CHAPTER_1, options)) for _ in range(2))
    assert first == second
