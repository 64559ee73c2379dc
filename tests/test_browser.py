"""The built site in a real browser: every page drawn, search, notebooks, dark mode.

Headless Chromium (the system's, driven by Playwright) loads the site from a local server.
Every test also checks that the page asked no other host for anything and logged no
JavaScript error: the site must work offline and must not leak readers to third parties.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harness.browser import (
    PHONE,
    RECORD_LAYOUT_SHIFTS_JS,
    is_local,
    moved_as_it_started,
    render_everything,
    serve,
)
from harness.site_check import check_pages, site_paths

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browser

CHAPTER_1 = "/01-what-is-generative-ai/"
PRINT_PAGE = "/print/"
NOTEBOOK_1 = "/notebooks/01-what-is-generative-ai/"
TIMEOUT_MS = 30_000  # generous: it is spent only when a test fails, or a machine is busy


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    """Base URL (no trailing slash) of the built site, served on 127.0.0.1."""
    with serve(built_site) as url:
        yield url


@dataclass
class Tab:
    """A page plus what it did: every request, console error and uncaught exception."""

    page: object
    base: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def goto(self, path: str, wait_until: str = "load"):
        response = self.page.goto(self.base + path, wait_until=wait_until)
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        return response

    def assert_clean(self):
        foreign = [url for url in self.requests if not is_local(url)]
        assert not foreign, "requests to other hosts than 127.0.0.1:\n" + "\n".join(foreign)
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)
        assert not self.page_errors, "uncaught page errors:\n" + "\n".join(self.page_errors)


@contextlib.contextmanager
def open_tab(browser, site_url: str, **context_options) -> Iterator[Tab]:
    """A fresh page in its own context (no palette or search state left by other tests),
    recording what it requests and logs; `context_options` go to Playwright's context."""
    options = {"viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}
    context = browser.new_context(**(options | context_options))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, site_url)

    def on_console(message):
        if message.type == "error":
            tab.console_errors.append(f"{message.text} (at {message.location.get('url')})")

    page.on("request", lambda request: tab.requests.append(request.url))
    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(browser, site_url):
    with open_tab(browser, site_url) as tab:
        yield tab


PAGE_SHARDS = 2  # the pages, dealt into this many tests that both workers can share


def book_pages(site: Path, notebooks: bool) -> list[str]:
    """The site's pages (harness/site_check.py), without or only the chapter notebooks."""
    return [path for path in site_paths(site) if path.startswith("/notebooks/") == notebooks]


