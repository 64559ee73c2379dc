"""MkDocs hook: marks where a page's blocks may start to be skipped while off screen.

docs/assets/stylesheets/extra.css lets the browser skip drawing a page's blocks while
they are far from the screen, from the first block below the first screen to the last
two sections, which are always drawn (the reasons are given there). This hook marks both
ends:

- `below-phone-screen` and `below-wide-screen` on the first block that lies, by a
  deliberately low estimate of the heights of the blocks above it, below the first screen
  of a phone (up to 30em wide) or of any wider screen. A block that starts skipped inside
  the first screen grows when first drawn and pushes the text below it down as the reader
  starts to read; estimating low only draws a few more blocks at once.
- `end-sections` on the heading of the page's second-to-last section (a chapter's
  summary, before its exercises), from which the page is always drawn: a last section of
  short, folded exercises alone left the summary's skipped blocks over the footer. CSS
  could find that heading itself (`h2:nth-last-of-type(2)`), but a selector that counts
  from the end makes the browser restyle the page's blocks each time the parser adds one
  (chapter 6: a third more elements restyled), which is the work skipping is there to save.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass(frozen=True)
class Screen:
    """A first screen: the text a line fits, how far down it reaches (px), and how wide its
    text column is at the least (px; a picture wider than that is scaled down to it)."""

    name: str
    characters_per_line: int  # more than a real line holds: heights are estimated low
    height: float
    column: float


# A phone: a ~360 px column (~45 characters a line) under a screen up to ~930 px tall.
# A wider screen: a column of at most ~750 px (~100 characters) under up to ~1440 px; at
# least ~440 px (a screen just over 30em).
SCREENS = (
    Screen("below-phone-screen", 60, 1000, 280),
    Screen("below-wide-screen", 130, 1500, 420),
)
LINE = 24  # px, a little under the text's line height (25.6 px)
HEADING = {"h1": 40, "h2": 36, "h3": 28, "h4": 24, "h5": 24, "h6": 24}
CODE_LINE = 18  # px, under a code line's height
DISPLAY_MATH = 40  # px, a one-line displayed formula
# A figure counts as nothing: the build gives images their sizes only after this hook runs
# (hooks/images.py works on the finished page), and nothing is the lowest estimate. A
# diagram's drawing has its size already (hooks/diagrams.py, before this hook): it counts as
# its height at the narrowest column, never more than drawn.


@dataclass
class Block:
    """A top-level block of the page: where it starts in the HTML, and what it holds."""

    tag: str
    start: int
    classes: str
    folded: bool = False  # a <details> shown closed: only its summary line
    text: int = 0  # characters of text, formulas' MathML copies left out
    items: int = 0  # list items and table rows: each starts a line
    code_lines: int = 0
    displays: int = 0  # displayed formulas
    pictures: tuple[tuple[float, float], ...] = ()  # a diagram's drawing: (width, height)

    def height(self, screen: Screen) -> float:
        """A low estimate of the block's height on `screen` (px)."""
        if self.tag in HEADING:
            lines = math.ceil(self.text / screen.characters_per_line * 2)  # larger type
            return HEADING[self.tag] * max(lines, 1)
        if self.code_lines:
            return self.code_lines * CODE_LINE
        if self.folded:
            return LINE
        lines = math.ceil(self.text / screen.characters_per_line) + self.items
        drawn = sum(height * min(1, screen.column / width) for width, height in self.pictures)
        return lines * LINE + self.displays * DISPLAY_MATH + drawn


class TopLevelBlocks(HTMLParser):
    """Collects the page content's top-level elements (its blocks) and what each holds."""

    VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self.blocks: list[Block] = []
        self.depth = 0
        self.in_math = 0
        self.in_pre = 0
        self.feed(html)
        self.close()

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = attributes.get("class") or ""
        if self.depth == 0:
            folded = tag == "details" and "open" not in attributes
            self.blocks.append(Block(tag, self.position(), classes, folded))
        elif self.blocks:
            self.note(self.blocks[-1], tag, attributes)
        if tag not in self.VOID:
            self.depth += 1
            self.in_math += tag == "math"
            self.in_pre += tag == "pre"

    def note(self, block: Block, tag: str, attributes: dict) -> None:
        classes = (attributes.get("class") or "").split()
        if tag in ("li", "tr"):
            block.items += 1
        elif "katex-display" in classes:
            block.displays += 1
        elif tag == "img" and "diagram-light" in classes:  # one of a diagram's two drawings
            size = (attributes.get("width"), attributes.get("height"))
            if all(value and value.replace(".", "", 1).isdigit() for value in size):
                block.pictures += ((float(size[0]), float(size[1])),)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self.depth = max(self.depth - 1, 0)
        if tag == "math":
            self.in_math -= 1
        elif tag == "pre":
            self.in_pre -= 1

    def handle_data(self, data):
        if not self.blocks or self.in_math:
            return
        block = self.blocks[-1]
        if self.in_pre and "highlight" in block.classes.split():
            block.code_lines += data.count("\n")
        else:
            block.text += len(data.strip())


def first_below(blocks: list[Block], screen: Screen) -> Block | None:
    """The first block that starts below `screen`'s first screen, by the low estimate."""
    top = 0.0
    for block in blocks:
        if top >= screen.height:
            return block
        top += block.height(screen)
    return None


def with_class(html: str, block: Block, name: str) -> str:
    """`html` with class `name` added to the opening tag of `block`."""
    end = html.index(">", block.start)
    tag = html[block.start : end]
    classes = re.search(r'\bclass="([^"]*)"', tag)
    if classes:
        tag = f'{tag[: classes.start(1)]}{classes[1]} {name}{tag[classes.end(1) :]}'
    else:
        tag = f'<{block.tag} class="{name}"{tag[len(block.tag) + 1 :]}'
    return html[: block.start] + tag + html[end:]


def on_page_content(html, page, config, files):
    blocks = [block for block in TopLevelBlocks(html).blocks if block.tag != "script"]
    marks = [(block, screen.name) for screen in SCREENS if (block := first_below(blocks, screen))]
    headings = [block for block in blocks if block.tag == "h2"]
    if headings:
        marks.append((headings[-2] if len(headings) > 1 else headings[-1], "end-sections"))
    for block, name in sorted(marks, key=lambda mark: mark[0].start, reverse=True):
        html = with_class(html, block, name)
    return html
