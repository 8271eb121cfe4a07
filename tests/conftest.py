"""Shared fixtures for the three tiers, and where the real corpus and the seed specs live.

``tests/unit/`` runs without the corpus: a unit test that asks for a fixture reading it
fails at setup, corpus or not, so it cannot come to depend on it by accident.
``tests/golden/`` works on ``specs/`` and small inputs; ``tests/e2e/`` on the corpus.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from build_support import (
    Services86,
    generate_services86,
    warm_mypy_cache,
)
from emit_support import Generated, forget
from schedule_support import BUILD_MARK, WholeModuleStealing, in_lanes, running

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
UNIT = ROOT / "tests" / "unit"
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "superoffice-docs"
API_REFERENCE = CORPUS / "api-reference"
RAW_WSDLS = CORPUS / "wsdl"


def missing(message: str) -> NoReturn:
    """Skip a test whose input or tool is not on this machine; under ``CI=true``, fail it."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


STEALING = "superoffice_codegen_stealing"
"""The key of ``workerinput`` that says whether pytest-xdist's workers steal work."""
CORPUS_FIXTURES = frozenset({"corpus", "raw_wsdls"})
"""The fixtures that read the corpus; every shared build of it asks for ``corpus``."""


def pytest_configure(config: pytest.Config) -> None:
    """The cycle collector runs after 50,000 new objects rather than 700: a test process
    keeps a large heap to its end (Services86 read into agents, the generated packages
    imported), which each collection of the older generations walks again, finding little
    to free. Over the suite that was 15 CPU-s in the collector (``bench/suite.py``), 7 now."""
    gc.set_threshold(50_000, 50, 100)
    config.addinivalue_line(
        "markers", f"{BUILD_MARK}(version): needs the run's shared build of that version"
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto``: a worker per core and one more, unless ``PYTEST_XDIST_AUTO_NUM_WORKERS``
    says how many (pytest-xdist decides then, and for ``-n logical``). The tests wait on
    their loopback servers, the commands they run and the disk: with a worker per core, 17
    of some 265 core-seconds of a run were idle (``/proc/stat``); a third worker takes them
    up."""
    if "PYTEST_XDIST_AUTO_NUM_WORKERS" in os.environ or config.option.numprocesses != "auto":
        return None
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) + 1
    return (os.cpu_count() or 1) + 1


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Work stealing that hands over whole modules where it can (``schedule_support``)."""
    if config.getoption("dist") == "worksteal":
        return WholeModuleStealing(config, log)
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist's controller tells each worker whether the workers steal work: the
    worker's own options say they are not distributed."""
    node.workerinput[STEALING] = node.config.getoption("dist") == "worksteal"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each pytest-xdist worker starts on its own lane of builds (``schedule_support``),
    after pytest has grouped the tests by their fixtures' parameters."""
    worker = getattr(config, "workerinput", None)
    if worker and worker.get(STEALING):
        items[:] = in_lanes(items, int(worker["workercount"]))


def pytest_runtest_setup(item: pytest.Item) -> None:
    running(item)
    if UNIT in item.path.parents and CORPUS_FIXTURES & set(getattr(item, "fixturenames", ())):
        pytest.fail(
            f"{item.nodeid} uses the corpus, which the unit tier runs without: "
            "give it a small inline input or move it to tests/e2e/",
            pytrace=False,
        )


def _need_corpus() -> Path:
    if API_REFERENCE.is_dir():
        return API_REFERENCE
    missing(f"the corpus is missing: expected {API_REFERENCE}")


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The docs root of the real corpus (``../shared/superoffice-docs/api-reference``).

    Under ``CI=true`` a missing corpus fails the test loudly instead of skipping it.
    """
    return _need_corpus()


@pytest.fixture(scope="session")
def raw_wsdls(corpus: Path) -> Path:
    return RAW_WSDLS


@pytest.fixture(scope="session")
def specs() -> Path:
    return SPECS


@pytest.fixture
def importable() -> Iterator[list[Generated]]:
    """Generated packages to put on ``sys.path`` for one test, and take off after."""
    packages: list[Generated] = []
    yield packages
    forget(packages)


@pytest.fixture(scope="session")
def services86(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Services86:
    """Services86, every agent, read and generated into the package ``so86all`` once per
    run (see ``build_support``)."""
    return generate_services86(corpus, ROOT, tmp_path_factory)


@pytest.fixture(scope="session")
def warm_mypy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A mypy cache to start from, made once per run (see ``build_support.mypy_strict``)."""
    return warm_mypy_cache(ROOT / "generated" / "superoffice", tmp_path_factory)
