"""The ``generate`` job: bring an output folder in line with the docs, by the shortest way.

1. When the stamp (``codegen.stamp``) shows that neither the inputs, the options, the
   generator nor the output changed since the last run, stop: no page is read, nothing is
   rendered, and jinja2, lxml and markdown-it are never imported (this is what makes a
   pre-commit hook that has nothing to do cost a fraction of a second).
2. Otherwise read and render every agent in memory (through ``codegen.cache``, so that
   only the pages that changed are read and only what they feed is rendered), then sync
   the result with the disk (``codegen.write``): files whose text is unchanged are left
   alone, ``--check`` only diffs, and a run that writes leaves a fresh stamp.

Reading and rendering one agent is independent of the others, so with several agents and
several cores each agent is read and rendered in a worker process; a progress line goes to
stderr when it is a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from codegen.inputs import Resolved
from codegen.settings import ALL, Settings
from codegen.stamp import Stamp, now_ns
from codegen.write import sync, unified_diff

if TYPE_CHECKING:
    from codegen.emit.render import Memo
    from codegen.ir import Agent, Diagnostic


@dataclass(frozen=True)
class Outcome:
    """What the run found: input errors (then nothing else happened), or how stale it was."""

    errors: tuple[Diagnostic, ...] = ()
    stale: bool = False
    diff: str = ""
    changed: int = 0


@dataclass(frozen=True)
class _Rendered:
    files: dict[PurePosixPath, str]
    errors: tuple[Diagnostic, ...]
    resolved: Resolved


def generate(settings: Settings) -> Outcome:
    """Bring ``settings.out`` in line with the docs (with ``settings.check``: only compare)."""
    stamp = Stamp(settings)
    if stamp.is_current():
        return Outcome()
    started_ns = now_ns()
    rendered = _read_and_render(settings)
    if rendered.errors:
        return Outcome(errors=rendered.errors)
    plan = sync(rendered.files, settings.out, check=settings.check)
    if settings.check:
        return Outcome(stale=plan.stale, diff=unified_diff(plan, settings.out))
    stamp.record(rendered.resolved, started_ns)
    return Outcome(stale=plan.stale, changed=len(plan.changed) + len(plan.removed))


def _read_and_render(settings: Settings) -> _Rendered:
    # Imported here, not at the top: the fast path above must not pay for the readers,
    # the templates and their libraries.
    from codegen.load import agent_names

    wanted = {name.lower() for name in settings.agents}
    workers = os.cpu_count() or 1
    if workers > 1 and (ALL in wanted or len(wanted) > 1):
        version, names = agent_names(settings)
        # Unknown names are reported by ``load`` in this process, not by the workers.
        if len(names) > 1 and (ALL in wanted or len(names) == len(wanted)):
            return _in_parallel(settings, version, names, workers)
    return _in_this_process(settings)


def _in_this_process(settings: Settings) -> _Rendered:
    from codegen.emit.render import render_sources

    agents, files, errors = _through_cache(
        settings, "", lambda agents, memo: render_sources(agents, settings.package, memo)
    )
    if errors:
        return _Rendered({}, errors, Resolved(settings.version, ()))
    version = next((agent.version for agent in agents), settings.version)
    return _Rendered(files, (), Resolved(version, tuple(agent.name for agent in agents)))


def _in_parallel(
    settings: Settings, version: int | None, names: Sequence[str], workers: int
) -> _Rendered:
    """Each agent read and rendered in a worker; the package's own files here."""
    import dataclasses
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from codegen.emit.render import render_package
    from codegen.emit.view import module_names

    modules = module_names(names)
    files = render_package(sorted(modules.values()), settings.package)
    errors: list[Diagnostic] = []
    progress = _Progress(len(names))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                _read_and_render_agent,
                dataclasses.replace(settings, version=version, agents=(name,)),
                modules[name],
            )
            for name in names
        ]
        for future in as_completed(futures):
            agent_files, agent_errors = future.result()
            files.update(agent_files)
            errors += agent_errors
            progress.step()
    resolved = Resolved(version, tuple(names))
    return _Rendered(dict(sorted(files.items())), tuple(sorted(errors)), resolved)


def _read_and_render_agent(
    settings: Settings, module: str
) -> tuple[dict[PurePosixPath, str], tuple[Diagnostic, ...]]:
    """In a worker: the files of the one agent ``settings`` names, or its errors."""
    from codegen.emit.render import render_agent

    def render(agents: Sequence[Agent], memo: Memo) -> dict[PurePosixPath, str]:
        return render_agent(agents[0], module, settings.package, memo) if agents else {}

    _, files, errors = _through_cache(settings, module, render)
    return files, errors


def _through_cache(
    settings: Settings,
    part: str,
    render: Callable[[Sequence[Agent], Memo], dict[PurePosixPath, str]],
) -> tuple[Sequence[Agent], dict[PurePosixPath, str], tuple[Diagnostic, ...]]:
    """The agents ``settings`` names and what ``render`` makes of them, both through the
    output's cache (its ``part``, see ``codegen.cache``), which is kept for the next run
    unless only checking; no files when reading found errors."""
    from codegen.cache import Cache
    from codegen.load import cycle_collector_paused, load

    cache = Cache(settings.out, part)
    with cycle_collector_paused():
        result = load(settings, cache)
        errors = _errors(result.diagnostics)
        if errors:
            return result.agents, {}, errors
        files = render(result.agents, cache.rendered)
    if not settings.check:
        cache.save()
    return result.agents, files, ()


def _errors(diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    from codegen.ir import Level

    return tuple(d for d in diagnostics if d.level is Level.ERROR)


class _Progress:
    """``generated 12/56 agents`` on one rewritten stderr line, only when it is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.shown = sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if self.shown:
            end = "\n" if self.done == self.total else ""
            sys.stderr.write(f"\rgenerated {self.done}/{self.total} agents{end}")
            sys.stderr.flush()
