"""The edge where generated text meets the disk: compare, report, and swap in atomically.

Rendered files arrive as ``{relative path: text}``, already in their final form (the
templates are black-stable by construction, so nothing is formatted here). A file whose
text on disk is the text rendered now is left alone, modification time and all; any other
file, a hand-edited one included, is reported by ``--check`` and rewritten by ``generate``.

The manifest (``.superoffice-codegen.json``) lists every file the generator made, with the
SHA-256 of its text: the next run removes files it made before and no longer makes, and
the fast path (``codegen.output.stamp``) verifies the output against it without
rendering. It is an output like the others, so ``--check`` reports it when it would change.

Writing stages every changed file first (``codegen.output.atomic``) and renames only when
all are staged, under an exclusive lock on the output folder, with the manifest renamed
last: a failure before the renames leaves the previous output as it was, two generators on
one output never interleave, and files the generator did not write are never touched. A
run stopped during the renames (killed, or a rename failed) leaves its journal
(``codegen.output.journal``): the next run takes the files it names as its own, and brings
the whole output in line.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import heapq
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codegen.bounded import read_bounded
from codegen.output import atomic, journal
from codegen.output.seal import staging_dir
from codegen.output.within import Within

MANIFEST = PurePosixPath(".superoffice-codegen.json")
_MAX_MANIFEST_BYTES = 16 * 1024 * 1024
_MAX_OUTPUT_BYTES = 64 * 1024 * 1024
"""No file the generator writes comes near; a larger one is not what it wrote."""
DEFAULT_LOCK_TIMEOUT = 60.0
"""Seconds a run waits for another run on the same output (``--lock-timeout``)."""
_LOCK_POLL_SECONDS = 0.05


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Plan:
    """The output as it should be (manifest included), how it differs from the disk, and
    what a run that stopped part way left there."""

    files: dict[PurePosixPath, str]
    changed: tuple[PurePosixPath, ...]
    removed: tuple[PurePosixPath, ...]
    leftovers: tuple[Path, ...] = ()
    """Staging files of a run that stopped part way."""
    journal: tuple[PurePosixPath, ...] | None = None
    """What the journal of a run stopped during its renames names; None: no journal."""

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.removed or self.leftovers) or self.journal is not None


def manifest_text(files: Mapping[PurePosixPath, str]) -> str:
    """The manifest for ``files``: sorted, no timestamps, the same bytes on every machine."""
    hashes = {str(path): digest(text.encode()) for path, text in sorted(files.items())}
    return json.dumps({"files": hashes}, indent=1) + "\n"


def read_manifest(out: Path) -> dict[PurePosixPath, str]:
    """``{path: sha256}`` of the files the last run made; empty when there is no manifest.

    A commit can change the manifest: a path that would leave the output folder (absolute,
    or with ``..``) is no file the generator made, so it is never read, compared or removed.
    """
    try:
        recorded = json.loads(read_bounded(out / MANIFEST, _MAX_MANIFEST_BYTES).decode("utf-8"))
        files = {PurePosixPath(path): str(sha) for path, sha in recorded["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {path: sha for path, sha in files.items() if _relative(path)}


def _relative(path: PurePosixPath) -> bool:
    return bool(path.parts) and not path.is_absolute() and ".." not in path.parts


class _Output:
    """The output folder, as reached through whatever links a commit may have put in it."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.within = Within(out)

    def inside(self, path: PurePosixPath) -> bool:
        """``out / path`` is inside ``out`` even through symbolic links."""
        return _relative(path) and self.within.holds(os.path.join(self.out, path))

    def folder_inside(self, folder: PurePosixPath) -> bool:
        """The folder ``out / folder`` (a relative one, ``.`` for ``out``) is inside
        ``out`` even through symbolic links."""
        return self.within.holds_folder(os.path.join(self.out, folder))

    def text(self, path: PurePosixPath) -> str | None:
        """The file's text exactly as stored (no newline translation), or None.

        None too for a file reached through a link out of ``out``: ``--check`` would print it.
        """
        if not self.inside(path):
            return None
        try:
            return read_bounded(self.out / path, _MAX_OUTPUT_BYTES, follow=True).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def plan(rendered: Mapping[PurePosixPath, str], out: Path) -> Plan:
    """Compare ``rendered`` (plus its manifest) with ``out``; write nothing."""
    if MANIFEST in rendered:
        raise ValueError(f"{MANIFEST} is the generator's own file")
    files = dict(sorted(rendered.items()))
    files[MANIFEST] = manifest_text(rendered)
    output = _Output(out)
    changed = tuple(path for path, text in files.items() if output.text(path) != text)
    journaled = journal.journaled(out)
    if journaled is not None:
        journaled = tuple(path for path in journaled if _relative(path))
    previous = set(read_manifest(out)) | set(journaled or ())
    removed = tuple(
        path
        for path in sorted(previous)
        if path not in files and (out / path).is_file() and output.inside(path)
    )
    return Plan(files, changed, removed, journal.leftovers(out), journaled)


