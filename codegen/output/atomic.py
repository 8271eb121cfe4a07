"""Writing files so that whoever reads them sees the old bytes or the new, never a part:
the one way the writer, the stamp and the cache put a file in the output folder.

The bytes go to a temporary file beside the target (the same folder, so the rename cannot
cross file systems), are flushed to the disk, and only then renamed over the target; when
anything fails the temporary files are removed and the targets are as they were.

Flushing one file at a time costs a journal commit each (seconds for an agent's few
hundred files); flushed from several threads at once, the file system commits them
together.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

_FLUSHING_THREADS = 16


def staged(files: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """A temporary file beside each target holding its bytes, on the disk, in the order
    given, for the caller to rename over the targets (``codegen.output.write`` stages
    every changed file before renaming any). None is left behind when one fails.

    The name is the target's with this process's id; whatever is already there (a file a
    crashed run left, a link a commit planted) is removed first, never written through.
    """
    temporaries = [_temporary(target) for target, _ in files]
    try:
        if len(files) == 1:
            _write(temporaries[0], files[0][1])
        elif files:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(_FLUSHING_THREADS, len(files))) as pool:
                list(pool.map(_write, temporaries, [data for _, data in files]))
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise
    return temporaries


def write_atomically(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` in one rename."""
    (temporary,) = staged([(target, data)])
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _write(temporary: Path, data: bytes) -> None:
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
