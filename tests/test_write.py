"""The writer: formatting with a content-addressed cache, --check, atomic and exclusive swaps."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

import black
import pytest

from codegen.write import MANIFEST, format_python, sync, unified_diff

MODULE = PurePosixPath("pkg/mod.py")
README = PurePosixPath("pkg/README.md")


def _counting_formatter(calls: list[str]) -> Callable[[Sequence[str]], list[str]]:
    def formatter(sources: Sequence[str]) -> list[str]:
        calls.extend(sources)
        return [format_python(source) for source in sources]

    return formatter


def test_check_on_empty_output_is_stale_and_writes_nothing(tmp_path: Path) -> None:
    plan = sync({MODULE: "x=1\n"}, tmp_path, check=True)
    assert plan.stale and plan.changed == (MODULE,)
    assert "+x = 1" in unified_diff(plan, tmp_path)
    assert not (tmp_path / MODULE).exists()


def test_write_formats_then_a_rerun_formats_nothing(tmp_path: Path) -> None:
    calls: list[str] = []
    sync(
        {MODULE: "x=1\n", README: "# hi\n"},
        tmp_path,
        check=False,
        format_many=_counting_formatter(calls),
    )
    assert (tmp_path / MODULE).read_text() == "x = 1\n"
    assert (tmp_path / MANIFEST).exists()
    again = sync(
        {MODULE: "x=1\n", README: "# hi\n"},
        tmp_path,
        check=True,
        format_many=_counting_formatter(calls),
    )
    assert not again.stale and again.formatted == 0 and len(calls) == 1


def test_a_hand_edit_is_reported_and_rewritten(tmp_path: Path) -> None:
    sync({MODULE: "x=1\n"}, tmp_path, check=False)
    (tmp_path / MODULE).write_text("x = 2\n")
    plan = sync({MODULE: "x=1\n"}, tmp_path, check=True)
    assert plan.changed == (MODULE,)
    sync({MODULE: "x=1\n"}, tmp_path, check=False)
    assert (tmp_path / MODULE).read_text() == "x = 1\n"


def test_files_no_longer_made_are_removed_and_foreign_files_kept(
    tmp_path: Path,
) -> None:
    sync({MODULE: "x=1\n", README: "# hi\n"}, tmp_path, check=False)
    (tmp_path / "pkg" / "mine.txt").write_text("user file")
    plan = sync({MODULE: "x=1\n"}, tmp_path, check=False)
    assert plan.removed == (README,)
    assert not (tmp_path / README).exists()
    assert (tmp_path / "pkg" / "mine.txt").read_text() == "user file"


def test_a_failure_while_formatting_leaves_the_previous_output(tmp_path: Path) -> None:
    sync({MODULE: "x=1\n"}, tmp_path, check=False)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(black.InvalidInput):
        sync({MODULE: "x=(\n"}, tmp_path, check=False)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert (tmp_path / MODULE).read_text() == "x = 1\n"


def _write_many(out: str, value: int) -> None:
    files = {PurePosixPath(f"pkg/m{i}.py"): f"x = {value}\n" for i in range(40)}
    for _ in range(5):
        sync(files, Path(out), check=False)


def test_two_generators_on_one_output_never_leave_a_mix(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(str(tmp_path), v)) for v in (1, 2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    contents = {p.read_text() for p in (tmp_path / "pkg").glob("m*.py")}
    assert len(contents) == 1
    assert not list(tmp_path.rglob("*.tmp"))
