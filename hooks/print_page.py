"""MkDocs hook: the whole book on one page, to print or to save as a PDF (print/).

The page is made when the site is built, from the pages of the navigation in order (the
home page, the chapters, the glossary, the references; not the notebooks, each of which is
its chapter again), each as the build finished it: math rendered, diagrams as their
drawings. So that the pages can share one page, every `id` of a page is prefixed with the
page's name (`04-how-llms-are-trained--41-basic-concepts`), and every link to a page of the
book becomes a link within the print page; other addresses are made relative to it.
Folded blocks (the exercises' solutions) are unfolded, and figures and diagrams load at
once, so that the browser prints all of them. extra.css starts each page on a new sheet.

Readers print it from their browser; `scripts/print_pdf.py` prints it to a PDF with the
Chromium the tests use. The search leaves it out (it repeats every page).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

PRINT_PAGE = "print.md"
TITLE = "The whole book"
NOTEBOOKS = "notebooks/"
BASE = "http://book/"  # any absolute address: links are resolved against it, then dropped

# An attribute that names an element of the page, or an address.
NAMING = re.compile(r'(?<=\s)(?P<name>id|for|aria-labelledby|aria-describedby|aria-controls)'
                    r'="(?P<value>[^"]*)"')
ADDRESS = re.compile(r'(?<=\s)(?P<name>href|src)="(?P<value>[^"]*)"')
INPUT_GROUP = re.compile(r'(<input\b[^>]*?\sname=")([^"]*")')  # a tabbed block's radio group
FOLDED = re.compile(r"<details(?![^>]*\sopen)")
IMAGE = re.compile(r"<img\b(?![^>]*\sloading=)(?![^>]*\bdiagram-dark\b)")


def page_key(url: str) -> str:
    """A page's name on the print page: its address without slashes ("home" for the home page)."""
    return url.strip("/").replace("/", "-") or "home"


def printed_pages(nav) -> list:
    return [page for page in nav.pages if not page.file.src_uri.startswith(NOTEBOOKS)]


def on_files(files, config):
    """The print page, a page of the site that is not in the navigation."""
    cache = Path(config["config_file_path"]).parent / ".cache" / "print"
    cache.mkdir(parents=True, exist_ok=True)
    source = cache / PRINT_PAGE
    if not source.exists() or source.read_text(encoding="utf-8") != f"# {TITLE}\n":
        source.write_text(f"# {TITLE}\n", encoding="utf-8")  # its content is made below
    files.append(
        File(PRINT_PAGE, str(cache), config["site_dir"], config["use_directory_urls"],
             inclusion=InclusionLevel.NOT_IN_NAV)
    )
    return files


def is_print_page(page) -> bool:
    return page.file.src_uri == PRINT_PAGE


@event_priority(100)
def on_page_content(html, page, config, files):
    if is_print_page(page):
        page.meta["search"] = {"exclude": True}
    return html


def for_print_page(html: str, page, keys: dict[str, str], print_url: str) -> str:
    """A page's content with its names prefixed and its addresses pointing within the
    print page (or, for other files, relative to it)."""
    key = keys[page.url]

    def named(match: re.Match) -> str:
        values = " ".join(f"{key}--{value}" for value in match["value"].split())
        return f'{match["name"]}="{values}"'

    def address(match: re.Match) -> str:
        value = match["value"]
        if urlsplit(value).scheme or value.startswith("//"):
            return match[0]  # another site, or inline data
        target = urlsplit(urljoin(BASE + page.url, value))
        path = target.path.removeprefix("/")
        if path in keys:
            anchor = f"{keys[path]}--{target.fragment}" if target.fragment else keys[path]
            return f'{match["name"]}="#{anchor}"'
        relative = get_relative_url(path or ".", print_url)
        if path.endswith("/") and not relative.endswith("/"):
            relative += "/"
        fragment = f"#{target.fragment}" if target.fragment else ""
        query = f"?{target.query}" if target.query else ""
        return f'{match["name"]}="{relative}{query}{fragment}"'

    html = NAMING.sub(named, html)
    html = INPUT_GROUP.sub(lambda m: f"{m[1]}{key}--{m[2]}", html)
    html = ADDRESS.sub(address, html)
    html = FOLDED.sub("<details open", html)
    return IMAGE.sub('<img loading="eager"', html)


def contents(pages: list, keys: dict[str, str]) -> tuple[str, TableOfContents]:
    """The book's contents, as a list on the page and as the page's table of contents:
    each page and its sections."""
    items, links = [], []
    for page in pages:
        key = keys[page.url]
        top = page.toc.items[0] if page.toc.items else None
        title = top.title if top else page.title  # the page's heading, not its nav label
        link = AnchorLink(title, f"{key}--{top.id}" if top else key, 1)
        sections = top.children if top else page.toc.items
        link.children = [AnchorLink(s.title, f"{key}--{s.id}", 2) for s in sections]
        links.append(link)
        children = "".join(f'<li><a href="#{c.id}">{c.title}</a></li>' for c in link.children)
        items.append(
            f'<li><a href="#{link.id}">{link.title}</a>'
            + (f"<ol>{children}</ol>" if children else "") + "</li>"
        )
    listing = (
        '<nav class="print-contents" aria-labelledby="print-contents">'
        '<h2 id="print-contents">Contents</h2>'
        f'<ol>{"".join(items)}</ol></nav>'
    )
    return listing, TableOfContents(links)


@event_priority(100)  # before the search plugin reads the page (it leaves it out)
def on_page_context(context, page, config, nav):
    if not is_print_page(page):
        return context
    pages = printed_pages(nav)
    keys = {p.url: page_key(p.url) for p in pages}
    listing, page.toc = contents(pages[1:], keys)
    sections = [
        f'<section class="print-page" id="{keys[p.url]}">'
        f"{for_print_page(p.content or '', p, keys, page.url)}</section>"
        for p in pages
    ]
    page.content = sections[0] + listing + "".join(sections[1:])
    page.edit_url = None
    context["toc"] = page.toc
    return context
