"""Shared test set-up: the output-update flag, the built site, and markdown-docs includes."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import time
import sys
from pathlib import Path

import pytest
import torch

# The book's models are tiny: one thread is faster than two fighting over the CPU, and
# makes in-process results independent of the machine's core count.
torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "hooks"))

from harness.markdown_docs import markdown_it_with_includes  # noqa: E402


SUITE_BUDGET_SECONDS = 120  # stated in README.md; measured on a 2-core machine
_started = time.monotonic()


def pytest_sessionfinish(session, exitstatus):
    """The whole suite has a time budget; under CI, running over it fails the run."""
    elapsed = time.monotonic() - _started
    full_run = session.config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if full_run and elapsed > SUITE_BUDGET_SECONDS:
        message = (
            f"\nThe test suite took {elapsed:.0f} s, over its budget of "
            f"{SUITE_BUDGET_SECONDS} s (README.md): speed up the slowest tests (listed by --durations)."
        )
        session.config.get_terminal_writer().line(message, red=True)
        if os.environ.get("CI") and exitstatus == 0:
            session.exitstatus = 1


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the committed outputs and figures of the snippets instead of checking them",
    )


@pytest.fixture(scope="session")
def update_outputs(request) -> bool:
    return request.config.getoption("--update-outputs")


def pytest_markdown_docs_markdown_it():
    """Fences in pages are tested as readers see them: with `--8<--` includes expanded."""
    return markdown_it_with_includes(ROOT / "mkdocs.yml")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once per test session with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr}", pytrace=False)
    return site


def load_snippet(relative_path: str):
    """Import a snippet file (e.g. "ch01/fit_line.py") as a module, without running its main."""
    path = ROOT / "snippets" / relative_path
    name = "snippet_" + relative_path.replace("/", "_").removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def snippet():
    return load_snippet
