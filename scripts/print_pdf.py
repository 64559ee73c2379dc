"""Print the whole book to a PDF, from its print page, with the Chromium the tests use.

    python scripts/print_pdf.py SITE_DIR OUT.pdf

SITE_DIR is a built site (`python3 dev.py build` makes site/); its page print/ (the whole
book on one page, hooks/print_page.py) is served on 127.0.0.1, loaded with every figure and
diagram, and printed on A4 in the light colour scheme, with page numbers. A reader gets the
same from the page with the browser's Print (Save as PDF). Uses the system's Chromium
(apt-get install chromium fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from harness.browser import INSTALL_HINT, chromium_path, site_in_chromium  # noqa: E402

PRINT_PAGE = "/print/"
FOOTER = (
    '<div style="font-size: 8px; width: 100%; text-align: center;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
# Every image shown has loaded (the print page loads them at once, not as the reader nears
# them; a diagram's dark drawing is not shown in light mode, nor printed).
LOADED_JS = "() => [...document.images].every(img => !img.checkVisibility() || img.complete)"


def main(argv: list[str] | None = None) -> int | str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="a built site")
    parser.add_argument("pdf", type=Path, help="the PDF file to write")
    args = parser.parse_args(argv)
    if not (args.site_dir / "print" / "index.html").is_file():
        parser.error(f"{args.site_dir} is not a built site with a print page (print/)")

    if chromium_path() is None:
        return f"Chromium not found: {INSTALL_HINT}"
    with site_in_chromium(args.site_dir) as (base, browser):
        page = browser.new_page(color_scheme="light")
        page.goto(base + PRINT_PAGE, wait_until="load", timeout=120_000)
        page.wait_for_function(LOADED_JS, timeout=120_000)
        page.pdf(
            path=str(args.pdf), format="A4", print_background=True,
            margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
            display_header_footer=True, header_template="<span></span>",
            footer_template=FOOTER,
        )
    print(args.pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
