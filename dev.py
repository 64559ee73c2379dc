"""One entry point for readers and contributors; each command sets itself up first.

    python3 dev.py serve     read the site locally, with live reload, at http://127.0.0.1:8000
    python3 dev.py test      run every test: examples, pages, the strict build, the browser
    python3 dev.py notebooks run every chapter notebook top to bottom in a fresh kernel
    python3 dev.py portability  run every example as a file, as a reader does, and its
                             claims on the arithmetic of other CPUs
    python3 dev.py screens   check every page on every screen size, the notebooks' pages
                             and the print page in the browser (the sweep CI adds to `test`)
    python3 dev.py build     build the static site into site/ for any static host
    python3 dev.py update    rewrite the snippets' committed outputs and figures, and draw
                             the diagrams (as `diagrams` does)
    python3 dev.py diagrams  draw the pages' mermaid diagrams that changed, as SVG files
    python3 dev.py lock      re-pin requirements.lock from the ranges in pyproject.toml

Set-up: the first run makes a virtual environment in .venv/ and installs the exact versions
in requirements.lock; later runs reinstall only when the lock file has changed.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / "requirements.lock.sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
TORCH = "torch==2.13.0"  # a CPU build; keep in step with requirements.lock


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    environment = {**os.environ, **(env or {})}
    completed = subprocess.run([str(part) for part in command], cwd=ROOT, env=environment)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def other_cpus() -> list[str]:
    """PyTorch's kernel sets that stand for other CPUs here: plain C++ everywhere, and
    AVX2 on an x86 machine (whose own may be AVX-512)."""
    x86 = platform.machine().lower() in {"x86_64", "amd64"}
    return ["default", "avx2"] if x86 else ["default"]


def portability(rest: list[str]) -> None:
    """Every example run as a file from the clone's root, as a reader runs it, on the last
    of other_cpus() (AVX2 on x86: most readers' laptops have no AVX-512); then every example
    and its claims (in-process, as the suite runs them) with each of the others."""
    *in_process, as_files = other_cpus()
    print(f"\nEvery example as a file, with ATEN_CPU_CAPABILITY={as_files}:", flush=True)
    # Two files at a time, one thread each: with PyTorch's default threads (one per core),
    # two runs at once spend a third of their CPU time waiting for each other's threads. The
    # examples print the same on one thread and on two (checked on 2026-12-02: every file
    # run with two threads printed its .out, which the suite's one-thread runs also print).
    run(BIN / "python", "-m", "pytest", "tests/test_as_files.py", "-m", "as_file", *rest,
        env={"ATEN_CPU_CAPABILITY": as_files, "OMP_NUM_THREADS": "1"})
    examples = ["tests/test_snippets.py", *sorted(str(p) for p in ROOT.glob("tests/ch[0-9]*"))]
    for capability in in_process:
        print(f"\nThe examples and their claims with ATEN_CPU_CAPABILITY={capability}:", flush=True)
        run(BIN / "python", "-m", "pytest", *examples, *rest,
            env={"ATEN_CPU_CAPABILITY": capability})


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under any python3 a reader has
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        print("Creating the virtual environment in .venv/ …", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        print("Installing the pinned dependencies from requirements.lock …", flush=True)
        run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(BIN / "python", "-m", "pip", "install", "--quiet", "-r", LOCK)
        STAMP.write_text(wanted)


def lock() -> None:
    """Resolve pyproject's ranges in a scratch environment and pin the result."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    ranges = project["dependencies"] + project["optional-dependencies"]["test"]
    with tempfile.TemporaryDirectory() as scratch:
        venv.create(scratch, with_pip=True)
        python = Path(scratch) / BIN.name / "python"
        run(python, "-m", "pip", "install", "--quiet", TORCH, *ranges)
        frozen = subprocess.run(
            [str(python), "-m", "pip", "freeze"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    # "torch==2.13.0" also matches the local CPU build (2.13.0+cpu) where one is on hand.
    frozen = frozen.replace(f"{TORCH}+cpu", TORCH)
    header = "# Exact versions for CI and the published build. Regenerate: python3 dev.py lock\n"
    LOCK.write_text(header + frozen)


def main(argv: list[str]) -> None:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "lock":
        return lock()
    if command not in {
        "serve", "test", "notebooks", "build", "update", "portability", "diagrams", "screens"
    }:
        sys.exit(__doc__)
    ensure_environment()
    if command == "serve":
        run(BIN / "mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *rest)
    elif command == "build":
        run(BIN / "mkdocs", "build", "--strict", *rest)
    elif command == "test":
        run(BIN / "python", "-m", "pytest", *rest)
    elif command == "portability":
        portability(rest)
    elif command == "screens":
        run(BIN / "python", "-m", "pytest", "tests/test_browser.py", "-m", "screens", *rest)
    elif command == "notebooks":
        run(BIN / "python", "-m", "pytest", "tests/test_notebooks.py", "-m", "kernel", *rest)
    elif command == "diagrams":
        run(BIN / "python", "scripts/draw_diagrams.py", *rest)
    elif command == "update":
        run(BIN / "python", "scripts/draw_diagrams.py")
        run(
            BIN / "python", "-m", "pytest", "tests/test_snippets.py", "--update-outputs",
            "--numprocesses=0", *rest,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
