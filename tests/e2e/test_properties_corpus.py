"""Property tests on real pages: damaged corpus pages and WSDLs never make a reader raise."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import API_REFERENCE, RAW_WSDLS
from hypothesis import event, given, settings
from hypothesis import strategies as st
from mutation_support import (
    EXPLORE,
    READER_SETTINGS,
    SEED_PAGES,
    SEED_REST,
    mutated,
    mutated_bytes,
    mutated_tree,
    text_of,
)

from codegen.ir import Agent, Diagnostic, Level, RestPage, SoapPage
from codegen.sources.rest_page import read_rest_page
from codegen.sources.soap_page import read_soap_page
from codegen.sources.wsdl import read_wsdl, read_wsdl_page

T = TypeVar("T")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _check_read(
    result: tuple[T | None, list[Diagnostic]], file: str, text: str | bytes, kind: type
) -> T | None:
    record, diagnostics = result
    event("record" if record is not None else "none")
    assert record is None or isinstance(record, kind)
    # CR LF, CR and LF each end a line, as for editors and for ``codegen.load``.
    lines = len(_LINE_BREAK.findall(text if isinstance(text, str) else text.decode("latin-1"))) + 1
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic) and isinstance(diagnostic.level, Level)
        assert diagnostic.file == file and diagnostic.message
        assert 1 <= diagnostic.line <= lines, diagnostic
    if record is not None:
        # Plain values all the way down: the IR can be hashed, compared and pickled.
        assert pickle.loads(pickle.dumps(record)) == record
    return record


def _corpus_files(pattern: str) -> list[Path]:
    """Corpus files for sampling; the tests using them skip (or fail under CI) without it."""
    return sorted(API_REFERENCE.glob(pattern)) if API_REFERENCE.is_dir() else []


CORPUS_SOAP = _corpus_files("soap/Services86/User/*.md")


CORPUS_REST = _corpus_files("restful/agent/User_Agent/*.md")


CORPUS_WSDL_PAGE = API_REFERENCE / "soap/Services86/Services86-User.md"


CORPUS_RAW_WSDL = RAW_WSDLS / "WSDL-Services86-User.xml"


@pytest.mark.usefixtures("corpus")
@READER_SETTINGS
@given(st.data())
def test_soap_page_reader_never_raises(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CORPUS_SOAP + SEED_PAGES))
    text = data.draw(mutated(text_of(path)))
    _check_read(read_soap_page(str(path), text), str(path), text, SoapPage)


@pytest.mark.usefixtures("corpus")
@READER_SETTINGS
@given(st.data())
def test_rest_page_reader_never_raises(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CORPUS_REST + SEED_REST))
    text = data.draw(mutated(text_of(path)))
    _check_read(read_rest_page(str(path), text), str(path), text, RestPage)


@pytest.mark.usefixtures("corpus")
@settings(READER_SETTINGS, max_examples=150 if EXPLORE else 15)
@given(st.data())
def test_wsdl_page_reader_never_raises(data: st.DataObject) -> None:
    text = data.draw(mutated(text_of(CORPUS_WSDL_PAGE)))
    _check_read(read_wsdl_page("page.md", text), "page.md", text, Agent)


@pytest.mark.usefixtures("corpus")
@settings(READER_SETTINGS, max_examples=150 if EXPLORE else 15)
@given(st.data())
def test_raw_wsdl_reader_never_raises(data: st.DataObject) -> None:
    original = CORPUS_RAW_WSDL.read_bytes()
    raw = data.draw(st.one_of(mutated_bytes(original), mutated_tree(original)))
    _check_read(read_wsdl("raw.xml", raw), "raw.xml", raw, Agent)
