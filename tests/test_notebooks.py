"""A chapter's notebook is the chapter: its prose, its code in the page's order with the
committed outputs, its figures with their alt text; and it runs top to bottom in a fresh
kernel, printing what the page shows.

The suite checks, without running them, that a notebook's cells find the names they use
(harness/notebook_names.py): every snippet already ran in the suite, and running each
chapter again in a kernel would double the suite's time. The run in a fresh kernel is the
`kernel` test, which `python3 dev.py notebooks` (and CI) runs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml
from chapter_notebook import (
    IMAGE,
    MAIN_GUARD,
    SECTION_MARKER,
    Page,
    chapter_notebook,
    without_package_path,
)
from includes import INCLUDE_LINE
from mkdocs.utils.yaml import get_yaml_loader
from nbclient import NotebookClient
from notebooks import nav_paths

from harness.markdown_docs import load_snippet_options
from harness.notebook_names import name_problems
from harness.snippet_runs import SNIPPETS, declared_tolerances, first_difference

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
        line.strip()
        for cell in cells(make_notebook(page), "code")
        for line in cell.source.split("\n")
    }
    missing = []
    for path in dict.fromkeys(
        match["path"]
        for match in INCLUDE_LINE.finditer(page.read_text(encoding="utf-8"))
        if match["path"].endswith(".py")
    ):
        lines = (ROOT / "snippets" / path).read_text().split("\n")
        for_a_notebook = set(without_package_path(lines))  # no __file__ in a notebook
        for number, line in enumerate(lines, 1):
            if line not in for_a_notebook:
                continue
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
def test_notebook_cells_find_the_names_they_use(page):
    problems = name_problems([cell.source for cell in cells(make_notebook(page), "code")])
    assert not problems, f"the notebook of {page.name} would fail:\n" + "\n".join(problems)


@pytest.mark.kernel
@pytest.mark.parametrize("page", CHAPTERS)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(page, tmp_path, monkeypatch):
    # Two kernels run at once on two cores: one thread each, or PyTorch's default threads
    # fight over the cores and a tiny model's training slows many times over. What the
    # notebooks print does not depend on it (`python3 dev.py portability`).
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    notebook = make_notebook(page)
    expected = {index: cell.get("outputs", []) for index, cell in enumerate(notebook.cells)}
    NotebookClient(
        notebook,
        timeout=KERNEL_TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    # the tolerances the chapter's snippets declare for lines they print (CONTRIBUTING)
    chapter = SNIPPETS / f"ch{page.name[:2]}"
    tolerances = {
        text: allowed
        for snippet in sorted(chapter.glob("*.py"))
        for text, allowed in declared_tolerances(snippet).items()
    }
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or not expected[index]:
            continue
        printed = "".join(o.text for o in cell.outputs if o.output_type == "stream")
        committed = "".join(o.text for o in expected[index])
        difference = first_difference(committed, printed, tolerances=tolerances)
        assert difference is None, (
            f"notebook of {page.name}, cell {index} ({cell.source.split(chr(10))[0]}): line "
            f"{difference[0]} shows {difference[1]!r} on the page but printed "
            f"{difference[2]!r} in a fresh kernel"
        )


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["# snippets/ch99/a.py\nprint(SIZE)", "# snippets/ch99/a.py\nSIZE = 3"],
         "code cell 0 (ch99/a.py) reads 'SIZE' before any earlier cell defines it"),
        (["class Model(Base):\n    pass", "Base = object"],
         "code cell 0 (page code) reads 'Base'"),
        (["# snippets/ch99/a.py (train)\ndef train():\n    return 1",
          "# snippets/ch99/b.py\ndef train():\n    return 2",
          "# snippets/ch99/a.py (main)\nprint(train())"],
         "code cell 1 (ch99/b.py) redefines 'train' while snippets/ch99/a.py still uses its own"),
        (["# snippets/ch99/a.py\nfrom pathlib import Path\nHERE = Path(__file__).parent"],
         "reads '__file__'"),
    ],
    ids=["read too early", "class body reads too early", "shadowed by another file", "no __file__"],
)
def test_the_name_check_finds_what_would_fail_in_a_kernel(sources, expected):
    problems = name_problems(sources)
    assert any(expected in problem for problem in problems), problems


def test_the_name_check_lets_functions_use_names_defined_later():
    assert name_problems(["def f():\n    return g()", "def g():\n    return 1", "print(f())"]) == []
