"""The nil_items pass: an array's items may be None only where a documented sample shows
a nil one, at any depth of a request or a response."""

from __future__ import annotations

from dataclasses import replace

from ir_factories import field, node, ns, operation, wsdl_agent, xsd

from codegen.ir import UNBOUNDED, Agent, ArrayType, ComplexType, Field, Sample, SampleNode
from codegen.passes import AgentSources
from codegen.passes.nil_items import nil_items

_NAMES = ArrayType(ns("ArrayOfstring"), Field("string", "", xsd("string"), True, 0, UNBOUNDED))
_IDS = ArrayType(ns("ArrayOfint"), Field("int", "", xsd("int"), False, 0, UNBOUNDED))
_HOLDER = ComplexType(ns("Holder"), (field("Names", _NAMES.name), field("Ids", _IDS.name)))


def _answered(response: tuple[SampleNode, ...]) -> Agent:
    op = operation("GetHolder", outputs=(field("Response", _HOLDER.name),))
    assert op.soap is not None
    body = node("GetHolderResponse", children=(node("Response", children=response),))
    soap = replace(op.soap, response_sample=Sample("GetHolder.md", 1, (), body))
    return wsdl_agent(replace(op, soap=soap), types=(_NAMES, _IDS, _HOLDER))


def _marked(agent: Agent) -> dict[str, bool]:
    found, diagnostics = nil_items(agent, AgentSources("User", 86, agent))
    assert diagnostics == []
    return {t.name.name: t.nil_items for t in found.types if isinstance(t, ArrayType)}


def test_an_array_a_sample_shows_a_nil_item_in_is_marked_and_no_other() -> None:
    ids = node("Ids", children=(node("int", text="1"), node("int", nil=True)))
    names = node("Names", children=(node("string", text="a"),))
    assert _marked(_answered((names, ids))) == {"ArrayOfstring": False, "ArrayOfint": True}


def test_a_nil_array_is_no_nil_item() -> None:
    assert _marked(_answered((node("Names", nil=True),))) == {
        "ArrayOfstring": False,
        "ArrayOfint": False,
    }


def test_the_item_as_read_is_nillable_only_where_marked() -> None:
    assert not _NAMES.item_as_read.nillable
    assert replace(_IDS, nil_items=True).item_as_read.nillable
