"""The portability step's runs as files (harness/preloaded.py) behave as `python SCRIPT` does:
the script is __main__, imports its neighbours, prints to its own stdout, and its failure,
exit status and running too long come back. Tested on a server that preloads nothing."""

import os
import sys

import pytest

from harness.preloaded import PreloadedPython

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="a system without fork")


@pytest.fixture(scope="module")
def python():
    server = PreloadedPython({"BOOK_PRELOADED_TEST": "set"}, modules=("json",))
    yield server
    server.close()


def write(folder, name, text):
    path = folder / name
    path.write_text(text)
    return path


def test_a_script_runs_as_main_from_its_folder_beside_its_neighbours(python, tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    write(code, "neighbour.py", "GREETING = 'hello'\n")
    script = write(code, "script.py", (
        "import os, sys\n"
        "from neighbour import GREETING\n"
        "print(__name__, GREETING, os.getcwd(), sys.path[0], os.environ['BOOK_PRELOADED_TEST'])\n"
        "print(sys.argv[1:])\n"
        "print('json' in sys.modules, file=sys.stderr)\n"
    ))
    status, stdout, stderr = python.run(script, tmp_path, timeout=30)
    assert status == 0
    assert stdout.split() == ["__main__", "hello", str(tmp_path), str(code), "set", "[]"]
    assert stderr.strip() == "True"  # the preloaded module is there already


def test_each_run_starts_from_the_preloaded_state(python, tmp_path):
    script = write(tmp_path, "leaves.py", "import sys\n"
                   "print('left' in sys.modules, 'neighbour' in sys.modules)\n"
                   "sys.modules['left'] = sys  # gone again for the next run\n")
    assert python.run(script, tmp_path, timeout=30)[1] == "False False\n"
    assert python.run(script, tmp_path, timeout=30)[1] == "False False\n"


def test_a_failure_returns_its_status_and_the_traceback_naming_the_line(python, tmp_path):
    script = write(tmp_path, "fails.py", "print('before')\nraise ValueError('broken')\n")
    status, stdout, stderr = python.run(script, tmp_path, timeout=30)
    assert (status, stdout) == (1, "before\n")
    assert 'fails.py", line 2' in stderr and "ValueError: broken" in stderr
    exits = write(tmp_path, "exits.py", "import sys\nsys.exit(3)\n")
    assert python.run(exits, tmp_path, timeout=30)[0] == 3


def test_a_script_past_its_time_is_stopped_and_the_server_goes_on(python, tmp_path):
    slow = write(tmp_path, "slow.py", "import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    status, stdout, _ = python.run(slow, tmp_path, timeout=0.5)
    assert (status, stdout) == (None, "started\n")
    quick = write(tmp_path, "quick.py", f"print({sys.maxsize})\n")
    assert python.run(quick, tmp_path, timeout=30) == (0, f"{sys.maxsize}\n", "")
