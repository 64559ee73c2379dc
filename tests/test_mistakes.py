"""A contributor's mistakes fail loudly, naming the file (and line) and saying what to do.

Build mistakes are made in a two-page site that inherits the real mkdocs.yml, so they meet
the same configuration and hooks as the book. Snippet mistakes are made in scratch files
run by the same harness as the book's snippets.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
from pathlib import Path

import pytest

from harness import snippet_runs
from harness.browser import serve
from harness.scheduling import run_order
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
        "watch: []\n"  # the book's are relative to its mkdocs.yml: not here
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
        # mkdocs-jupyter's cache of its own: after a build it deletes every cached notebook
        # that build did not use, which would pull files from under the book's own build
        # running beside it (tests/harness/site_build.py).
        jupyter = config.plugins["mkdocs-jupyter"].config
        jupyter["cache_dir"] = str(config_file.parent / ".cache" / "mkdocs-jupyter")
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


# A notebook page's Markdown cell whose math was not rendered when the site was built.
UNRENDERED_NOTEBOOK_CELL = (
    '<div class="jp-MarkdownOutput" markdown="0">\n'
    "<p>Its loss is $\\sum_i (y_i - a x_i - b)^2$, summed over the data.</p>\n</div>\n"
)
BROKEN_DIAGRAM = "```mermaid\nflowchart LR\n    A[data --> B(model\n```\n"
# A figure given a size of another shape than its file's: the browser would squash it.
SQUASHED_FIGURE = '![A plot](assets/figures/ch01/temperature.svg){ width="100" height="400" }\n'


@pytest.mark.browser
def test_formula_or_figure_that_is_not_drawn_is_named_with_its_page(tmp_path, browser):
    """(A formula KaTeX cannot render fails the build instead: see above.)"""
    page = "\n".join([GOOD_PAGE, UNRENDERED_NOTEBOOK_CELL, SQUASHED_FIGURE])
    status, log = build_mini_site(tmp_path, page)
    assert status == 0, log
    site = tmp_path / "site"
    with serve(site) as url:
        problems = check_pages(browser, url, site_paths(site), tmp_path / "docs")
    assert all(problem.startswith("docs/page.md (/page/): ") for problem in problems), problems
    formula = [problem for problem in problems if r"\sum_i" in problem]
    assert formula and all("math left as source" in p for p in formula), problems
    assert any("100x400 are not its file's shape" in p for p in problems), problems


def test_a_diagram_not_drawn_since_its_last_edit_fails_naming_page_and_line(tmp_path):
    """Its drawings are named by a hash of its source (hooks/diagrams.py): an edited fence,
    a new one, or one mermaid cannot draw has none."""
    page = GOOD_PAGE + "\n" + BROKEN_DIAGRAM
    line = page.split("\n").index("```mermaid") + 1
    assert_build_fails(
        tmp_path, page, f"docs/page.md:{line}: this mermaid diagram has no drawing",
        "python3 dev.py diagrams",
    )


def draw_diagrams_script():
    """scripts/draw_diagrams.py, imported."""
    spec = importlib.util.spec_from_file_location(
        "draw_diagrams", ROOT / "scripts" / "draw_diagrams.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.browser
def test_drawing_the_diagrams_draws_each_fence_or_names_what_mermaid_rejects(tmp_path, browser):
    """`python3 dev.py diagrams` draws a fence in light and dark, as pictures that keep their
    place and describe themselves, and names a fence mermaid cannot draw with its line."""
    draw = draw_diagrams_script()
    docs = tmp_path / "docs"
    docs.mkdir()
    good = "```mermaid\nflowchart LR\n    A[data] -->|fit| B(model)\n```\n"
    (docs / "page.md").write_text(f"# Page\n\n{good}\nProse.\n\n{BROKEN_DIAGRAM}")
    written, failed = draw.draw_missing(docs, browser)
    assert len(written) == 2 and [Path(name).stem[-5:] for name in written] == ["light", "-dark"]
    assert failed == [failed[0]] and failed[0].startswith(
        "docs/page.md:12: mermaid cannot draw this diagram: Parse error on line 2"
    ), failed
    svg = (docs / written[0]).read_text()
    assert re.search(r'<svg [^>]*width="\d+"[^>]*height="\d+"', svg)
    assert 'role="img"' in svg and 'aria-label="Flowchart: data → model (arrow: fit)."' in svg


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
    drawing = b'<svg><path id="x6ac9e791fa" d="M 1.25 2"/></svg>'
    assert svg_close(drawing, drawing.replace(b"1.25", b"1.26"))
    assert not svg_close(drawing, drawing.replace(b"x6ac9e791fa", b"x6ac9e792fa"))


def test_names_hashed_from_geometry_are_compared_by_their_order():
    """matplotlib names a marker by a hash of its shape: a shape that moves within the
    tolerance gets a new name, but a reference to the wrong marker is still a change."""
    drawing = (
        b'<svg><path id="m6ac9e791fa" d="M 1.25 2"/><path id="m0123456789" d="M 3 4"/>'
        b'<use xlink:href="#m6ac9e791fa"/></svg>'
    )
    assert svg_close(
        drawing, drawing.replace(b"1.25", b"1.26").replace(b"m6ac9e791fa", b"mffffffffff")
    )
    assert not svg_close(
        drawing, drawing.replace(b'href="#m6ac9e791fa"', b'href="#m0123456789"')
    )


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


def test_the_update_command_runs_the_producers_of_committed_files_first():
    """In the order the tests run, not only in snippet_files(): the examples that load the
    tiny model must run after its training has replaced it."""
    from collections import Counter
    from types import SimpleNamespace

    def test_of(path, group):
        callspec = SimpleNamespace(params={"snippet": path})
        return SimpleNamespace(fixturenames=["snippet"], keywords={}, callspec=callspec), group

    producer = next(iter(snippet_runs.PRODUCERS))
    items = [test_of(snippet_runs.SNIPPETS / "ch04" / "rlhf.py", "ch04"), test_of(producer, "ch06")]
    sizes = Counter({"ch04": 20, "ch06": 10})
    for updating, first in [(True, producer), (False, items[0][0].callspec.params["snippet"])]:
        ordered = sorted(items, key=lambda pair: run_order(pair[0], pair[1], sizes, updating))
        assert ordered[0][0].callspec.params["snippet"] == first


def test_a_declared_tolerance_widens_only_its_lines(tmp_path):
    source = (
        'OUTPUT_TOLERANCE = {"seconds": 0.5}  # timings vary with the machine\n'
        'print("took 1.9 seconds")\nprint("loss 0.30")\n'
    )
    snippet = write_snippet(tmp_path, source, "took 1.5 seconds\nloss 0.30\n")
    check_against_committed(snippet, execute(snippet))  # 0.4 apart: within 0.5
    far = write_snippet(tmp_path, source, "took 1.3 seconds\nloss 0.30\n")
    with pytest.raises(SnippetFailure, match="example.out:1"):
        check_against_committed(far, execute(far))
    other_line = write_snippet(tmp_path, source, "took 1.9 seconds\nloss 0.20\n")
    with pytest.raises(SnippetFailure, match="example.out:2"):
        check_against_committed(other_line, execute(other_line))


def test_a_malformed_tolerance_is_named_with_its_line(tmp_path):
    snippet = write_snippet(
        tmp_path, 'x = 1\nOUTPUT_TOLERANCE = {"loss": -1}\nprint("loss 1.0")\n', "loss 1.0\n"
    )
    with pytest.raises(SnippetFailure, match=r"example.py:2: OUTPUT_TOLERANCE must be"):
        check_against_committed(snippet, execute(snippet))


def test_the_update_command_leaves_outputs_that_keep_their_promise(tmp_path):
    snippet = write_snippet(tmp_path, 'print("loss 0.2501")\n', "loss 0.2500\n")
    assert snippet_runs.write_committed(snippet, run_twice(snippet)) == []
    assert snippet.with_suffix(".out").read_text() == "loss 0.2500\n"
    drifted = write_snippet(tmp_path, 'print("loss 0.2601")\n', "loss 0.2500\n")
    assert snippet_runs.write_committed(drifted, run_twice(drifted)) == [
        snippet_runs.relative(drifted.with_suffix(".out"))
    ]
    assert drifted.with_suffix(".out").read_text() == "loss 0.2601\n"


def test_a_png_with_a_moved_pixel_is_the_same_figure_and_a_changed_plot_is_not():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def drawn(ys) -> bytes:
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1, 2], ys)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        return buffer.getvalue()

    assert snippet_runs.png_close(drawn([0, 1, 0]), drawn([0, 1.0005, 0]))
    assert not snippet_runs.png_close(drawn([0, 1, 0]), drawn([0, 0.5, 0]))


def test_an_svg_whose_embedded_bitmap_moved_a_shade_is_the_same_figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def drawn(cells) -> bytes:
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.pcolormesh(cells, cmap="Blues", vmin=0, vmax=1, rasterized=True)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", dpi=50)
        plt.close(fig)
        return buffer.getvalue()

    with matplotlib.rc_context({"svg.hashsalt": "test"}):
        svg = drawn([[0.2, 0.9], [0.5, 0.1]])
        assert snippet_runs.svg_close(svg, drawn([[0.2, 0.9], [0.501, 0.1]]))
        assert not snippet_runs.svg_close(svg, drawn([[0.9, 0.2], [0.5, 0.1]]))


def test_retrained_weights_keep_the_promise_only_when_made_the_same_way():
    import torch

    from harness.weights import beyond_promise

    committed = {"w": torch.zeros(1000)}
    assert beyond_promise(committed, {"w": torch.full((1000,), 1e-3)}) is None
    assert "differs by 0.2" in beyond_promise(committed, {"w": torch.full((1000,), 0.2)})
    assert "root mean square" in beyond_promise(committed, {"w": torch.full((1000,), 0.05)})


TIED_PAGE = """# Page

