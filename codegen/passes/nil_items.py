"""The pass that finds which arrays the documents show a nil item in.

A WSDL makes the items of most arrays ``nillable``, but the documented samples carry a
nil item in a handful of array types only (six in Services87: ``python bench/nullability.py``).
The models type an array's items ``X | None`` only where a sample shows one
(``ArrayType.nil_items``), so that a list read is ``list[X]`` elsewhere. This pass walks
every SOAP sample envelope against the types and marks the arrays it finds a nil item in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from codegen.ir import (
    Agent,
    ArrayType,
    ComplexType,
    Diagnostic,
    DictionaryType,
    Field,
    QName,
    SampleNode,
    TypeDef,
    all_fields,
)

if TYPE_CHECKING:
    from codegen.passes import AgentSources


def nil_items(agent: Agent, sources: AgentSources) -> tuple[Agent, list[Diagnostic]]:
    """The pass: ``agent`` with ``nil_items`` set on the arrays a sample shows a nil item in."""
    types = agent.type_map()
    found = {
        array
        for field, node in sample_parts(agent)
        for array in _nil_arrays(field.type, node, types)
    }
    marked = tuple(
        replace(t, nil_items=True) if isinstance(t, ArrayType) and t.name in found else t
        for t in agent.types
    )
    return replace(agent, types=marked), []


def sample_parts(agent: Agent) -> Iterator[tuple[Field, SampleNode]]:
    """Every documented request parameter and response part, with the field it fills."""
    for op in agent.operations:
        if op.soap is None:
            continue
        for message, sample in (
            (op.soap.input, op.soap.request_sample),
            (op.soap.output, op.soap.response_sample),
        ):
            if sample is None or sample.body is None:
                continue
            fields = {f.wire_name: f for f in message.fields}
            for child in sample.body.children:
                if child.name.name in fields:
                    yield fields[child.name.name], child


def _nil_arrays(name: QName, node: SampleNode, types: dict[QName, TypeDef]) -> Iterator[QName]:
    """The arrays holding a nil item in ``node``, a value of the named type, at any depth."""
    if node.xsi_type is not None and node.xsi_type in types:
        name = node.xsi_type
    definition = types.get(name)
    if isinstance(definition, ArrayType):
        for item in node.children:
            if item.nil:
                yield name
            yield from _nil_arrays(definition.item.type, item, types)
    elif isinstance(definition, ComplexType):
        fields = {f.wire_name: f for f in all_fields(definition, types)}
        for child in node.children:
            if child.name.name in fields:
                yield from _nil_arrays(fields[child.name.name].type, child, types)
    elif isinstance(definition, DictionaryType):
        for entry in node.children:
            for part in entry.children:
                if part.name.name == definition.value.wire_name:
                    yield from _nil_arrays(definition.value.type, part, types)
