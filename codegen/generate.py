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
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from codegen.stamp import Options, Resolved, Stamp, now_ns
from codegen.write import sync, unified_diff

if TYPE_CHECKING:
    from codegen.emit.flavour import Memo
    from codegen.ir import Agent, Diagnostic
    from codegen.load import Request


@dataclass(frozen=True)
class Job:
    """One ``generate`` run: what to read, what to call the package, where it goes."""

    docs: Path | None
    wsdls: tuple[Path, ...]
    version: int | None
    agents: tuple[str, ...]
    package: str
    out: Path
    check: bool = False

    @property
    def options(self) -> Options:
        return Options.of(self.docs, self.wsdls, self.version, self.agents, self.package)


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


def generate(job: Job) -> Outcome:
    """Bring ``job.out`` in line with the docs (with ``job.check``: only compare)."""
    stamp = Stamp(job.options, job.out)
    if stamp.is_current():
        return Outcome()
    started_ns = now_ns()
    rendered = _read_and_render(job)
    if rendered.errors:
        return Outcome(errors=rendered.errors)
    plan = sync(rendered.files, job.out, check=job.check)
    if job.check:
        return Outcome(stale=plan.stale, diff=unified_diff(plan, job.out))
    stamp.record(rendered.resolved, started_ns)
    return Outcome(stale=plan.stale, changed=len(plan.changed) + len(plan.removed))


def _read_and_render(job: Job) -> _Rendered:
    # Imported here, not at the top: the fast path above must not pay for the readers,
    # the templates and their libraries.
    from codegen.load import ALL, Request, agent_names

    request = Request(docs=job.docs, wsdls=job.wsdls, version=job.version, agents=job.agents)
    wanted = {name.lower() for name in job.agents}
    workers = os.cpu_count() or 1
    if workers > 1 and (ALL in wanted or len(wanted) > 1):
        version, names = agent_names(request)
        # Unknown names are reported by ``load`` in this process, not by the workers.
        if len(names) > 1 and (ALL in wanted or len(names) == len(wanted)):
            return _in_parallel(request, version, names, job, workers)
    return _in_this_process(request, job)


def _in_this_process(request: Request, job: Job) -> _Rendered:
    from codegen.emit.render import render_sources

    agents, files, errors = _through_cache(
        request, job, "", lambda agents, memo: render_sources(agents, job.package, memo)
    )
    if errors:
        return _Rendered({}, errors, Resolved(request.version, ()))
    version = next((agent.version for agent in agents), request.version)
    return _Rendered(files, (), Resolved(version, tuple(agent.name for agent in agents)))


def _in_parallel(
    request: Request, version: int | None, names: Sequence[str], job: Job, workers: int
) -> _Rendered:
    """Each agent read and rendered in a worker; the package's own files here."""
    import dataclasses
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from codegen.emit.render import render_package
    from codegen.passes.names import module_names

    modules = module_names(names)
    files = render_package(sorted(modules.values()), job.package)
    errors: list[Diagnostic] = []
    progress = _Progress(len(names))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                _read_and_render_agent,
                dataclasses.replace(request, version=version, agents=(name,)),
                modules[name],
                job,
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
    request: Request, module: str, job: Job
) -> tuple[dict[PurePosixPath, str], tuple[Diagnostic, ...]]:
    """In a worker: the files of the one agent ``request`` names, or its errors."""
    from codegen.emit.render import render_agent

    def render(agents: Sequence[Agent], memo: Memo) -> dict[PurePosixPath, str]:
        return render_agent(agents[0], module, job.package, memo) if agents else {}

    _, files, errors = _through_cache(request, job, module, render)
    return files, errors


def _through_cache(
    request: Request,
    job: Job,
    part: str,
    render: Callable[[Sequence[Agent], Memo], dict[PurePosixPath, str]],
) -> tuple[Sequence[Agent], dict[PurePosixPath, str], tuple[Diagnostic, ...]]:
    """The agents ``request`` names and what ``render`` makes of them, both through the
    output's cache (its ``part``, see ``codegen.cache``), which is kept for the next run
    unless only checking; no files when reading found errors."""
    from codegen.cache import Cache
    from codegen.load import cycle_collector_paused, load

    cache = Cache(job.out, part)
    with cycle_collector_paused():
        result = load(request, cache)
        errors = _errors(result.diagnostics)
        if errors:
            return result.agents, {}, errors
        files = render(result.agents, cache.rendered)
    if not job.check:
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
