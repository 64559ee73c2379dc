"""MkDocs hook: math is rendered when the site is built, by the site's own KaTeX.

pymdownx.arithmatex (generic mode) leaves each formula of a page as
`<span class="arithmatex">\\(...\\)</span>` or `<div class="arithmatex">\\[...\\]</div>`. This
hook runs the vendored KaTeX (docs/assets/vendor/katex/katex.min.js) in an embedded V8
(mini-racer) and puts KaTeX's HTML in their place, so a page with math needs KaTeX's
stylesheet and fonts but no script, and shows its formulas at once. A formula KaTeX cannot
render, an unknown command such as `\\sumx` included, fails the build naming the page, the
line and the formula. Site search takes each formula once, as drawn: KaTeX's MathML copy
of it (for screen readers, with its TeX source inside) is marked `data-search-exclude`, which
the search index skips. Notebook pages hold their math as `$...$` and `$$...$$` in their
Markdown cells (the notebook files keep it so, for Jupyter); the same KaTeX renders those
when their pages are built, and marks each cell it went through `data-math="drawn"`, so
notebook pages too show their formulas at once, without KaTeX's script.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from py_mini_racer import MiniRacer

KATEX = Path("assets") / "vendor" / "katex" / "katex.min.js"
ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<source>.*?)</(?P=tag)>', re.S)
DELIMITERS = re.compile(r"^\s*\\[(\[](?P<tex>.*)\\[)\]]\s*$", re.S)
RENDER_ALL = """
items => items.map(([tex, display]) => {
  try { return [true, katex.renderToString(tex, { displayMode: display, throwOnError: true })]; }
  catch (error) { return [false, String(error.message)]; }
})
"""
# A notebook page's Markdown cell (mkdocs-jupyter), its code (never math), and its formulas:
# `$$...$$` (display) or `$...$` (inline), in text between tags.
NOTEBOOK_CELL = re.compile(
    r'(?P<open><div class="[^"]*\bjp-MarkdownOutput\b[^"]*")(?P<rest>[^>]*>)(?P<body>.*?)'
    r'(?=<div class="jp-Cell\b|\Z)', re.S
)
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
DOLLARS = re.compile(r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^$<>]+?)\$", re.S)
_engine: list[MiniRacer] = []


def engine(docs_dir: Path) -> MiniRacer:
    """One V8 with KaTeX loaded, shared by every page of every build of this process."""
    if not _engine:
        context = MiniRacer()
        context.eval((docs_dir / KATEX).read_text(encoding="utf-8"))
        context.eval(f"var renderAll = {RENDER_ALL}")
        _engine.append(context)
    return _engine[0]


def on_shutdown():
    """Close the V8 before Python exits: left to the interpreter's shutdown, after a failed
    build, it hangs the process."""
    while _engine:
        _engine.pop().close()


def line_of(source: Path, tex: str) -> int | None:
    """The line of `source` where the formula `tex` starts."""
    first = tex.strip().split("\n")[0].strip()
    for number, line in enumerate(source.read_text(encoding="utf-8").split("\n"), start=1):
        if first in line:
            return number
    return None


def render(formulas: list[tuple[str, bool]], page, config) -> list[str]:
    """KaTeX's HTML for each (TeX, display) of the page; a formula it cannot render fails the
    build, naming the file and line to fix."""
    docs_dir = Path(config["docs_dir"])
    rendered = engine(docs_dir).call("renderAll", [[tex, display] for tex, display in formulas])
    for (tex, _), (ok, result) in zip(formulas, rendered):
        if not ok:
            source = Path(page.file.abs_src_path)
            line = line_of(source, tex)
            where = f"{docs_dir.name}/{page.file.src_path}" + (f":{line}" if line else "")
            raise PluginError(
                f"{where}: KaTeX cannot render the formula `{tex.strip()}`: {result}. Fix its "
                "LaTeX; KaTeX supports the commands listed at https://katex.org/docs/supported.html"
            )
    return [result.replace("<math ", "<math data-search-exclude ", 1) for _, result in rendered]


def render_notebook_cells(content: str, page, config) -> str:
    """Each Markdown cell of a notebook page with its `$` formulas rendered and marked drawn."""

    def rendered_cell(cell: re.Match) -> str:
        code = [match[0] for match in CODE.finditer(cell["body"])]
        text = CODE.sub("\0", cell["body"])  # code aside: a `$` there is not math
        found = list(DOLLARS.finditer(text))
        if not found:
            return cell[0]
        formulas = [
            (html.unescape(m["display"] or m["inline"]), m["display"] is not None) for m in found
        ]
        pieces = iter(render(formulas, page, config))
        text = DOLLARS.sub(lambda _: next(pieces), text)
        pieces = iter(code)
        text = re.sub("\0", lambda _: next(pieces), text)
        return f'{cell["open"]} data-math="drawn"{cell["rest"]}{text}'

    return NOTEBOOK_CELL.sub(rendered_cell, content)


def on_page_content(content, page, config, files):
    if page.file.src_uri.endswith(".ipynb"):
        return render_notebook_cells(content, page, config)
    formulas = [
        (m, html.unescape(DELIMITERS.match(m["source"])["tex"]), m["tag"] == "div")
        for m in ARITHMATEX.finditer(content)
    ]
    if not formulas:
        return content
    pieces = iter(render([(tex, display) for _, tex, display in formulas], page, config))

    def rendered_element(match: re.Match) -> str:
        return f'<{match["tag"]} class="arithmatex">{next(pieces)}</{match["tag"]}>'

    return ARITHMATEX.sub(rendered_element, content)
