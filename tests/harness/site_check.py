"""Every page of a built site, opened in one Chromium: what it draws and what it loads.

For each page: every formula is drawn (by KaTeX, at build time, notebook pages' Markdown
cells included), every diagram shows its drawing for the colour scheme (light here) and
never fetches the other, every image loads and holds its place (lazy, with its file's
width and height), the console shows no error, nothing is requested from another host than
127.0.0.1, KaTeX's stylesheet is requested only by a page that has math, its script by no
page, mermaid by no page (diagrams are drawn before the build), and no block the browser
may skip drawing reaches into the footer before it is drawn (see
SKIPPED_INTO_FOOTER_JS). Each page is loaded in full, and must not move what the reader
sees as it starts (layout shift; see `started`), nor be wider than the screen. Pages are
shown on a phone-sized screen, where blocks are tallest.
Used by tests/test_browser.py on the book and by tests/test_mistakes.py on a site with
broken pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from harness.browser import (
    MATH_LEFT_AS_SOURCE_JS,
    PHONE,
    RECORD_LAYOUT_SHIFTS_JS,
    SHOWN_IMAGES_JS,
    is_local,
    moved_as_it_started,
    render_everything,
)

TIMEOUT_MS = 30_000  # spent only when a page fails, or a machine is busy
KATEX = "/assets/vendor/katex/"
PRINT_PAGE = "print/index.html"
DARK_DRAWING = "-dark.svg"  # a diagram's drawing for the dark colour scheme

# What a settled page drew, as problems to report (empty when all is well).
DRAWN_JS = f"""
() => {{
  const problems = [];
  const short = text => text.trim().replace(/\\s+/g, " ").slice(0, 120);
  for (const el of ({MATH_LEFT_AS_SOURCE_JS})())
    problems.push(`notebook math left as source (hooks/math.py): ${{short(el.textContent)}}`);
  for (const el of document.querySelectorAll(".md-content .arithmatex:not(:has(.katex))"))
    problems.push(`formula left as source: ${{short(el.textContent)}}`);
  for (const pre of document.querySelectorAll("pre.diagram"))
    problems.push(`diagram shown as its source, not drawn (python3 dev.py diagrams): `
      + short(pre.textContent));
  for (const div of document.querySelectorAll("div.diagram")) {{
    const shown = [...div.querySelectorAll("img")].filter(img => img.checkVisibility());
    if (shown.length !== 1 || !shown[0].classList.contains("diagram-light"))
      problems.push(`a diagram shows ${{shown.length}} drawings, not its light one: `
        + div.innerHTML.slice(0, 120));
  }}
  const wide = document.documentElement.scrollWidth;
  if (wide > screen.width)
    problems.push(`the page is ${{wide}} px wide on a ${{screen.width}}-px screen: a table or `
      + "block widens it instead of scrolling within itself (Material wraps only tables "
      + "without a class; wrap others in md-typeset__scrollwrap)");
  const shown = ({SHOWN_IMAGES_JS})();
  for (const img of document.querySelectorAll(".md-content img")) {{
    const src = img.getAttribute("src");
    if (shown.includes(img) && !img.naturalWidth) {{
      problems.push(`image did not load: ${{src}}`);
      continue;
    }}
    const width = +img.getAttribute("width"), height = +img.getAttribute("height");
    if (img.getAttribute("loading") !== "lazy" || !width || !height)
      problems.push(`figure without loading="lazy", width and height (hooks/images.py): ${{src}}`);
    else if (shown.includes(img)
             && Math.abs(width / height - img.naturalWidth / img.naturalHeight) > 0.01)
      problems.push(`figure's width/height ${{width}}x${{height}} are not its file's shape `
        + `${{img.naturalWidth}}x${{img.naturalHeight}}: ${{src}}`);
  }}
  return {{
    problems,
    math: document.querySelectorAll(".md-content .katex").length,
  }};
}}
"""


# While a block is skipped (docs/assets/stylesheets/extra.css), the browser places its
# contents as if it were drawn but hit-tests the page with the block at its guessed height:
# contents that then lie over the dark footer are judged by accessibility checkers as text
# on the footer, a false contrast failure (Lighthouse; axe-core issue #2768). extra.css
# never skips a page's last two sections, which keeps them clear. Run before anything is drawn.
SKIPPED_INTO_FOOTER_JS = """
() => {
  const footer = document.querySelector("footer.md-footer")?.getBoundingClientRect().top;
  const reaching = [];
  for (const block of document.querySelectorAll("article.md-typeset > *")) {
    if (getComputedStyle(block).contentVisibility !== "auto") continue;
    const contents = document.createRange();
    contents.selectNodeContents(block);
    if (contents.getBoundingClientRect().bottom > footer)
      reaching.push(`skipped block <${block.localName}> `
        + `"${block.textContent.trim().slice(0, 50)}..." reaches into the footer before `
        + "it is drawn: make the page's last two sections longer, or add the block to what "
        + "extra.css never skips");
  }
  return reaching;
}
"""


def site_paths(site: Path) -> list[str]:
    """The URL path of every page of a built site: "/", "/01-x/", ..., "/404.html".

    Directory pages come first (the home page leading), then files such as 404.html, in
    the order `check_pages` walks them best. Not the print page (hooks/print_page.py),
    which repeats all the others and has a test of its own."""
    relative = [
        page.relative_to(site).as_posix() for page in site.rglob("*.html")
        if page.relative_to(site).as_posix() != PRINT_PAGE
    ]
    index = "index.html"
    directories = sorted("/" + p.removesuffix(index) for p in relative if p.endswith(index))
    files = sorted("/" + p for p in relative if not p.endswith(index))
    return directories + files


def source_of(path: str, docs_dir: Path) -> str:
    """The file a contributor edits to change the page at URL `path`."""
    stem = path.strip("/")
    if path == "/404.html":
        return "overrides/404.html"
    if stem.startswith("notebooks/"):
        return f"the notebook made from {docs_dir.name}/{stem.removeprefix('notebooks/')}.md"
    for candidate in (f"{stem}.md", f"{stem}/index.md") if stem else ("index.md",):
        if (docs_dir / candidate).exists():
            return f"{docs_dir.name}/{candidate}"
    return path


@dataclass
class Visit:
    """What the browser asked for and logged while one page was shown."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clear(self):
        self.requests.clear()
        self.errors.clear()


