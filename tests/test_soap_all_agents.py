"""``--agent all`` for Services86: 56 packages that import, with every WSDL operation.

The packages are rendered in process (the command adds only black, which would take
minutes over 112 large modules); the operations are counted on the generated client
classes and compared, agent by agent, with the raw WSDL files.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from lxml import etree
from soap_support import imported

from codegen.emit import render_sources, write_output
from codegen.emit.view import module_names
from codegen.load import Request, load
from codegen.naming import pascal_case, snake_case

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"


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


def test_every_services86_agent_generates_imports_and_has_its_operations(
    corpus: Path, raw_wsdls: Path, tmp_path: Path
) -> None:
    result = load(Request(docs=corpus, version=86, agents=("all",)))
    assert result.ok, result.diagnostics[:5]
    assert len(result.agents) == 56
    write_output(render_sources(result.agents, "so86all"), tmp_path)
    total = 0
    helpers: set[frozenset[str]] = set()
    folders = module_names(agent.name for agent in result.agents)
    with imported(tmp_path, "so86all") as package:
        assert len(package.__all__) >= 3
        for agent in result.agents:
            module = importlib.import_module(f"so86all.{folders[agent.name]}")
            sync = getattr(module, pascal_case(agent.name) + "Agent")
            asynchronous = getattr(module, "Async" + pascal_case(agent.name) + "Agent")
            wsdl = raw_wsdls / f"WSDL-Services86-{agent.name}.xml"
            expected = {snake_case(name) for name in _wsdl_operations(wsdl)}
            methods = _methods(sync)
            assert expected <= methods, (agent.name, expected - methods)
            assert _methods(asynchronous) == methods, agent.name
            assert {i.python_name for i in module.OPERATIONS.values()} == expected, agent.name
            helpers.add(frozenset(methods - expected))
            total += len(expected)
    assert total == 1461
    assert len(helpers) == 1, "only generic helpers besides the operations"
