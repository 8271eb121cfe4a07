"""A process that has imported the generator once, and forks a child per command it is sent.

Run by ``fork_support`` as ``python fork_server.py``; one JSON request a line on standard
input (``argv`` as after ``python``: ``["-m", "codegen", ...]`` or ``["-c", CODE, ...]``,
``cwd``, ``env``, and the files for the child's ``stdout`` and ``stderr``); for each, one
line ``{"pid": N}`` as the child starts and one ``{"exit": CODE}`` when it has ended.

The child becomes the command as a fresh ``python`` would run it: the working folder, the
environment, ``sys.argv`` and ``sys.path[0]`` set as the interpreter sets them, standard
input empty, output to the files; a ``SystemExit`` or an uncaught exception ends it the way
it ends the interpreter (the exception's traceback printed on its stderr, exit code 1).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import runpy
import sys

PRELOAD = (
    "codegen.cli",
    "codegen.generate",
    "codegen.load",
    "codegen.verify",
    "codegen.emit.render",
    "codegen.sources.soap_page",
    "codegen.sources.rest_page",
    "codegen.sources.wsdl",
    "httpx",
    "lxml.etree",
)
"""What every command imports anyway: the generator's readers and emitters, and the
generated packages' dependencies."""


def main() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    # What the imports made lives as long as a child does: out of the cycle collector's
    # sight, a child's full collections do not walk it (a quarter of a bad-input case's
    # time) nor copy its pages from the server's.
    gc.freeze()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _become(request)
            raise SystemExit(0)
        _reply({"pid": pid})
        _, status = os.waitpid(pid, 0)
        _reply({"exit": os.waitstatus_to_exitcode(status)})


def _reply(message: dict[str, int]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _become(request: dict[str, object]) -> None:
    """Turn this child into the command ``request`` names, and run it."""
    argv, cwd, env = request["argv"], request["cwd"], request["env"]
    assert isinstance(argv, list) and isinstance(cwd, str) and isinstance(env, dict)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    for fd, key in ((1, "stdout"), (2, "stderr")):
        path = request[key]
        assert isinstance(path, str)
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - the command's own stdin
    option, target, *arguments = argv
    if option == "-m":
        sys.path[0] = os.getcwd()
        sys.argv = [target, *arguments]
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    else:
        sys.path[0] = ""
        sys.argv = ["-c", *arguments]
        code = compile(target, "<string>", "exec")
        exec(code, {"__name__": "__main__"})  # noqa: S102 - what python -c does


if __name__ == "__main__":
    main()
