"""``codegen.output.atomic``: the old file or the new one, never a part, and no temporary
file left behind whatever fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codegen.output import atomic
from codegen.output.atomic import staged, write_atomically


def _beside(target: Path) -> list[str]:
    return sorted(path.name for path in target.parent.iterdir())


def test_the_new_bytes_replace_the_old_and_nothing_is_left_beside(tmp_path: Path) -> None:
    target = tmp_path / "stamp.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert _beside(target) == ["stamp.json"]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "soap.py"
    target.write_bytes(b"old")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(OSError):
        write_atomically(target, b"new" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert _beside(target) == ["soap.py"]


def test_staging_writes_beside_the_target_and_leaves_the_target_alone(tmp_path: Path) -> None:
    target = tmp_path / "soap.py"
    target.write_bytes(b"old")
    other = tmp_path / "rest.py"
    temporary, other_temporary = staged([(target, b"new"), (other, b"made")])
    assert temporary.parent == tmp_path and temporary.read_bytes() == b"new"
    assert other_temporary.read_bytes() == b"made"
    assert target.read_bytes() == b"old" and not other.exists()
    os.replace(temporary, target)
    os.replace(other_temporary, other)
    assert _beside(target) == ["rest.py", "soap.py"]


def test_a_failure_while_staging_many_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [(tmp_path / f"m{i}.py", b"x = 1\n") for i in range(40)]
    flushed: list[int] = []
    fsync = os.fsync

    def fail_late(descriptor: int) -> None:
        flushed.append(descriptor)
        if len(flushed) == 30:
            raise OSError(5, "Input/output error")
        fsync(descriptor)

    monkeypatch.setattr(atomic.os, "fsync", fail_late)
    with pytest.raises(OSError):
        staged(files)
    monkeypatch.undo()
    assert _beside(tmp_path / "x") == []


def test_a_link_planted_at_the_temporary_name_is_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"keep me")
    target = tmp_path / "out" / "soap.py"
    target.parent.mkdir()
    (target.parent / f".soap.py.{os.getpid()}.tmp").symlink_to(elsewhere)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert elsewhere.read_bytes() == b"keep me"
    assert _beside(target) == ["soap.py"]
