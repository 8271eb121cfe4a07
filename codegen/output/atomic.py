"""Writing files so that whoever reads them sees the old bytes or the new, never a part:
the one way the writer, the stamp and the cache put a file in the output folder.

The bytes go to a temporary file in the output's staging folder (inside its cache folder,
which git ignores, so no temporary file ever shows as untracked), are flushed to the disk,
and only then renamed over the target. The staging folder and every target's folder must
be on one file system, which is checked before anything is written: a rename within one
file system is one atomic step. When anything fails the temporary files are removed and
the targets are as they were; those a killed run leaves carry ``SUFFIX``, and the next run
removes them (``codegen.output.journal``).

Flushing one file at a time costs a journal commit each (seconds for an agent's few
hundred files); flushed from several threads at once, the file system commits them
together. Each thread is handed its share of the files at once: a task per file cost more
than writing it.
"""

from __future__ import annotations

import errno
import itertools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

SUFFIX = ".superoffice-codegen-tmp"
"""The end of every temporary file's name: nothing else the generator makes ends so."""
_FLUSHING_THREADS = 16
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL
_numbers = itertools.count()


def staged(files: Sequence[tuple[Path, bytes]], staging: Path) -> list[Path]:
    """A temporary file in ``staging`` for each target, holding its bytes, on the disk, in
    the order given, for the caller to rename over the targets (``codegen.output.write``
    stages every changed file before renaming any). None is left behind when one fails.

    The name is new for every file of this process; whatever is already there (a file a
    killed run left, a link a commit planted) is removed first, never written through.
    """
    _one_file_system(staging, {target.parent for target, _ in files})
    process = os.getpid()
    temporaries = [staging / f"{process}-{next(_numbers)}{SUFFIX}" for _ in files]
    writes = list(zip(temporaries, (data for _, data in files)))
    try:
        if len(writes) == 1:
            _write_all(writes)
        elif writes:
            from concurrent.futures import ThreadPoolExecutor

            threads = min(_FLUSHING_THREADS, len(writes))
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(_write_all, (writes[i::threads] for i in range(threads))))
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise
    return temporaries


def write_atomically(target: Path, data: bytes, staging: Path) -> None:
    """Replace ``target`` with ``data`` in one rename, staged in ``staging``."""
    (temporary,) = staged([(target, data)], staging)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _one_file_system(staging: Path, folders: Iterable[Path]) -> None:
    """Refuse, before anything is written, a target a rename from ``staging`` cannot reach
    atomically (a folder of the output that is a mount point)."""
    device = staging.stat().st_dev
    for folder in folders:
        if folder.stat().st_dev != device:
            message = f"not on the file system of {staging}, where files are staged"
            raise OSError(errno.EXDEV, message, str(folder))


def _write_all(writes: Iterable[tuple[Path, bytes]]) -> None:
    for temporary, data in writes:
        _write(temporary, data)


def _write(temporary: Path, data: bytes) -> None:
    """A new file, never one that was there: whatever was (a link included) is removed."""
    try:
        descriptor = os.open(temporary, _NEW_FILE, 0o666)
    except FileExistsError:
        temporary.unlink()
        descriptor = os.open(temporary, _NEW_FILE, 0o666)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
