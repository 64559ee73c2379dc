"""The built site: self-contained, every image described, every snippet and figure shown."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from includes import INCLUDE_LINE
from mkdocs.utils.yaml import get_yaml_loader

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
FIGURES = DOCS / "assets" / "figures"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Attributes through which a page makes the browser fetch something.
RESOURCE_ATTRIBUTES = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "object": ["data"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}
FETCHING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "prefetch", "manifest"}
SCRIPT_FETCH = re.compile(r"""(?:import|fetch|importScripts)\s*\(\s*["']((?:https?:)?//[^"']+)""")
CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""")


def is_external(url: str) -> bool:
    parts = urlsplit(url.strip().split(" ")[0])
    return bool(parts.netloc) and parts.hostname not in LOCAL_HOSTS


class PageScan(HTMLParser):
    """Collects a page's fetched URLs, its images' alt texts and its inline scripts."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.images: list[tuple[str, str | None]] = []
        self.inline_code: list[str] = []
        self._in_inline = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in RESOURCE_ATTRIBUTES.get(tag, []):
            if attributes.get(name):
                self.fetched += [part.split()[0] for part in attributes[name].split(",")]
        rels = set((attributes.get("rel") or "").split())
        if tag == "link" and rels & FETCHING_LINK_RELS and attributes.get("href"):
            self.fetched.append(attributes["href"])
        if tag == "img":
            self.images.append((attributes.get("src") or "", attributes.get("alt")))
        self._in_inline = tag in {"script", "style"} and not attributes.get("src")

    def handle_endtag(self, tag):
        self._in_inline = False

    def handle_data(self, data):
        if self._in_inline:
            self.inline_code.append(data)


@functools.cache  # three tests read every page of the one built site
def scan(page: Path) -> PageScan:
    parser = PageScan()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def site_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_site_builds_strictly(built_site):
    assert (built_site / "index.html").exists()
    assert (built_site / "01-what-is-generative-ai" / "index.html").exists()


def test_site_loads_nothing_from_other_hosts(built_site):
    offending = []
    for page in site_pages(built_site):
        found = scan(page)
        urls = [url for url in found.fetched if is_external(url)]
        for code in found.inline_code:
            urls += SCRIPT_FETCH.findall(code) + CSS_URL.findall(code)
        offending += [f"{page.relative_to(built_site)}: {url}" for url in urls]
    for sheet in sorted(built_site.rglob("*.css")):
        offending += [
            f"{sheet.relative_to(built_site)}: {url}"
            for url in CSS_URL.findall(sheet.read_text(encoding="utf-8", errors="replace"))
            if is_external(url)
        ]
    assert not offending, (
        "The site must serve every script, style, font, image and frame itself "
        "(vendor it under docs/assets/vendor/). These load from other hosts:\n"
        + "\n".join(offending)
    )


def test_every_image_has_alt_text(built_site):
    missing = [
        f"{page.relative_to(built_site)}: {src[:80]}"
        for page in site_pages(built_site)
        for src, alt in scan(page).images
        if not (alt or "").strip()
    ]
    assert not missing, (
        "Every image needs alt text that says what it shows: write ![what it shows](path). "
        "Missing in:\n" + "\n".join(missing)
    )


def page_includes() -> dict[Path, list[re.Match]]:
    return {
        page: list(INCLUDE_LINE.finditer(page.read_text(encoding="utf-8")))
        for page in sorted(DOCS.rglob("*.md"))
    }


def test_every_snippet_and_output_is_shown_on_a_page():
    included = {m["path"] for matches in page_includes().values() for m in matches}
    unused = [
        str(path.relative_to(ROOT))
        for path in sorted(SNIPPETS.rglob("*"))
        if path.suffix in {".py", ".out"}
        and path.name != "__init__.py"
        and path.relative_to(SNIPPETS).as_posix() not in included
    ]
    assert not unused, (
        "Every example and its output must appear on a page; include these with "
        '--8<-- "<path under snippets/>" or delete them:\n' + "\n".join(unused)
    )


def test_a_page_showing_parts_of_a_file_links_to_the_whole_file():
    missing = []
    for page, matches in page_includes().items():
        text = page.read_text(encoding="utf-8")
        whole = {m["path"] for m in matches if not m["section"]}
        for path in {m["path"] for m in matches if m["section"]} - whole:
            if f"(snippets/{path})" not in text:
                missing.append(f"{page.relative_to(ROOT)}: snippets/{path}")
    assert not missing, (
        "A page that shows a file in sections must also link to the whole file, e.g. "
        "[the whole file](snippets/ch01/example.py), so readers can copy it entire:\n"
        + "\n".join(missing)
    )


def test_every_figure_is_shown_on_a_page():
    pages = "\n".join(page.read_text(encoding="utf-8") for page in DOCS.rglob("*.md"))
    unused = [
        str(figure.relative_to(ROOT))
        for figure in sorted(FIGURES.rglob("*"))
        if figure.is_file() and figure.relative_to(DOCS).as_posix() not in pages
    ]
    assert not unused, "These figures appear on no page; show them or delete them:\n" + "\n".join(
        unused
    )


def test_no_page_loads_mermaid(built_site):
    """Diagrams are drawn before the build (hooks/diagrams.py): no page asks for mermaid's
    script (3.5 MB), nor does the site publish it."""
    loading = [
        f"{page.relative_to(built_site)}: {url}"
        for page in site_pages(built_site)
        for url in scan(page).fetched
        if "mermaid" in url and not url.endswith(".svg")
    ]
    published = [str(path.relative_to(built_site)) for path in built_site.rglob("mermaid*.js")]
    assert not loading and not published, loading + published


def test_every_diagram_has_its_drawings_and_every_drawing_its_diagram():
    """docs/assets/diagrams/mermaid/ holds the light and dark drawings of the pages' mermaid
    fences and nothing else; `python3 dev.py diagrams` draws what is missing and deletes
    what no fence uses (the strict build fails on a fence without its drawings)."""
    spec = importlib.util.spec_from_file_location(
        "draw_diagrams", ROOT / "scripts" / "draw_diagrams.py"
    )
    draw = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(draw)
    missing = [name for name in draw.wanted_drawings() if not (DOCS / name).is_file()]
    unused = [str(path.relative_to(ROOT)) for path in draw.unused_drawings()]
    assert not missing and not unused, (
        "Run python3 dev.py diagrams, then commit docs/assets/diagrams/mermaid/. "
        f"Missing: {missing}; no fence uses: {unused}"
    )
    assert draw.all_fences(), "no mermaid fence found in docs/: the fence parser is broken"


def test_notebook_pages_show_figures_from_the_site_not_inline(built_site):
    """The notebook carries its figures as attachments; its page links the site's copies."""
    for page in sorted((built_site / "notebooks").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        inline = re.findall(r'<img[^>]*src="data:image/', html)
        assert not inline, f"{page.relative_to(built_site)}: {len(inline)} figure(s) inline"


def test_chapter_notebook_is_built_executed_and_downloadable(built_site):
    page = built_site / "notebooks" / "01-what-is-generative-ai" / "index.html"
    notebook = page.parent / "01-what-is-generative-ai.ipynb"
    html = page.read_text(encoding="utf-8")
    assert notebook.exists(), "the notebook file is not published beside its page"
    assert 'href="01-what-is-generative-ai.ipynb" download' in html
    figures = re.findall(r'<img[^>]*src="\.\./\.\./assets/figures/ch01/', html)
    assert len(figures) >= 2, "the notebook page should show the chapter's plots"
    attachments = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert sum("attachments" in cell for cell in attachments) >= 2, (
        "the downloaded notebook should carry its figures (as cell attachments)"
    )
    assert "learned parameters: a = " in html, "the notebook page should show executed output"
    for path in ("fit_line.py", "next_character.py", "temperature.py", "output_space.py"):
        assert f"snippets/ch01/{path}" in html


def test_pages_say_when_they_last_changed(built_site):
    chapter = "01-what-is-generative-ai"
    log = subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", f"{chapter}.md"],
        cwd=DOCS, capture_output=True, text=True,
    )
    if log.returncode != 0 or not log.stdout.strip():
        pytest.skip("not a git checkout with history: pages show no date (hooks/page_source.py)")
    for page in (f"{chapter}/index.html", f"notebooks/{chapter}/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        date = re.search(r'md-source-file__fact">.*?(\d{4}-\d{2}-\d{2})', html, re.S)
        assert date and date[1] == log.stdout.strip(), f"{page}: no last-updated date from git"


def test_search_indexes_each_formula_once(built_site):
    """KaTeX writes a formula three times (its MathML, its TeX source and its drawing); the
    search index and its result previews should hold it once, as drawn."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("01-"))
    assert "a straight line, y=ax+b, and all we have" in text
    assert "The unknowns a and b are the parameters" in text


NAV_LINK_LABEL = re.compile(
    r'<a href="[^"]*" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>',
    re.S,
)


def nav_page_labels(nav: list) -> list[str]:
    """The labels that mkdocs.yml's nav gives its pages (not its sections), in order."""
    labels = []
    for item in nav:
        for label, target in item.items() if isinstance(item, dict) else []:
            labels += [label] if isinstance(target, str) else nav_page_labels(target)
    return labels


def test_the_navigation_shows_the_labels_given_in_mkdocs_yml(built_site):
    """Long chapter titles get short labels in the navigation (mkdocs.yml); a page must not
    replace its label with its own heading, as mkdocs-jupyter does for a notebook unless
    `ignore_h1_titles` is true."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as config_file:
        given = nav_page_labels(yaml.load(config_file, Loader=get_yaml_loader())["nav"])
    page = (built_site / "404.html").read_text(encoding="utf-8")  # a page without contents
    primary = page[page.index("md-nav--primary") : page.index("md-sidebar--secondary")]
    shown = NAV_LINK_LABEL.findall(primary)
    assert shown == given, (
        f"the navigation of 404.html shows {[label for label in shown if label not in given]} "
        f"instead of mkdocs.yml's {[label for label in given if label not in shown]}. A "
        "page's own title has replaced its label; give the label in mkdocs.yml's nav and "
        "keep the page from overriding it"
    )
