"""Reading a file with a bound: the one way the generator reads a file of its own (the
configuration, the manifest, the stamp, the cache, the key that seals them) and hashes
the inputs for the stamp.

A commit can make any of those a symbolic link to ``/dev/zero`` or a FIFO; read plainly,
the first would fill the memory and the second would block forever. So the file is
opened without waiting (``O_NONBLOCK``), refused unless it is a regular file, refused
when it is a link (unless ``follow``: the docs' pages may be links inside the docs
root, which ``codegen.output.within`` checks), and read no further than ``limit`` bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_bounded(path: Path, limit: int, *, follow: bool = False) -> bytes:
    """The bytes of the regular file ``path``; ``OSError`` for a link (unless ``follow``),
    anything but a regular file, or a file over ``limit`` bytes."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        # Asking for the limit itself would allocate it for every file: its size, then,
        # should it have grown since, on up to the limit.
        size = min(status.st_size, limit)
        data = file.read(size + 1)
        if len(data) > size:
            data += file.read(limit - len(data) + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"over {limit:,} bytes", str(path))
    return data