def assert_pages_render(browser, site_url: str, paths: list[str]):
    started = time.monotonic()
    problems = check_pages(browser, site_url, paths, ROOT / "docs")
    print(f"checked {len(paths)} pages in {time.monotonic() - started:.1f} s")
    assert not problems, (
        "Pages that did not render cleanly (a formula: check its LaTeX against KaTeX's "
        "supported functions; a diagram: run python3 dev.py diagrams):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("shard", range(PAGE_SHARDS))
def test_every_page_draws_its_math_and_diagrams_and_loads_only_what_it_uses(
    browser, site_url, built_site, shard
):
    """Every page but the notebooks, on a phone; the notebooks in the sweep below."""
    assert_pages_render(browser, site_url, book_pages(built_site, False)[shard::PAGE_SHARDS])


@pytest.mark.screens
@pytest.mark.parametrize("shard", range(PAGE_SHARDS))
def test_every_notebook_page_draws_its_math_and_diagrams(browser, site_url, built_site, shard):
    """The chapter notebooks' pages, on a phone, as above. Their content is the chapters',
    rendered by nbconvert; their math, as the chapters', when the site is built
    (hooks/math.py), so a formula KaTeX cannot draw fails the build first."""
    assert_pages_render(browser, site_url, book_pages(built_site, True)[shard::PAGE_SHARDS])


def requested(tab: Tab, folder: str) -> list[str]:
    return [url for url in tab.requests if f"/assets/vendor/{folder}/" in url]


def drawings_requested(tab: Tab, variant: str) -> list[str]:
    return [url for url in tab.requests if url.endswith(f"-{variant}.svg")]


# Each diagram's shown drawing: its class, whether it has loaded, its box and its file's
# shape, and its alt text.
SHOWN_DRAWINGS_JS = """
() => [...document.querySelectorAll(".md-content div.diagram img")]
  .filter(img => img.checkVisibility())
  .map(img => ({
    variant: img.className, loaded: img.complete && img.naturalWidth > 0, alt: img.alt,
    box: img.width / img.height, file: img.naturalWidth / img.naturalHeight,
  }))
"""


def shown_drawings(page, scheme: str) -> list[dict]:
    """Each diagram's shown drawing, once loaded: one per diagram, for `scheme`."""
    render_everything(page)
    drawings = page.evaluate(SHOWN_DRAWINGS_JS)
    diagrams = page.locator(".md-content div.diagram").count()
    assert diagrams and len(drawings) == diagrams, f"{len(drawings)} drawings for {diagrams}"
    for drawing in drawings:
        assert drawing["variant"] == f"diagram-{scheme}", drawing
        assert drawing["loaded"] and drawing["alt"].startswith("Flowchart: "), drawing
        assert abs(drawing["box"] / drawing["file"] - 1) < 0.01, f"squashed drawing: {drawing}"
    return drawings


def test_diagrams_are_pictures_drawn_before_the_build_and_no_page_loads_mermaid(tab):
    """hooks/diagrams.py shows each mermaid fence as its light drawing (with a description
    as alt text); the dark one is never fetched in light mode, nor mermaid at all."""
    tab.goto(CHAPTER_1)
    shown_drawings(tab.page, "light")
    assert drawings_requested(tab, "light") and not drawings_requested(tab, "dark")
    scripts = [url for url in tab.requests if "mermaid" in url and not url.endswith(".svg")]
    assert not scripts, f"a page loads mermaid: {scripts}"
    tab.assert_clean()


def test_instant_navigation_loads_and_draws_math_and_diagrams(tab, built_site):
    page = tab.page
    tab.goto("/")
    page.wait_for_function("() => typeof document$ !== 'undefined'")
    assert not requested(tab, "katex"), "the home page has no math but loads KaTeX"
    page.evaluate("() => { window.__sameDocument = true }")
    # Material rewrites nav hrefs to absolute URLs; the chapter sits in a collapsed section.
    link = '.md-nav__link[href$="/01-what-is-generative-ai/"]:not([href*="/notebooks/"])'
    sidebar = page.locator(".md-sidebar--primary")
    if not sidebar.locator(link).is_visible():
        sidebar.locator(f".md-nav__item--nested:has({link}) > label.md-nav__link").click()
    sidebar.locator(link).click()
    page.wait_for_url("**" + CHAPTER_1)
    if not page.evaluate("() => window.__sameDocument === true"):
        sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
        hint = (
            " sitemap.xml lists no pages: Material only navigates instantly to pages in the"
            " sitemap, which MkDocs fills only when mkdocs.yml sets site_url."
            if "<loc>" not in sitemap
            else ""
        )
        pytest.fail("following a nav link reloaded the page: instant navigation is off." + hint)
    # The address changes before the new content is swapped in: wait for the chapter.
    page.locator(".md-content h1", has_text="What is generative AI").wait_for()
    shown_drawings(page, "light")
    assert page.locator(".md-content .arithmatex .katex").count() > 0, "math not drawn"
    assert requested(tab, "katex")
    scripts = [url for url in requested(tab, "katex") if url.endswith(".js")]
    assert not scripts, f"chapter math is rendered at build time, yet KaTeX's script: {scripts}"
    tab.assert_clean()


def search(page, query: str) -> list[str]:
    """Run `query` in Material's search box; return the result links' hrefs."""
    box = page.locator(".md-search__input")
    box.click()
    # Material searches on keyup. Clear the box first (so that stale results cannot count),
    # then insert the query as an input method would and end it with a key press.
    box.fill("")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", state="detached")
    page.keyboard.insert_text(query)
    box.press("End")
    page.wait_for_function(
        """() => document.querySelector(".md-search-result__item") || /^No matching/
              .test(document.querySelector(".md-search-result__meta").textContent)"""
    )
    return page.locator(".md-search-result__item a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_search(tab):
    # Both words are in chapter 1 (docs/01-what-is-generative-ai.md); the Chinese one is
    # segmented by jieba into 文字 / 接龍 in the index.
    tab.goto("/")
    for query in ("gradient", "文字接龍"):
        results = search(tab.page, query)
        meta = tab.page.locator(".md-search-result__meta").text_content()
        assert results, f"search for {query!r} found nothing ({meta!r})"
    tab.assert_clean()


# A glossary row reached by its anchor: on the page, shown and marked as the target.
ROW_SHOWN_JS = """
(id) => {
  const row = document.getElementById(id);
  return location.hash === `#${id}` && !!row && row.localName === "tr"
    && row.checkVisibility() && row.matches(":target");
}
"""


# Terms searched for, each with its glossary row: in English, in Chinese, and in Chinese
# found in the chapters' text too.
GLOSSARY_QUERIES = {
    "LoRA": "lora-low-rank-adaptation",
    "困惑度": "perplexity",
    "文字接龍": "next-token-prediction",
}


def test_a_glossary_term_is_its_own_search_result_near_the_top(tab):
    """hooks/glossary_search.py: each term leads to its own row, and the glossary page no
    longer matches every query as one result with the whole table as its preview. Searched
    one after another, as a reader would: from the home page, then from the glossary."""
    tab.goto("/")
    for query, entry in GLOSSARY_QUERIES.items():
        results = [urlsplit(href) for href in search(tab.page, query)]
        pages = list(dict.fromkeys(result.path for result in results))  # by page, best first
        assert any(r.path == "/glossary/" and r.fragment == entry for r in results), (
            f"no result for {query!r} leads to glossary/#{entry}: "
            f"{[r.geturl() for r in results]}"
        )
        assert pages.index("/glossary/") < 3, f"for {query!r} the glossary comes late: {pages}"
        tab.page.locator(f'.md-search-result__item a[href*="#{entry}"]').first.click()
        # Instant navigation changes the address first, then swaps the glossary in.
        with contextlib.suppress(Exception):  # the assertion below says what was wrong
            tab.page.wait_for_function(ROW_SHOWN_JS, arg=entry)
        assert tab.page.evaluate(ROW_SHOWN_JS, entry), (
            f"the search result for {query!r} did not lead to the glossary's row #{entry}, "
            "shown and marked"
        )
    tab.assert_clean()


def index_requests(tab: Tab) -> int:
    return sum(url.split("?")[0].endswith("/search/search_index.json") for url in tab.requests)


def test_the_search_index_is_fetched_when_the_reader_first_opens_search(browser, site_url):
    """The index (the whole book's text) costs every page a large download and a worker's
    build time, so overrides/partials/search.html holds Material's request for it back until
    search is opened: here from a phone's search button; test_search opens it from the box."""
    with open_tab(browser, site_url, **PHONE) as tab:
        page = tab.page
        # Material's search has started once its worker is asked for; its index request,
        # if not held back, is made in the same task.
        with page.expect_request(lambda request: "/workers/search." in request.url):
            tab.goto("/06-transformer/")
        page.wait_for_timeout(300)
        assert index_requests(tab) == 0, (
            "the search index was fetched as the page started: keep the script in "
            "overrides/partials/search.html that holds it back until search is opened"
        )
        page.locator('label.md-header__button[for="__search"]').click()
        page.keyboard.insert_text("attention")
        page.keyboard.press("End")
        page.wait_for_selector(".md-search-result__item")
        assert index_requests(tab) == 1
        tab.assert_clean()


def test_a_page_reached_from_a_search_result_highlights_the_words_at_once(tab):
    """A search result's link carries its words (?h=...); the page marks them as it starts,
    which needs the index's settings: such a page fetches the index without waiting."""
    tab.goto(CHAPTER_1 + "?h=gradient")
    tab.page.wait_for_selector(".md-content mark")
    assert index_requests(tab) == 1
    tab.assert_clean()


def test_notebook_page(tab):
    page = tab.page
    tab.goto(NOTEBOOK_1)
    cells = page.locator(".md-content .jp-CodeCell")
    assert cells.count() > 0, "the notebook page shows no code cells"
    with_output = page.locator(".md-content .jp-CodeCell:has(.jp-OutputArea-output)")
    assert with_output.count() > 0, "no code cell on the notebook page shows an output"
    link = page.locator("a.notebook-download")
    href = link.get_attribute("href")
    assert href and href.endswith(".ipynb"), f"download link: {href!r}"
    url = link.evaluate("a => a.href")
    response = page.request.get(url)
    assert response.status == 200, f"GET {url}: {response.status}"
    assert json.loads(response.body())["cells"], f"{url} is not a notebook with cells"
    assert not page.locator(".md-sidebar--secondary").is_visible(), (
        "the notebook page should give the table of contents' column to its cells"
    )
    page.set_viewport_size(PHONE["viewport"])
    sideways = page.eval_on_selector_all(
        ".jp-OutputArea-output pre",
        "pres => pres.filter(p => p.scrollWidth > p.clientWidth).length",
    )
    assert not sideways, f"{sideways} text outputs scroll sideways on a phone instead of wrapping"
    tab.assert_clean()


def test_a_missing_address_shows_the_404_page_styled_at_any_depth(tab):
    response = tab.page.goto(tab.base + "/no/such/chapter/page/")
    assert response.status == 404
    assert "Page not found" in tab.page.locator("h1").text_content()
    header = tab.page.locator(".md-header").evaluate("el => getComputedStyle(el).position")
    assert header == "sticky", "the 404 page did not load its stylesheets at this depth"
    tab.page.locator(".md-content a", has_text="home page").click()
    tab.page.wait_for_url(tab.base + "/")
    tab.console_errors = [e for e in tab.console_errors if "status of 404" not in e]
    tab.assert_clean()


# The contrast between a drawing's first node label and the node's fill (WCAG's formula),
# in the drawing's own file, opened as a page.
NODE_CONTRAST_JS = """
() => {
  const svg = document.documentElement;
  const label = svg.querySelector(".node .nodeLabel");
  const shape = svg.querySelector(".node rect, .node polygon, .node path");
  const rgb = color => color.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = color => {
    const [r, g, b] = rgb(color).map(v => v / 255)
      .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const a = luminance(getComputedStyle(label).color);
  const b = luminance(getComputedStyle(shape).fill);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


def label_contrast(tab: Tab) -> float:
    """The node-label contrast of the first diagram's shown drawing."""
    url = tab.page.locator(".md-content div.diagram img").evaluate_all(
        "images => images.find(img => img.checkVisibility()).src"
    )
    drawing = tab.page.context.new_page()
    try:
        drawing.goto(url)
        return drawing.evaluate(NODE_CONTRAST_JS)
    finally:
        drawing.close()


def test_each_colour_scheme_shows_its_own_legible_drawing_of_a_diagram(tab):
    page = tab.page
    tab.goto(CHAPTER_1)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    shown_drawings(page, "light")
    assert label_contrast(tab) >= 4.5, "diagram labels hard to read in light mode"
    page.locator('label.md-header__button[for="__palette_1"]').click()
    page.wait_for_selector('body[data-md-color-scheme="slate"]')
    shown_drawings(page, "dark")
    assert label_contrast(tab) >= 4.5, "diagram labels hard to read in dark mode"
    page.locator('label.md-header__button[for="__palette_0"]').click()
    page.wait_for_selector('body[data-md-color-scheme="default"]')
    tab.assert_clean()


def shown_toggle(page) -> str:
    """The `for` of the one colour-toggle label that is shown."""
    shown = page.locator("form[data-palette-toggle] label:not([hidden])")
    assert shown.count() == 1, f"{shown.count()} colour toggles shown, expected one"
    return shown.get_attribute("for")


def test_colour_toggle_follows_the_system_then_the_reader(browser, site_url):
    """Without a choice saved, the system's dark setting is followed from the first paint;
    the reader's choice (by click or by Enter) is saved and outlives a reload."""
    with open_tab(browser, site_url, color_scheme="dark") as tab:
        page = tab.page
        tab.goto(CHAPTER_1, wait_until="commit")
        page.wait_for_selector("footer", state="attached")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert shown_toggle(page) == "__palette_0", "dark page offers the wrong switch"
        page.locator('label[for="__palette_0"]').click()
        page.wait_for_selector('body[data-md-color-scheme="default"]')
        assert shown_toggle(page) == "__palette_1"
        assert page.locator('meta[name="color-scheme"]').get_attribute("content") == "light"
        page.reload()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "default", (
            "the reader's choice of light was not kept over the system's dark"
        )
        page.locator("#__palette_0").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector('body[data-md-color-scheme="slate"]')
        tab.assert_clean()


# Records each change, once the page's content is parsed (its footer exists), to what every
# element's style depends on: <html> and <body> attributes, stylesheets, the colour-scheme.
WATCH_PAGE_WIDE_CHANGES_JS = """
window.pageWideChanges = [];
new MutationObserver((records) => {
  if (!document.querySelector("footer")) return;
  const watched = ["html", "body", "link", "meta", "style"];
  for (const { target, type, attributeName, addedNodes } of records) {
    if (type === "attributes" && watched.includes(target.localName)) {
      const name = target.localName === "meta" ? ` name=${target.name}` : "";
      window.pageWideChanges.push(`<${target.localName}${name}> ${attributeName}`);
    }
    for (const node of addedNodes) {
      if (["link", "meta", "style"].includes(node.localName)) {
        window.pageWideChanges.push(`<${node.localName}> added to <${target.localName}>`);
      }
    }
  }
}).observe(document, { subtree: true, attributes: true, childList: true });
"""


KNOWN_PAGE_WIDE_CHANGES = {
    "<html> class",  # Material's script marks the page as scripted; out of the site's hands
    "<html> data-js-focus-visible",  # its focus-visible polyfill's marker: no style reads it
    # The browser's own bar takes the header's colour, asked once the header is styled (the
    # first frame, which on a fast load comes after the footer is parsed): no style reads it.
    "<meta name=theme-color> content",
}


def test_starting_up_does_not_restyle_the_whole_page(tab):
    """Each change to what every element's style depends on, made after the page is parsed,
    restyles the whole page: chapter 6's 2,000 elements cost a phone about 0.1 s each time.
    Material's palette component made four such changes as it started (a marker attribute
    on <body>, set and removed, the colours again, a color-scheme <meta>) and its instant
    navigation a fifth (re-setting each stylesheet's address). overrides/main.html and
    overrides/partials/palette-toggle.html make them before the page's content is parsed,
    or on the reader's click."""
    page = tab.page
    page.add_init_script(WATCH_PAGE_WIDE_CHANGES_JS)
    tab.goto("/06-transformer/")
    page.wait_for_function("() => typeof document$ !== 'undefined'")
    page.wait_for_timeout(300)
    changes = [
        change for change in page.evaluate("window.pageWideChanges")
        if change not in KNOWN_PAGE_WIDE_CHANGES
    ]
    assert not changes, (
        "after chapter 6 was parsed, its start-up changed what every element's style depends "
        f"on: {changes}. Each restyles the whole page; make the change before the body is "
        "parsed (overrides/main.html, overrides/partials/palette-toggle.html) or on the "
        "reader's action"
    )
    tab.assert_clean()


# The screens, besides the phone of the every-page check, that every page must start on
# without moving: a tablet, a desktop, and a tall desktop (a screen turned upright), whose
# first screen holds the most blocks.
SCREENS = {
    "tablet": {"viewport": {"width": 768, "height": 1024}},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "tall desktop": {"viewport": {"width": 1080, "height": 1920}},
}


@pytest.mark.screens
@pytest.mark.parametrize("screen", list(SCREENS))
def test_nothing_moves_as_a_page_starts(browser, site_url, built_site, screen):
    """The every-page check loads each page on a phone and fails if it moves as it starts
    (harness/site_check.py); here every page, loaded on wider screens, must not either. The
    scripts run after the first paint (deferred), so whatever they change must not move
    the text: Material shows the header's search button only once the page is marked as
    scripted, which overrides/main.html does before the first paint. A figure or a diagram
    holds its place before it loads (its width and height: hooks/images.py,
    hooks/diagrams.py). No block in the first screen may be skipped (extra.css): drawn, it
    would grow and push the text below it down; hooks/skippable_blocks.py marks where
    skipping starts. Shifts under 0.001 are let pass: formulas nudged by a pixel as KaTeX's
    fonts arrive."""
    paths = site_paths(built_site)
    started = time.monotonic()
    with open_tab(browser, site_url, **SCREENS[screen]) as tab:
        tab.page.add_init_script(RECORD_LAYOUT_SHIFTS_JS)
        moved = {}
        for path in paths:
            tab.goto(path)
            if shifts := moved_as_it_started(tab.page):
                moved[path] = shifts
        tab.assert_clean()
    print(f"loaded {len(paths)} pages in {time.monotonic() - started:.1f} s")
    assert not moved, f"on a {screen}, pages moved as they started: {moved}"


# The home page's table: where it starts and where the text after it starts; for a table
# not yet wrapped by Material's script, also where it starts before any of it is parsed.
TABLE_PLACE_JS = """
() => {
  const table = document.querySelector("article table");
  const after = (table.closest(".md-typeset__scrollwrap") || table).nextElementSibling;
  const place = () => [table.getBoundingClientRect().top, after.getBoundingClientRect().top];
  const whole = place();
  if (table.closest(".md-typeset__scrollwrap")) return { whole };
  const parts = [...table.children];
  table.replaceChildren();
  const empty = place();
  table.replaceChildren(...parts);
  return { whole, empty };
}
"""


def test_a_table_starts_where_it_stays(browser, site_url):
    """A page is drawn while parsed, before Material's script wraps its tables: a table
    whose rows have not arrived yet must start where the whole one does, and the text
    after it must not move when the table is wrapped (extra.css)."""
    screen = SCREENS["tablet"]
    with open_tab(browser, site_url, java_script_enabled=False, **screen) as tab:
        tab.goto("/")
        unwrapped = tab.page.evaluate(TABLE_PLACE_JS)
    with open_tab(browser, site_url, **screen) as tab:
        tab.goto("/")
        tab.page.wait_for_selector("article .md-typeset__scrollwrap table")
        wrapped = tab.page.evaluate(TABLE_PLACE_JS)
        tab.assert_clean()
    assert unwrapped["empty"][0] == unwrapped["whole"][0], (
        f"a table whose rows have not arrived starts at {unwrapped['empty'][0]}, the whole "
        f"table at {unwrapped['whole'][0]}: align unwrapped tables to the top of their line"
    )
    assert abs(unwrapped["whole"][1] - wrapped["whole"][1]) < 0.5, (
        f"the text after the table moves from {unwrapped['whole'][1]} to "
        f"{wrapped['whole'][1]} when Material wraps it: match the wrapper's space below it"
    )


# Paragraphs that hold an element (the browser skips what is inside a skipped block, not
# the block's own placeholder box), outside the last two sections, which are always drawn.
PARAGRAPHS = "article.md-typeset > p:has(> *):not(h2.end-sections ~ *)"

# Whether the first and the last of those paragraphs are drawn.
BLOCKS_JS = f"""
() => {{
  const inside = [...document.querySelectorAll("{PARAGRAPHS} > :first-child")];
  const drawn = (element) => element.checkVisibility({{ contentVisibilityAuto: true }});
  return {{ first: drawn(inside[0]), last: drawn(inside.at(-1)) }};
}}
"""

# Where a focused link's ring reaches, and where the block holding it stops painting.
FOCUS_RING_JS = """
(link) => {
  const block = link.closest("article.md-typeset > *");
  const style = getComputedStyle(link);
  const ring = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
  const clip = parseFloat(getComputedStyle(block).overflowClipMargin) || 0;
  const a = link.getBoundingClientRect(), b = block.getBoundingClientRect();
  return {
    ring: [a.left - ring, a.top - ring, a.right + ring, a.bottom + ring],
    painted: [b.left - clip, b.top - clip, b.right + clip, b.bottom + clip],
    skippable: getComputedStyle(block).contentVisibility === "auto",
  };
}
"""


def test_blocks_far_from_the_screen_are_drawn_as_the_reader_nears_them(browser, site_url):
    """extra.css lets the browser skip a chapter's blocks from below its first screen to its
    last section while they are far from the screen (chapter 6: less than half the
    elements restyled and laid out while it loads). The first screen is drawn at once, a
    far block as soon as it is scrolled to, and a skipped block still paints the whole ring
    of a link focused from the keyboard, even at the block's edge."""
    with open_tab(browser, site_url, **PHONE) as tab:
        page = tab.page
        tab.goto("/06-transformer/")
        assert page.evaluate(BLOCKS_JS) == {"first": True, "last": False}, (
            "chapter 6 at load: its first paragraph should be drawn and its last skipped "
            "(docs/assets/stylesheets/extra.css, content-visibility)"
        )
        # The browser's own selector engine: Playwright's takes seconds over chapter 6.
        page.evaluate(f"() => [...document.querySelectorAll('{PARAGRAPHS}')].at(-1)"
                      ".scrollIntoView()")
        page.wait_for_function(f"() => ({BLOCKS_JS})().last")

        link = page.locator("article.md-typeset > h2 ~ p a[href]").first
        link.evaluate("link => link.scrollIntoView()")
        page.keyboard.press("Shift")  # focus from the keyboard: the ring is drawn
        link.focus()
        geometry = link.evaluate(FOCUS_RING_JS)
        ring, painted = geometry["ring"], geometry["painted"]
        assert geometry["skippable"]
        clipped = (
            f"a focused link's ring ({ring}) is clipped by its skipped block, which paints "
            f"only within {painted}: keep overflow-clip-margin beside content-visibility in "
            "docs/assets/stylesheets/extra.css"
        )
        assert painted[0] <= ring[0] and painted[1] <= ring[1], clipped
        assert ring[2] <= painted[2] and ring[3] <= painted[3], clipped
        tab.assert_clean()


# Where a heading lies once a link to it has been followed: its top on the screen, the top
# it is scrolled to (its scroll margin), and whether the page is scrolled to its end.
HEADING_PLACE_JS = """
(id) => {
  const heading = document.getElementById(id);
  return {
    top: Math.round(heading.getBoundingClientRect().top),
    margin: Math.round(parseFloat(getComputedStyle(heading).scrollMarginTop)),
    atEnd: scrollY >= document.documentElement.scrollHeight - innerHeight - 1,
  };
}
"""


# A heading followed to: at the top of the screen, or the page scrolled to its end.
ARRIVED_JS = "(place) => Math.abs(place.top - place.margin) <= 2 || place.atEnd"


def test_a_link_to_the_last_section_scrolls_as_far_as_the_page_goes(browser, site_url):
    """Blocks far from the screen are skipped at a guessed height (extra.css). Following a
    link to the last heading of a long page, the heading should reach the top of the
    screen or the page its end, as without the skipping, whether the link is in the table
    of contents or the page is opened at it (assets/javascripts/anchors.js)."""
    with open_tab(browser, site_url) as tab:
        page = tab.page
        for follow in ("the address", "the table of contents"):
            if follow == "the address":
                tab.goto("/06-transformer/#exercises")
            else:
                tab.goto("/06-transformer/")
                page.locator('.md-sidebar--secondary a[href$="#exercises"]').click()
            with contextlib.suppress(Exception):  # the assertion below says what was wrong
                page.wait_for_function(f"() => ({ARRIVED_JS})(({HEADING_PLACE_JS})('exercises'))")
            place = page.evaluate(HEADING_PLACE_JS, "exercises")
            assert abs(place["top"] - place["margin"]) <= 2 or place["atEnd"], (
                f"following {follow} to chapter 6's #exercises left the heading {place['top']} "
                "px down the screen with the page not scrolled to its end: the blocks above "
                "it grew as they were drawn (docs/assets/javascripts/anchors.js scrolls again)"
            )
        tab.assert_clean()


# What the print page holds, and what it should: counted in its own page and, in the built
# pages it is made from, between <article> and </article>.
PRINTED = {
    "formulas": (r'class="arithmatex"', ".md-content .arithmatex:has(.katex)"),
    "diagrams": (r'class="diagram[ "]', ".md-content div.diagram:has(img.diagram-light)"),
    "figures": (r'<img[^>]* class="figure"', ".md-content img.figure"),
    "code blocks": (r'<div class="[^"]*\bhighlight\b', ".md-content div.highlight"),
}
PRINT_PAGE_JS = """
() => ({
  unloaded: [...document.querySelectorAll(".md-content img")]
    .filter(img => img.checkVisibility() && !(img.complete && img.naturalWidth))
    .map(img => img.getAttribute("src")),
  broken: [...document.querySelectorAll(".md-content a[href^='#']")]
    .map(a => decodeURIComponent(a.hash.slice(1)))
    .filter(id => id && !document.getElementById(id)),
  shownInPrint: [...document.querySelectorAll(".md-content div.diagram img")]
    .filter(img => img.checkVisibility()).map(img => img.className),
})
"""


@pytest.mark.screens
def test_the_print_page_holds_the_whole_book(browser, site_url, built_site):
    """hooks/print_page.py: every page of the book (not the notebooks) on one page, with its
    math rendered, its figures, diagrams and code, and every link within it leading to an
    element of it; printed, even from dark mode, diagrams show their light drawings."""
    printed = [
        page for page in sorted(built_site.rglob("index.html"))
        if not {"notebooks", "print"} & set(page.relative_to(built_site).parts)
    ]
    articles = "".join(
        html[html.index("<article") : html.index("</article>")]
        for html in (page.read_text(encoding="utf-8") for page in printed)
    )
    with open_tab(browser, site_url) as tab:
        page = tab.page
        page.goto(tab.base + PRINT_PAGE, timeout=60_000)  # the whole book, images at once
        found = {name: page.locator(selector).count() for name, (_, selector) in PRINTED.items()}
        wanted = {name: len(re.findall(marker, articles)) for name, (marker, _) in PRINTED.items()}
        assert found == wanted and all(wanted.values()), (found, wanted)
        state = page.evaluate(PRINT_PAGE_JS)
        assert not state["unloaded"], f"images not loaded on the print page: {state['unloaded']}"
        assert not state["broken"], f"links to nothing on the print page: {state['broken'][:10]}"
        page.evaluate("() => document.body.dataset.mdColorScheme = 'slate'")
        page.emulate_media(media="print")
        shown = page.evaluate(PRINT_PAGE_JS)["shownInPrint"]
        assert shown == ["diagram-light"] * wanted["diagrams"], set(shown)
        tab.assert_clean()
