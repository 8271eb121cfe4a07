"""The ``generate`` job: bring an output folder in line with the docs, by the shortest way.

1. When the stamp (``codegen.output.stamp``) shows that neither the inputs, the options, the
   generator nor the output changed since the last run, stop: no page is read, nothing is
   rendered, and jinja2, lxml and markdown-it are never imported (this is what makes a
   pre-commit hook that has nothing to do cost a fraction of a second).
2. Otherwise read and render every agent in memory (through ``codegen.output.cache``, so that
   only the pages that changed are read and only what they feed is rendered), then sync
   the result with the disk (``codegen.output.write``): files whose text is unchanged are left
   alone, ``--check`` only diffs, and a run that writes leaves a fresh stamp, which keeps
   the run's warnings for the runs that stop at step 1. What a run that stopped part way
   left (``codegen.output.journal``) is repaired, or, with ``--check``, reported.

The stamp and the cache only make later runs shorter: once the output is in place, failing
to write them is a note, not a failure.

Any error stops a run before anything is written, and so does any warning under
``--strict``.

Reading and rendering one agent is independent of the others, so with several agents and
several cores each agent is read and rendered in a worker process; a progress line goes to
stderr when it is a terminal.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from codegen.bounded import read_bounded
from codegen.inputs import Resolved
from codegen.output.seal import keep_sealed
from codegen.output.stamp import Stamp, now_ns
from codegen.output.write import Plan, read_manifest, sync, unified_diff
from codegen.settings import ALL, Settings
from codegen.templates import Overrides, TemplateError, overrides, overrides_digest

if TYPE_CHECKING:
    from codegen.emit.flavour import Memo
    from codegen.ir import Agent, Diagnostic
    from codegen.load import Joined


@dataclass(frozen=True)
class Outcome:
    """What the run found: every diagnostic (when they refuse the run, nothing else
    happened), and how stale the output was."""

    diagnostics: tuple[Diagnostic, ...] = ()
    refused: bool = False
    stale: bool = False
    diff: str = ""
    changed: int = 0
    """Files written (with ``check``: that would be)."""
    unchanged: int = 0
    removed: int = 0
    """Files removed (with ``check``: that would be)."""
    current: bool = False
    """The stamp showed the output current: nothing was read or rendered."""
    notes: tuple[str, ...] = ()
    """What the run has to say about the output folder beyond the counts, a line each."""


@dataclass(frozen=True)
class _Rendered:
    files: dict[PurePosixPath, str]
    diagnostics: tuple[Diagnostic, ...]
    resolved: Resolved
    caches: tuple[tuple[str, bytes], ...]
    """Each cache file's name and contents, kept once the output is written."""


def generate(settings: Settings) -> Outcome:
    """Bring ``settings.out`` in line with the docs (with ``settings.check``: only compare).

    The output is current when the stamp says so: the diagnostics are then those of the
    run that made it, as the stamp kept them."""
    templates = overrides(settings.templates)
    stamp = Stamp(settings, overrides_digest(templates))
    kept = stamp.current()
    if kept is not None:
        unchanged = len(read_manifest(settings.out)) + 1
        return Outcome(kept, settings.refuses(kept), unchanged=unchanged, current=True)
    started_ns = now_ns()
    rendered = _read_and_render(settings, templates)
    diagnostics = rendered.diagnostics
    if settings.refuses(diagnostics):
        return Outcome(diagnostics=diagnostics, refused=True)

    unkept: list[str] = []

    def keep_stamp_and_caches() -> None:
        try:
            for name, contents in rendered.caches:
                keep_sealed(settings.out, name, contents)
            stamp.record(rendered.resolved, started_ns, diagnostics)
        except OSError as error:
            unkept.append(
                f"{settings.out}: warning: the output is written, but not the stamp and cache"
                f" ({error.strerror}): the next run takes the long way"
            )

    plan = sync(
        rendered.files,
        settings.out,
        check=settings.check,
        then=(lambda: None) if settings.check else keep_stamp_and_caches,
        lock_timeout=settings.lock_timeout,
    )
    outcome = Outcome(
        diagnostics,
        stale=plan.stale,
        changed=len(plan.changed),
        unchanged=len(plan.files) - len(plan.changed),
        removed=len(plan.removed),
        notes=(*_interrupted(plan, settings), *unkept),
    )
    if settings.check:
        return dataclasses.replace(outcome, diff=unified_diff(plan, settings.out))
    return outcome


