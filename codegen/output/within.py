"""Whether a path stays inside a folder even through symbolic links, which a commit can add
to a docs tree or an output folder: the readers read nothing, and the writer writes
nothing, that a link takes elsewhere.

Each folder's real location is found once (with ``os.path``: pathlib would cost a tenth of
a second over a version's pages), and a file's own only when it is itself a link.
"""

from __future__ import annotations

import os


class Within:
    """The folder ``root``, with the real locations of the folders looked at below it."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = os.path.realpath(root)
        self.folders: dict[str, str] = {}

    def holds(self, path: str | os.PathLike[str]) -> bool:
        """``path`` is ``root`` or below it, wherever its links lead."""
        path = os.fspath(path)
        if os.path.islink(path):
            return self._inside(os.path.realpath(path))
        return self.holds_folder(os.path.dirname(path))

    def holds_folder(self, folder: str | os.PathLike[str]) -> bool:
        """The folder ``folder`` is ``root`` or below it, wherever its links lead: what
        ``holds`` asks of every path in it that is not itself a link."""
        folder = os.fspath(folder)
        if folder not in self.folders:
            self.folders[folder] = os.path.realpath(folder)
        return self._inside(self.folders[folder])

    def _inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root.rstrip(os.sep) + os.sep)
