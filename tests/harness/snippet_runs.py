"""Run a snippet file as a reader would and check what it printed and drew.

The tests run each snippet once, inside the test process (`executed`): what it prints is
compared with the committed `<name>.out` beside it, each figure it saves in its working
folder with the committed copy in `docs/assets/figures/<chapter>/`, and the same run's
module globals go to the chapter's property tests, so no example is trained twice.
Numbers may differ by one unit in their last printed digit (another CPU may round the
other way); anything more is drift, unless the snippet declares a wider tolerance for named
lines (`OUTPUT_TOLERANCE`, below), with its reason.

`python3 dev.py update` instead runs each snippet twice, at once, as separate
`python snippet.py` processes (`run_twice`), refuses one whose two runs differ, and
commits what it printed and drew where that breaks the committed copy's promise (a copy
still within its tolerance stays as it is, so that two machines do not keep rewriting each
other's numbers). A snippet that produces committed files of the book's
package (`PRODUCERS`: the training of the tiny language model) runs first, and the files it
writes replace the committed ones before any snippet that loads them runs.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import importlib.util
import io
import math
import os
import re
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from harness.weights import beyond_promise, fingerprint, with_fingerprint

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
FIGURES = ROOT / "docs" / "assets" / "figures"
FIGURE_SUFFIXES = (".svg", ".png")
UPDATE_COMMAND = "python3 dev.py update"
# Snippet -> package folder whose committed files it makes (the files of the same name it
# writes in its working folder). The update command runs these first.
PRODUCERS = {SNIPPETS / "ch06" / "train_tiny_lm.py": SNIPPETS / "tinylm"}
TIMEOUT_SECONDS = 30  # "runs in seconds": generous for a 2-core CPU

NUMBER = re.compile(r"-?\d+(?:\.(?P<decimals>\d+))?(?:[eE](?P<exponent>[-+]?\d+))?")
SVG_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
EMBEDDED_PNG = re.compile(r"(?<=data:image/png;base64,)[A-Za-z0-9+/=\s]+")
EMBEDDED_ID = re.compile(r"\bimage[0-9a-f]{6,}\b")  # matplotlib names a bitmap by its hash
# matplotlib names a clip path or a marker by a hash of its geometry ("p1b2c3d4e5", "m0a1b2c3d4"),
# so a coordinate that moves within the tolerance renames it; compared by order of appearance.
GEOMETRY_ID = re.compile(r'(?<=id=")[pm][0-9a-f]{10}(?=")')
SVG_TOLERANCE = 0.5  # points: far below what a reader could see, far above rounding noise

# A fixed hash salt and no date (SOURCE_DATE_EPOCH) make a saved SVG the same file on
# every run. A script reads them from `matplotlibrc` in its working folder.
MATPLOTLIB_SETTINGS = {"backend": "Agg", "svg.hashsalt": "runnable-genai"}
MATPLOTLIBRC = "".join(f"{key}: {value}\n" for key, value in MATPLOTLIB_SETTINGS.items())
SCRIPT_ENV = {"MPLBACKEND": "Agg", "SOURCE_DATE_EPOCH": "0"}
# A PNG drawn on another CPU may move an anti-aliased edge by a pixel; a changed plot
# moves far more.
PNG_CHANGED_PIXELS = 0.002  # the share of pixels that may differ
PNG_PIXEL_TOLERANCE = 0.1  # how much a pixel may differ (0 to 1) and still count as equal
TOLERANCE_NAME = "OUTPUT_TOLERANCE"


class SnippetFailure(AssertionError):
    """A snippet broke one of the book's promises; the message says where and what to do."""


@dataclass(frozen=True)
class Run:
    stdout: str
    figures: dict[str, bytes]
    products: dict[str, bytes] = field(default_factory=dict)  # files for PRODUCERS' package
    namespace: dict = field(default_factory=dict, repr=False)  # globals, in-process runs


def snippet_files() -> list[Path]:
    """Every runnable snippet: each .py file under snippets/ that is not a package module;
    the producers of committed package files first, then in order of path."""
    return sorted(
        (
            path
            for path in SNIPPETS.rglob("*.py")
            if path.name != "__init__.py" and not (path.parent / "__init__.py").exists()
        ),
        key=lambda path: (path not in PRODUCERS, path),
    )


