"""Work shared by a whole test run: reading and generating the corpus, and mypy's cache.

Several e2e files need the same Services86 read into agents (``load``, every agent) and
generated into a package, and every mypy run the same standard library checked; before,
each file made its own.
Now each is made once per run, in a folder under the run's temporary root that every
pytest-xdist worker sees: the first worker to need it builds it under a file lock, the
others wait for the lock and reuse what it left. A build that fails leaves no ``done``
mark, so the next worker tries again and fails the same way.

``filelock`` rather than ``fcntl``: it also locks on Windows, and pre-commit (a test tool
here) already depends on it.
"""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock
from schedule_support import needed

from codegen.ir import Agent, ReadResult
from codegen.load import cycle_collector_paused, load
from codegen.output.cache import Cache
from codegen.output.seal import cache_dir
from codegen.settings import Settings

SERVICES86_PACKAGE = "so86all"
DONE = ".done"


def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run that all its workers share."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The folder ``name`` of this run, filled by ``build`` the first time it is asked for."""
    folder = run_root(tmp_path_factory) / name
    with FileLock(f"{folder}.lock"):
        if not (folder / DONE).exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / DONE).touch()
    return folder


@dataclass(frozen=True)
class Services86:
    """``generate --agent all`` of Services86 as a user runs it, and the agents it read."""

    out: Path
    result: ReadResult
    package: str = SERVICES86_PACKAGE


def generate_services86(
    corpus: Path, root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Services86:
    """The package ``so86all`` below ``out``, generated from the checkout ``root``, and
    ``load`` of the same pages (every agent), pickled: unpickling takes about a third of
    the time reading does. The load reads the pages through the cache the command kept,
    as ``verify`` does: a quarter of the time of reading them again."""
    read: list[ReadResult] = []
    needed(86)

    def build(folder: Path) -> None:
        out = folder / "out"
        _seed_cache(out, tmp_path_factory)
        command = [sys.executable, "-m", "codegen", "generate", "--docs", str(corpus)]
        command += ["--api-version", "86", "--agent", "all", "--out", str(out)]
        command += ["--package", SERVICES86_PACKAGE]
        generated = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=600, check=False
        )
        assert generated.returncode == 0, generated.stdout + generated.stderr
        with cycle_collector_paused():
            read.append(load(Settings(docs=corpus, version=86), Cache.of_every_part(out)))
        with open(folder / "read.pickle", "wb") as file:
            pickle.dump(read[0], file, protocol=pickle.HIGHEST_PROTOCOL)

    folder = built_once(tmp_path_factory, "services86", build)
    result = read[0] if read else _unpickled(folder / "read.pickle")
    # The agents are kept to the end of the run: frozen with what else is alive now (the
    # garbage collected first), the collector's full collections do not walk their
    # millions of objects again each time.
    gc.collect()
    gc.freeze()
    return Services86(folder / "out", result)


def generated_version(
    corpus: Path, root: Path, version: int, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The output folder of ``generate --agent all`` of ``version``, made once per run as a
    user runs it, with the cache the command keeps (the loads and ``verify`` of that version
    read the pages through it)."""
    needed(version)

    def build(folder: Path) -> None:
        _seed_cache(folder / "out", tmp_path_factory)
        command = [sys.executable, "-m", "codegen", "generate", "--docs", str(corpus)]
        command += ["--api-version", str(version), "--agent", "all", "--out", str(folder / "out")]
        generated = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=600, check=False
        )
        assert generated.returncode == 0, generated.stdout + generated.stderr

    return built_once(tmp_path_factory, f"services{version}", build) / "out"


def read_agents(corpus: Path, out: Path, version: int, names: tuple[str, ...]) -> tuple[Agent, ...]:
    """The agents ``names`` of ``version`` as ``load`` reads them, through the cache of
    ``out``, the run's ``generate --agent all`` of that version: their pages are read once
    per run, not once more by each test that renders them."""
    settings = Settings(docs=corpus, version=version, agents=names)
    with cycle_collector_paused():
        result = load(settings, Cache.of_every_part(out))
    assert result.ok, result.diagnostics
    return result.agents


def pages_as_built(outs: list[Path]) -> Cache:
    """What the run's builds below ``outs`` read, as one ``codegen.load.ReadPage``: a page
    a build read comes back as its reader returned it there (the same reader, on the same
    text), unpickled; any other page is read afresh. The tests of the readers over every
    corpus page take them through it: each page is read once per run, by the builds."""
    merged, *others = (Cache.of_every_part(out) for out in outs)
    for cache in others:
        assert merged.known is not None and cache.known is not None
        merged.known.update(cache.known)
    return merged


def read_afresh(pages: Cache) -> list[str]:
    """The files ``pages`` (``pages_as_built``) has read itself, no build having read them:
    none, as long as the builds read every page of the corpus under the keys the tests
    look them up by (a reader's name and a path written the same way)."""
    known = pages.known or {}
    return sorted(key[2] for key in pages.values if key[0] == "page" and key not in known)


def _seed_cache(out: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The page cache of every version built before in this run, put in ``out`` before a
    version is generated into it, as a user's output folder keeps the cache of the last
    run: the WebAPI agent and entity pages are the same files in every version, so each is
    read once per run, not once per version (a third of a cold ``generate --agent all``).
    The SOAP pages and renders of another version are simply not found in it."""
    seeded = cache_dir(out)
    for done in sorted(run_root(tmp_path_factory).glob(f"services*/{DONE}")):
        for part in cache_dir(done.parent / "out").glob("cache*.pickle"):
            seeded.mkdir(parents=True, exist_ok=True)
            if not (seeded / part.name).exists():
                shutil.copyfile(part, seeded / part.name)


def _unpickled(path: Path) -> ReadResult:
    with open(path, "rb") as file, cycle_collector_paused():
        result: ReadResult = pickle.load(file)
    return result


def warm_mypy_cache(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mypy cache holding the standard library, httpx and lxml as ``--strict`` sees them,
    made by checking a copy of the generated ``package`` once per run: every later mypy run
    of the tests starts from it and saves two seconds or so."""

    def build(folder: Path) -> None:
        scratch = folder.with_name(f"{folder.name}-package")
        shutil.copytree(package, scratch / package.name, dirs_exist_ok=True)
        checked = _mypy_strict(package.name, scratch, folder)
        assert checked.returncode == 0, checked.stdout[-4000:] + checked.stderr

    return built_once(tmp_path_factory, "mypy-cache", build)


def mypy_strict(package: str, cwd: Path, warm_cache: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict package`` in ``cwd``, starting from a copy of ``warm_cache``."""
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "cache"
        shutil.copytree(warm_cache, cache, ignore=shutil.ignore_patterns(DONE))
        return _mypy_strict(package, cwd, cache)


def _mypy_strict(package: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), package],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
