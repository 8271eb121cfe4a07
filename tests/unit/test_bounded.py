"""``codegen.bounded``: a regular file read whole, and nothing read past the limit."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from codegen import bounded
from codegen.bounded import read_bounded


def test_a_file_is_read_whole_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(OSError) as raised:
        read_bounded(path, 99)
    assert raised.value.errno == errno.EFBIG


def test_a_link_is_read_only_when_followed(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_bytes(b"text")
    (tmp_path / "link.md").symlink_to(tmp_path / "page.md")
    assert read_bounded(tmp_path / "link.md", 10, follow=True) == b"text"
    with pytest.raises(OSError):
        read_bounded(tmp_path / "link.md", 10)


def test_a_fifo_is_refused_unread(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(OSError) as raised:
        read_bounded(tmp_path / "fifo", 10)
    assert raised.value.errno == errno.EINVAL


def test_a_file_that_grew_since_its_size_was_taken_is_read_on_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"x" * 100)
    fstat = os.fstat

    def before_it_grew(descriptor: int) -> os.stat_result:
        status = list(fstat(descriptor))
        status[6] = 10  # st_size
        return os.stat_result(status)

    monkeypatch.setattr(bounded.os, "fstat", before_it_grew)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(OSError) as raised:
        read_bounded(path, 60)
    assert raised.value.errno == errno.EFBIG
