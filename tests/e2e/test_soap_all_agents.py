"""``--agent all`` for Services86: 56 SOAP packages that import, with every WSDL operation
(``--agent all`` also generates the agents of the WebAPI only, which have no SOAP client).

The package is the one ``generate --agent all`` wrote for the whole run
(``build_support``). The operations are counted on the generated client classes and
compared, agent by agent, with the raw WSDL files; then every documented response sample
of every agent goes through its client.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from build_support import Services86
from lxml import etree
from soap_support import (
    XSI_NIL,
    ViewIndex,
    Walk,
    as_soap11_response,
    doc_body,
    doc_samples,
    evaluation_names,
    imported,
    response_parts,
    without_layout,
    wsdl_schema,
)

from codegen.emit.soap.build import build_view
from codegen.emit.soap.view import AgentView
from codegen.ir import Agent
from codegen.naming import snake_case
from codegen.passes.names import assign_names, module_names

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"


@dataclass
class Package:
    agent: Agent
    view: AgentView
    soap: ModuleType
    models: ModuleType
    wsdl: Path


@pytest.fixture(scope="module")
def packages(services86: Services86, raw_wsdls: Path) -> Iterator[list[Package]]:
    """Every Services86 agent in one package, ``so86all``, imported."""
    result, package = services86.result, services86.package
    assert result.ok, result.diagnostics[:5]
    folders = module_names(agent.name for agent in result.agents)
    with imported(services86.out, package):
        yield [
            Package(
                agent=agent,
                view=build_view(agent, assign_names(agent), folders[agent.name]),
                soap=importlib.import_module(f"{package}.{folders[agent.name]}.soap"),
                models=importlib.import_module(f"{package}.{folders[agent.name]}.models"),
                wsdl=raw_wsdls / f"WSDL-Services86-{agent.name}.xml",
            )
            for agent in result.agents
            if any(op.soap for op in agent.operations)
        ]


def _wsdl_operations(wsdl: Path) -> set[str]:
    root = etree.parse(str(wsdl)).getroot()
    return {
        operation.get("name", "")
        for operation in root.iterfind(f"{{{WSDL_NS}}}portType/{{{WSDL_NS}}}operation")
    }


def _methods(cls: type) -> set[str]:
    return {
        name
        for name, member in vars(cls).items()
        if not name.startswith("_") and inspect.isfunction(member)
    }


def test_56_agents_import_with_all_1461_operations(packages: list[Package]) -> None:
    assert len(packages) == 56
    total = 0
    helpers: set[frozenset[str]] = set()
    for package in packages:
        sync = getattr(package.soap, package.view.class_name)
        asynchronous = getattr(package.soap, package.view.async_class_name)
        expected = {snake_case(name) for name in _wsdl_operations(package.wsdl)}
        methods = _methods(sync)
        name = package.agent.name
        assert expected <= methods, (name, expected - methods)
        assert _methods(asynchronous) == methods, name
        assert {i.python_name for i in package.soap.OPERATIONS.values()} == expected, name
        helpers.add(frozenset(methods - expected))
        total += len(expected)
    assert total == 1461
    assert len(helpers) == 1, f"only generic helpers besides the operations: {helpers}"


def test_every_documented_response_is_read_whole_or_refused(
    packages: list[Package], corpus: Path, tmp_path: Path
) -> None:
    """Each agent's doc response samples, moved into SOAP 1.1, through its client.

    A sample valid against the WSDL's schema must come back with every element reflected
    in the value; an invalid one (the docs write ``<AlarmLeadTime></AlarmLeadTime>`` for a
    TimeSpan, empty dateTime keys) must raise the package's ``MalformedResponse``, never
    anything else. Valid here means valid once the nil elements that cut recursion are taken
    out: the docs put ``xsi:nil`` on elements the schema does not make nillable, and the
    client reads those as None, as if they were left out (array items and dictionary
    values aside, which the schema requires).
    """
    runtime = importlib.import_module("so86all._runtime")
    problems: list[str] = []
    refused = read = 0
    reply = [b""]
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=reply[0]))
    for package in packages:
        schema = wsdl_schema(package.wsdl, _folder(tmp_path, package.agent.name))
        names = evaluation_names("so86all", package.models)
        index = ViewIndex(package.view)
        pages = corpus / "soap" / "Services86" / package.agent.name
        item_tags = {array.item.tag for array in package.view.arrays}
        item_tags |= {d.value.tag for d in package.view.dictionaries}
        client_class = getattr(package.soap, package.view.class_name)
        client = client_class(httpx.Client(base_url="https://host/", transport=transport))
        for op in package.view.operations:
            samples = doc_samples(pages / f"{op.wire_name}.md", op.request.tag)
            reply[0] = as_soap11_response(samples.response)
            valid = schema.validate(_as_read(samples.response, item_tags))
            arguments = {
                p.python_name: None if p.may_be_none else eval(p.default_value, names)
                for p in op.parameters
            }
            name = f"{package.agent.name}.{op.wire_name}"
            try:
                value = getattr(client, op.python_name)(**arguments)
            except runtime.MalformedResponse as error:
                refused += 1
                if valid:
                    problems.append(f"{name}: a valid sample refused: {error}")
                continue
            read += 1
            if not valid:
                problems.append(f"{name}: an invalid sample read")
            walk = Walk(index, names)
            parts = response_parts(op, value)
            for element in doc_body(samples.response):
                if element.tag in parts:
                    slot, part = parts[element.tag]
                    walk.slot(element, part, slot, name)
                else:
                    walk.problems.append(f"{name}: {element.tag} is no part of the response")
            problems += walk.problems
    assert read + refused == 1461
    assert refused < 100, "most documented responses are valid"
    assert not problems, "\n".join(problems[:30])


def _as_read(envelope: etree._Element, item_tags: set[str]) -> etree._Element:
    """The body's element as the client reads it: no layout, nil fields as if left out.

    ``item_tags`` name the elements whose nil stays: array items and dictionary values.
    """
    body = doc_body(without_layout(envelope))
    nil = [e for e in body.iter() if e.get(XSI_NIL) == "true" and e.tag not in item_tags]
    for element in nil:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return body


def _folder(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    return folder
