"""MkDocs hook: MkDocs' warnings about links and navigation also give the line and the fix.

MkDocs names the page with a broken link or anchor but not the line, and says nothing about
what to do. This hook adds both to the warning (which `strict: true` turns into a failure).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

BROKEN_LINK = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)', but")
NOT_IN_NAV = "The following pages exist in the docs directory, but are not included in the"


def line_of(page: Path, link: str) -> int | None:
    """The first line of `page` whose Markdown link points at `link`."""
    if not page.exists():
        return None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if f"]({link}" in line or f"]: {link}" in line or f'href="{link}"' in line:
            return number
    return None


class ExplainWarnings(logging.Filter):
    def __init__(self, docs_dir: Path):
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        broken = BROKEN_LINK.match(message)
        if broken:
            page = self.docs_dir / broken["page"]
            line = line_of(page, broken["link"])
            where = f"{self.docs_dir.name}/{broken['page']}" + (f":{line}" if line else "")
            record.msg = (
                f"{where}: {message} Fix the path (relative to the page, ending in .md) or "
                "the anchor (the heading's slug: lower case, punctuation dropped, spaces "
                "as '-')."
            )
            record.args = ()
        elif message.startswith(NOT_IN_NAV):
            record.msg = (
                f"{message}\nEvery page must be reachable: add each one to `nav` in "
                "mkdocs.yml, or delete it."
            )
            record.args = ()
        return True


def on_config(config):
    explain = ExplainWarnings(Path(config["docs_dir"]))
    for name in ("mkdocs.structure.pages", "mkdocs.structure.nav", "mkdocs.commands.build"):
        logger = logging.getLogger(name)
        for stale in [f for f in logger.filters if isinstance(f, ExplainWarnings)]:
            logger.removeFilter(stale)  # an earlier build's, in the same process
        logger.addFilter(explain)
    return config
