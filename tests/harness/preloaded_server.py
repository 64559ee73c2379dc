"""A Python that imports some modules once (`python preloaded_server.py torch ...`) and forks
a copy of itself for each script it is asked to run: the copy starts with those imports done
and runs the script as `python SCRIPT` would, from a folder.

Started by harness.preloaded. One request per line on stdin, as JSON: {"script": absolute
path, "cwd": folder, "stdout": file, "stderr": file}. For each it answers two lines on
stdout: {"pid": the copy's process id}, then {"status": its exit status}.
"""

import importlib
import json
import os
import runpy
import sys
import traceback


def run_script(request: dict) -> None:
    """In the forked copy: run the script as its own program, then exit with its status."""
    os.chdir(request["cwd"])
    for fd, path, flags in [(0, os.devnull, os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)]:
        os.dup2(os.open(path, flags), fd)
    script = request["script"]
    sys.argv = [script]  # not the server's own arguments
    sys.path[0] = os.path.dirname(script)  # as `python SCRIPT` sets it
    status = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as leaving:
        if isinstance(leaving.code, int) or leaving.code is None:
            status = leaving.code or 0
        else:
            print(leaving.code, file=sys.stderr)
            status = 1
    except BaseException:
        traceback.print_exc()
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def answer(message: dict) -> None:
    print(json.dumps(message), flush=True)


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run_script(request)
        answer({"pid": pid})
        _, wait_status = os.waitpid(pid, 0)
        answer({"status": os.waitstatus_to_exitcode(wait_status)})


if __name__ == "__main__":
    for module in sys.argv[1:]:
        importlib.import_module(module)  # once, here, for every copy
    serve()
