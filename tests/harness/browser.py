"""Serve a built site on 127.0.0.1 and drive the system's Chromium through Playwright.

Shared by tests/test_browser.py and scripts/screenshots.py. Playwright never downloads a
browser here: it launches the `chromium` on PATH (Debian's package by default).
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HOST = "127.0.0.1"
INSTALL_HINT = "install it (Debian/Ubuntu: apt-get install chromium fonts-noto-cjk)"
# A phone, as the tests and checks show pages on one: Playwright context options.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def localize_sitemap(sitemap: str, base_url: str) -> str:
    """`sitemap` with the site's URL (its home page's `<loc>`) replaced by `base_url`.

    Material's instant navigation only intercepts links to pages listed in sitemap.xml,
    whose URLs begin with `site_url`; `mkdocs serve` rewrites `site_url` to the local
    address for the same reason. An empty sitemap (no `site_url`) is returned unchanged,
    and instant navigation then stays off, as it would on the published site.
    """
    locations = re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap)
    if not locations:
        return sitemap
    root = min(locations, key=len)
    if not all(location.startswith(root) for location in locations):
        return sitemap
    return sitemap.replace(root, base_url)


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site quietly, with sitemap.xml pointing at this server, and its
    404.html for a missing address, as static hosts such as GitHub Pages do."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        data = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        sitemap = Path(self.directory) / "sitemap.xml"
        if urlsplit(self.path).path != "/sitemap.xml" or not sitemap.is_file():
            return super().do_GET()
        host, port = self.server.server_address[:2]
        body = localize_sitemap(sitemap.read_text(encoding="utf-8"), f"http://{host}:{port}/")
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextlib.contextmanager
def serve(directory: str | Path, handler_class=SiteHandler) -> Iterator[str]:
    """Serve `directory` on a free port of 127.0.0.1; yield the base URL, without a slash."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_path() -> str | None:
    """The system Chromium's executable, or None if there is none."""
    found = shutil.which("chromium")
    if found:
        return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if fallback.exists() else None


def launch_chromium(playwright):
    """Launch the system's Chromium headless; FileNotFoundError if it is not installed."""
    executable = chromium_path()
    if executable is None:
        raise FileNotFoundError(f"Chromium not found: {INSTALL_HINT}")
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def site_in_chromium(site_dir: Path) -> Iterator[tuple[str, object]]:
    """For scripts: `site_dir` served on 127.0.0.1 and a headless Chromium, as (the site's
    base URL, the browser). A script checks `chromium_path()` first, to say what to install."""
    from playwright.sync_api import sync_playwright

    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield base, browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    """True for a URL the page may load: one on the test server, or inline data."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == HOST


# --- rendering -------------------------------------------------------------------------
#
# Every page holds its math already rendered by KaTeX at build time (hooks/math.py), and a
# notebook page marks each Markdown cell it rendered data-math="drawn". Diagrams are
# pictures drawn before the build (hooks/diagrams.py): each is a `div.diagram` holding two
# images, light and dark, of which the page shows one. Figures and
# diagrams are fetched only near the viewport (hooks/images.py), so `render_everything`
# scrolls to each one shown first.

# A notebook page's Markdown cells left holding math as source (`$...$`, `\(...\)`).
MATH_LEFT_AS_SOURCE_JS = r"""
() => [...document.querySelectorAll(".md-content .jp-MarkdownOutput:not([data-math=drawn])")]
  .filter(el => /\$|\\\(|\\\[/.test(el.textContent))
"""

# The images the page shows (a diagram's drawing for the other colour scheme is not shown,
# and never fetched).
SHOWN_IMAGES_JS = """
() => [...document.querySelectorAll(".md-content img")].filter(img => img.checkVisibility())
"""

SETTLED_JS = f"() => ({SHOWN_IMAGES_JS})().every(img => img.complete)"

DRAW_LAZY_CONTENT_JS = f"""
async () => {{
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  for (const element of ({SHOWN_IMAGES_JS})()) {{
    element.scrollIntoView();
    await frame();
    await frame();
  }}
  window.scrollTo(0, 0);
}}
"""


# Records each layout shift of the page: how much of the screen moved, and what moved.
RECORD_LAYOUT_SHIFTS_JS = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const shift of list.getEntries()) {
    const moved = shift.sources.map(({ node }) => `${node?.nodeName}.${node?.className}`);
    window.layoutShifts.push(`${shift.value.toFixed(4)} (${moved.join(", ")})`);
  }
}).observe({ type: "layout-shift", buffered: true });
"""
# Once a page has loaded, started Material and drawn its fonts: two frames later, every
# shift of its start-up has been reported.
STARTED_JS = """
async () => {
  await document.fonts.ready;
  for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
}
"""
# Shifts smaller than this are let pass: a formula nudged by a pixel as KaTeX's fonts arrive.
NUDGE = 0.001


def moved_as_it_started(page) -> list[str]:
    """The layout shifts of a page just loaded (in a context with RECORD_LAYOUT_SHIFTS_JS),
    once it has started: "0.0132 (TBODY., TH.)", each of NUDGE or more."""
    page.wait_for_function("() => typeof document$ !== 'undefined'")
    page.evaluate(STARTED_JS)
    shifts = page.evaluate("window.layoutShifts")
    return [shift for shift in shifts if float(shift.split()[0]) >= NUDGE]


def render_everything(page, timeout_ms: float = 10_000) -> None:
    """Bring every image shown (figures, diagrams) near the viewport, then wait until they
    have finished (loaded or failed)."""
    page.wait_for_function("() => typeof document$ !== 'undefined'", timeout=timeout_ms)
    page.evaluate(DRAW_LAZY_CONTENT_JS)
    page.wait_for_function(SETTLED_JS, timeout=timeout_ms)
