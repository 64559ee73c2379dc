"""A contributor's mistakes fail loudly, naming the file (and line) and saying what to do.

Build mistakes are made in a two-page site that inherits the real mkdocs.yml, so they meet
the same configuration and hooks as the book. Snippet mistakes are made in scratch files
run by the same harness as the book's snippets.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from harness import snippet_runs
from harness.browser import serve
from harness.site_check import check_pages, site_paths
from harness.snippet_runs import (
    SnippetFailure,
    check_against_committed,
    execute,
    run_twice,
    svg_close,
)

ROOT = Path(__file__).resolve().parents[1]
GOOD_PAGE = """# Page

Some prose.

```python title="Example"
--8<-- "ch01/output_space.py:spaces"
```

A link [home](index.md#home).
"""


def build_mini_site(tmp_path: Path, page: str, *, extra_pages: dict[str, str] | None = None):
    """Build a site of index.md and page.md with the book's configuration and assets.

    Returns the build's exit status and everything it printed."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "assets").symlink_to(ROOT / "docs" / "assets")
    (docs / "index.md").write_text("# Home\n\nWelcome.\n")
    (docs / "page.md").write_text(page)
    for name, text in (extra_pages or {}).items():
        (docs / name).write_text(text)
    hooks = [str(path) for path in sorted((ROOT / "hooks").glob("*.py"))]
    (tmp_path / "mkdocs.yml").write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        "docs_dir: docs\n"
        f"site_dir: {tmp_path / 'site'}\n"
        "nav: [index.md, page.md]\n"
        f"hooks: {hooks}\n"
        f"theme:\n  custom_dir: {ROOT / 'overrides'}\n"
    )
    return build_in_process(tmp_path / "mkdocs.yml")


