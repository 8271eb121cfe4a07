"""The command on the real corpus: agents in parallel equal one process."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import CLI_ENV, tree

from codegen.cli import main


def test_agents_in_parallel_make_the_same_output_as_one_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two agents over two processes, with the progress line on a terminal; then the
    same in this process alone: byte for byte the same files."""
    args = ["generate", "--docs", str(corpus), "--api-version", "86"]
    args += ["--agent", "User", "--agent", "Archive"]
    terminal, other_end = pty.openpty()
    command = [sys.executable, "-m", "codegen", *args, "--out", str(tmp_path / "parallel")]
    done = subprocess.run(
        command, check=False, cwd=tmp_path, stderr=other_end, env=CLI_ENV, timeout=300
    )
    os.close(other_end)
    progress = os.read(terminal, 4096).decode()
    os.close(terminal)
    assert done.returncode == 0
    assert "generated 2/2 agents" in progress
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert main([*args, "--out", str(tmp_path / "alone")]) == 0
    parallel, alone = tree(tmp_path / "parallel"), tree(tmp_path / "alone")
    assert parallel == alone
    assert {"superoffice/user/soap.py", "superoffice/archive/soap.py"} <= set(alone)