The model's loss ends at 0.199<!--ch01/next_character.out:1-->, and
the greedy sentence is the same twice.
"""


def test_a_prose_number_tied_to_its_output_builds_and_the_marker_is_gone(tmp_path):
    status, log = build_mini_site(tmp_path, TIED_PAGE)
    assert status == 0, log
    html = (tmp_path / "site" / "page" / "index.html").read_text()
    assert "ends at 0.199," in html and "next_character.out" not in html


def test_a_prose_number_that_drifted_from_its_output_fails_naming_page_and_line(tmp_path):
    drifted = TIED_PAGE.replace("0.199", "0.251")
    assert_build_fails(
        tmp_path, drifted, "docs/page.md:3: the page says 0.251",
        "snippets/ch01/next_character.out:1 reads",
    )


def test_a_tie_to_a_missing_output_or_to_no_number_is_named(tmp_path):
    (tmp_path / "missing").mkdir()
    (tmp_path / "nothing").mkdir()
    assert_build_fails(
        tmp_path / "missing", TIED_PAGE.replace("ch01/next_character.out", "ch01/gone.out"),
        "docs/page.md:3: 0.199 is tied to snippets/ch01/gone.out, which does not exist",
    )
    assert_build_fails(
        tmp_path / "nothing", TIED_PAGE.replace("0.199<!--", "zero<!--"),
        "docs/page.md:3: the marker <!--ch01/next_character.out:1--> follows no number",
    )


def test_a_chapter_number_with_no_tie_or_citation_is_named():
    from result_numbers import untied_errors

    page = "Intro.\n\nIt agrees on 71% of pairs.\n\nIt cost 2.5 ([Ng, 2020](references.md#ng)).\n"
    assert untied_errors("docs/01-x.md", page) == [
        "docs/01-x.md:3: 71% reads like a measured result but is tied to no output. Put "
        "<!--chNN/name.out:LINE--> right after it, cite its source, or mark it "
        "<!--not measured-->."
    ]
    fine = (
        "A threshold of 0.5<!--not measured-->, GPT-3.5, section 4.4, `lr=0.1`, $p=0.5$,\n"
        "and 71%<!--ch01/x.out:2--> of them.\n"
    )
    assert untied_errors("docs/01-x.md", fine) == []


@pytest.mark.parametrize(
    ("prose", "line", "quoted"),
    [
        ("0.60", "judge 0.601", True),  # rounded to fewer decimals
        ("0.601", "judge 0.60", False),  # more decimals than printed
        ("71%", "agrees on 71% of 34", True),
        ("25,840", "1536 documents, 25840 tokens", True),
        ("24,576", "a context of 24,576 tokens", True),
        ("24", "a context of 24,576 tokens", False),
        ("−0.05", "  24  -0.05  0.70", True),
        ("0.61", "judge 0.601", False),
    ],
)
def test_what_counts_as_quoting_an_output(prose, line, quoted):
    from result_numbers import quotes

    assert quotes(prose.removesuffix("%"), line) is quoted


def test_retrained_weights_within_their_promise_keep_the_committed_parameters():
    """A retrain on another CPU, or after a comment changed the fingerprint, leaves the
    committed parameters (so no example's numbers move); a different training replaces
    them."""
    import torch

    from harness.weights import load

    def saved(tensor, fingerprint) -> bytes:
        buffer = io.BytesIO()
        torch.save({"config": {}, "state_dict": {"w": tensor}, "fingerprint": fingerprint}, buffer)
        return buffer.getvalue()

    committed = saved(torch.zeros(100), "old")
    close = saved(torch.full((100,), 1e-4), "new")
    kept = load(snippet_runs.kept_product("tiny_lm.pt", committed, close))
    assert kept["fingerprint"] == "new" and torch.equal(kept["state_dict"]["w"], torch.zeros(100))
    same_making = saved(torch.full((100,), 1e-4), "old")
    assert snippet_runs.kept_product("tiny_lm.pt", committed, same_making) == committed
    assert snippet_runs.kept_product("tiny_lm.pt", committed, saved(torch.ones(100), "new")) is None
    assert snippet_runs.kept_product("tokenizer.json", b"{}", b'{"a": 1}') is None


def test_two_runs_may_differ_only_where_a_tolerance_is_declared(tmp_path):
    timed = write_snippet(
        tmp_path,
        'import random\nOUTPUT_TOLERANCE = {"took": 1.0}  # the clock\n'
        'print(f"took {random.random():.1f} s")\nprint("steps 200")\n',
    )
    run_twice(timed)
    untimed = write_snippet(tmp_path, 'import random\nprint(f"loss {random.random()}")\n')
    with pytest.raises(SnippetFailure, match="different output on two runs"):
        run_twice(untimed)


def test_what_one_snippet_sets_in_pytorch_does_not_reach_the_next(tmp_path):
    """In the suite's process, each snippet starts as in a new one: a default dtype that
    an earlier snippet set, or the random numbers it drew, change nothing (a new process
    seeds the global generator at random, so run_twice catches a snippet that relies on it)."""
    first = tmp_path / "first"
    first.mkdir()
    setter = write_snippet(first, "import torch\ntorch.set_default_dtype(torch.float64)\n"
                                  "torch.rand(5)\n")
    reader = write_snippet(tmp_path, "import torch\nprint(torch.rand(2).dtype, torch.rand(1))\n")
    alone = execute(reader).stdout
    execute(setter)
    assert execute(reader).stdout == alone
    assert alone.startswith("torch.float32")


def test_a_figure_may_move_only_as_far_as_its_snippet_declares(tmp_path):
    drawing = b'<svg><path d="M 10.0 20.0"/></svg>'
    moved = drawing.replace(b"20.0", b"22.0")
    assert not snippet_runs.figure_close("plot.svg", drawing, moved)
    assert snippet_runs.figure_close("plot.svg", drawing, moved, {"plot.svg": 3.0})
    assert not snippet_runs.figure_close("plot.svg", drawing, moved, {"other.svg": 3.0})
