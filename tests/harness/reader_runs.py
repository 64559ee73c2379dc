"""Run a snippet as a reader does: `python snippets/chNN/name.py` from the clone's root, in a
process of its own, nothing pinned but what the environment sets (`python3 dev.py
portability` sets AVX2 kernels and one thread). Where the system can fork, the process is a
copy of one that has already imported PyTorch and matplotlib (harness.preloaded), which saves
most of a short example's time; elsewhere, a fresh `python`.

The suite runs snippets inside its own process (fast, and shared with the property tests);
this run is the check that what a reader's run prints is what the page shows. It runs from a
stand-in for the clone's root: a folder whose entries link to the root's, so that a snippet
reads there what it would read from the root, and the figures it draws land in that folder,
not among another run's (`python3 dev.py portability` runs two at once).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from harness.preloaded import PreloadedPython
from harness.snippet_runs import (
    FIGURE_SUFFIXES,
    MATPLOTLIBRC,
    PRODUCERS,
    ROOT,
    Run,
    exited,
    products,
    run_process,
    saved_figures,
    too_slow,
)

# A reader's run is slower than the suite's: PyTorch's default threads fight over a busy
# 2-core machine.
READER_TIMEOUT_SECONDS = 90
# The names of the tiny model's package files: its training writes the two it commits
# (tiny_lm.pt, tokenizer.json) where it runs, as a reader's run leaves them in the root.
LEFT_BY_TRAINING = {path.name for package in PRODUCERS.values() for path in package.iterdir()}


@contextlib.contextmanager
def stand_in_root() -> Iterator[Path]:
    """A new folder standing for the clone's root: a link to each of the root's entries, but
    for figures and the tiny model's training files that a reader's run left there."""
    with tempfile.TemporaryDirectory(prefix="reader-run-") as folder:
        for entry in ROOT.iterdir():
            if entry.suffix not in FIGURE_SUFFIXES and entry.name not in LEFT_BY_TRAINING:
                (Path(folder) / entry.name).symlink_to(entry)
        yield Path(folder)


@functools.cache
def reader_environment() -> dict[str, str]:
    """What a reader's run adds to the environment: only the SVG ids' hash salt (so that two
    drawings can be compared), in a matplotlibrc of its own; no backend."""
    settings = tempfile.mkdtemp(prefix="reader-matplotlibrc-")
    atexit.register(shutil.rmtree, settings, ignore_errors=True)
    Path(settings, "matplotlibrc").write_text(
        "".join(line for line in MATPLOTLIBRC.splitlines(True) if "hashsalt" in line)
    )
    return {"MATPLOTLIBRC": settings, "SOURCE_DATE_EPOCH": "0"}


@functools.cache
def preloaded_python() -> PreloadedPython | None:
    """This process's PreloadedPython, started at its first use; None where there is no fork."""
    return PreloadedPython(reader_environment()) if hasattr(os, "fork") else None


def run_as_reader(snippet: Path) -> Run:
    """Run `snippet` as a reader would, from (a stand-in for) the clone's root; collect the
    figures and files it wrote there."""
    with stand_in_root() as root:
        python = preloaded_python()
        if python is None:
            stdout = run_process(snippet.relative_to(ROOT), root, reader_environment(),
                                 READER_TIMEOUT_SECONDS)
        else:
            as_given = root / snippet.relative_to(ROOT)  # snippets/chNN/name.py, from the root
            status, stdout, stderr = python.run(as_given, root, READER_TIMEOUT_SECONDS)
            if status is None:
                raise too_slow(snippet)
            if status != 0:
                raise exited(snippet, status, stderr)
        # the tiny model's training: tiny_lm.pt, tokenizer.json
        return Run(stdout, saved_figures(root), products(snippet, root))


def git_status() -> str | None:
    """`git status --porcelain` of the clone, or None outside a git checkout."""
    if not (ROOT / ".git").exists():
        return None
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
    ).stdout
