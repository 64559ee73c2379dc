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
    """Serves the built site quietly, with sitemap.xml pointing at this server."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

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
def serve(directory: str | Path) -> Iterator[str]:
    """Serve `directory` on a free port of 127.0.0.1; yield the base URL, without a slash."""
    handler = functools.partial(SiteHandler, directory=str(directory))
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


def is_local(url: str) -> bool:
    """True for a URL the page may load: one on the test server, or inline data."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == HOST


# --- rendering -------------------------------------------------------------------------
#
# The page source holds math as `<span class="arithmatex">\(...\)</span>` and diagrams as
# `<pre class="mermaid"><code>...</code></pre>`. The site's KaTeX script fills each
# arithmatex element with `.katex` markup; Material's bundle replaces each `pre.mermaid`
# with an empty `<div class="mermaid">` whose *closed* shadow root holds the <svg>. Page
# scripts (and Playwright's selectors) cannot see into a closed shadow root, so a diagram
# counts as rendered when no `pre.mermaid` is left and every `div.mermaid` has a height;
# `mermaid_svgs` then reads the svgs themselves through the DevTools protocol.

RENDERED_JS = """
() => {
  const content = document.querySelector(".md-content");
  if (!content) return false;
  const math = [...content.querySelectorAll(".arithmatex")];
  const mathDone = math.every(el => el.querySelector(".katex, .katex-error"));
  const diagrams = [...content.querySelectorAll("div.mermaid")];
  const diagramsDone = !content.querySelector("pre.mermaid")
    && diagrams.every(el => el.getBoundingClientRect().height > 0);
  const images = [...content.querySelectorAll("img")];
  const imagesDone = images.every(img => img.complete);
  return mathDone && diagramsDone && imagesDone;
}
"""


def wait_for_rendering(page, timeout_ms: float = 10_000) -> None:
    """Wait until the page's math, mermaid diagrams and images have finished rendering."""
    page.wait_for_function(RENDERED_JS, timeout=timeout_ms)


def mermaid_svgs(page) -> list[str]:
    """The markup of the <svg> inside each rendered `div.mermaid`, in page order.

    A `div.mermaid` without a shadow-root svg contributes an empty string.
    """
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        hosts = []

        def walk(node):
            attributes = node.get("attributes", [])
            classes = dict(zip(attributes[::2], attributes[1::2])).get("class", "").split()
            if node.get("nodeName") == "DIV" and "mermaid" in classes:
                hosts.append(node)
            for key in ("children", "shadowRoots"):
                for child in node.get(key, []):
                    walk(child)
            if "contentDocument" in node:
                walk(node["contentDocument"])

        walk(root)
        svgs = []
        for host in hosts:
            svg_nodes = [
                child
                for shadow in host.get("shadowRoots", [])
                for child in shadow.get("children", [])
                if child.get("nodeName", "").lower() == "svg"
            ]
            svgs.append(
                cdp.send("DOM.getOuterHTML", {"nodeId": svg_nodes[0]["nodeId"]})["outerHTML"]
                if svg_nodes
                else ""
            )
        return svgs
    finally:
        cdp.detach()
