"""Shared fixtures: where the real corpus and the seed specs live."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
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