def declared_tolerances(snippet: Path) -> dict[str, float]:
    """A snippet's `OUTPUT_TOLERANCE = {"text on the line": tolerance, ...}`: how far the
    numbers on each line that contains that text may move on another machine; a key that
    names a figure ("forgetting.svg") says how many points its coordinates may move. Read
    from the source, so that a snippet that fails still has its tolerances."""
    module = ast.parse(snippet.read_text(encoding="utf-8"), str(snippet))
    for statement in module.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == TOLERANCE_NAME
            for target in statement.targets
        ):
            declared = ast.literal_eval(statement.value)
            if not (
                isinstance(declared, dict)
                and all(isinstance(k, str) and k for k in declared)
                and all(isinstance(v, int | float) and v > 0 for v in declared.values())
            ):
                raise SnippetFailure(
                    f"{relative(snippet)}:{statement.lineno}: {TOLERANCE_NAME} must be a dict "
                    "from text on a printed line to a positive number, e.g. "
                    '{"seconds": 0.5}.'
                )
            return declared
    return {}


def expected_output_path(snippet: Path) -> Path:
    return snippet.with_suffix(".out")


def committed_figure_path(snippet: Path, figure_name: str) -> Path:
    return FIGURES / snippet.parent.relative_to(SNIPPETS) / figure_name


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def saved_figures(folder: Path) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.suffix in FIGURE_SUFFIXES
    }


def too_slow(snippet: Path) -> SnippetFailure:
    return SnippetFailure(
        f"{relative(snippet)}: still running after {TIMEOUT_SECONDS} s (of CPU time in the "
        "test process; of the clock when run as a file); an example must finish in seconds "
        "on a 2-core CPU — make it smaller."
    )


# --- in the test process ----------------------------------------------------------------


class _OutOfTime(BaseException):
    """Raised inside a snippet that runs past TIMEOUT_SECONDS (not an Exception, so a
    snippet's own `except Exception` cannot swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Interrupt the code inside once it has used `seconds` of CPU time (main thread only;
    elsewhere, no limit). CPU time, not the clock's: an example is as slow as the work it
    does, and a machine busy with other work must not fail it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGPROF, interrupt)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextlib.contextmanager
def as_script(snippet: Path, workdir: Path):
    """What `python snippet.py` run in `workdir` would see: its folder first on sys.path,
    its path as argv[0], `workdir` as the working folder, fresh matplotlib settings, and
    PyTorch as a new process starts it (float32 by default), whatever an earlier snippet
    set, and the global generator reseeded (a new process seeds it at random: a snippet
    seeds its own); the thread count is restored after."""
    import matplotlib
    import torch

    saved_cwd, saved_argv, saved_path = os.getcwd(), sys.argv[:], sys.path[:]
    saved_dtype, saved_threads = torch.get_default_dtype(), torch.get_num_threads()
    os.environ.update(SCRIPT_ENV)
    os.chdir(workdir)
    sys.argv = [str(snippet)]
    sys.path.insert(0, str(snippet.parent))
    torch.set_default_dtype(torch.float32)
    torch.manual_seed(0)
    try:
        with matplotlib.rc_context(MATPLOTLIB_SETTINGS):
            yield
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        forget_modules_in(snippet.parent)
        torch.set_default_dtype(saved_dtype)
        torch.set_num_threads(saved_threads)
        os.chdir(saved_cwd)
        sys.argv[:] = saved_argv
        sys.path[:] = saved_path


def forget_modules_in(folder: Path) -> None:
    """Unload modules imported from `folder` (an exercise imports the example it varies),
    so that another chapter's file of the same name is not mistaken for them."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and Path(file).parent == folder:
            del sys.modules[name]


def snippet_traceback(error: BaseException, snippet: Path) -> str:
    """The traceback of `error`, keeping only the frames in the book's snippet files."""
    summary = traceback.TracebackException.from_exception(error)
    summary.stack = traceback.StackSummary.from_list(
        [
            frame
            for frame in summary.stack
            if frame.filename == str(snippet) or Path(frame.filename).is_relative_to(SNIPPETS)
        ]
    )
    return "".join(summary.format())


