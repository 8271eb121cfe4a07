"""The one safe XML parser, on its own and through each reader that uses it: entity bombs and
external entities are refused, never expanded, never fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.ir import Level
from codegen.sources.soap_page import read_soap_page
from codegen.sources.wsdl import looks_like_wsdl, read_wsdl, read_wsdl_page
from codegen.sources.xml_parser import DOCTYPE_REFUSED, NotParsed, parse, root_tag

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol4;</lolz>
"""


def _external(target: str) -> str:
    return f'<!DOCTYPE d [<!ENTITY e SYSTEM "{target}">]>\n<d>&e;</d>\n'


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("the secret", encoding="utf-8")
    return path


def _envelope_page(xml: str) -> str:
    return f"# Services86 User Ping\n\n## Ping\n\nPings.\n\n## Ping Request\n\n```xml\n{xml}```\n"


# --- The parser ------------------------------------------------------------------------------


def test_a_billion_laughs_is_refused_at_its_declaration() -> None:
    assert parse(LAUGHS.encode()) == NotParsed(2, DOCTYPE_REFUSED)


def test_an_external_entity_is_refused_and_never_read(secret: Path) -> None:
    refused = parse(_external(secret.as_uri()).encode())
    assert refused == NotParsed(1, DOCTYPE_REFUSED)


def test_an_external_dtd_is_refused_without_fetching_it() -> None:
    data = b'<!DOCTYPE d SYSTEM "http://127.0.0.1:9/never.dtd">\n<d/>\n'
    assert parse(data) == NotParsed(1, DOCTYPE_REFUSED)


def test_malformed_xml_names_its_line_and_column_once() -> None:
    refused = parse(b"<a>\n<b c=d/>\n</a>\n", "XML in the sample")
    assert isinstance(refused, NotParsed) and refused.line == 2
    assert refused.message.startswith("malformed XML in the sample: ")
    assert "(column" in refused.message and "line" not in refused.message


def test_comments_and_processing_instructions_are_left_out() -> None:
    root = parse(b"<a><!-- note --><?pi x?><b/></a>")
    assert [child.tag for child in root] == ["b"]


def test_the_root_tag_is_found_from_the_start_alone() -> None:
    assert root_tag(b'\xef\xbb\xbf<!-- c --><w:d xmlns:w="urn:w"><unclosed>') == "{urn:w}d"
    assert root_tag(LAUGHS.encode()) == "lolz"
    assert root_tag(b"not xml") is None


# --- Through the readers ---------------------------------------------------------------------


@pytest.mark.parametrize("xml", [LAUGHS, _external("file:///etc/passwd")])
def test_the_wsdl_reader_refuses_a_document_type(xml: str) -> None:
    agent, diagnostics = read_wsdl("bad.wsdl", xml.encode())
    assert agent is None
    assert [(d.level, d.message) for d in diagnostics] == [(Level.ERROR, DOCTYPE_REFUSED)]
    assert not looks_like_wsdl(xml.encode())


def test_the_wsdl_page_reader_points_at_the_declaration_on_the_page() -> None:
    agent, diagnostics = read_wsdl_page("page.md", f"# W\n\n```xml\n{LAUGHS}```\n")
    assert agent is None
    assert [(d.line, d.message) for d in diagnostics] == [(5, DOCTYPE_REFUSED)]


@pytest.mark.parametrize("xml", [LAUGHS, _external("file:///etc/passwd")])
def test_the_soap_page_reader_refuses_a_document_type_in_a_sample(xml: str) -> None:
    page, diagnostics = read_soap_page("x.md", _envelope_page(xml))
    assert page is not None and page.request is None
    refused = [d for d in diagnostics if d.level is Level.ERROR]
    assert [d.message for d in refused] == [DOCTYPE_REFUSED]


def test_no_reader_expands_an_external_entity(secret: Path) -> None:
    xml = _external(secret.as_uri())
    _, wsdl_diagnostics = read_wsdl("bad.wsdl", xml.encode())
    _, page_diagnostics = read_soap_page("x.md", _envelope_page(xml))
    said = " ".join(d.message for d in wsdl_diagnostics + page_diagnostics)
    assert "the secret" not in said
