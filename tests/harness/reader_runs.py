"""Run a snippet exactly as a reader does: `python snippets/chNN/name.py` from the clone's
root, in a fresh process, nothing pinned but what the environment sets (`python3 dev.py
portability` sets AVX2 kernels and one thread).

The suite runs snippets inside its own process (fast, and shared with the property tests);
this run is the check that what a reader's run prints is what the page shows. It runs from a
stand-in for the clone's root: a folder whose entries link to the root's, so that a snippet
reads there what it would read from the root, and the figures it draws land in that folder,
not among another run's (`python3 dev.py portability` runs two at once).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from harness.snippet_runs import (
    FIGURE_SUFFIXES,
    MATPLOTLIBRC,
    PRODUCERS,
    ROOT,
    Run,
    products,
    run_process,
    saved_figures,
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


def run_as_reader(snippet: Path) -> Run:
    """Run `snippet` as a reader would, from (a stand-in for) the clone's root; collect the
    figures and files it wrote there."""
    with tempfile.TemporaryDirectory() as settings, stand_in_root() as root:
        # Only the SVG ids' hash salt, so that two drawings can be compared; no backend.
        Path(settings, "matplotlibrc").write_text(
            "".join(line for line in MATPLOTLIBRC.splitlines(True) if "hashsalt" in line)
        )
        env = {"MATPLOTLIBRC": settings, "SOURCE_DATE_EPOCH": "0"}
        stdout = run_process(snippet.relative_to(ROOT), root, env, READER_TIMEOUT_SECONDS)
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
