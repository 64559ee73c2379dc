"""Run a snippet exactly as a reader does: `python snippets/chNN/name.py` from the clone's
root, in a fresh process with PyTorch's default threads and kernels, nothing pinned.

The suite runs snippets inside its own process (fast, and shared with the property tests);
this run is the check that what a reader's run prints is what the page shows. Figures land
in the clone's root, where .gitignore keeps them out of `git status`; this run removes them.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from harness.snippet_runs import (
    FIGURE_SUFFIXES,
    MATPLOTLIBRC,
    ROOT,
    Run,
    products,
    run_process,
)

# A reader's run is slower than the suite's: PyTorch's default threads fight over a busy
# 2-core machine.
READER_TIMEOUT_SECONDS = 90


def figures_in_root() -> set[Path]:
    return {path for path in ROOT.iterdir() if path.suffix in FIGURE_SUFFIXES}


def run_as_reader(snippet: Path) -> Run:
    """Run `snippet` from the clone's root as a reader would; collect (and remove) the
    figures it drew there."""
    before = figures_in_root()
    with tempfile.TemporaryDirectory() as settings:
        # Only the SVG ids' hash salt, so that two drawings can be compared; no backend.
        Path(settings, "matplotlibrc").write_text(
            "".join(line for line in MATPLOTLIBRC.splitlines(True) if "hashsalt" in line)
        )
        env = {"MATPLOTLIBRC": settings, "SOURCE_DATE_EPOCH": "0"}
        stdout = run_process(snippet.relative_to(ROOT), ROOT, env, READER_TIMEOUT_SECONDS)
    figures = {}
    for path in sorted(figures_in_root() - before):
        figures[path.name] = path.read_bytes()
        path.unlink()
    made = products(snippet, ROOT)  # the tiny model's training: tiny_lm.pt, tokenizer.json
    for name in made:
        (ROOT / name).unlink()
    return Run(stdout, figures, made)


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
