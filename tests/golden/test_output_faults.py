"""The output folder under faults: a ``generate`` killed at each step of its write, a full
disk, a read-only output. After each, ``--check`` tells (exit 1, and why when a run stopped
part way), git lists no temporary file, and the next ``generate`` leaves the output byte
for byte as a clean run makes it, with nothing left over.

Each faulty run is a real process: a wrapper (below, test code only) patches ``os.replace``,
``os.fsync`` or the staging step in that process and sends itself SIGKILL at the chosen
point; the full disk is ``RLIMIT_FSIZE`` (SIGXFSZ ignored, so a write fails with EFBIG, as
a full disk's fails with ENOSPC); the read-only output is a read-only bind mount in a mount
namespace of its own (``unshare -m``: ``chmod`` does not stop root).

The runs before the fault made the output with ``--package before``; the faulty run makes
it with the configured package, so every file is written and every old one removed.
"""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import CLI_ENV, run_cli, tree

from codegen.output.atomic import SUFFIX
from codegen.output.seal import CACHE, STAGING

PYPROJECT = """\
[tool.superoffice-codegen]
docs = "api"
out = "client"
package = "demo_client"
agents = ["User"]
"""
STOPPED = "a run that stopped part way left"

_FAULTY = """
import fcntl, os, signal, sys
from codegen.output import atomic
from codegen.cli import main

point, _, nth = os.environ["KILL_AT"].partition(":")
reached = []


def reach(here):
    if here == point:
        reached.append(here)
        if len(reached) == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)


def kind(target):
    name, cached = os.path.basename(target), "{cache}" in os.fspath(target)
    if not cached:
        return "manifest" if name == ".superoffice-codegen.json" else "rename"
    return name.split("-")[0].split(".")[0]


replace, fsync, staged, flock = os.replace, os.fsync, atomic.staged, fcntl.flock


def replacing(source, target, *args, **kwargs):
    reach(kind(target))
    return replace(source, target, *args, **kwargs)


def syncing(descriptor):
    reach("fsync")
    return fsync(descriptor)


def staging(*args, **kwargs):
    reach("stage")
    return staged(*args, **kwargs)


def locking(descriptor, operation):
    flock(descriptor, operation)
    reach("lock")


os.replace, os.fsync, atomic.staged, fcntl.flock = replacing, syncing, staging, locking
sys.exit(main(sys.argv[1:]))
""".replace("{cache}", CACHE)


@pytest.fixture(scope="module")
def made_before(tmp_path_factory: pytest.TempPathFactory, specs: Path) -> Path:
    """A project whose output was made with ``--package before``."""
    project = tmp_path_factory.mktemp("before")
    shutil.copytree(specs, project / "api")
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    assert run_cli("generate", "--package", "before", cwd=project).returncode == 0
    return project


@pytest.fixture(scope="module")
def clean(made_before: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The output a clean run makes, in a folder of its own."""
    out = tmp_path_factory.mktemp("clean") / "out"
    assert run_cli("generate", "--out", str(out), cwd=made_before).returncode == 0
    return tree(out)


@pytest.fixture
def project(made_before: Path, tmp_path: Path) -> Path:
    """A copy of ``made_before``, committed to git as it is."""
    shutil.copytree(made_before, tmp_path / "project")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path / "project")]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "before"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    return tmp_path / "project"


def _run(
    project: Path,
    *args: str,
    kill_at: str = "none",
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The wrapped command in ``project``, killing itself at ``kill_at``."""
    return subprocess.run(
        [sys.executable, "-c", _FAULTY, *args],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**CLI_ENV, "KILL_AT": kill_at},
        preexec_fn=preexec_fn,
    )


def _untracked_or_changed(project: Path) -> list[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=project,
        check=True,
        capture_output=True,
        text=True,
    )
    return [line[3:] for line in done.stdout.splitlines()]


def _assert_repaired_by_the_next_run(project: Path, clean: dict[str, bytes]) -> None:
    """The next ``generate`` makes the clean output, leaves nothing over, and ``--check``
    agrees."""
    done = run_cli("generate", cwd=project)
    assert done.returncode == 0, done.stderr
    out = project / "client"
    assert tree(out) == clean
    assert sorted(path.name for path in (out / CACHE).iterdir()) == [
        ".gitignore",
        "cache.pickle",
        STAGING,
        *[path.name for path in (out / CACHE).glob("stamp-*.json")],
    ], "no journal"
    assert list((out / CACHE / STAGING).iterdir()) == []
    assert not [path for path in project.rglob(f"*{SUFFIX}")]
    again = run_cli("generate", "--check", cwd=project)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr
    assert again.stdout == ""


