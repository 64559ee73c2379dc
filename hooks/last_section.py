"""MkDocs hook: marks the heading of each page's last section, `<h2 class="last-section">`.

docs/assets/stylesheets/extra.css lets the browser skip drawing a page's blocks while they
are far from the screen, but never those of its last section (the reason is given there).
CSS could find that heading itself (`h2:last-of-type`), but a selector that counts from the
end makes the browser restyle the page's blocks again each time the parser adds one while
the page loads (chapter 6: a third more elements restyled), which is the work skipping
is there to save.
"""

from __future__ import annotations

import re

H2 = re.compile(r"<h2\b([^>]*)>")
CLASS = re.compile(r'\bclass="([^"]*)"')


def mark(heading_attributes: str) -> str:
    if CLASS.search(heading_attributes):
        return CLASS.sub(r'class="\1 last-section"', heading_attributes, count=1)
    return f' class="last-section"{heading_attributes}'


def on_page_content(html, page, config, files):
    headings = list(H2.finditer(html))
    if not headings:
        return html
    last = headings[-1]
    return f"{html[:last.start()]}<h2{mark(last[1])}>{html[last.end():]}"
