"""Generated SOAP modules are black-stable by construction: black would change nothing.

Generation never runs black (it would dominate the time to generate a corpus), so
``models.py``, ``soap.py``, ``_runtime.py`` and the ``__init__.py`` files must come out of
the templates exactly as ``black.format_str(source, mode=black.Mode())`` prints them.
Every module of the Services86 package generated for the run (``build_support``) is
checked, in chunks that pytest-xdist spreads over its workers; then the User agent of
every version and a few Services86 agents chosen for their corners (anyType, the longest
names, flags, many operations), each rendered on its own. Black is the slow part, so a
module whose text is one of the Services86 package's is left to the chunks, which check
it once. ``rest.py`` has its own owner and test.
"""

from __future__ import annotations

import difflib
from pathlib import Path, PurePosixPath

import black
import pytest
from build_support import Services86

from codegen.emit import render_sources
from codegen.ir import Agent
from codegen.load import load
from codegen.settings import Settings

CHECKED = frozenset({"__init__.py", "_runtime.py", "models.py", "soap.py"})
CHUNKS = 8
"""About 240,000 lines for black in all: parts of some seconds each."""
DIVERSE_86 = ("Webhook", "SoPrincipal", "Sentry", "Quote")
"""Webhook reads and writes anyType; SoPrincipal has the longest type names; Sentry is
small with flags; Quote has many operations and long method names."""


def _checked(files: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    return {path: text for path, text in files.items() if path.name in CHECKED}


def _built(services86: Services86) -> dict[PurePosixPath, str]:
    """The modules of the run's Services86 package, by path below its folder."""
    root = services86.out
    paths = sorted((root / services86.package).rglob("*.py"))
    return _checked({PurePosixPath(p.relative_to(root)): p.read_text("utf-8") for p in paths})


def _rendered(agents: list[Agent], services86: Services86) -> dict[PurePosixPath, str]:
    """The modules of ``agents`` rendered on their own, but those the chunks check."""
    assert agents, "no agents read"
    built = set(_built(services86).values())
    files = _checked(render_sources(agents, "superoffice"))
    return {path: text for path, text in files.items() if text not in built}


def _difference(path: PurePosixPath, source: str) -> str:
    """What black would change in one module, as a short diff; empty when nothing."""
    formatted = black.format_str(source, mode=black.Mode())
    if formatted == source:
        return ""
    diff = difflib.unified_diff(
        source.splitlines(), formatted.splitlines(), str(path), "black", n=1, lineterm=""
    )
    return "\n".join(list(diff)[:40])


def _assert_black_stable(sources: dict[PurePosixPath, str]) -> None:
    found = [d for d in (_difference(p, s) for p, s in sorted(sources.items())) if d]
    assert not found, f"{len(found)} of {len(sources)} modules differ:\n" + "\n".join(found[:5])


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_services86_agent_is_black_stable(services86: Services86, chunk: int) -> None:
    modules = sorted(_built(services86).items())
    assert len(modules) > 100
    _assert_black_stable(dict(modules[chunk::CHUNKS]))


@pytest.mark.parametrize("version", [84, 85, 86, 87])
def test_the_user_agent_of_every_version_is_black_stable(
    corpus: Path, services86: Services86, version: int
) -> None:
    if version == 86:
        agents = [a for a in services86.result.agents if a.name == "User"]
    else:
        agents = list(load(Settings(docs=corpus, version=version, agents=("User",))).agents)
    _assert_black_stable(_rendered(agents, services86))


def test_diverse_services86_agents_are_black_stable(services86: Services86) -> None:
    agents = [a for a in services86.result.agents if a.name in DIVERSE_86]
    assert len(agents) == len(DIVERSE_86)
    _assert_black_stable(_rendered(agents, services86))
