"""What a run that stopped part way leaves in the output folder, and how the next run finds
it: staging files, and the journal.

A run that writes (``codegen.output.write``) stages every changed file in the staging folder
(``codegen.output.seal.staging_dir``); then, before its first rename, it writes the journal,
which names every file it is about to write or remove; it removes the journal once its
manifest is in place. All of that happens under the output's exclusive lock, so a run that
holds the lock and finds a staging file or a journal knows that a run was killed (or
failed) before it finished: a staging file is left over, and a journal means the output may
be part old, part new, with files written that no manifest lists yet. Such a run removes
the staging files, takes the files the journal names as the generator's own (to be
rewritten or removed like those of the manifest), and writes the output whole;
``--check`` reports both, and the fast path never trusts a stamp beside them.

The journal is a file of the cache folder that a commit could plant: its paths are checked
as the manifest's are, and give it no power the manifest does not have.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from codegen.bounded import read_bounded
from codegen.output.atomic import write_atomically
from codegen.output.seal import STAGING, cache_dir, staging_dir

_JOURNAL = "journal.json"
_MAX_JOURNAL_BYTES = 16 * 1024 * 1024


def interrupted(out: Path) -> bool:
    """Whether a run stopped part way on ``out``: a journal or a staging file is there.

    The fast path asks this first, so it costs a lookup and a listing of one folder."""
    return os.path.lexists(cache_dir(out) / _JOURNAL) or bool(leftovers(out))


def leftovers(out: Path) -> tuple[Path, ...]:
    """The staging files a run that stopped part way left; under the exclusive lock, every
    file of the staging folder is one."""
    try:
        with os.scandir(cache_dir(out) / STAGING) as entries:
            return tuple(sorted(Path(entry.path) for entry in entries))
    except OSError:
        return ()


def remove_leftovers(out: Path) -> None:
    for path in leftovers(out):
        path.unlink(missing_ok=True)


def journaled(out: Path) -> tuple[PurePosixPath, ...] | None:
    """The files the journal names (for the caller to check as it checks the manifest's),
    or None when there is no journal. A journal that cannot be read names none."""
    path = cache_dir(out) / _JOURNAL
    if not os.path.lexists(path):
        return None
    try:
        names = json.loads(read_bounded(path, _MAX_JOURNAL_BYTES).decode("utf-8"))["files"]
        return tuple(PurePosixPath(name) for name in names if isinstance(name, str))
    except (OSError, ValueError, KeyError, TypeError):
        return ()


def begin(out: Path, paths: Iterable[PurePosixPath]) -> None:
    """Name ``paths`` in the journal, on the disk, before the first of them changes."""
    text = json.dumps({"files": sorted({str(path) for path in paths})}, indent=1) + "\n"
    write_atomically(cache_dir(out) / _JOURNAL, text.encode(), staging_dir(out))


def end(out: Path) -> None:
    """The output is whole again, its manifest in place."""
    (cache_dir(out) / _JOURNAL).unlink(missing_ok=True)
