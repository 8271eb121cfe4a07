"""The emitter: from ``Agent``s to the files of a Python package, and onto the disk.

``render_sources`` gives ``{relative path: text}`` for a package of agents, final text
(the templates are black-stable); ``write_output`` writes a rendered dict below a folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from codegen.emit.render import render_sources

__all__ = ["render_sources", "write_output"]


def write_output(files: dict[PurePosixPath, str], out: Path) -> None:
    """Write every file below ``out``, creating folders; other files are left alone."""
    for relative, text in sorted(files.items()):
        target = out.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
