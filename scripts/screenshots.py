"""Full-page screenshots of a built site: light and dark on a desktop, light on a phone.

    python scripts/screenshots.py SITE_DIR OUT_DIR [PAGE ...]

SITE_DIR is a built site (`mkdocs build -d SITE_DIR`); it is served on 127.0.0.1 and
each PAGE (a URL path; default: the home page, chapter 1 and its notebook) is saved as
OUT_DIR/<name>-light.png, <name>-dark.png (1280 px wide) and <name>-phone.png (390 px),
where <name> is the path with "-" for "/" ("home" for "/"). Every diagram is scrolled
into view first, so that it is drawn. Uses the system's Chromium (apt-get install chromium
fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from harness.browser import (  # noqa: E402
    INSTALL_HINT,
    chromium_path,
    render_everything,
    site_in_chromium,
)

DEFAULT_PAGES = ["/", "/01-what-is-generative-ai/", "/notebooks/01-what-is-generative-ai/"]
# (name, viewport, colour scheme, mobile)
VIEWS = [
    ("light", {"width": 1280, "height": 900}, "light", False),
    ("dark", {"width": 1280, "height": 900}, "dark", False),
    ("phone", {"width": 390, "height": 844}, "light", True),
]
SETTLE_MS = 1000


def shot_name(path: str) -> str:
    """"/" -> "home", "/01-x/" -> "01-x", "/notebooks/01-x/" -> "notebooks-01-x"."""
    parts = [part for part in path.strip("/").removesuffix("index.html").split("/") if part]
    return "-".join(part.removesuffix(".html") for part in parts) or "home"


def main(argv: list[str] | None = None) -> int | str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="a built site")
    parser.add_argument("out_dir", type=Path, help="where the PNG files go")
    parser.add_argument("pages", nargs="*", default=DEFAULT_PAGES, help="URL paths")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        parser.error(f"{args.site_dir} is not a built site (no index.html)")
    args.out_dir.mkdir(parents=True, exist_ok=True)

    if chromium_path() is None:
        return f"Chromium not found: {INSTALL_HINT}"
    with site_in_chromium(args.site_dir) as (base, browser):
        for view, viewport, scheme, mobile in VIEWS:
            context = browser.new_context(
                viewport=viewport, color_scheme=scheme, is_mobile=mobile, has_touch=mobile
            )
            page = context.new_page()
            for path in args.pages:
                page.goto(base + "/" + path.lstrip("/"), wait_until="networkidle")
                render_everything(page)
                # The site lets the browser skip drawing blocks far off screen
                # (content-visibility, extra.css); a full-page shot wants all of them.
                page.add_style_tag(content="* { content-visibility: visible !important; }")
                page.wait_for_timeout(SETTLE_MS)
                out = args.out_dir / f"{shot_name(path)}-{view}.png"
                page.screenshot(path=str(out), full_page=True)
                print(out)
            context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