def _interrupted(plan: Plan, settings: Settings) -> list[str]:
    """What a run that stopped part way left, and what became of it."""
    left = [f"{len(plan.leftovers)} staging file(s)"] if plan.leftovers else []
    left += ["a journal: the output may be part old, part new"] if plan.journal is not None else []
    if not left:
        return []
    done = "generate repairs it" if settings.check else "repaired"
    return [f"{settings.out}: a run that stopped part way left {' and '.join(left)}; {done}"]


def _read_and_render(settings: Settings, templates: Overrides) -> _Rendered:
    """Every file of the output and the diagnostics, rendered with the override
    ``templates``: one that does not compile or render is a ``TemplateError``."""
    # Imported here, not at the top: the fast path above must not pay for the readers,
    # the templates and their libraries.
    import jinja2

    from codegen.emit.render import check_templates

    check_templates(templates)
    try:
        return _with_project(settings, templates, _by_agent(settings, templates))
    except jinja2.TemplateError as error:
        if not templates:
            raise
        raise TemplateError(f"{settings.templates}: a template fails to render: {error}") from None


def _with_project(settings: Settings, templates: Overrides, rendered: _Rendered) -> _Rendered:
    """``rendered`` and, with ``settings.project``, the project files beside the package;
    an error for each that would replace a file of the user's."""
    if not settings.project or settings.refuses(rendered.diagnostics):
        return rendered
    from codegen.emit.render import render_project
    from codegen.ir import Diagnostic, Level

    version, agents = rendered.resolved.version, rendered.resolved.agents
    project = render_project(agents, settings.package, version, templates)
    theirs = tuple(
        Diagnostic(
            str(settings.out / path),
            0,
            Level.ERROR,
            "not made by superoffice-codegen, so it is left as it is",
            "to generate into a project of your own, set project = false in"
            " [tool.superoffice-codegen] or give --no-project",
            usage=True,
        )
        for path, text in project.items()
        if _users(settings.out, path, text)
    )
    files = dict(sorted({**rendered.files, **project}.items()))
    diagnostics = (*rendered.diagnostics, *theirs)
    return dataclasses.replace(rendered, files=files, diagnostics=diagnostics)


def _users(out: Path, path: PurePosixPath, text: str) -> bool:
    """Whether ``out / path`` is a file of the user's: there, not in the manifest of what
    the generator made, and not what it would write (``pyproject.toml`` and ``README.md``
    are where a project's own are, were ``--out`` the project's folder)."""
    if not os.path.lexists(out / path) or path in read_manifest(out):
        return False
    try:
        return read_bounded(out / path, len(text.encode())) != text.encode()
    except OSError:
        return True


def _by_agent(settings: Settings, templates: Overrides) -> _Rendered:
    from codegen.load import agent_names

    wanted = {name.lower() for name in settings.agents}
    workers = os.cpu_count() or 1
    if workers > 1 and (ALL in wanted or len(wanted) > 1):
        version, names, joined = agent_names(settings)
        # Unknown names are reported by ``load`` in this process, not by the workers.
        if len(names) > 1 and (ALL in wanted or len(names) == len(wanted)):
            return _in_parallel(settings, templates, version, names, joined, workers)
    return _in_this_process(settings, templates)


def _in_this_process(settings: Settings, templates: Overrides) -> _Rendered:
    from codegen.emit.render import render_sources

    def render(agents: Sequence[Agent], memo: Memo) -> dict[PurePosixPath, str]:
        return render_sources(agents, settings.package, memo, templates)

    resolved, files, diagnostics, cache = _through_cache(settings, templates, "", render)
    return _Rendered(files, diagnostics, resolved, (cache,) if cache else ())


