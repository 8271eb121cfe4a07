"""The writer: content-addressed sync, --check, the manifest, atomic and exclusive swaps."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path, PurePosixPath

import pytest

from codegen.output import journal, write
from codegen.output.atomic import SUFFIX
from codegen.output.seal import staging_dir
from codegen.output.write import MANIFEST, digest, plan, read_manifest, sync, unified_diff

MODULE = PurePosixPath("pkg/mod.py")
README = PurePosixPath("pkg/README.md")
FILES = {MODULE: "x = 1\n", README: "# hi\n"}


def test_check_on_empty_output_is_stale_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = sync(FILES, out, check=True)
    assert result.stale and set(result.changed) == {MODULE, README, MANIFEST}
    assert "+x = 1" in unified_diff(result, out)
    assert not out.exists()


def test_the_manifest_lists_every_file_with_its_hash(tmp_path: Path) -> None:
    sync(FILES, tmp_path, check=False)
    assert read_manifest(tmp_path) == {path: digest(t.encode()) for path, t in FILES.items()}
    recorded = json.loads((tmp_path / MANIFEST).read_text())
    assert list(recorded) == ["files"], "no timestamps, no absolute paths"


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    sync(FILES, tmp_path, check=False)
    before = {path: (tmp_path / path).stat().st_mtime_ns for path in (MODULE, README, MANIFEST)}
    (tmp_path / MODULE).touch()
    touched = (tmp_path / MODULE).stat().st_mtime_ns
    again = sync({**FILES, README: "# changed\n"}, tmp_path, check=False)
    assert set(again.changed) == {README, MANIFEST}
    assert (tmp_path / MODULE).stat().st_mtime_ns == touched
    assert (tmp_path / README).read_text() == "# changed\n"
    assert (tmp_path / MANIFEST).stat().st_mtime_ns >= before[MANIFEST]
    assert not sync({**FILES, README: "# changed\n"}, tmp_path, check=True).stale


def test_a_hand_edit_is_reported_and_rewritten(tmp_path: Path) -> None:
    sync(FILES, tmp_path, check=False)
    (tmp_path / MODULE).write_text("x = 2\n")
    checked = sync(FILES, tmp_path, check=True)
    assert checked.changed == (MODULE,)
    assert "-x = 2\n+x = 1\n" in unified_diff(checked, tmp_path)
    sync(FILES, tmp_path, check=False)
    assert (tmp_path / MODULE).read_text() == "x = 1\n"


def test_line_endings_count_as_an_edit(tmp_path: Path) -> None:
    sync(FILES, tmp_path, check=False)
    (tmp_path / MODULE).write_bytes(b"x = 1\r\n")
    assert sync(FILES, tmp_path, check=True).changed == (MODULE,)


def test_a_changed_manifest_makes_the_output_stale(tmp_path: Path) -> None:
    sync(FILES, tmp_path, check=False)
    (tmp_path / MANIFEST).write_text('{"files": {}}\n')
    assert sync(FILES, tmp_path, check=True).changed == (MANIFEST,)


def test_files_no_longer_made_are_removed_and_foreign_files_kept(tmp_path: Path) -> None:
    nested = PurePosixPath("pkg/samples/a.xml")
    sync({**FILES, nested: "<a/>\n"}, tmp_path, check=False)
    (tmp_path / "pkg" / "mine.txt").write_text("user file")
    checked = sync({MODULE: "x = 1\n"}, tmp_path, check=True)
    assert checked.removed == (README, nested)
    assert "+++ /dev/null" in unified_diff(checked, tmp_path)
    sync({MODULE: "x = 1\n"}, tmp_path, check=False)
    assert not (tmp_path / README).exists()
    assert not (tmp_path / "pkg" / "samples").exists(), "emptied folders go too"
    assert (tmp_path / "pkg" / "mine.txt").read_text() == "user file"
    assert read_manifest(tmp_path) == {MODULE: digest(b"x = 1\n")}


def test_exactly_the_emptied_folders_are_removed_each_looked_into_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = {PurePosixPath(p): "" for p in ("pkg/a/y.py", "pkg/keep/k.py")}
    gone = {PurePosixPath(p): "" for p in ("pkg/a/b/c/x.py", "pkg/a/b/c/w.py", "pkg/d/z.py")}
    gone |= {PurePosixPath(f"pkg/e/f/g{i}.py"): "" for i in range(5)}
    sync({**kept, **gone}, tmp_path, check=False)
    (tmp_path / "pkg" / "keep" / "mine.txt").write_text("user file")
    looked_into: list[str] = []
    scandir = write.os.scandir

    def counted(folder: Path) -> object:
        if Path(folder).is_relative_to(tmp_path / "pkg"):
            looked_into.append(str(folder))
        return scandir(folder)

    monkeypatch.setattr(write.os, "scandir", counted)
    sync({PurePosixPath("pkg/a/y.py"): ""}, tmp_path, check=False)
    monkeypatch.undo()
    folders = {str(p.relative_to(tmp_path)) for p in tmp_path.glob("pkg/**")}
    assert folders == {"pkg", "pkg/a", "pkg/keep"}
    assert (tmp_path / "pkg" / "keep" / "mine.txt").exists()
    assert len(looked_into) == len(set(looked_into)) == 8, "none listed twice"


def test_no_folder_is_removed_through_a_link_out_of_the_output(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    sync(FILES, out, check=False)
    (elsewhere / "empty").mkdir(parents=True)
    (out / "pkg" / "linked").symlink_to(elsewhere, target_is_directory=True)
    journal.begin(out, (PurePosixPath("pkg/linked/empty/x.py"),))
    sync(FILES, out, check=False)
    assert (elsewhere / "empty").is_dir()


def test_a_link_to_an_empty_folder_inside_the_output_is_left_alone(tmp_path: Path) -> None:
    """A link is no folder of the generator's to remove, wherever it leads: removing it
    as a folder failed after the renames, and every later run failed the same way."""
    sync(FILES, tmp_path, check=False)
    (tmp_path / "pkg" / "empty").mkdir()
    (tmp_path / "pkg" / "linked").symlink_to(tmp_path / "pkg" / "empty")
    journal.begin(tmp_path, (PurePosixPath("pkg/linked/x.py"),))
    sync(FILES, tmp_path, check=False)
    assert (tmp_path / "pkg" / "linked").is_symlink()
    assert sync(FILES, tmp_path, check=False).stale is False


def test_the_manifest_cannot_be_a_rendered_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        plan({MANIFEST: "{}"}, tmp_path)


def test_a_failure_while_staging_leaves_the_previous_output(tmp_path: Path) -> None:
    sync(FILES, tmp_path, check=False)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    (tmp_path / "zz").write_text("a file where a folder should be")
    with pytest.raises(OSError):
        sync({**FILES, MODULE: "x = 2\n", PurePosixPath("zz/x.py"): ""}, tmp_path, check=False)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == {**before, tmp_path / "zz": b"a file where a folder should be"}


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
    assert not list(tmp_path.rglob(f"*{SUFFIX}"))
    (text,) = contents
    files = {PurePosixPath(f"pkg/m{i}.py"): text for i in range(40)}
    assert not sync(files, tmp_path, check=True).stale, "the manifest matches the files"


def test_the_journal_names_every_file_about_to_change_while_the_renames_happen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(FILES, tmp_path, check=False)
    seen: list[tuple[str, tuple[PurePosixPath, ...] | None]] = []
    replace = write.os.replace

    def watched(source: Path, target: Path) -> None:
        seen.append((Path(target).name, journal.journaled(tmp_path)))
        replace(source, target)

    monkeypatch.setattr(write.os, "replace", watched)
    sync({MODULE: "x = 2\n", PurePosixPath("pkg/new.py"): ""}, tmp_path, check=False)
    named = (MANIFEST, README, MODULE, PurePosixPath("pkg/new.py"))
    assert seen == [
        ("journal.json", None),
        ("mod.py", named),
        ("new.py", named),
        (".superoffice-codegen.json", named),
    ], "written before the first rename, the manifest renamed last"
    assert journal.journaled(tmp_path) is None, "closed once the manifest is in place"
    assert not journal.interrupted(tmp_path)


def _stopped_during_the_renames(out: Path) -> PurePosixPath:
    """The disk as a run killed after its first rename leaves it: one file it wrote that no
    manifest lists, its journal, a staging file."""
    sync(FILES, out, check=False)
    new = PurePosixPath("pkg/new.py")
    journal.begin(out, (new, MODULE, MANIFEST))
    (out / new).write_text("made by the stopped run\n")
    (staging_dir(out) / f"1-0{SUFFIX}").write_text("x = 2\n")
    return new


def test_check_reports_what_a_stopped_run_left_as_stale(tmp_path: Path) -> None:
    new = _stopped_during_the_renames(tmp_path)
    checked = sync(FILES, tmp_path, check=True)
    assert checked.stale and checked.journal is not None and len(checked.leftovers) == 1
    assert checked.removed == (new,), "the journal's files are the generator's"
    assert journal.interrupted(tmp_path)


def test_the_next_run_removes_what_a_stopped_run_left_and_its_files_no_one_makes(
    tmp_path: Path,
) -> None:
    new = _stopped_during_the_renames(tmp_path)
    sync(FILES, tmp_path, check=False)
    assert not (tmp_path / new).exists()
    assert not journal.interrupted(tmp_path)
    assert list(staging_dir(tmp_path).iterdir()) == []
    assert not sync(FILES, tmp_path, check=True).stale


def test_a_journal_with_nothing_else_to_do_is_closed(tmp_path: Path) -> None:
    sync(FILES, tmp_path, check=False)
    journal.begin(tmp_path, (MODULE,))
    assert sync(FILES, tmp_path, check=True).stale
    sync(FILES, tmp_path, check=False)
    assert not journal.interrupted(tmp_path)
    assert not sync(FILES, tmp_path, check=True).stale


def test_a_rename_that_fails_leaves_the_journal_and_no_staging_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(FILES, tmp_path, check=False)
    replace = write.os.replace
    renamed: list[Path] = []

    def fail_second(source: Path, target: Path) -> None:
        if Path(target).parent != staging_dir(tmp_path).parent:
            if renamed:
                raise OSError(28, "No space left on device")
            renamed.append(Path(target))
        replace(source, target)

    monkeypatch.setattr(write.os, "replace", fail_second)
    changed = {MODULE: "x = 2\n", README: "# changed\n"}
    with pytest.raises(OSError):
        sync(changed, tmp_path, check=False)
    monkeypatch.undo()
    assert journal.journaled(tmp_path) is not None
    assert journal.leftovers(tmp_path) == ()
    assert sync(changed, tmp_path, check=True).stale
    sync(changed, tmp_path, check=False)
    assert not journal.interrupted(tmp_path)
    assert {path: (tmp_path / path).read_text() for path in changed} == changed


def test_a_failure_before_the_first_rename_takes_back_the_journal_and_the_folders(
    tmp_path: Path,
) -> None:
    sync(FILES, tmp_path, check=False)
    (tmp_path / "zz").write_text("a file where a folder should be")
    new = {**FILES, PurePosixPath("pkg/new/deep/x.py"): "", PurePosixPath("zz/x.py"): ""}
    with pytest.raises(OSError):
        sync(new, tmp_path, check=False)
    assert not journal.interrupted(tmp_path)
    assert not (tmp_path / "pkg" / "new").exists()