def execute(snippet: Path) -> Run:
    """Run `snippet` as `__main__` in this process, in a scratch folder; raise if it fails."""
    printed = io.StringIO()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        try:
            with as_script(snippet, workdir), contextlib.redirect_stdout(printed):
                with time_limit(TIMEOUT_SECONDS):
                    namespace = runpy.run_path(str(snippet), run_name="__main__")
        except _OutOfTime:
            raise too_slow(snippet) from None
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                raise SnippetFailure(
                    f"{relative(snippet)} exited with status {exit_.code}."
                ) from None
            namespace = {}
        except Exception as error:
            raise SnippetFailure(
                f"{relative(snippet)} raised {type(error).__name__}. Its traceback names "
                f"the failing line:\n{snippet_traceback(error, snippet)}"
            ) from None
        return Run(printed.getvalue(), saved_figures(workdir), namespace=namespace)


_runs: dict[Path, Run | SnippetFailure] = {}


def executed(snippet: Path | str) -> Run:
    """`execute(snippet)`, once per test session: later calls get the same Run (or failure).

    `snippet` is a path, or a path under snippets/ such as "ch01/fit_line.py"."""
    path = snippet if isinstance(snippet, Path) else SNIPPETS / snippet
    if path not in _runs:
        try:
            _runs[path] = execute(path)
        except SnippetFailure as failure:
            _runs[path] = failure
    outcome = _runs[path]
    if isinstance(outcome, SnippetFailure):
        raise outcome
    return outcome


def imported(relative_path: str):
    """Import a snippet file (e.g. "ch01/fit_line.py") as a module, without running its
    main; like a script, it may import the files beside it."""
    path = SNIPPETS / relative_path
    name = "snippet_" + relative_path.replace("/", "_").removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
        forget_modules_in(path.parent)
    return module


# --- as a separate process (the update command) -----------------------------------------


def run_as_script(snippet: Path) -> Run:
    """Run `snippet` as `python snippet.py` in a scratch folder; raise if it fails."""
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        (workdir / "matplotlibrc").write_text(MATPLOTLIBRC)
        # One thread each, as two run at once on two cores. What they print does not depend
        # on it: `python3 dev.py portability` checks a reader's run, with default threads.
        stdout = run_process(snippet, workdir, {**SCRIPT_ENV, "OMP_NUM_THREADS": "1"})
        return Run(stdout, saved_figures(workdir), products(snippet, workdir))


