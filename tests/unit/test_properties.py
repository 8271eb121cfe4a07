"""Property tests: mutated real pages and WSDLs give IR or diagnostics, and compiling code.

Hypothesis takes real inputs (Services86 User method pages, its REST pages, its wrapped
WSDL page and raw WSDL from the corpus; the seeds under ``specs/``; the trimmed WSDL of
the bad-input suite) and damages them the way hand edits and bad downloads do: bytes and
lines deleted, markup inserted, the text cut short, sections swapped. Two properties:

- the readers never raise: they return an IR record or ``None``, and diagnostics that
  name the file they were given and a line inside it;
- when the damaged input reads without errors, the package rendered from it compiles,
  module by module, and every sample envelope in it is well-formed XML.

Runs are derandomized (the same examples every time, as CI needs); set
``HYPOTHESIS_EXPLORE=1`` to draw new ones and many more of them.
"""

from __future__ import annotations

import copy
import os
import pickle
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import pytest
from conftest import API_REFERENCE, GOLDEN, RAW_WSDLS, SPECS
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]

from codegen.emit import render_sources
from codegen.ir import Agent, Diagnostic, Level, RestPage, SoapPage
from codegen.passes.merge import merge_agent
from codegen.sources.rest_page import read_rest_page
from codegen.sources.soap_page import read_soap_page
from codegen.sources.wsdl import read_wsdl, read_wsdl_page

T = TypeVar("T")
_LINE_BREAK = re.compile(r"\r\n?|\n")

EXPLORE = os.environ.get("HYPOTHESIS_EXPLORE") == "1"
READER_SETTINGS = settings(
    max_examples=600 if EXPLORE else 60,
    derandomize=not EXPLORE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
GENERATE_SETTINGS = settings(READER_SETTINGS, max_examples=200 if EXPLORE else 25)

TRIMMED_WSDL = GOLDEN / "bad_inputs/wsdl-trimmed-baseline/user.wsdl"
SEED_PAGES = sorted((SPECS / "soap/Services86/User").glob("*.md"))
SEED_REST = sorted((SPECS / "restful/agent/User_Agent").glob("*.md"))

# What hand edits and broken saves put into a page: fences, headings, bullets, table rows,
# tags, entities and declarations, quotes, template syntax, odd characters.
SNIPPETS = (
    "```",
    "```xml\n",
    "\n```\n",
    "\n## ",
    "\n## Sample Request\n",
    "\n# ",
    "\n* **personId:** ",
    "\n**Returns:** ",
    "| a | b |\n|---|---|\n",
    "|",
    "<",
    ">",
    "</",
    "/>",
    "<x>",
    "</User:Response>",
    ' xsi:type="xsd:int"',
    ' xsi:type="nope:Thing"',
    ' xsi:nil="true"',
    "&",
    "&amp;",
    "&undefined;",
    '<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "<![CDATA[",
    "<!--",
    "---\n",
    '"""',
    "'''",
    "\\",
    "{{ 7*7 }}",
    "{% raw %}",
    "\x00",
    "\x1b",
    "\ufeff",
    "\r",
    "\u2028",
    "ü",
    "0",
    " ",
    "\n",
)


# --- Mutations ---------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` after one to four edits of the kinds listed in the module docstring."""
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(_EDITS))
        text = edit(draw, text)
    return text


def _position(draw: st.DrawFn, text: str) -> int:
    return draw(st.integers(0, len(text)))


def _delete_span(draw: st.DrawFn, text: str) -> str:
    start = _position(draw, text)
    return text[:start] + text[start + draw(st.integers(1, 64)) :]


def _delete_lines(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[:start] + lines[start + draw(st.integers(1, 8)) :])


def _insert(draw: st.DrawFn, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]


