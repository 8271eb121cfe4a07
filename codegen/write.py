"""The edge where generated text meets the disk: format, compare, and swap in atomically.

Rendered files arrive as ``{relative path: text}``. Python modules are formatted with
black, except where the manifest left by the previous run shows the same rendered text
already produced the file that is on disk (content-addressed: a hand-edited file no longer
matches its recorded hash, so it is reported by ``--check`` and rewritten).

Writing stages every file beside its target first and renames only when all are staged,
under a lock, with the manifest written last: a failure leaves the previous output as it
was, two generators on one output never interleave, files the generator did not write are
never touched, and files it wrote before and no longer makes are removed.
"""

from __future__ import annotations

import difflib
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import black
from black.mode import TargetVersion

MANIFEST = ".superoffice-codegen.json"
_BLACK_MODE = black.Mode(target_versions={TargetVersion.PY311})


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def format_python(source: str) -> str:
    return black.format_str(source, mode=_BLACK_MODE)


@dataclass(frozen=True)
class Entry:
    """What the manifest remembers of a file: the rendered text's hash and the file's."""

    rendered: str
    written: str


@dataclass(frozen=True)
class Plan:
    """The output as it should be, and how it differs from what is on disk."""

    files: dict[PurePosixPath, str]
    entries: dict[PurePosixPath, Entry]
    changed: tuple[PurePosixPath, ...]
    removed: tuple[PurePosixPath, ...]
    formatted: int

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.removed)


def _read_manifest(out: Path) -> dict[PurePosixPath, Entry]:
    try:
        recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {PurePosixPath(p): Entry(**e) for p, e in recorded["files"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _on_disk(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def format_each(sources: Sequence[str]) -> list[str]:
    return [format_python(source) for source in sources]


def plan(
    rendered: Mapping[PurePosixPath, str],
    out: Path,
    format_many: Callable[[Sequence[str]], list[str]] = format_each,
) -> Plan:
    """Format what needs formatting and compare the result with ``out``; write nothing.

    ``format_many`` formats a batch of modules (in parallel, if it likes); it is given only
    the modules whose rendered text did not make the file on disk last time.
    """
    previous = _read_manifest(out)
    on_disk = {path: _on_disk(out / path) for path in rendered}
    files: dict[PurePosixPath, str] = {}
    to_format: list[PurePosixPath] = []
    for path, text in sorted(rendered.items()):
        current, known = on_disk[path], previous.get(path)
        if (
            known
            and known.rendered == _digest(text)
            and current is not None
            and _digest(current) == known.written
        ):
            files[path] = current
        elif path.suffix == ".py":
            to_format.append(path)
        else:
            files[path] = text
    files.update(zip(to_format, format_many([rendered[p] for p in to_format]), strict=True))
    entries = {
        path: Entry(rendered=_digest(rendered[path]), written=_digest(files[path]))
        for path in sorted(files)
    }
    changed = tuple(p for p in sorted(files) if on_disk[p] != files[p])
    removed = tuple(p for p in sorted(previous) if p not in rendered and (out / p).exists())
    return Plan(dict(sorted(files.items())), entries, changed, removed, len(to_format))


def unified_diff(plan_: Plan, out: Path) -> str:
    """What applying the plan would change, as one unified diff."""
    chunks: list[str] = []
    for path in plan_.changed:
        before = (_on_disk(out / path) or "").splitlines(keepends=True)
        after = plan_.files[path].splitlines(keepends=True)
        chunks += difflib.unified_diff(before, after, f"a/{path}", f"b/{path}")
    for path in plan_.removed:
        before = (_on_disk(out / path) or "").splitlines(keepends=True)
        chunks += difflib.unified_diff(before, [], f"a/{path}", "/dev/null")
    return "".join(chunks)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself: no lock file is left behind."""
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def sync(
    rendered: Mapping[PurePosixPath, str],
    out: Path,
    *,
    check: bool,
    format_many: Callable[[Sequence[str]], list[str]] = format_each,
) -> Plan:
    """Bring ``out`` in line with ``rendered`` (or, with ``check``, only say how it differs).

    Planning and writing happen under one lock, so a second generator on the same output
    plans against what the first one finished writing.
    """
    with _locked(out):
        plan_ = plan(rendered, out, format_many)
        if not check and (plan_.stale or not (out / MANIFEST).exists()):
            _apply(plan_, out)
    return plan_


def _apply(plan_: Plan, out: Path) -> None:
    """Stage every changed file, then rename them all into place, then the manifest."""
    manifest = {
        "files": {str(p): vars(e) for p, e in sorted(plan_.entries.items())},
    }
    staged: list[tuple[Path, Path]] = []
    try:
        for path in plan_.changed:
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temporary.write_text(plan_.files[path], encoding="utf-8")
            staged.append((temporary, target))
        manifest_tmp = out / f".{MANIFEST}.{os.getpid()}.tmp"
        manifest_tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    for path in plan_.removed:
        (out / path).unlink(missing_ok=True)
        _remove_empty_parents(out / path, out)
    os.replace(manifest_tmp, out / MANIFEST)


def _remove_empty_parents(path: Path, stop: Path) -> None:
    parent = path.parent
    while parent != stop and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