def run_process(snippet: Path, workdir: Path, env: dict[str, str], timeout: float = 0) -> str:
    """`python snippet` in `workdir`, with `env` added to this environment; what it
    printed, or a SnippetFailure naming the failing line."""
    try:
        result = subprocess.run(
            [sys.executable, str(snippet)],
            cwd=workdir,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=timeout or TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise too_slow(snippet) from None
    if result.returncode != 0:
        raise exited(snippet, result.returncode, result.stderr)
    return result.stdout


def exited(snippet: Path, status: int, stderr: str) -> SnippetFailure:
    return SnippetFailure(
        f"{relative(snippet)} exited with status {status}. "
        f"Its traceback names the failing line:\n{stderr}"
    )


def products(snippet: Path, workdir: Path) -> dict[str, bytes]:
    """The files a producer wrote that its package commits, e.g. {"tiny_lm.pt": ...}."""
    package = PRODUCERS.get(snippet)
    if package is None:
        return {}
    return {
        path.name: path.read_bytes()
        for path in sorted(workdir.iterdir())
        if (package / path.name).is_file()
    }


def run_twice(snippet: Path) -> Run:
    """Run `snippet` twice at once and insist that both runs print and draw the same."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(run_as_script, [snippet, snippet])
    difference = first_difference(
        first.stdout, second.stdout, tolerant=False, tolerances=declared_tolerances(snippet)
    )
    if difference:
        line, one, other = difference
        raise SnippetFailure(
            f"{relative(snippet)} printed different output on two runs "
            f"(line {line}: {one!r} vs {other!r}). Examples must be deterministic: seed "
            "every random generator (torch.manual_seed, random.Random(0)) and print "
            "nothing that depends on the clock, the machine or set/dict hash order."
        )
    for name in first.products.keys() | second.products.keys():
        if first.products.get(name) != second.products.get(name):
            raise SnippetFailure(
                f"{relative(snippet)} wrote a different {name} on two runs: training must be "
                "deterministic (seeded, OMP_NUM_THREADS=1) for its weights to be committed."
            )
    for name in first.figures.keys() | second.figures.keys():
        if first.figures.get(name) != second.figures.get(name):
            raise SnippetFailure(
                f"{relative(snippet)} drew {name} differently on two runs. Seed every "
                "random generator, and plot nothing that depends on the clock."
            )
    return first


# --- comparing with what is committed ---------------------------------------------------


def first_difference(
    expected: str, actual: str, *, tolerant: bool = True, tolerances: dict[str, float] | None = None
):
    """The first line where two outputs differ, as (line number, expected, actual).
    On a line that contains a key of `tolerances`, numbers may differ by that much; on the
    others, if tolerant, by one unit in their last digit, and otherwise not at all."""
    expected_lines, actual_lines = expected.splitlines(), actual.splitlines()
    for number in range(1, max(len(expected_lines), len(actual_lines)) + 1):
        want = expected_lines[number - 1] if number <= len(expected_lines) else "<end of output>"
        got = actual_lines[number - 1] if number <= len(actual_lines) else "<end of output>"
        if want == got:
            continue
        declared = max((v for k, v in (tolerances or {}).items() if k in want), default=0.0)
        if not (declared or tolerant) or not same_numbers_within(want, got, declared):
            return number, want, got
    return None


def same_numbers_within(expected: str, actual: str, allowed: float = 0.0) -> bool:
    """Equal text, and equal numbers but for one unit in the last printed decimal, or for
    `allowed` where that is more."""
    if NUMBER.sub("#", expected) != NUMBER.sub("#", actual):  # the text between numbers
        return False
    pairs = zip(NUMBER.finditer(expected), NUMBER.finditer(actual))
    return all(numbers_close(want, got, allowed) for want, got in pairs)


def numbers_close(want: re.Match, got: re.Match, allowed: float = 0.0) -> bool:
    if (want["decimals"] is None) != (got["decimals"] is None) or want["exponent"] != got[
        "exponent"
    ]:
        return False
    if want["decimals"] is None and not allowed:
        return want[0] == got[0]  # integers are counts: exact
    if len(want["decimals"] or "") != len(got["decimals"] or ""):
        return False
    unit = 10.0 ** (int(want["exponent"] or 0) - len(want["decimals"] or ""))
    slack = unit if want["decimals"] else 0.0
    return abs(float(want[0]) - float(got[0])) <= 1.0001 * max(slack, allowed)


def svg_close(expected: bytes, actual: bytes, tolerance: float = SVG_TOLERANCE) -> bool:
    """The same drawing: equal markup, coordinates within `tolerance` points, and the
    bitmaps it embeds (a heatmap's cells) the same pictures (png_close)."""
    want = SVG_METADATA.sub("", expected.decode())
    got = SVG_METADATA.sub("", actual.decode())
    bitmaps = [EMBEDDED_PNG.findall(svg) for svg in (want, got)]
    if len(bitmaps[0]) != len(bitmaps[1]) or not all(
        png_close(base64.b64decode(a), base64.b64decode(b)) for a, b in zip(*bitmaps)
    ):
        return False
    want, got = (
        numbered_ids(EMBEDDED_ID.sub("image", EMBEDDED_PNG.sub("", svg))) for svg in (want, got)
    )
    if NUMBER.sub("#", want) != NUMBER.sub("#", got):
        return False
    pairs = zip(NUMBER.finditer(want), NUMBER.finditer(got))
    return all(coordinates_close(a[0], b[0], tolerance) for a, b in pairs)


def numbered_ids(svg: str) -> str:
    """The SVG with each hashed clip-path and marker name replaced by its order of appearance."""
    for number, name in enumerate(dict.fromkeys(GEOMETRY_ID.findall(svg))):
        svg = svg.replace(name, f"geometry{number}_")
    return svg


def png_close(expected: bytes, actual: bytes) -> bool:
    """The same picture: equal size, and all but a few pixels equal within a tolerance."""
    from matplotlib.image import imread

    want, got = (imread(io.BytesIO(picture), format="png") for picture in (expected, actual))
    if want.shape != got.shape:
        return False
    changed = (abs(want - got) > PNG_PIXEL_TOLERANCE).any(axis=-1)  # [height, width]
    return changed.mean() <= PNG_CHANGED_PIXELS


def figure_close(name: str, expected: bytes, actual: bytes, tolerances=None) -> bool:
    """The same figure; an SVG's coordinates may move by SVG_TOLERANCE points, or by what
    the snippet declares for the figure's name in OUTPUT_TOLERANCE."""
    if name.endswith(".svg"):
        allowed = max(SVG_TOLERANCE, (tolerances or {}).get(name, 0.0))
        return svg_close(expected, actual, allowed)
    return png_close(expected, actual)


def coordinates_close(want: str, got: str, tolerance: float = SVG_TOLERANCE) -> bool:
    """Within `tolerance` points; digits inside a name (an id like "m6ac9e791fa" holds "9e791",
    which reads as infinity) must be equal."""
    a, b = float(want), float(got)
    if not (math.isfinite(a) and math.isfinite(b)):
        return want == got
    return abs(a - b) <= tolerance


def check_against_committed(snippet: Path, run: Run) -> None:
    """Raise, naming the file and line, if the run differs from the committed results."""
    output = expected_output_path(snippet)
    if not output.exists():
        raise SnippetFailure(
            f"{relative(output)} is missing: every snippet's output is committed beside "
            f"it. Run `{UPDATE_COMMAND}` and commit the new file."
        )
    tolerances = declared_tolerances(snippet)
    difference = first_difference(
        output.read_text(encoding="utf-8"), run.stdout, tolerances=tolerances
    )
    if difference:
        line, want, got = difference
        raise SnippetFailure(
            f"{relative(output)}:{line}: the committed output says {want!r} but "
            f"{relative(snippet)} now prints {got!r}. If the change is intended, run "
            f"`{UPDATE_COMMAND}` and commit the new output; otherwise fix the snippet."
        )
    for name, drawing in run.figures.items():
        figure = committed_figure_path(snippet, name)
        if not figure.exists():
            raise SnippetFailure(
                f"{relative(snippet)} draws {name}, but {relative(figure)} is not "
                f"committed. Run `{UPDATE_COMMAND}` and commit it."
            )
        if not figure_close(name, figure.read_bytes(), drawing, tolerances):
            raise SnippetFailure(
                f"{relative(figure)} is not what {relative(snippet)} draws now. If the "
                f"change is intended, run `{UPDATE_COMMAND}` and commit the new figure."
            )


def write_committed(snippet: Path, run: Run) -> list[str]:
    """Make the committed output, figures and package files those of `run` (the update
    command), each only where the committed copy no longer keeps its promise. Returns
    what it rewrote."""
    rewritten, tolerances = [], declared_tolerances(snippet)
    output = expected_output_path(snippet)
    if not output.exists() or first_difference(
        output.read_text(encoding="utf-8"), run.stdout, tolerances=tolerances
    ):
        output.write_text(run.stdout, encoding="utf-8")
        rewritten.append(relative(output))
    for name, content in run.products.items():
        committed = PRODUCERS[snippet] / name
        old = committed.read_bytes() if committed.exists() else None
        new = (old is not None and kept_product(name, old, content)) or content
        if new != old:
            committed.write_bytes(new)
            rewritten.append(relative(committed))
    for name, drawing in run.figures.items():
        figure = committed_figure_path(snippet, name)
        if figure.exists() and figure_close(name, figure.read_bytes(), drawing, tolerances):
            continue
        figure.parent.mkdir(parents=True, exist_ok=True)
        figure.write_bytes(drawing)
        rewritten.append(relative(figure))
    return rewritten


def kept_product(name: str, committed: bytes, made: bytes) -> bytes | None:
    """What stays committed of a package file made again, or None to take the new one: an
    equal file stays; weights that keep the committed ones' promise (harness/weights.py)
    stay too, marked with the new fingerprint where only that changed (an edited comment
    in the training script should not move every example's numbers)."""
    if committed == made:
        return committed
    if not name.endswith(".pt") or beyond_promise(committed, made) is not None:
        return None
    if fingerprint(committed) == fingerprint(made):
        return committed
    return with_fingerprint(committed, fingerprint(made))
