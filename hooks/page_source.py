"""MkDocs hook: each page says when its source last changed, and where to edit it.

"Last updated" is the date of the last commit that touched the page's file (one `git log`
for the whole build). Outside a git checkout, or for a file git does not know yet, a page
shows no date; in a shallow clone every page shows the date of the one commit it has.
Edit links appear when EDIT_URI is set (see mkdocs.yml). A chapter's notebook page is made
from the chapter's page (hooks/notebooks.py), so both its date and its edit link are the
chapter page's.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urljoin

NOTEBOOK_DIR = "notebooks/"
_dates: dict[str, str] = {}


def commit_dates(docs_dir: Path) -> dict[str, str]:
    """{path under docs_dir: date of its last commit, YYYY-MM-DD}; empty without git."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--relative", "--", "."],
            cwd=docs_dir, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, str] = {}
    for commit in log.split("\0")[1:]:
        date, *paths = commit.strip().split("\n")
        for path in filter(None, paths):
            dates.setdefault(path, date)  # newest first: keep the first date seen
    return dates


def source_page(src_uri: str) -> str:
    """The Markdown page a page is made from: itself, or a notebook's chapter page."""
    if src_uri.startswith(NOTEBOOK_DIR) and src_uri.endswith(".ipynb"):
        return src_uri.removeprefix(NOTEBOOK_DIR).removesuffix(".ipynb") + ".md"
    return src_uri


def on_pre_build(config):
    _dates.clear()
    _dates.update(commit_dates(Path(config["docs_dir"])))


def on_page_context(context, page, config, nav):
    source = source_page(page.file.src_uri)
    if source in _dates:
        page.meta["revision_date"] = _dates[source]
    if page.edit_url and source != page.file.src_uri:
        page.edit_url = urljoin(config["repo_url"] or "", config["edit_uri"] + source)
    return context
