"""Run a snippet file as a reader would and check what it printed and drew.

Each snippet in `snippets/` runs as a script in a scratch folder. What it prints is
compared with the committed `<name>.out` beside it; each figure it saves in its working
folder is compared with the committed copy in `docs/assets/figures/<chapter>/`. Numbers
may differ by one unit in their last printed digit (another CPU may round the other way);
anything more is drift.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
FIGURES = ROOT / "docs" / "assets" / "figures"
FIGURE_SUFFIXES = (".svg", ".png")
UPDATE_COMMAND = "python3 dev.py update"
TIMEOUT_SECONDS = 30  # "runs in seconds": generous for a 2-core CPU running two at once

NUMBER = re.compile(r"-?\d+(?:\.(?P<decimals>\d+))?(?:[eE](?P<exponent>[-+]?\d+))?")
SVG_METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)
SVG_TOLERANCE = 0.5  # points: far below what a reader could see, far above rounding noise

# Matplotlib reads `matplotlibrc` from the working folder: a fixed hash salt and no date
# (SOURCE_DATE_EPOCH) make a saved SVG the same file on every run.
MATPLOTLIBRC = "backend: Agg\nsvg.hashsalt: runnable-genai\n"


class SnippetFailure(AssertionError):
    """A snippet broke one of the book's promises; the message says where and what to do."""


@dataclass(frozen=True)
class Run:
    stdout: str
    figures: dict[str, bytes]


def snippet_files() -> list[Path]:
    """Every runnable snippet: each .py file under snippets/ that is not a package module."""
    return sorted(
        path
        for path in SNIPPETS.rglob("*.py")
        if path.name != "__init__.py" and not (path.parent / "__init__.py").exists()
    )


def expected_output_path(snippet: Path) -> Path:
    return snippet.with_suffix(".out")


def committed_figure_path(snippet: Path, figure_name: str) -> Path:
    return FIGURES / snippet.parent.relative_to(SNIPPETS) / figure_name


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def run_snippet(snippet: Path) -> Run:
    """Run `snippet` as `python snippet.py` in a scratch folder; raise if it fails."""
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "SOURCE_DATE_EPOCH": "0",
        "PYTHONHASHSEED": "0",
        "OMP_NUM_THREADS": "1",
    }
    with tempfile.TemporaryDirectory() as workdir:
        Path(workdir, "matplotlibrc").write_text(MATPLOTLIBRC)
        try:
            result = subprocess.run(
                [sys.executable, str(snippet)],
                cwd=workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired as error:
            raise SnippetFailure(
                f"{relative(snippet)}: still running after {TIMEOUT_SECONDS} s; "
                "an example must finish in seconds on a 2-core CPU — make it smaller."
            ) from error
        if result.returncode != 0:
            raise SnippetFailure(
                f"{relative(snippet)} exited with status {result.returncode}. "
                f"Its traceback names the failing line:\n{result.stderr}"
            )
        figures = {
            path.name: path.read_bytes()
            for path in sorted(Path(workdir).iterdir())
            if path.suffix in FIGURE_SUFFIXES
        }
    return Run(result.stdout, figures)


def run_twice(snippet: Path) -> Run:
    """Run `snippet` twice at once and insist that both runs print and draw the same."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(run_snippet, [snippet, snippet])
    difference = first_difference(first.stdout, second.stdout, tolerant=False)
    if difference:
        line, one, other = difference
        raise SnippetFailure(
            f"{relative(snippet)} printed different output on two runs "
            f"(line {line}: {one!r} vs {other!r}). Examples must be deterministic: seed "
            "every random generator (torch.manual_seed, random.Random(0)) and print "
            "nothing that depends on the clock, the machine or set/dict hash order."
        )
    for name in first.figures.keys() | second.figures.keys():
        if first.figures.get(name) != second.figures.get(name):
            raise SnippetFailure(
                f"{relative(snippet)} drew {name} differently on two runs. Seed every "
                "random generator, and plot nothing that depends on the clock."
            )
    return first


def first_difference(expected: str, actual: str, *, tolerant: bool = True):
    """The first line where two outputs differ, as (line number, expected, actual)."""
    expected_lines, actual_lines = expected.splitlines(), actual.splitlines()
    for number in range(1, max(len(expected_lines), len(actual_lines)) + 1):
        want = expected_lines[number - 1] if number <= len(expected_lines) else "<end of output>"
        got = actual_lines[number - 1] if number <= len(actual_lines) else "<end of output>"
        if want != got and not (tolerant and same_up_to_last_digit(want, got)):
            return number, want, got
    return None


def same_up_to_last_digit(expected: str, actual: str) -> bool:
    """Equal text, and equal numbers but for one unit in the last printed decimal."""
    if NUMBER.sub("#", expected) != NUMBER.sub("#", actual):  # the text between numbers
        return False
    pairs = zip(NUMBER.finditer(expected), NUMBER.finditer(actual))
    return all(numbers_close(want, got) for want, got in pairs)


def numbers_close(want: re.Match, got: re.Match) -> bool:
    if (want["decimals"] is None) != (got["decimals"] is None) or want["exponent"] != got[
        "exponent"
    ]:
        return False
    if want["decimals"] is None:
        return want[0] == got[0]  # integers are counts: exact
    if len(want["decimals"]) != len(got["decimals"]):
        return False
    unit = 10.0 ** (int(want["exponent"] or 0) - len(want["decimals"]))
    return abs(float(want[0]) - float(got[0])) <= 1.0001 * unit


def svg_close(expected: bytes, actual: bytes) -> bool:
    """The same drawing: equal markup, coordinates within SVG_TOLERANCE points."""
    want = SVG_METADATA.sub("", expected.decode())
    got = SVG_METADATA.sub("", actual.decode())
    if NUMBER.sub("#", want) != NUMBER.sub("#", got):
        return False
    pairs = zip(NUMBER.finditer(want), NUMBER.finditer(got))
    return all(abs(float(a[0]) - float(b[0])) <= SVG_TOLERANCE for a, b in pairs)


def check_against_committed(snippet: Path, run: Run) -> None:
    """Raise, naming the file and line, if the run differs from the committed results."""
    output = expected_output_path(snippet)
    if not output.exists():
        raise SnippetFailure(
            f"{relative(output)} is missing: every snippet's output is committed beside "
            f"it. Run `{UPDATE_COMMAND}` and commit the new file."
        )
    difference = first_difference(output.read_text(encoding="utf-8"), run.stdout)
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
        same = svg_close if figure.suffix == ".svg" else bytes.__eq__
        if not same(figure.read_bytes(), drawing):
            raise SnippetFailure(
                f"{relative(figure)} is not what {relative(snippet)} draws now. If the "
                f"change is intended, run `{UPDATE_COMMAND}` and commit the new figure."
            )


def write_committed(snippet: Path, run: Run) -> None:
    """Make the committed output and figures those of `run` (the update command)."""
    expected_output_path(snippet).write_text(run.stdout, encoding="utf-8")
    for name, drawing in run.figures.items():
        figure = committed_figure_path(snippet, name)
        figure.parent.mkdir(parents=True, exist_ok=True)
        figure.write_bytes(drawing)
