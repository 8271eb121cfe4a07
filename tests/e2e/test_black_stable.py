"""Generated SOAP modules are black-stable by construction: black would change nothing.

Generation never runs black (it would dominate the time to generate a corpus), so
``models.py``, ``soap.py``, ``_runtime.py`` and the ``__init__.py`` files must come out of
the templates exactly as ``black.format_str(source, mode=black.Mode())`` prints them. The
fast test covers the User agent of every version and a few Services86 agents chosen for
their corners (anyType, the longest names, flags, many operations); the full one covers
every Services86 agent, formatting in parallel. ``rest.py`` has its own owner and test.
"""

from __future__ import annotations

import difflib
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path, PurePosixPath

import black
import pytest

from codegen.emit import render_sources
from codegen.load import ALL, Request, load

CHECKED = frozenset({"__init__.py", "_runtime.py", "models.py", "soap.py"})
DIVERSE_86 = ("User", "Webhook", "SoPrincipal", "Sentry", "Quote")
"""User; Webhook reads and writes anyType; SoPrincipal has the longest type names; Sentry
is small with flags; Quote has many operations and long method names."""


def _sources(corpus: Path, version: int, agents: tuple[str, ...]) -> dict[PurePosixPath, str]:
    result = load(Request(docs=corpus, version=version, agents=agents))
    assert result.agents, f"no agents read for Services{version} {agents}"
    files = render_sources(result.agents, "superoffice")
    return {path: text for path, text in files.items() if path.name in CHECKED}


def _difference(item: tuple[PurePosixPath, str]) -> str:
    """What black would change in one module, as a short diff; empty when nothing."""
    path, source = item
    formatted = black.format_str(source, mode=black.Mode())
    if formatted == source:
        return ""
    diff = difflib.unified_diff(
        source.splitlines(), formatted.splitlines(), str(path), "black", n=1, lineterm=""
    )
    return "\n".join(list(diff)[:40])


def _assert_black_stable(sources: dict[PurePosixPath, str]) -> None:
    items = sorted(sources.items())
    workers = min(os.cpu_count() or 1, 4)
    if workers > 1 and len(items) > 4:
        with ProcessPoolExecutor(workers) as pool:
            differences = list(pool.map(_difference, items, chunksize=1))
    else:
        differences = [_difference(item) for item in items]
    found = [d for d in differences if d]
    assert not found, f"{len(found)} of {len(items)} modules differ:\n" + "\n".join(found[:5])


@pytest.mark.parametrize("version", [84, 85, 86, 87])
def test_the_user_agent_of_every_version_is_black_stable(corpus: Path, version: int) -> None:
    _assert_black_stable(_sources(corpus, version, ("User",)))


def test_diverse_services86_agents_are_black_stable(corpus: Path) -> None:
    _assert_black_stable(_sources(corpus, 86, DIVERSE_86[1:]))


def test_every_services86_agent_is_black_stable(corpus: Path) -> None:
    """The whole of Services86: about 240,000 lines for black, split over the cores."""
    _assert_black_stable(_sources(corpus, 86, (ALL,)))
