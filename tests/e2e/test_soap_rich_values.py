"""Unusual values through the generated clients, checked against the schema and zeep.

The doc samples hold zeros and empty strings only. Here every field of every argument is
set (see ``soap_support.RichValues``): markup characters, surrounding spaces, CR LF,
non-Latin scripts, the edges of each integer type, time zones, flag combinations, arrays,
dictionaries with nil values, subtypes through ``xsi:type`` and ``anyType``. The agents
are those of Services86 that between them use every kind of type the corpus has. For each
operation:

- the request validates against the WSDL's schema, equals zeep's canonically, and its
  parameters read back into the arguments;
- a response zeep writes from such values reads back into equal values.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from build_support import Services86, read_agents
from lxml import etree
from soap_support import (
    SOAP11,
    RichValues,
    ViewIndex,
    ZeepBridge,
    canonical,
    envelope_parts,
    evaluation_names,
    first_difference,
    imported,
    read_slot,
    remove_nil_items,
    schema_errors,
    wsdl_schema,
)

from codegen.emit import render_sources, write_output
from codegen.emit.soap.build import build_view
from codegen.emit.soap.view import AgentView, OperationView
from codegen.ir import Agent
from codegen.passes.names import assign_names, module_names

AGENTS = ("List", "Pocket", "SoPrincipal", "User", "Webhook")
"""List: subtypes, flags, doubles, int-keyed dictionaries; Pocket: durations and
datetime-keyed dictionaries; SoPrincipal: bytes and multi-part responses; Webhook:
anyType values."""


@pytest.fixture(scope="module")
def generated(
    corpus: Path, services86: Services86, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, dict[str, Agent]]]:
    agents = read_agents(corpus, services86.out, 86, AGENTS)
    out = tmp_path_factory.mktemp("rich")
    write_output(render_sources(agents, "sorich"), out)
    with imported(out, "sorich"):
        yield out, {agent.name: agent for agent in agents}


class Checked:
    """One agent's package, its schema and zeep, and the request it last sent."""

    def __init__(self, agent: Agent, raw_wsdls: Path, scratch: Path) -> None:
        self.view: AgentView = build_view(
            agent, assign_names(agent), module_names(AGENTS)[agent.name]
        )
        self.agent = agent
        module = f"sorich.{self.view.module}"
        models = importlib.import_module(f"{module}.models")
        runtime = importlib.import_module("sorich._runtime")
        self.runtime = runtime
        self.names = evaluation_names("sorich", models)
        self.index = ViewIndex(self.view)
        wsdl = raw_wsdls / f"WSDL-Services86-{agent.name}.xml"
        self.schema = wsdl_schema(wsdl, scratch)
        self.zeep = ZeepBridge(wsdl, self.index, self.names)
        self.sent: list[httpx.Request] = []
        self.reply = b""
        transport = httpx.MockTransport(self._answer)
        client = httpx.Client(base_url="https://host/Cust1/", transport=transport)
        self.client = getattr(importlib.import_module(f"{module}.soap"), self.view.class_name)(
            client
        )

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(200, content=self.reply)

    def field_types(self, op: OperationView, direction: str) -> dict[str, Any]:
        soap = self.agent.operation(op.wire_name).soap
        assert soap is not None
        message = soap.input if direction == "input" else soap.output
        return {f.wire_name: f.type for f in message.fields}


@pytest.mark.parametrize("name", AGENTS)
def test_rich_requests_validate_read_back_and_equal_zeeps(
    generated: tuple[Path, dict[str, Agent]], raw_wsdls: Path, tmp_path: Path, name: str
) -> None:
    checked = Checked(generated[1][name], raw_wsdls, tmp_path)
    rich = RichValues(checked.agent, checked.index, checked.names)
    problems = []
    for op in checked.view.operations:
        types = checked.field_types(op, "input")
        arguments = {p.python_name: rich.for_slot(p, types[p.wire_name]) for p in op.parameters}
        with pytest.raises(checked.runtime.MalformedResponse):
            getattr(checked.client, op.python_name)(**arguments)
        _, body = envelope_parts(etree.fromstring(checked.sent[-1].content))
        problems += [f"{op.wire_name}: {e}" for e in schema_errors(checked.schema, [body])]
        read_back = {
            p.python_name: read_slot(p, element, checked.names)
            for p in op.parameters
            for element in body
            if element.tag == p.tag
        }
        if read_back != arguments:
            problems.append(f"{op.wire_name}: the parameters do not read back")
        _, theirs = envelope_parts(checked.zeep.envelope(op.wire_name, arguments, {}))
        # zeep cannot write a nil array item (see test_soap_conformance.zeep_problems).
        remove_nil_items(body, checked.zeep.dropped_nil_items)
        if canonical(body) != canonical(theirs):
            difference = first_difference(canonical(body), canonical(theirs))
            problems.append(f"{op.wire_name}: zeep builds another body:{difference}")
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("name", AGENTS)
def test_rich_responses_written_by_zeep_read_back(
    generated: tuple[Path, dict[str, Agent]], raw_wsdls: Path, tmp_path: Path, name: str
) -> None:
    checked = Checked(generated[1][name], raw_wsdls, tmp_path)
    rich = RichValues(checked.agent, checked.index, checked.names, nil_items=False)
    problems = []
    for op in checked.view.operations:
        types = checked.field_types(op, "output")
        parts = [op.result] if op.result else list(op.result_class.slots if op.result_class else ())
        values = {s.python_name: rich.for_slot(s, types[s.wire_name]) for s in parts}
        element = checked.zeep.client.get_element(op.response_tag)
        content = element(
            **{s.wire_name: checked.zeep.value(values[s.python_name], s) for s in parts}
        )
        envelope = etree.Element(f"{{{SOAP11}}}Envelope")
        element.render(etree.SubElement(envelope, f"{{{SOAP11}}}Body"), content)
        checked.reply = etree.tostring(envelope)
        asked = checked.field_types(op, "input")
        arguments = {
            p.python_name: None if p.may_be_none else rich.for_slot(p, asked[p.wire_name])
            for p in op.parameters
        }
        returned = getattr(checked.client, op.python_name)(**arguments)
        if op.result_class is not None:
            expected: object = checked.names[op.result_class.class_name](**values)
        else:
            expected = values[op.result.python_name] if op.result else None
        if returned != expected:
            problems.append(f"{op.wire_name}: read {returned!r:.300}")
    assert not problems, "\n".join(problems[:30])
