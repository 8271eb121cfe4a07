"""The ``generate`` job: render the agents' packages in memory, then sync them to disk.

Rendering is cheap; formatting with black is not, so only modules whose rendered text is
new are formatted (see ``codegen.write``), and when there are many of them, the work is
spread over every core. A progress line goes to stderr when it is a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from codegen.emit.render import render_sources
from codegen.ir import Agent
from codegen.write import format_python, sync, unified_diff

# Below this many modules to format, starting worker processes costs more than it saves.
_PARALLEL_FROM = 8


@dataclass(frozen=True)
class Outcome:
    stale: bool
    diff: str
    written: int
    formatted: int


class _Progress:
    """``formatted 12/112`` on one rewritten stderr line, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.shown = sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if self.shown:
            sys.stderr.write(f"\rformatted {self.done}/{self.total}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def _format_many(sources: Sequence[str]) -> list[str]:
    progress = _Progress(len(sources))
    workers = os.cpu_count() or 1
    if len(sources) < _PARALLEL_FROM or workers == 1:
        formatted = []
        for source in sources:
            formatted.append(format_python(source))
            progress.step()
        return formatted
    # Largest first, so that no core is left with one big module at the end.
    order = sorted(range(len(sources)), key=lambda i: -len(sources[i]))
    results: dict[int, str] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for index, text in zip(order, pool.map(format_python, [sources[i] for i in order])):
            results[index] = text
            progress.step()
    return [results[i] for i in range(len(sources))]


def generate(agents: Sequence[Agent], out: Path, package: str, *, check: bool) -> Outcome:
    """Bring ``out`` in line with the packages for ``agents`` (with ``check``: only compare)."""
    rendered = render_sources(agents, package)
    plan = sync(rendered, out, check=check, format_many=_format_many)
    return Outcome(
        stale=plan.stale,
        diff=unified_diff(plan, out) if check else "",
        written=0 if check else len(plan.changed),
        formatted=plan.formatted,
    )
