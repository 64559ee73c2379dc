"""MkDocs hook: each chapter's notebook is made from its page (hooks/chapter_notebook.py).

A nav entry `notebooks/<chapter>.ipynb` asks for the notebook of page `<chapter>.md`. The
hook writes it to `.cache/notebooks/` and hands it to mkdocs-jupyter, which renders it
without running it: its outputs are the committed ones, which the tests keep true (and a
test runs every notebook in a fresh kernel). There is no second copy of anything: change
the page or a snippet and the notebook follows.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import re
from pathlib import Path

import nbformat
from chapter_notebook import Page, chapter_notebook
from diagrams import pictures
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from result_numbers import without_markers

NOTEBOOK_DIR = "notebooks"
# nbconvert's page template loads MathJax (an empty src when no URL is set) and, for
# notebooks with mermaid cells, mermaid from a CDN. The site renders math with its own
# KaTeX and shows diagrams as their drawings, so both loaders are removed from notebook pages.
NBCONVERT_LOADERS = re.compile(
    r'<script src="[^"]*">\s*</script>\s*<!-- MathJax configuration -->\s*'
    r'<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">(?:(?!</script>).)*?mermaid\.esm\.min\.mjs.*?</script>',
    re.S,
)

# An inline stylesheet of nbconvert's page.
STYLE = re.compile(r"<style[^>]*>(?P<css>.*?)</style>", re.S)

# An image carried inline: src="data:image/svg+xml;base64,..." (or png).
INLINE_IMAGE = re.compile(r'src="data:image/[\w+.-]+;base64,(?P<data>[A-Za-z0-9+/=]+)"')

# nbconvert's markup for a mermaid fence in a Markdown cell.
NBCONVERT_MERMAID = re.compile(
    r'<div class="jp-Mermaid"><pre class="mermaid">(.*?)</pre>\s*</div>', re.S
)


def nav_paths(nav) -> list[str]:
    """Every page path named in a (nested) MkDocs nav."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [path for item in nav for path in nav_paths(item)]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in nav_paths(value)]
    return []


def chapter_notebooks(config) -> dict[str, Path]:
    """The notebooks the nav asks for, each with its chapter page: {nav path: page path}."""
    docs_dir = Path(config["docs_dir"])
    return {
        path: docs_dir / (Path(path).stem + ".md")
        for path in nav_paths(config["nav"])
        if path.startswith(f"{NOTEBOOK_DIR}/") and path.endswith(".ipynb")
    }


def page_context(config) -> Page:
    site_url = config["site_url"] or ""
    return Page(
        docs_dir=Path(config["docs_dir"]),
        site_url=site_url if site_url.endswith("/") or not site_url else site_url + "/",
        snippet_options=config["mdx_configs"].get("pymdownx.snippets", {}),
    )


def write_if_changed(path: Path, text: str) -> None:
    """Leave an unchanged file alone, so `mkdocs serve` does not rebuild in a loop."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def on_pre_build(config):
    figure_files.cache_clear()  # `mkdocs serve` rebuilds after a figure changes


@event_priority(100)  # before mkdocs-jupyter wraps the notebook files
def on_files(files, config):
    cache_dir = Path(config["config_file_path"]).parent / ".cache" / "notebooks"
    page = page_context(config)
    for path, chapter_page in chapter_notebooks(config).items():
        markdown = without_markers(chapter_page.read_text(encoding="utf-8"))
        notebook = chapter_notebook(markdown, page, chapter_page.stem + "/")
        write_if_changed(cache_dir / path, nbformat.writes(notebook))
        files.append(
            File(path, str(cache_dir), config["site_dir"], config["use_directory_urls"])
        )
    return files


@event_priority(50)  # before the search plugin indexes the page
def on_page_context(context, page, config, nav):
    """A notebook repeats its chapter: search finds the chapter, not the copy as well."""
    if page.file.src_uri.startswith(f"{NOTEBOOK_DIR}/"):
        page.meta["search"] = {"exclude": True}
    return context


def diagram(match: re.Match, page, docs_dir: Path) -> str:
    """A notebook's mermaid cell, shown by the drawings of its chapter's fence; until they
    are drawn (the chapter page's build names the fence), as its source."""
    source = html.unescape(match[1]).strip("\n")
    shown = pictures(source, Path(page.file.src_uri).stem, page.url, docs_dir)
    return shown or f'<pre class="diagram"><code>{html.escape(source)}</code></pre>'


def on_post_page(output, page, config):
    """A notebook page loads nothing from other hosts and shows its diagrams as pages do."""
    if not page.file.src_uri.startswith(f"{NOTEBOOK_DIR}/"):
        return output
    docs_dir = Path(config["docs_dir"])
    output = NBCONVERT_MERMAID.sub(lambda match: diagram(match, page, docs_dir), output)
    # Marked before its sidebars, so the first paint already gives the cells the table of
    # contents' column (extra.css): marked by the cells themselves, it moved them as they came.
    output = output.replace('<main class="md-main"', '<main class="md-main notebook-page"', 1)
    output = linked_figures(output, Path(config["docs_dir"]), page.url)
    output = shared_stylesheet(output, Path(config["site_dir"]), page.url)
    return NBCONVERT_LOADERS.sub("", output)


def shared_stylesheet(output: str, site_dir: Path, page_url: str) -> str:
    """nbconvert puts JupyterLab's stylesheet (about 590 KB) inline in every notebook page.
    Every notebook page gets the same one, so it is written once, as a file named by its
    content, which the browser fetches once and caches: pages shrink to a fifth."""
    article = output.find("<article")
    styles = [m for m in STYLE.finditer(output) if m.start() > article >= 0]
    if not styles:
        return output
    css = "\n".join(m["css"] for m in styles)
    name = f"notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    path = site_dir / "assets" / "stylesheets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8")
    href = get_relative_url(f"assets/stylesheets/{name}", page_url)
    link = f'<link rel="stylesheet" href="{href}">'
    pieces, last = [], 0
    for index, match in enumerate(styles):
        pieces += [output[last : match.start()], link if index == 0 else ""]
        last = match.end()
    return "".join(pieces) + output[last:]


def linked_figures(output: str, docs_dir: Path, page_url: str) -> str:
    """A figure the notebook carries inline (its cell attachment, base64 in the page) is
    shown from the site's own copy instead, which the chapter page has already fetched:
    the notebook page is then a third of the weight. The downloaded notebook keeps its
    attachments."""
    figures = figure_files(docs_dir)

    def link(match: re.Match) -> str:
        figure = figures.get(match["data"])
        return f'src="{get_relative_url(figure, page_url)}"' if figure else match[0]

    return INLINE_IMAGE.sub(link, output)


@functools.cache  # once per build (on_pre_build clears it), not once per notebook page
def figure_files(docs_dir: Path) -> dict[str, str]:
    """{base64 of an image under docs/assets/: its path from the site's root}."""
    return {
        base64.b64encode(path.read_bytes()).decode(): path.relative_to(docs_dir).as_posix()
        for path in (docs_dir / "assets").rglob("*")
        if path.suffix in {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
    }
