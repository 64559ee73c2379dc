"""Shared test set-up: the output-update flag, the built site and a browser for it, snippet
runs shared by the tests, markdown-docs includes, and the suite's time budget. At the
project's root, so that `pytest docs/NN-page.md` alone tests a page's code as the suite does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from pytest_markdown_docs.plugin import MarkdownDocstringCodeModule

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "snippets"))  # the book's tiny LM, tinylm, for chapter tests

from harness import budget, site_build  # noqa: E402
from harness.browser import INSTALL_HINT, launch_chromium  # noqa: E402
from harness.markdown_docs import markdown_it_with_includes  # noqa: E402
from harness.scheduling import run_order  # noqa: E402
from harness.snippet_runs import SNIPPETS, executed, imported  # noqa: E402

SITE_BUILD = pytest.StashKey[subprocess.Popen]()
BENCHMARKS = pytest.StashKey[list]()  # the machine's speed, before and after the run
# Test files that use the built site: a run naming one starts the build at once.
SITE_TEST_FILES = {"test_site.py", "test_browser.py"}
_started = time.monotonic()


def cpu_seconds(session) -> float:
    """The CPU time of this process and of every process it started and has reaped (the
    workers, the site's build, the browsers they drove)."""
    process = session.config.stash.get(SITE_BUILD, None)
    if process is not None and process.poll() is not None:
        process.wait()  # reaped, so that its time counts
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def pytest_sessionfinish(session, exitstatus):
    """The whole suite has a time budget (harness/budget.py), counted in the development
    machine's seconds; under CI, running over it fails the run."""
    if hasattr(session.config, "workerinput"):
        return  # a pytest-xdist worker: the controller measures the whole run
    elapsed, cpu = time.monotonic() - _started, cpu_seconds(session)
    benchmarks = session.config.stash.get(BENCHMARKS, []) + [budget.benchmark()]
    counted = budget.in_reference_seconds(elapsed, benchmarks)
    write = session.config.get_terminal_writer().line
    write(
        f"\nThe suite took {elapsed:.0f} s, and its processes {cpu:.0f} s of CPU time; on "
        f"the development machine's clock, {counted:.0f} s (this machine's benchmark: "
        + ", ".join(f"{1000 * seconds:.1f}" for seconds in benchmarks)
        + f" ms; there {1000 * budget.REFERENCE_SECONDS:.1f} ms)."
    )
    full_run = session.config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if full_run and budget.over_budget(elapsed, benchmarks):
        write(
            f"That is over the budget of {budget.BUDGET_SECONDS} s (README.md): speed up the "
            "slowest tests (listed by --durations).",
            red=True,
        )
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


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path):
    """pytest-markdown-docs tests the code fences of pages, and also of every Python file's
    docstrings, which it imports a second time to read them. The book's code lives in
    snippets/, run by the suite; no test file's docstring holds a fence to run. Skipping them
    saves each worker a second import of every test module (about 3 s)."""
    collectors = yield
    if file_path.suffix != ".py":
        return collectors
    return [c for c in collectors if not isinstance(c, MarkdownDocstringCodeModule)]


def runs_tests(config) -> bool:
    """False only for pytest-xdist's controller, which hands out the tests and runs none."""
    return hasattr(config, "workerinput") or not config.getoption("numprocesses", None)


def pytest_configure(config):
    """In a process that runs tests: one thread for PyTorch. Then, in the run's first process,
    start building the site at once, in the background, where the run will need it: the
    examples run meanwhile, and every worker's site tests use the one build."""
    if runs_tests(config):
        # The book's models are tiny: one thread is faster than two fighting over the CPU.
        # What the examples print does not depend on it: `python3 dev.py portability` runs
        # each one as a file, as a reader would. (Imported here, not above: the controller
        # of a parallel run never loads PyTorch.)
        import torch

        torch.set_num_threads(1)
    if hasattr(config, "workerinput") or site_build.started():
        return
    config.stash[BENCHMARKS] = [budget.benchmark()]  # before anything else runs
    full_run = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    needs_site = any(Path(arg).name in SITE_TEST_FILES for arg in config.args)
    if (full_run or needs_site) and not config.getoption("collectonly"):
        config.stash[SITE_BUILD] = site_build.start()


def pytest_unconfigure(config):
    process = config.stash.get(SITE_BUILD, None)
    if process is not None:
        if process.poll() is None:
            process.terminate()
            process.wait()
        shutil.rmtree(site_build.started(), ignore_errors=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built once per test run with `mkdocs build --strict` (in the background
    since the run started, or here for a run that did not foresee needing it)."""
    folder = site_build.started()
    if folder is None:
        folder = tmp_path_factory.mktemp("build")
        site_build.build(folder)
    status, site, log = site_build.wait(folder)
    if status != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log}", pytrace=False)
    return site


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module. Missing: skip, or fail where CI is set."""

    def missing(message: str):
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so the browser tests must run)", pytrace=False)
        pytest.skip(message)

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright not found: pip install playwright (it uses the system's Chromium)")
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except FileNotFoundError:
            missing(f"Chromium not found: {INSTALL_HINT} to run the browser tests")
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def snippet():
    """Import a snippet file (e.g. "ch01/fit_line.py") as a module, without running its main."""
    return imported


@pytest.fixture(scope="session")
def ran():
    """Run a snippet (e.g. "ch01/fit_line.py") as a script, once per test session.

    Returns its Run: `stdout`, `figures` and `namespace` (its globals after the run, e.g.
    the model its main trained). The output test and the property tests share the run."""
    return executed


def xdist_group(item: pytest.Item) -> str | None:
    """Tests that share an expensive session resource run on the same pytest-xdist worker:
    a chapter's snippet runs (its output test and its property tests). The built site is
    built once for every worker (site_build.py), so its tests go wherever there is room."""
    callspec = getattr(item, "callspec", None)
    snippet = callspec.params.get("snippet") if callspec else None
    if isinstance(snippet, Path) and snippet.is_relative_to(SNIPPETS):
        return snippet.relative_to(SNIPPETS).parts[0]
    tests = ROOT / "tests"
    if item.path.is_relative_to(tests) and item.path.parent != tests:
        return item.path.relative_to(tests).parts[0]  # tests/chNN/...
    return None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    groups = {item: xdist_group(item) for item in items}
    for item, group in groups.items():
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    sizes = Counter(groups.values())
    updating = config.getoption("--update-outputs")
    items.sort(key=lambda item: run_order(item, groups[item], sizes, updating))


@pytest.hookimpl(trylast=True)  # after pytest-xdist has marked each test with its group
def pytest_collection_finish(session):
    if getattr(session.config.option, "loadgroup", False):
        ungrouped = [
            item.nodeid
            for item in session.items
            if item.get_closest_marker("xdist_group") and "@" not in item.nodeid
        ]
        if ungrouped:
            raise pytest.UsageError(
                "pytest-xdist did not group the tests that share a snippet run or the built "
                f"site (e.g. {ungrouped[0]}), so they would run twice: install the pytest "
                "and pytest-xdist versions of requirements.lock."
            )