def show(page, base_url: str, path: str) -> list[str]:
    """Load the page at `path` in full, as a reader opening it; return the shifts of what
    the reader sees (as moved_as_it_started) as it starts."""
    response = page.goto(base_url + path)
    if response is None or not response.ok:
        raise AssertionError(f"GET {path}: {response and response.status}")
    return moved_as_it_started(page)


def problems_on_page(page, visit: Visit, shifts: list[str]) -> list[str]:
    """What went wrong on the page shown: how it moved as it started, where its skipped
    blocks reach as it arrives, then what it drew once it has drawn everything it can."""
    found = [f"moved as it started (layout shift): {shift}" for shift in shifts]
    found += page.evaluate(SKIPPED_INTO_FOOTER_JS)
    try:
        render_everything(page, TIMEOUT_MS)
    except Exception as error:  # a timeout: report what the page did instead
        found.append(f"did not finish drawing: {str(error).splitlines()[0]}")
    drawn = page.evaluate(DRAWN_JS)
    found += drawn["problems"]
    found += [f"console: {error}" for error in visit.errors]
    found += [f"request to another host: {url}" for url in visit.requests if not is_local(url)]
    if not drawn["math"]:
        found += [f"loads KaTeX without math: {url}" for url in visit.requests if KATEX in url]
    found += [
        f"loads KaTeX's script, though math is rendered at build time: {url}"
        for url in visit.requests if KATEX in url and url.endswith(".js")
    ]
    found += [f"loads mermaid: {url}" for url in visit.requests if is_mermaid(url)]
    found += [
        f"fetches a diagram's dark drawing in light mode: {url}"
        for url in visit.requests if url.endswith(DARK_DRAWING)
    ]
    return found


def is_mermaid(url: str) -> bool:
    """A request for mermaid's script (not for a drawing it made before the build)."""
    path = urlsplit(url).path
    return "mermaid" in path and not path.endswith(".svg")


def check_pages(browser, base_url: str, paths: list[str], docs_dir: Path) -> list[str]:
    """Load each page in turn in one tab; return every problem found, each naming its page.
    (Instant navigation, which shows a page without loading it, has a test of its own.)"""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_LAYOUT_SHIFTS_JS)
    page = context.new_page()
    visit = Visit()
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on(
        "console", lambda message: message.type == "error" and visit.errors.append(message.text)
    )
    page.on("pageerror", lambda error: visit.errors.append(f"uncaught: {error}"))
    problems = []
    try:
        for path in paths:
            visit.clear()
            try:
                shifts = show(page, base_url, path)
                found = problems_on_page(page, visit, shifts)
            except Exception as error:
                found = [f"could not be shown: {str(error).splitlines()[0]}"]
            problems += [f"{source_of(path, docs_dir)} ({path}): {problem}" for problem in found]
    finally:
        context.close()
    return problems
