"""``codegen.output.atomic``: the old file or the new one, never a part, staged in the staging
folder, and no temporary file left behind whatever fails."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from codegen.output import atomic
from codegen.output.atomic import SUFFIX, staged, write_atomically


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    folder = tmp_path / "staging"
    folder.mkdir()
    return folder


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_the_new_bytes_replace_the_old_and_nothing_is_left(tmp_path: Path, staging: Path) -> None:
    target = tmp_path / "stamp.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new", staging)
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["staging", "stamp.json"]
    assert _names(staging) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, staging: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "soap.py"
    target.write_bytes(b"old")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, fail)
    with pytest.raises(OSError):
        write_atomically(target, b"new" * 1000, staging)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["soap.py", "staging"]
    assert _names(staging) == []


def test_staging_writes_in_the_staging_folder_and_leaves_the_target_alone(
    tmp_path: Path, staging: Path
) -> None:
    target = tmp_path / "soap.py"
    target.write_bytes(b"old")
    other = tmp_path / "rest.py"
    temporary, other_temporary = staged([(target, b"new"), (other, b"made")], staging)
    assert temporary.parent == staging and temporary.read_bytes() == b"new"
    assert temporary.name.endswith(SUFFIX) and other_temporary.name.endswith(SUFFIX)
    assert other_temporary.read_bytes() == b"made"
    assert target.read_bytes() == b"old" and not other.exists()
    os.replace(temporary, target)
    os.replace(other_temporary, other)
    assert _names(tmp_path) == ["rest.py", "soap.py", "staging"]
    assert _names(staging) == []


def test_each_of_many_temporary_files_holds_its_own_target_s_bytes(
    tmp_path: Path, staging: Path
) -> None:
    files = [(tmp_path / f"m{i}.py", f"x = {i}\n".encode()) for i in range(40)]
    temporaries = staged(files, staging)
    assert [temporary.read_bytes() for temporary in temporaries] == [data for _, data in files]
    assert len(set(temporaries)) == 40 and _names(staging) == sorted(t.name for t in temporaries)


def test_a_failure_while_staging_many_leaves_no_temporary_file(
    tmp_path: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
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
        staged(files, staging)
    monkeypatch.undo()
    assert _names(staging) == []


def test_a_link_planted_at_a_temporary_name_is_not_written_through(
    tmp_path: Path, staging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"keep me")
    monkeypatch.setattr(atomic, "_numbers", iter([7]))
    (staging / f"{os.getpid()}-7{SUFFIX}").symlink_to(elsewhere)
    target = tmp_path / "soap.py"
    write_atomically(target, b"new", staging)
    assert target.read_bytes() == b"new"
    assert elsewhere.read_bytes() == b"keep me"
    assert _names(staging) == []


def test_a_target_on_another_file_system_is_refused_before_anything_is_written(
    tmp_path: Path, staging: Path
) -> None:
    if os.stat("/dev/shm").st_dev == staging.stat().st_dev:
        pytest.skip("/dev/shm is on the file system of the temporary folder")
    with pytest.raises(OSError) as raised:
        staged([(tmp_path / "a.py", b"a"), (Path("/dev/shm/b.py"), b"b")], staging)
    assert raised.value.errno == errno.EXDEV
    assert _names(staging) == [] and not Path("/dev/shm/b.py").exists()
