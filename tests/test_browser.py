"""The built site in a real browser: math, diagrams, figures, search, notebooks, dark mode.

Headless Chromium (the system's, driven by Playwright) loads the site from a local server.
Every test also checks that the page asked no other host for anything and logged no
JavaScript error: the site must work offline and must not leak readers to third parties.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from harness.browser import (
    INSTALL_HINT,
    is_local,
    launch_chromium,
    mermaid_svgs,
    serve,
    wait_for_rendering,
)

pytestmark = pytest.mark.browser

CHAPTER_1 = "/01-what-is-generative-ai/"
NOTEBOOK_1 = "/notebooks/01-what-is-generative-ai/"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    """Base URL (no trailing slash) of the built site, served on 127.0.0.1."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module. Missing: skip, or fail where CI is set."""

    def missing(message: str):
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so the browser tests must run)", pytrace=False)
        pytest.skip(message)

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright not found: pip install playwright (it uses the system's Chromium)")
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except FileNotFoundError:
            missing(f"Chromium not found: {INSTALL_HINT} to run the browser tests")
        yield chromium
        chromium.close()


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


@pytest.fixture
def tab(browser, site_url):
    """A fresh page in its own context (no palette or search state left by other tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, site_url)

    def on_console(message):
        if message.type == "error":
            tab.console_errors.append(f"{message.text} (at {message.location.get('url')})")

    page.on("request", lambda request: tab.requests.append(request.url))
    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.page_errors.append(str(error)))
    yield tab
    context.close()


def assert_math_rendered(page):
    page.wait_for_selector(".md-content .katex", state="attached")
    wait_for_rendering(page)
    assert page.locator(".md-content .katex").count() > 0
    errors = page.locator(".katex-error").all_text_contents()
    assert not errors, f"KaTeX could not render: {errors}"
    unrendered = page.locator(".md-content .arithmatex:not(:has(.katex))").all_text_contents()
    assert not unrendered, f"math left as source: {unrendered}"


def assert_mermaid_rendered(page, expected: int):
    wait_for_rendering(page)
    svgs = mermaid_svgs(page)
    assert len(svgs) == expected, f"{expected} mermaid diagrams expected, {len(svgs)} rendered"
    for number, svg in enumerate(svgs, 1):
        assert "<g" in svg, f"mermaid diagram {number} has no drawing: {svg[:300]!r}"
        assert "Syntax error" not in svg, f"mermaid diagram {number} failed to parse"


def mermaid_sources(built_site: Path, path: str) -> int:
    html = (built_site / path.strip("/") / "index.html").read_text(encoding="utf-8")
    return html.count('<pre class="mermaid">')


def test_home_page(tab):
    tab.goto("/")
    assert "Introduction to Generative AI" in tab.page.title()
    tab.assert_clean()


def test_chapter_renders_math_diagrams_and_figures(tab, built_site):
    diagrams = mermaid_sources(built_site, CHAPTER_1)
    assert diagrams > 0, "chapter 1 is expected to have a mermaid diagram"
    tab.goto(CHAPTER_1)
    assert_math_rendered(tab.page)
    assert_mermaid_rendered(tab.page, diagrams)
    images = tab.page.eval_on_selector_all(
        ".md-content img", "imgs => imgs.map(img => [img.currentSrc || img.src, img.naturalWidth])"
    )
    assert images, "chapter 1 is expected to have figures"
    broken = [src for src, width in images if width == 0]
    assert not broken, f"images that did not load: {broken}"
    tab.assert_clean()


def test_instant_navigation_keeps_math_working(tab, built_site):
    page = tab.page
    tab.goto("/")
    page.wait_for_function("() => typeof document$ !== 'undefined'")
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
    assert_math_rendered(page)
    assert_mermaid_rendered(page, mermaid_sources(built_site, CHAPTER_1))
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
        """() => document.querySelector(".md-search-result__item")
              || /^No matching/.test(document.querySelector(".md-search-result__meta").textContent)"""
    )
    return page.locator(".md-search-result__item a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


@pytest.mark.parametrize("query", ["gradient", "文字接龍"], ids=["english", "chinese"])
def test_search(tab, query):
    # Both words are in chapter 1 (docs/01-what-is-generative-ai.md); the Chinese one is
    # segmented by jieba into 文字 / 接龍 in the index.
    tab.goto("/")
    results = search(tab.page, query)
    meta = tab.page.locator(".md-search-result__meta").text_content()
    assert results, f"search for {query!r} found nothing ({meta!r})"
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
    tab.assert_clean()


def test_dark_mode_toggle(tab):
    page = tab.page
    tab.goto("/")
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator('label.md-header__button[for="__palette_1"]').click()
    page.wait_for_selector('body[data-md-color-scheme="slate"]')
    page.locator('label.md-header__button[for="__palette_0"]').click()
    page.wait_for_selector('body[data-md-color-scheme="default"]')
    tab.assert_clean()