def unified_diff(plan_: Plan, out: Path) -> str:
    """What applying the plan would change, as one unified diff whose paths are taken from
    the working folder, as ``git apply`` there reads them."""
    import difflib  # here: only --check prints a diff, and the import is not free

    chunks: list[str] = []
    output = _Output(out)
    folder = PurePosixPath(Path(os.path.relpath(out)).as_posix())
    for path in plan_.changed:
        before = (output.text(path) or "").splitlines(keepends=True)
        after = plan_.files[path].splitlines(keepends=True)
        old = f"a/{folder / path}" if before else "/dev/null"
        chunks += difflib.unified_diff(before, after, old, f"b/{folder / path}")
    for path in plan_.removed:
        before = (output.text(path) or "").splitlines(keepends=True)
        chunks += difflib.unified_diff(before, [], f"a/{folder / path}", "/dev/null")
    return "".join(chunks)


@contextmanager
def locked(out: Path, *, exclusive: bool, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Lock the output folder itself, so that no lock file is ever left behind.

    Readers (``--check``) take a shared lock and only if the folder exists: checking
    creates nothing. A lock another run holds is said at once on stderr and waited for up
    to ``timeout`` seconds; then ``TimeoutError``.
    """
    if not exclusive and not out.is_dir():
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_RDONLY)
    try:
        _lock(descriptor, out, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, timeout)
        yield
    finally:
        os.close(descriptor)


def _lock(descriptor: int, out: Path, operation: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        print(
            f"{out}: another run holds the output's lock: waiting up to {timeout:g} s",
            file=sys.stderr,
        )
    while time.monotonic() < deadline:
        time.sleep(_LOCK_POLL_SECONDS)
        try:
            fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            continue
    message = f"another run held the output's lock for {timeout:g} s (--lock-timeout)"
    raise TimeoutError(errno.EWOULDBLOCK, message, str(out))


def sync(
    rendered: Mapping[PurePosixPath, str],
    out: Path,
    *,
    check: bool,
    then: Callable[[], None] = lambda: None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> Plan:
    """Bring ``out`` in line with ``rendered`` (or, with ``check``, only say how it differs),
    then call ``then``.

    Planning, writing and ``then`` (the stamp and the cache of what was written) happen
    under one lock, so a second generator on the same output plans against what the first
    one finished writing, and no stamp describes another run's output.
    """
    with locked(out, exclusive=not check, timeout=lock_timeout):
        plan_ = plan(rendered, out)
        if not check and plan_.stale:
            _apply(plan_, out)
        then()
    return plan_


def _apply(plan_: Plan, out: Path) -> None:
    """Remove the staging files a stopped run left, name in the journal every file about to
    change, stage every changed file, then rename them into place, remove, rename the
    manifest, and close the journal.

    The journal comes first, before a folder is made: until the manifest is in place, the
    previous manifest and the journal list every file (and so every folder) the generator
    made, so a run stopped part way is finished by the next one. A failure before the first
    rename takes back the journal and the folders made for the staged files.
    """
    journal.remove_leftovers(out)
    named = (*plan_.changed, *plan_.removed, *(plan_.journal or ()))
    journal.begin(out, named)
    staged: list[tuple[Path, Path]] = []
    renamed = False
    manifest = out / MANIFEST
    try:
        staged = _stage(plan_, out)
        for temporary, target in staged:
            if target != manifest:
                os.replace(temporary, target)
                renamed = True
        for path in plan_.removed:
            (out / path).unlink(missing_ok=True)
            renamed = True
        for temporary, target in staged:
            if target == manifest:
                os.replace(temporary, target)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if not renamed and plan_.journal is None:
            _remove_empty_folders(out, named)
            journal.end(out)
        raise
    _remove_empty_folders(out, named)
    journal.end(out)


def _stage(plan_: Plan, out: Path) -> list[tuple[Path, Path]]:
    """Stage each changed file; on any failure, none is left behind.

    Every target is checked before a folder is made (none may be reached through a link
    out of ``out``), each folder is made once, and then no target may be a folder: found
    now, not by the rename, when other files would be in place."""
    output = _Output(out)
    targets = {path: out / path for path in plan_.changed}
    for path, target in targets.items():
        if not output.inside(path):
            raise PermissionError(errno.EACCES, "outside the output folder", str(target))
    for folder in sorted({target.parent for target in targets.values()}):
        folder.mkdir(parents=True, exist_ok=True)
    for target in targets.values():
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(target))
    files = [(target, plan_.files[path].encode("utf-8")) for path, target in targets.items()]
    temporaries = atomic.staged(files, staging_dir(out))
    return list(zip(temporaries, targets.values(), strict=True))


def _remove_empty_folders(out: Path, paths: Iterable[PurePosixPath]) -> None:
    """The folders of ``paths`` (files made, removed or staged for) that hold nothing now,
    and the folders above them that hold nothing once those are gone: each looked into
    once, the deepest first. A link is left, wherever it leads: it is no folder of ours."""
    output = _Output(out)
    parents = {path.parent for path in paths if _relative(path)}
    folders = {out / parent for parent in parents if output.folder_inside(parent)}
    pending = [(-len(folder.parts), folder) for folder in folders]
    heapq.heapify(pending)
    while pending:
        _, folder = heapq.heappop(pending)
        if folder != out and not folder.is_symlink() and folder.is_dir() and _holds_nothing(folder):
            folder.rmdir()
            if folder.parent not in folders:
                folders.add(folder.parent)
                heapq.heappush(pending, (-len(folder.parent.parts), folder.parent))


def _holds_nothing(folder: Path) -> bool:
    """Whether ``folder`` is empty, from its first entry alone."""
    with os.scandir(folder) as entries:
        return next(entries, None) is None