@pytest.mark.parametrize(
    ("kill_at", "leaves"),
    [
        ("lock", False),  # the output's lock taken, nothing written yet
        ("fsync:1", True),  # the journal being staged
        ("journal", True),  # the journal staged, about to be renamed in
        ("stage:2", True),  # the journal in place, nothing staged yet
        ("fsync:6", True),  # during staging: staging files, some half written
        ("rename:1", True),  # all staged, no file renamed yet
        ("rename:12", True),  # during the renames: part old, part new
        ("manifest", True),  # every file renamed and removed, not the manifest
        ("cache", True),  # the manifest in place, the cache being written
        ("stamp", True),  # the cache written, the stamp being written
    ],
)
def test_a_run_killed_at_any_step_is_told_by_check_and_repaired_by_the_next(
    project: Path, clean: dict[str, bytes], kill_at: str, leaves: bool
) -> None:
    before = tree(project / "client")
    killed = _run(project, "generate", kill_at=kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    assert not [p for p in _untracked_or_changed(project) if SUFFIX in p or CACHE in p]
    check = run_cli("generate", "--check", cwd=project)
    assert check.returncode == 1, check.stderr
    assert (STOPPED in check.stderr) == leaves, check.stderr
    if not leaves:
        assert tree(project / "client") == before
    _assert_repaired_by_the_next_run(project, clean)


def test_a_run_after_a_killed_one_removes_what_that_one_wrote_even_with_other_options(
    project: Path, made_before: Path
) -> None:
    """The killed run wrote files no manifest lists; the next one, made with the options of
    the run before, does not make them: the journal names them, so they go."""
    assert _run(project, "generate", kill_at="rename:12").returncode == -signal.SIGKILL
    assert (project / "client" / "demo_client").is_dir()
    done = run_cli("generate", "--package", "before", cwd=project)
    assert done.returncode == 0 and "repaired" in done.stderr, done.stderr
    assert tree(project / "client") == tree(made_before / "client")
    assert not (project / "client" / "demo_client").exists()


def _file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def test_a_disk_too_full_for_the_output_exits_4_and_leaves_the_previous_one(
    project: Path, clean: dict[str, bytes]
) -> None:
    before = tree(project / "client")
    largest = max(len(data) for data in clean.values())
    full = _run(project, "generate", preexec_fn=_file_size_limit(largest // 2))
    assert full.returncode == 4, full.stderr
    assert "cannot write: File too large" in full.stderr
    assert "part old, part new" not in full.stderr
    assert tree(project / "client") == before
    check = run_cli("generate", "--check", cwd=project)
    assert check.returncode == 1 and STOPPED not in check.stderr
    _assert_repaired_by_the_next_run(project, clean)


def test_a_disk_too_full_for_the_cache_writes_the_output_and_warns(
    project: Path, clean: dict[str, bytes]
) -> None:
    largest = max(len(data) for data in clean.values())
    cache = project / "client" / CACHE / "cache.pickle"
    assert cache.stat().st_size > largest + 1024, "the cache must be the largest file"
    done = _run(project, "generate", preexec_fn=_file_size_limit(largest + 1024))
    assert done.returncode == 0, done.stderr
    assert "warning: the output is written, but not the stamp and cache (File too large)" in (
        done.stderr
    )
    assert tree(project / "client") == clean
    check = run_cli("generate", "--check", cwd=project)
    assert check.returncode == 0 and check.stdout == "", check.stderr
    _assert_repaired_by_the_next_run(project, clean)


def test_a_read_only_output_exits_4_and_is_left_as_it_was(
    project: Path, clean: dict[str, bytes]
) -> None:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("no unshare or mount here")
    out = project / "client"
    before = tree(out)
    mounted = f"mount --bind {out} {out} && mount -o remount,ro,bind {out} {out}"
    readonly = subprocess.run(
        ["unshare", "-m", "sh", "-c", f'{mounted} && exec "$@"', "sh", sys.executable]
        + ["-m", "codegen", "generate"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=CLI_ENV,
        check=False,
    )
    if "mount:" in readonly.stderr or "unshare:" in readonly.stderr:
        pytest.skip(f"cannot mount read-only here: {readonly.stderr.strip()}")
    assert readonly.returncode == 4, readonly.stderr
    assert "cannot write: Read-only file system" in readonly.stderr
    assert tree(out) == before
    _assert_repaired_by_the_next_run(project, clean)
