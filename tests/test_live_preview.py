"""`python3 dev.py serve` follows every source of a page, not only docs/ and mkdocs.yml.

Tried as a contributor would: serve a small site with the book's configuration (its
`watch` list, hooks and overrides), open a page that includes a snippet, edit the snippet's
comment, and the served page changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while text not in page_text(url):
        assert server.poll() is None, f"mkdocs serve stopped:\n{log.read_text()}"
        assert time.monotonic() < deadline, (
            f"{url} did not show {text!r} within {WAIT_SECONDS} s; is the folder the edit was "
            f"made in listed under `watch:` in mkdocs.yml?\n{log.read_text()}"
        )
        time.sleep(0.2)


def test_editing_a_snippet_refreshes_the_served_page(tmp_path):
    snippet = tmp_path / "snippets" / "example.py"
    snippet.parent.mkdir()
    snippet.write_text("# the first comment\nprint(1)\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n```python\n--8<-- \"example.py\"\n```\n")
    for folder in ("hooks", "overrides"):  # the book's, where its configuration looks
        (tmp_path / folder).symlink_to(ROOT / folder)
    (tmp_path / "mkdocs.yml").write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: docs\nnav: [index.md]\n"
    )
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url, "the first comment", server, log)
        snippet.write_text("# the second comment\nprint(1)\n")
        wait_for(url, "the second comment", server, log)
    finally:
        server.terminate()
        server.wait()
