"""The command as tests run it: in a subprocess with this checkout importable, and the
tree of files an output folder holds after a run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import ROOT
from fork_support import run_python

from codegen.output.seal import CACHE

CLI_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` but the generator's cache, by relative path."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and CACHE not in path.parts
    }


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m codegen ARGS`` in ``cwd``, its output captured (forked, see
    ``fork_support``)."""
    return run_python("-m", "codegen", *args, cwd=cwd, env=CLI_ENV)
