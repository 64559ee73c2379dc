"""MkDocs hook: a mermaid diagram reaches the reader as two pictures, light and dark.

A ```` ```mermaid ```` fence stays in the page's Markdown, where contributors edit it.
`python3 dev.py diagrams` (scripts/draw_diagrams.py) draws each fence with the mermaid the
project vendors, in the headless Chromium the tests use, into two SVG files under
docs/assets/diagrams/mermaid/, each named by its page and a hash of the fence's source and
of the drawing settings below; they are committed. This hook puts them in the fence's place,
each as an image with the drawing's width and height, so the page keeps its place from the
start, and with a description of the diagram as alt text. The reader's browser shows the
one for the colour scheme (extra.css) and fetches it as it nears the screen
(hooks/images.py). No page loads mermaid.

A fence with no drawing of its current source (new, edited, or one mermaid cannot draw) is
a warning naming the page and line, which the strict build turns into a failure; until it
is drawn the page shows the fence's source.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.diagrams")

DRAWINGS = "assets/diagrams/mermaid"  # under docs/
# How diagrams are drawn (scripts/draw_diagrams.py). Part of each drawing's name, so that a change
# here makes every drawing stale, as an edit of its fence does. The fonts measure alike
# (Arial's metrics), so a label fits its box on a reader's system as it did when drawn.
SETTINGS = {
    "mermaid": "11.17.2",  # scripts/vendor/mermaid/, fetched by scripts/vendor-assets.sh
    "font": 'Arial, Helvetica, "Liberation Sans", Arimo, sans-serif',
    "themes": {"light": "default", "dark": "dark"},
    "revision": 1,  # raise it when scripts/draw_diagrams.py changes what it writes
}
VARIANTS = tuple(SETTINGS["themes"])

# A fence in Markdown: its indent, its backticks or tildes, and its info string.
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<marks>`{3,}|~{3,})\s*(?P<info>[^\n]*)$")
# A mermaid fence as pymdownx.superfences renders it (mkdocs.yml: class "diagram").
RENDERED = re.compile(r'<pre class="diagram"><code>(?P<source>.*?)</code></pre>', re.S)
SVG_TAG = re.compile(r"<svg\b[^>]*>", re.S)
ATTRIBUTE = re.compile(r'\s(?P<name>[\w:-]+)="(?P<value>[^"]*)"')


@dataclass(frozen=True)
class Fence:
    """A mermaid fence of a page: the page (under docs/), the fence's first line, its source."""

    page: Path
    line: int
    source: str


def normalized(source: str) -> str:
    """The source as hashed: no blank lines around it, no spaces at line ends."""
    return "\n".join(line.rstrip() for line in source.strip("\n").split("\n"))


def key(source: str) -> str:
    """The hash that names a fence's drawings: its source and the drawing settings."""
    settings = json.dumps(SETTINGS, sort_keys=True)
    return hashlib.sha256(f"{settings}\n{normalized(source)}".encode()).hexdigest()[:12]


def drawing_name(page_stem: str, source: str, variant: str) -> str:
    """The drawing's path under docs/: assets/diagrams/mermaid/<page>-<hash>-<variant>.svg."""
    return f"{DRAWINGS}/{page_stem}-{key(source)}-{variant}.svg"


def fences(page: Path) -> list[Fence]:
    """The mermaid fences of a Markdown page, with their first lines and sources (dedented
    by the fence's own indent, as pymdownx.superfences reads them)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found, number = [], 0
    while number < len(lines):
        opening = FENCE_OPEN.match(lines[number])
        number += 1
        if not opening:
            continue
        indent, marks = opening["indent"], opening["marks"]
        body, start = [], number
        while number < len(lines):
            line = lines[number]
            number += 1
            stripped = line.strip()
            if stripped.startswith(marks) and not stripped.strip(marks[0]):
                break
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
        if opening["info"].split(None, 1)[:1] == ["mermaid"]:
            found.append(Fence(page, start, "\n".join(body)))
    return found


def svg_size(svg_file: Path) -> tuple[str, str, str]:
    """A drawing's width, height and description, from its <svg> tag."""
    tag = SVG_TAG.search(svg_file.read_text(encoding="utf-8"))
    attributes = dict(ATTRIBUTE.findall(tag[0])) if tag else {}
    return attributes.get("width", ""), attributes.get("height", ""), attributes.get(
        "aria-label", ""
    )


def pictures(source: str, page_stem: str, page_url: str, docs_dir: Path) -> str | None:
    """The markup that shows a fence's drawings on the page at `page_url`, or None when
    the fence has no drawing of its current source."""
    images = []
    for variant in VARIANTS:
        name = drawing_name(page_stem, source, variant)
        if not (docs_dir / name).is_file():
            return None
        width, height, description = svg_size(docs_dir / name)
        images.append(
            f'<img class="diagram-{variant}" src="{get_relative_url(name, page_url)}" '
            f'alt="{description}" width="{width}" height="{height}">'
        )
    return '<div class="diagram">' + "".join(images) + "</div>"


def line_of(page: Path, source: str) -> int | None:
    wanted = normalized(source)
    return next((f.line for f in fences(page) if normalized(f.source) == wanted), None)


def on_page_content(html_content, page, config, files):
    docs_dir = Path(config["docs_dir"])
    stem = Path(page.file.src_uri).stem

    def replace(match: re.Match) -> str:
        source = html.unescape(match["source"])
        shown = pictures(source, stem, page.url, docs_dir)
        if shown is None:
            line = line_of(Path(page.file.abs_src_path), source)
            where = f"{docs_dir.name}/{page.file.src_path}" + (f":{line}" if line else "")
            log.warning(
                f"{where}: this mermaid diagram has no drawing of its current source (new, "
                "edited, or one mermaid cannot draw). Run `python3 dev.py diagrams`: it "
                "draws it, or says what mermaid finds wrong with it."
            )
            return match[0]
        return shown

    return RENDERED.sub(replace, html_content)