def _in_parallel(
    settings: Settings,
    templates: Overrides,
    version: int | None,
    names: Sequence[str],
    joined: Joined,
    workers: int,
) -> _Rendered:
    """Each agent read and rendered in a worker, with the entity pages joined here; the
    package's own files here."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from codegen.emit.render import render_package
    from codegen.passes.names import module_names

    modules = module_names(names)
    files = render_package(sorted(modules.values()), settings.package, templates)
    diagnostics: list[Diagnostic] = []
    caches: list[tuple[str, bytes]] = []
    progress = _Progress(len(names))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(
                _read_and_render_agent,
                dataclasses.replace(settings, version=version, agents=(name,)),
                templates,
                modules[name],
                joined,
            )
            for name in names
        ]
        for future in as_completed(futures):
            agent_files, agent_diagnostics, cache = future.result()
            files.update(agent_files)
            diagnostics += agent_diagnostics
            caches += [cache] if cache else []
            progress.step()
    resolved = Resolved(version, tuple(names))
    return _Rendered(
        dict(sorted(files.items())), tuple(sorted(diagnostics)), resolved, tuple(caches)
    )


def _read_and_render_agent(
    settings: Settings, templates: Overrides, module: str, joined: Joined
) -> tuple[dict[PurePosixPath, str], tuple[Diagnostic, ...], tuple[str, bytes] | None]:
    """In a worker: the files of the one agent ``settings`` names, its diagnostics and its
    cache's contents (unless only checking)."""
    from codegen.emit.render import render_agent

    def render(agents: Sequence[Agent], memo: Memo) -> dict[PurePosixPath, str]:
        if not agents:
            return {}
        return render_agent(agents[0], module, settings.package, memo, templates)

    _, files, diagnostics, cache = _through_cache(settings, templates, module, render, joined)
    return files, diagnostics, cache


def _through_cache(
    settings: Settings,
    templates: Overrides,
    part: str,
    render: Callable[[Sequence[Agent], Memo], dict[PurePosixPath, str]],
    joined: Joined | None = None,
) -> tuple[Resolved, dict[PurePosixPath, str], tuple[Diagnostic, ...], tuple[str, bytes] | None]:
    """What the agents ``settings`` names resolved to and what ``render`` makes of them,
    both through the output's cache (its ``part``, see ``codegen.output.cache``), with the
    cache's contents to keep for the next run; with every diagnostic, and no files when
    those refuse the run.

    The cycle collector stays paused until the agents, their views and the cache's records
    are freed, as ``_loaded_and_rendered`` returns: resumed while they were alive, it would
    scan them all at its next collections, finding nothing to free."""
    from codegen.load import cycle_collector_paused

    with cycle_collector_paused():
        return _loaded_and_rendered(settings, templates, part, render, joined)


def _loaded_and_rendered(
    settings: Settings,
    templates: Overrides,
    part: str,
    render: Callable[[Sequence[Agent], Memo], dict[PurePosixPath, str]],
    joined: Joined | None,
) -> tuple[Resolved, dict[PurePosixPath, str], tuple[Diagnostic, ...], tuple[str, bytes] | None]:
    """``_through_cache``'s work, with the collector paused: nothing it reads or builds
    outlives it but what it returns."""
    from codegen.load import load
    from codegen.output.cache import Cache

    cache = Cache(settings.out, part, overrides_digest(templates))
    result = load(settings, cache, joined)
    version = next((agent.version for agent in result.agents), settings.version)
    resolved = Resolved(version, tuple(agent.name for agent in result.agents))
    if settings.refuses(result.diagnostics):
        return resolved, {}, result.diagnostics, None
    files = render(result.agents, cache.rendered)
    return resolved, files, result.diagnostics, None if settings.check else cache.contents()


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
