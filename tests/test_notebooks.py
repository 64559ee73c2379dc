"""A chapter's notebook is the chapter: its prose, its code in the page's order with the
committed outputs, its figures with their alt text; and it runs top to bottom in a fresh
kernel, printing what the page shows."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from chapter_notebook import IMAGE, MAIN_GUARD, SECTION_MARKER, Page, chapter_notebook
from harness.markdown_docs import load_snippet_options
from harness.snippet_runs import first_difference
from includes import INCLUDE_LINE
from mkdocs.utils.yaml import get_yaml_loader
from nbclient import NotebookClient
from notebooks import nav_paths

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SITE_URL = "https://example.org/book/"
KERNEL_TIMEOUT_SECONDS = 60


def chapters_with_notebooks() -> list[Path]:
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as config_file:
        nav = yaml.load(config_file, Loader=get_yaml_loader())["nav"]
    return [
        DOCS / (Path(path).stem + ".md")
        for path in nav_paths(nav)
        if path.startswith("notebooks/") and path.endswith(".ipynb")
    ]


CHAPTERS = [
    pytest.param(page, id=page.stem, marks=pytest.mark.xdist_group(f"ch{page.stem[:2]}"))
    for page in chapters_with_notebooks()
]


def make_notebook(page: Path) -> nbformat.NotebookNode:
    context = Page(DOCS, SITE_URL, load_snippet_options(ROOT / "mkdocs.yml"))
    return chapter_notebook(page.read_text(encoding="utf-8"), context, page.stem + "/")


def cells(notebook, kind: str) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == kind]


def test_there_are_chapter_notebooks():
    assert CHAPTERS, "mkdocs.yml's nav lists no notebooks/<chapter>.ipynb"


@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_holds_every_line_of_the_code_the_page_includes(page):
    code_lines = {
        line.strip() for cell in cells(make_notebook(page), "code") for line in cell.source.split("\n")
    }
    missing = []
    for path in dict.fromkeys(
        match["path"]
        for match in INCLUDE_LINE.finditer(page.read_text(encoding="utf-8"))
        if match["path"].endswith(".py")
    ):
        for number, line in enumerate((ROOT / "snippets" / path).read_text().split("\n"), 1):
            if line.strip() and not SECTION_MARKER.search(line) and not MAIN_GUARD.match(line):
                if line.strip() not in code_lines:
                    missing.append(f"snippets/{path}:{number}: {line.strip()}")
    assert not missing, "lines of the chapter's snippets missing from its notebook:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_carries_the_prose_outputs_and_figures(page):
    notebook = make_notebook(page)
    text = page.read_text(encoding="utf-8")
    prose = "\n".join(cell.source for cell in cells(notebook, "markdown"))
    for heading in re.findall(r"^#{1,4} .+$", text, re.M):
        assert heading in prose, f"{page.name}: heading {heading!r} is not in the notebook"
    outputs = [
        output.text
        for cell in cells(notebook, "code")
        for output in cell.outputs
        if output.output_type == "stream"
    ]
    committed = [
        (ROOT / "snippets" / match["path"]).read_text(encoding="utf-8")
        for match in INCLUDE_LINE.finditer(text)
        if match["path"].endswith(".out")
    ]
    assert [output.strip() for output in outputs] == [output.strip() for output in committed]
    attachments = {
        name: cell.source
        for cell in cells(notebook, "markdown")
        for name in cell.get("attachments", {})
    }
    for image in IMAGE.finditer(text):
        name = Path(image["src"]).name
        assert name in attachments, f"{page.name}: figure {name} is not in the notebook"
        assert f"![{image['alt']}](attachment:{name})" in attachments[name], (
            f"{page.name}: figure {name} lost the page's alt text"
        )


@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_is_the_same_file_every_time(page):
    assert nbformat.writes(make_notebook(page)) == nbformat.writes(make_notebook(page))


@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(page, tmp_path):
    notebook = make_notebook(page)
    expected = {index: cell.get("outputs", []) for index, cell in enumerate(notebook.cells)}
    NotebookClient(
        notebook,
        timeout=KERNEL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or not expected[index]:
            continue
        printed = "".join(o.text for o in cell.outputs if o.output_type == "stream")
        committed = "".join(o.text for o in expected[index])
        difference = first_difference(committed, printed)
        assert difference is None, (
            f"notebook of {page.name}, cell {index} ({cell.source.split(chr(10))[0]}): line "
            f"{difference[0]} shows {difference[1]!r} on the page but printed "
            f"{difference[2]!r} in a fresh kernel"
        )
