"""Python commands run in a child forked from a process that has imported them already.

Starting Python and importing the generator, jinja2, lxml and markdown-it costs about 0.2
CPU-seconds, httpx and lxml for a generated package 0.1; the golden and e2e tiers run such
commands some 250 times, a fifth of the suite's time. So each test process starts one
server (``fork_server.py``) that imports them once and forks a child per command: the child
is the command as ``python`` runs it, with its own folder, environment, arguments, streams
and exit code, and only the imports done before. A test about what a fresh interpreter does
(what it imports, a hash seed, a signal) runs a real ``subprocess`` instead.
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
import threading
from pathlib import Path

SERVER = Path(__file__).resolve().with_name("fork_server.py")


class _Server:
    """The fork server of this test process, started on first use, ended at exit."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        self.lock = threading.Lock()
        atexit.register(self.close)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)

    def run(
        self, argv: list[str], cwd: Path, env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        with self.lock, tempfile.TemporaryDirectory() as scratch:
            out, err = Path(scratch) / "stdout", Path(scratch) / "stderr"
            request = {"argv": argv, "cwd": str(cwd), "env": env}
            self.process.stdin.write(
                json.dumps({**request, "stdout": str(out), "stderr": str(err)})
            )
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            pid = json.loads(self.process.stdout.readline())["pid"]
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            if not ready:
                os.kill(pid, signal.SIGKILL)
            code = json.loads(self.process.stdout.readline())["exit"]
            stdout = out.read_text(encoding="utf-8", errors="replace")
            stderr = err.read_text(encoding="utf-8", errors="replace")
        command = [sys.executable, *argv]
        if not ready:
            raise subprocess.TimeoutExpired(command, timeout, stdout, stderr)
        return subprocess.CompletedProcess(command, code, stdout, stderr)


_servers: dict[tuple[tuple[str, str], ...], _Server] = {}


def run_python(
    *argv: str, cwd: Path | None = None, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python ARGV`` in ``cwd`` with ``env``, its output captured as text, as
    ``subprocess.run`` would; forked from a server started with the same environment
    (``PYTHONDONTWRITEBYTECODE`` aside, which the child sets for itself)."""
    if not hasattr(os, "fork"):
        return subprocess.run(
            [sys.executable, *argv],
            check=False,
            cwd=cwd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env=env,
        )
    startup = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    key = tuple(sorted(startup.items()))
    if key not in _servers:
        _servers[key] = _Server(startup)
    return _servers[key].run(list(argv), cwd or Path.cwd(), env, timeout)
