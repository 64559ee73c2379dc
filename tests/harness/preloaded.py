"""Run scripts as files without paying for PyTorch's import each time.

Every example run as a file spends about 2.4 s of CPU importing PyTorch and matplotlib before
its first line of work: over a hundred files, most of the portability step. A
PreloadedPython (preloaded_server.py) imports them once and forks a copy of itself for each
script, which then runs as `python SCRIPT` does: its own process, its own folder, its own
sys.path[0], a fresh __main__, its output on its own stdout and stderr. What the copy
shares with its siblings: the modules imported before the fork, and the string-hashing seed
(PYTHONHASHSEED), so set order is the same in every run rather than random per process.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVER = Path(__file__).with_name("preloaded_server.py")
SLOW_IMPORTS = ("torch", "matplotlib.pyplot")


class PreloadedPython:
    """One server process, with `env` added to this environment and `modules` imported;
    `run` one script at a time."""

    def __init__(self, env: dict[str, str], modules: tuple[str, ...] = SLOW_IMPORTS):
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), *modules],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **env},
        )
        self.unread = b""
        atexit.register(self.close)

    def run(self, script: Path, cwd: Path, timeout: float) -> tuple[int | None, str, str]:
        """(exit status, or None if it ran past `timeout` seconds and was stopped; stdout;
        stderr) of `script` (an absolute path) run from the folder `cwd`."""
        with tempfile.TemporaryDirectory(prefix="preloaded-run-") as scratch:
            out, err = Path(scratch, "stdout"), Path(scratch, "stderr")
            request = {"script": str(script), "cwd": str(cwd), "stdout": str(out),
                       "stderr": str(err)}
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
            pid = self.answer(timeout=30)["pid"]
            finished = self.answer(timeout)
            if finished is None:
                os.kill(pid, signal.SIGKILL)
                self.answer(timeout=30)  # the server reaps the copy
            status = None if finished is None else finished["status"]
            return status, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")

    def answer(self, timeout: float) -> dict | None:
        """The server's next line, or None if none came within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.unread:
            left = deadline - time.monotonic()
            readable, _, _ = select.select([self.process.stdout], [], [], max(left, 0))
            if not readable:
                return None
            chunk = os.read(self.process.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError(f"{SERVER.name} exited with status {self.process.wait()}")
            self.unread += chunk
        line, self.unread = self.unread.split(b"\n", 1)
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)
