"""MkDocs hook: a page's figures are fetched as the reader nears them, and hold their place.

A chapter's figures sit far down its page, and a browser fetches and decodes every image
of a page while it loads: a large SVG (hundreds of kilobytes of shapes) then holds back
the first paint of the text. Each figure of a page's content gets `loading="lazy"`, so
the browser fetches it only when it comes near the screen, `decoding="async"`, and the
figure file's own `width` and `height`, so the space it will take is kept from the start
and the text does not jump when it arrives (the theme scales it to the column, keeping
that aspect ratio). Images in the site's header and footer are left as they are.
"""

from __future__ import annotations

import functools
import posixpath
import re
import struct
from pathlib import Path

from mkdocs.plugins import event_priority

IMAGE = re.compile(r"<img\b[^>]*>")
SOURCE = re.compile(r'\ssrc="([^"]+)"')
SVG_SIZE = re.compile(
    r'<svg\b[^>]*?\swidth="(?P<width>[\d.]+)(?P<unit>pt|px)?"'
    r'[^>]*?\sheight="(?P<height>[\d.]+)(?P=unit)?"',
    re.S,
)
SVG_VIEW_BOX = re.compile(
    r'<svg\b[^>]*?\sviewBox="[-\d.]+[ ,]+[-\d.]+[ ,]+(?P<width>[\d.]+)[ ,]+(?P<height>[\d.]+)"',
    re.S,
)
SVG_HEAD_CHARS = 4000  # the <svg> tag and its sizes come first
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, None: 1.0}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@functools.cache
def intrinsic_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels of an SVG or PNG file, or None when not known."""
    if path.suffix == ".svg":
        with path.open(encoding="utf-8", errors="replace") as svg:
            head = svg.read(SVG_HEAD_CHARS)
        match = SVG_SIZE.search(head)
        if not match:  # a drawing sized by its view box alone: that box is its shape
            match = SVG_VIEW_BOX.search(head)
            return match and (round(float(match["width"])), round(float(match["height"])))
        scale = PX_PER_UNIT[match["unit"]]
        return round(float(match["width"]) * scale), round(float(match["height"]) * scale)
    if path.suffix == ".png":
        with path.open("rb") as png:
            header = png.read(24)  # signature, then the IHDR chunk's width and height
        if header[:8] != PNG_SIGNATURE:
            return None
        return struct.unpack(">II", header[16:24])
    return None


def lazy_image(tag: str, docs_dir: Path, page_url: str) -> str:
    """`tag` with loading, decoding and, where the file says, width and height."""
    attributes = ""
    if " loading=" not in tag:
        attributes += ' loading="lazy"'
    if " decoding=" not in tag:
        attributes += ' decoding="async"'
    source = SOURCE.search(tag)
    if source and " width=" not in tag and " height=" not in tag and ":" not in source[1]:
        path = docs_dir / posixpath.normpath(posixpath.join(page_url, source[1]))
        size = intrinsic_size(path) if path.is_file() else None
        if size:
            attributes += f' width="{size[0]}" height="{size[1]}"'
    return tag[:4] + attributes + tag[4:]


@event_priority(-50)  # after hooks/notebooks.py has linked a notebook's figures to files
def on_post_page(output, page, config):
    start = output.find("<article")
    end = output.find("</article>", start)
    if start < 0 or end < 0:
        return output
    docs_dir = Path(config["docs_dir"])
    article = IMAGE.sub(lambda match: lazy_image(match[0], docs_dir, page.url), output[start:end])
    return output[:start] + article + output[end:]


def on_pre_build(config):
    intrinsic_size.cache_clear()  # `mkdocs serve` rebuilds after a figure changes
