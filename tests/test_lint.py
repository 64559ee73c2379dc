"""The code follows the project's lint rules: ruff, with the rules chosen in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        "ruff (pyproject.toml's rules) found problems; fix them, or run "
        "`.venv/bin/python -m ruff check --fix .` for those marked [*]:\n"
        + result.stdout
        + result.stderr
    )
