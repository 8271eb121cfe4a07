"""Inference from the real Services86 User pages: what the envelopes give agrees with the WSDL."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.ir import (
    ComplexType,
    Level,
    Message,
    Primitive,
    QName,
    Sample,
    SoapPage,
    TypeDef,
)
from codegen.passes.infer import infer_agent
from codegen.sources.soap_page import read_soap_page
from codegen.sources.wsdl import read_wsdl_page


def _children(sample: Sample | None) -> list[str]:
    assert sample is not None and sample.body is not None
    return [child.name.name for child in sample.body.children]


def _assert_fields_agree(inferred: ComplexType, declared: dict[QName, TypeDef]) -> None:
    """The fields a sample shows are the WSDL's, own or inherited, in the WSDL's order."""
    truth = declared[inferred.name]
    assert isinstance(truth, ComplexType)
    own = [f.wire_name for f in truth.fields]
    every = {f.wire_name: f for f in truth.fields}
    base = declared.get(truth.base) if truth.base else None
    while isinstance(base, ComplexType):
        every.update({f.wire_name: f for f in base.fields})
        base = declared.get(base.base) if base.base else None
    for f in inferred.fields:
        assert (f.type, f.nillable) == (
            every[f.wire_name].type,
            every[f.wire_name].nillable,
        )
    shown = [f.wire_name for f in inferred.fields if f.wire_name in own]
    assert shown == [name for name in own if name in shown]


@pytest.fixture(scope="module")
def user_pages(corpus: Path) -> list[SoapPage]:
    pages = []
    for path in sorted((corpus / "soap" / "Services86" / "User").glob("*.md")):
        if path.name != "index.md":
            read, _ = read_soap_page(str(path), path.read_text(encoding="utf-8"))
            assert read is not None
            pages.append(read)
    return pages


def test_real_user_agent_matches_its_envelopes(user_pages: list[SoapPage]) -> None:
    agent, diagnostics = infer_agent(user_pages)
    assert [d for d in diagnostics if d.level is Level.ERROR] == []
    assert len(agent.operations) == len(user_pages) == 79
    by_method = {p.method: p for p in user_pages}
    for op in agent.operations:
        assert op.soap is not None
        source = by_method[op.name]
        assert [f.wire_name for f in op.soap.input.fields] == _children(source.request)
        assert [f.wire_name for f in op.soap.output.fields] == _children(source.response)
    known = agent.type_map()
    for op in agent.operations:
        assert op.soap is not None
        for f in op.soap.input.fields + op.soap.output.fields:
            assert f.type in known


def test_real_user_agent_matches_its_wsdl(corpus: Path, user_pages: list[SoapPage]) -> None:
    path = corpus / "soap" / "Services86" / "Services86-User.md"
    wsdl, _ = read_wsdl_page(str(path), path.read_text(encoding="utf-8"))
    assert wsdl is not None
    agent, _ = infer_agent(user_pages)
    assert (agent.namespace, agent.service_path) == (wsdl.namespace, wsdl.service_path)

    def signature(message: Message) -> list[tuple[str, QName, bool, int]]:
        return [(f.wire_name, f.type, f.nillable, f.min_occurs) for f in message.fields]

    for op in agent.operations:
        declared = wsdl.operation(op.name).soap
        assert op.soap is not None and declared is not None
        assert op.soap.action == declared.action
        assert signature(op.soap.input) == signature(declared.input)
        assert signature(op.soap.output) == signature(declared.output)
        headers = [(h.wire_name, h.type, h.nillable) for h in op.soap.input.headers]
        known_headers = [(h.wire_name, h.type, h.nillable) for h in declared.input.headers]
        assert headers == known_headers[: len(headers)]  # the samples omit TimeZone
    declared_types = wsdl.type_map()
    for inferred in agent.types:
        if isinstance(inferred, ComplexType):
            _assert_fields_agree(inferred, declared_types)
        elif not isinstance(inferred, Primitive):
            assert type(declared_types[inferred.name]) is type(inferred)
