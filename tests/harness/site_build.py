"""The site, built once per test run by `mkdocs build --strict`, in the background.

The test run's first process starts the build as soon as pytest is configured
(`start`), so that it runs while the examples do; the tests that need the site, on any
pytest-xdist worker, wait for it (`wait`). Both learn the build's folder from an
environment variable, which the workers inherit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDER = "BOOK_SITE_BUILD"  # the environment variable naming the build's folder
WAIT_SECONDS = 600


def start() -> subprocess.Popen:
    """Start building into a new folder; its `site/`, `build.log` and, once finished,
    `status` (the exit code) appear there."""
    folder = Path(tempfile.mkdtemp(prefix="book-site-"))
    os.environ[FOLDER] = str(folder)
    return subprocess.Popen(
        [sys.executable, "-m", "harness.site_build", str(folder)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "tests")},
    )


def started() -> Path | None:
    folder = os.environ.get(FOLDER)
    return Path(folder) if folder else None


def wait(folder: Path) -> tuple[int, Path, str]:
    """(exit code, site folder, what the build printed), once the build has finished."""
    deadline = time.monotonic() + WAIT_SECONDS
    status = folder / "status"
    while not status.exists():
        if time.monotonic() > deadline:
            return 1, folder / "site", f"the site build did not finish in {WAIT_SECONDS} s"
        time.sleep(0.1)
    log = (folder / "build.log").read_text(encoding="utf-8", errors="replace")
    return int(status.read_text()), folder / "site", log


def build(folder: Path) -> None:
    log = folder / "build.log"
    with log.open("w", encoding="utf-8") as output:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
             str(folder / "site")],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    partial = folder / "status.partial"  # written whole, then renamed: no half-read status
    partial.write_text(str(result.returncode))
    partial.rename(folder / "status")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