def _insert_text(draw: st.DrawFn, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(st.text(max_size=12)) + text[at:]


def _truncate(draw: st.DrawFn, text: str) -> str:
    return text[: _position(draw, text)]


def _swap_sections(draw: st.DrawFn, text: str) -> str:
    sections = text.split("\n## ")
    if len(sections) < 3:
        return text
    first, second = sorted(
        draw(st.lists(st.integers(1, len(sections) - 1), min_size=2, max_size=2))
    )
    sections[first], sections[second] = sections[second], sections[first]
    return "\n## ".join(sections)


def _duplicate_lines(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    end = start + draw(st.integers(1, 12))
    return "\n".join(lines[:end] + lines[start:end] + lines[end:])


_EDITS: tuple[Callable[[st.DrawFn, str], str], ...] = (
    _delete_span,
    _delete_lines,
    _insert,
    _insert,
    _insert_text,
    _truncate,
    _swap_sections,
    _duplicate_lines,
)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """Byte-level damage on top of the text edits: stray bytes that are not UTF-8."""
    raw = draw(mutated(data.decode("utf-8"))).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw


# Values an edited attribute takes: names that exist, names that do not, odd text.
_ATTRIBUTE_VALUES = (
    "",
    "0",
    "unbounded",
    "-1",
    "true",
    "tns:Missing",
    "nope:Thing",
    "xs:int",
    "xs:anyType",
    "tns:UserGroup",
    "tns:SoExceptionInfo",
    "class",
    "None",
    "Über",
    'a"b',
    "{x}",
    "..",
)


_XML_TEXT = tuple(
    text
    for text in SNIPPETS + _ATTRIBUTE_VALUES
    if all(char in "\t\n\r" or char >= " " for char in text)
)
"""What lxml accepts as element text: no control characters but tab and line ends."""


@st.composite
def mutated_tree(draw: st.DrawFn, data: bytes) -> bytes:
    """A well-formed WSDL with one to four structural edits: elements removed, duplicated or
    swapped, attributes and text replaced. It stays XML, so the reading goes deep."""
    root = etree.fromstring(data)
    for _ in range(draw(st.integers(1, 4))):
        elements = list(root.iter(etree.Element))[1:]
        element = draw(st.sampled_from(elements))
        parent = element.getparent()
        action = draw(st.sampled_from(("remove", "duplicate", "swap", "attribute", "text")))
        if action == "remove":
            parent.remove(element)
        elif action == "duplicate":
            element.addnext(copy.deepcopy(element))
        elif action == "swap" and element.getnext() is not None:
            element.getnext().addnext(element)
        elif action == "attribute" and element.attrib:
            name = draw(st.sampled_from(sorted(element.attrib)))
            element.set(name, draw(st.sampled_from(_ATTRIBUTE_VALUES)))
        elif action == "text":
            element.text = draw(st.sampled_from(_XML_TEXT))
    return bytes(etree.tostring(root))


# --- The inputs --------------------------------------------------------------------------


@cache
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _corpus_files(pattern: str) -> list[Path]:
    """Corpus files for sampling; the tests using them skip (or fail under CI) without it."""
    return sorted(API_REFERENCE.glob(pattern)) if API_REFERENCE.is_dir() else []


CORPUS_SOAP = _corpus_files("soap/Services86/User/*.md")
CORPUS_REST = _corpus_files("restful/agent/User_Agent/*.md")
CORPUS_WSDL_PAGE = API_REFERENCE / "soap/Services86/Services86-User.md"
CORPUS_RAW_WSDL = RAW_WSDLS / "WSDL-Services86-User.xml"


# --- Property: the readers return IR or diagnostics ----------------------------------------


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


@pytest.mark.usefixtures("corpus")
@READER_SETTINGS
@given(st.data())
def test_soap_page_reader_never_raises(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CORPUS_SOAP + SEED_PAGES))
    text = data.draw(mutated(_text(path)))
    _check_read(read_soap_page(str(path), text), str(path), text, SoapPage)


@pytest.mark.usefixtures("corpus")
@READER_SETTINGS
@given(st.data())
def test_rest_page_reader_never_raises(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CORPUS_REST + SEED_REST))
    text = data.draw(mutated(_text(path)))
    _check_read(read_rest_page(str(path), text), str(path), text, RestPage)


@pytest.mark.usefixtures("corpus")
@settings(READER_SETTINGS, max_examples=150 if EXPLORE else 15)
@given(st.data())
def test_wsdl_page_reader_never_raises(data: st.DataObject) -> None:
    text = data.draw(mutated(_text(CORPUS_WSDL_PAGE)))
    _check_read(read_wsdl_page("page.md", text), "page.md", text, Agent)


@pytest.mark.usefixtures("corpus")
@settings(READER_SETTINGS, max_examples=150 if EXPLORE else 15)
@given(st.data())
def test_raw_wsdl_reader_never_raises(data: st.DataObject) -> None:
    original = CORPUS_RAW_WSDL.read_bytes()
    raw = data.draw(st.one_of(mutated_bytes(original), mutated_tree(original)))
    _check_read(read_wsdl("raw.xml", raw), "raw.xml", raw, Agent)


# --- Property: what is generated compiles ----------------------------------------------------


def _assert_package_compiles(agent: Agent) -> None:
    for path, source in render_sources([agent], "superoffice").items():
        if path.suffix == ".py":
            compile(source, str(path), "exec")
        elif path.suffix == ".xml":
            etree.fromstring(source.encode("utf-8"))


def _errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


@GENERATE_SETTINGS
@given(st.data())
def test_mutated_seeds_generate_compiling_code(data: st.DataObject) -> None:
    victim = data.draw(st.sampled_from(SEED_PAGES + SEED_REST))
    diagnostics: list[Diagnostic] = []
    soap_pages: list[SoapPage] = []
    rest_pages: list[RestPage] = []
    for path in SEED_PAGES + SEED_REST:
        text = data.draw(mutated(_text(path))) if path == victim else _text(path)
        if path in SEED_REST:
            rest, found = read_rest_page(str(path), text)
            rest_pages += [rest] if rest else []
        else:
            soap, found = read_soap_page(str(path), text)
            soap_pages += [soap] if soap else []
        diagnostics += found
    agent, found = merge_agent("User", 86, None, soap_pages, rest_pages)
    event("errors" if _errors(diagnostics + found) else "generated")
    if not _errors(diagnostics + found):
        _assert_package_compiles(agent)


@GENERATE_SETTINGS
@given(st.data())
def test_mutated_wsdl_generates_compiling_code(data: st.DataObject) -> None:
    wsdl, diagnostics = read_wsdl("user.wsdl", data.draw(mutated_tree(TRIMMED_WSDL.read_bytes())))
    event("errors" if wsdl is None or _errors(diagnostics) else "read")
    if wsdl is None or _errors(diagnostics):
        return
    agent, found = merge_agent(wsdl.name, wsdl.version, wsdl, [], [])
    if not _errors(found):
        _assert_package_compiles(agent)
