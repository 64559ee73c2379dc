"""The order in which the suite hands its tests to pytest-xdist's workers."""

from __future__ import annotations

from collections import Counter

from harness.snippet_runs import PRODUCERS


def produces_committed_files(item) -> bool:
    callspec = getattr(item, "callspec", None)
    return bool(callspec) and callspec.params.get("snippet") in PRODUCERS


def run_order(item, group: str | None, sizes: Counter, updating: bool) -> tuple:
    """pytest-xdist hands out groups in this order (pyproject: --no-loadscope-reorder), a
    new one to a worker about to run out: the chapters first, largest first, while the site
    builds in the background; then the other tests; the site's tests last, over both
    workers, the browser's (the longest) first. The update command runs one snippet at a
    time in this order, and the producers of committed files (the tiny model's training)
    go first there: the examples that load the model must see the new one."""
    makes_files = updating and produces_committed_files(item)
    uses_site = bool({"built_site", "site_url"} & set(item.fixturenames))
    kind = 2 if uses_site else 0 if group else 1
    size = -sizes[group] if group else 0
    return (not makes_files, kind, size, "browser" not in item.keywords)
