"""MkDocs hook: math is rendered when the site is built, by the site's own KaTeX.

pymdownx.arithmatex (generic mode) leaves each formula of a page as
`<span class="arithmatex">\\(...\\)</span>` or `<div class="arithmatex">\\[...\\]</div>`. This
hook runs the vendored KaTeX (docs/assets/vendor/katex/katex.min.js) in an embedded V8
(mini-racer) and puts KaTeX's HTML in their place, so a page with math needs KaTeX's
stylesheet and fonts but no script, and shows its formulas at once. A formula KaTeX cannot
render, an unknown command such as `\\sumx` included, fails the build naming the page, the
line and the formula. Site search takes each formula once, as drawn: KaTeX's MathML copy
of it (for screen readers, with its TeX source inside) is marked `data-search-exclude`, which
the search index skips. (Notebook pages keep `$...$` in their Markdown cells: the browser
renders those, with assets/javascripts/math.js.)
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


def on_page_content(content, page, config, files):
    formulas = [
        (m, html.unescape(DELIMITERS.match(m["source"])["tex"]), m["tag"] == "div")
        for m in ARITHMATEX.finditer(content)
    ]
    if not formulas:
        return content
    docs_dir = Path(config["docs_dir"])
    rendered = engine(docs_dir).call("renderAll", [[tex, display] for _, tex, display in formulas])
    for (_, tex, _), (ok, result) in zip(formulas, rendered):
        if not ok:
            source = Path(page.file.abs_src_path)
            line = line_of(source, tex)
            where = f"{docs_dir.name}/{page.file.src_path}" + (f":{line}" if line else "")
            raise PluginError(
                f"{where}: KaTeX cannot render the formula `{tex.strip()}`: {result}. Fix its "
                "LaTeX; KaTeX supports the commands listed at https://katex.org/docs/supported.html"
            )
    pieces = iter(result for _, result in rendered)

    def rendered_element(match: re.Match) -> str:
        katex = next(pieces).replace("<math ", "<math data-search-exclude ", 1)
        return f'<{match["tag"]} class="arithmatex">{katex}</{match["tag"]}>'

    return ARITHMATEX.sub(rendered_element, content)