def build_in_process(config_file: Path) -> tuple[int, str]:
    """`mkdocs build -f config_file`, run in this process: the mini-sites share the cost of
    importing MkDocs and its plugins. Returns the exit status and what the build logged."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logged = io.StringIO()
    handler = logging.StreamHandler(logged)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except Exception as error:  # a hook's PluginError, or strict mode's Abort
        return 1, f"{logged.getvalue()}{type(error).__name__}: {error}\n"
    finally:
        logger.removeHandler(handler)
    return 0, logged.getvalue()


def assert_build_fails(tmp_path, page, *expected, **kwargs):
    status, log = build_mini_site(tmp_path, page, **kwargs)
    assert status != 0, f"the build should have failed:\n{log}"
    for text in expected:
        assert text in log, f"{text!r} not in the build's message:\n{log}"


def test_the_mini_site_itself_builds(tmp_path):
    status, log = build_mini_site(tmp_path, GOOD_PAGE)
    assert status == 0, log


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("output_space.py:spaces", "no_such_file.py",
         ["docs/page.md:6", "no_such_file.py", "create the file"]),
        (":spaces", ":no_such_section",
         ["docs/page.md:6", "no_such_section", "markers"]),
        ("index.md#home", "no-such-page.md",
         ["docs/page.md:9", "no-such-page.md", "Fix the path"]),
        ("#home", "#no-such-heading",
         ["docs/page.md:9", "#no-such-heading", "anchor"]),
        ("Some prose.", r"Some prose, $\sumx_i x_i$.",
         ["docs/page.md:3", r"\sumx_i x_i", "Undefined control sequence", "KaTeX supports"]),
    ],
    ids=["missing include file", "missing section", "broken link", "broken anchor",
         "formula KaTeX cannot render"],
)
def test_broken_page_fails_naming_page_and_line(tmp_path, replace, by, expected):
    assert_build_fails(tmp_path, GOOD_PAGE.replace(replace, by), *expected)


def test_page_missing_from_navigation_is_named(tmp_path):
    assert_build_fails(
        tmp_path, GOOD_PAGE, "orphan.md", "add each one to `nav`",
        extra_pages={"orphan.md": "# Orphan\n"},
    )


# A notebook page's Markdown cell, as mkdocs-jupyter renders it: its math is left to the
# browser (chapter pages' math fails the build instead: see above).
BROKEN_NOTEBOOK_CELL = (
    '<div class="jp-MarkdownOutput" markdown="0">\n'
    "<p>Its loss is $\\sumx_i (y_i - a x_i - b)^2$, summed over the data.</p>\n</div>\n"
)
BROKEN_DIAGRAM = "```mermaid\nflowchart LR\n    A[data --> B(model\n```\n"
# A figure given a size of another shape than its file's: the browser would squash it.
SQUASHED_FIGURE = '![A plot](assets/figures/ch01/temperature.svg){ width="100" height="400" }\n'


@pytest.mark.browser
def test_formula_diagram_or_figure_that_cannot_be_drawn_is_named_with_its_page(
    tmp_path, browser
):
    page = "\n".join([GOOD_PAGE, BROKEN_NOTEBOOK_CELL, BROKEN_DIAGRAM, SQUASHED_FIGURE])
    status, log = build_mini_site(tmp_path, page)
    assert status == 0, log
    site = tmp_path / "site"
    with serve(site) as url:
        problems = check_pages(browser, url, site_paths(site), tmp_path / "docs")
    assert all(problem.startswith("docs/page.md (/page/): ") for problem in problems), problems
    formula = [problem for problem in problems if r"\sumx" in problem]
    diagram = [problem for problem in problems if "A[data --> B(model" in problem]
    assert formula and any("Undefined control sequence" in p for p in formula), problems
    assert diagram and any("mermaid" in p for p in diagram), problems
    assert any("100x400 are not its file's shape" in p for p in problems), problems


def write_snippet(tmp_path: Path, code: str, output: str | None = None) -> Path:
    snippet = tmp_path / "example.py"
    snippet.write_text(code)
    if output is not None:
        snippet.with_suffix(".out").write_text(output)
    return snippet


def test_snippet_that_raises_names_file_and_line(tmp_path):
    snippet = write_snippet(tmp_path, "x = 1\ny = 0\nprint(x / y)\n")
    with pytest.raises(SnippetFailure) as failure:
        execute(snippet)
    message = str(failure.value)
    assert "example.py" in message and "line 3" in message and "ZeroDivisionError" in message


def test_drifted_output_names_output_file_and_line(tmp_path):
    snippet = write_snippet(
        tmp_path, 'print("steps 200")\nprint("loss 0.25")\n', "steps 200\nloss 0.20\n"
    )
    with pytest.raises(SnippetFailure) as failure:
        check_against_committed(snippet, execute(snippet))
    message = str(failure.value)
    assert "example.out:2" in message and "dev.py update" in message


def test_last_digit_rounding_is_not_drift(tmp_path):
    snippet = write_snippet(
        tmp_path, 'print("loss 0.2501, steps 200")\n', "loss 0.2500, steps 200\n"
    )
    check_against_committed(snippet, execute(snippet))


def test_missing_committed_output_says_how_to_make_it(tmp_path):
    snippet = write_snippet(tmp_path, 'print("hello")\n')
    with pytest.raises(SnippetFailure, match="example.out is missing.*dev.py update"):
        check_against_committed(snippet, execute(snippet))


def test_snippet_whose_output_changes_between_runs_is_caught(tmp_path):
    snippet = write_snippet(tmp_path, "import random\nprint(random.random())\n")
    with pytest.raises(SnippetFailure, match="different output on two runs.*seed"):
        run_twice(snippet)


def test_snippet_that_runs_too_long_is_stopped_with_advice(tmp_path, monkeypatch):
    monkeypatch.setattr(snippet_runs, "TIMEOUT_SECONDS", 1)
    snippet = write_snippet(tmp_path, "while True:\n    pass\n")
    with pytest.raises(SnippetFailure, match="example.py: still running after 1 s.*smaller"):
        execute(snippet)


def test_an_svg_id_that_looks_like_a_huge_number_is_not_drift():
    drawing = b'<svg><path id="m6ac9e791fa" d="M 1.25 2"/></svg>'
    assert svg_close(drawing, drawing.replace(b"1.25", b"1.26"))
    assert not svg_close(drawing, drawing.replace(b"m6ac9e791fa", b"m6ac9e792fa"))


def test_training_that_writes_different_weights_on_two_runs_is_caught(tmp_path, monkeypatch):
    package = tmp_path / "package"
    package.mkdir()
    (package / "weights.bin").write_bytes(b"committed")
    snippet = write_snippet(
        tmp_path, "import os\nopen('weights.bin', 'wb').write(os.urandom(8))\nopen('x', 'w')\n"
    )
    monkeypatch.setattr(snippet_runs, "PRODUCERS", {snippet: package})
    with pytest.raises(SnippetFailure, match="different weights.bin on two runs.*deterministic"):
        run_twice(snippet)


def test_the_update_command_commits_what_a_producer_writes_before_other_snippets_run(
    tmp_path, monkeypatch
):
    package = tmp_path / "package"
    package.mkdir()
    (package / "weights.bin").write_bytes(b"stale")
    snippet = write_snippet(tmp_path, "open('weights.bin', 'w').write('fresh')\nopen('x', 'w')\n")
    monkeypatch.setattr(snippet_runs, "PRODUCERS", {snippet: package})
    snippet_runs.write_committed(snippet, run_twice(snippet))
    assert (package / "weights.bin").read_text() == "fresh"
    assert not (package / "x").exists()  # only the files the package commits


def test_the_producers_of_committed_files_run_before_every_other_snippet():
    files = snippet_runs.snippet_files()
    producers = len(snippet_runs.PRODUCERS)
    assert set(files[:producers]) == set(snippet_runs.PRODUCERS)
