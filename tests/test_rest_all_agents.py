"""REST for every agent of Services86: generated, type-checked, imported, and every JSON
sample it ships read back into the models whole.

The package is generated once for the module (all agents, SOAP and REST); the slow parts
(mypy over 200-odd modules, black over the biggest REST modules) run once each.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import black
import httpx
import pytest
from rest_support import ROOT_PATH, Kept, WebApi, json_kept, sample_urls, serving

from codegen.emit import render, write_output
from codegen.emit.view import AgentView, build_view, module_names
from codegen.ir import Agent, BodyKind
from codegen.load import Request, load

PACKAGE = "so86all"


@dataclass
class Everything:
    out: Path
    agents: tuple[Agent, ...]
    modules: dict[str, str]
    """Agent name -> subpackage."""

    def rest(self, agent: Agent) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.{self.modules[agent.name]}.rest")

    def view(self, agent: Agent) -> AgentView:
        return build_view(agent, self.modules[agent.name])

    def sample(self, agent: Agent, name: str) -> Path:
        return self.out / PACKAGE / self.modules[agent.name] / "samples/rest" / name


@pytest.fixture(scope="module")
def everything(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Everything]:
    result = load(Request(docs=corpus, version=86, rest=True))
    assert result.ok, result.diagnostics
    out = tmp_path_factory.mktemp("all")
    write_output(render(result.agents, PACKAGE), out)
    sys.path.insert(0, str(out))
    try:
        yield Everything(out, result.agents, module_names(a.name for a in result.agents))
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _with_rest(everything: Everything) -> list[Agent]:
    return [a for a in everything.agents if any(op.rest for op in a.operations)]


def test_every_agent_with_rest_pages_gets_a_rest_module_that_imports(
    everything: Everything,
) -> None:
    agents = _with_rest(everything)
    assert len(agents) >= 50
    total = 0
    for agent in agents:
        rest, client = everything.rest(agent), everything.view(agent).class_name
        expected = sorted(op.name for op in agent.operations if op.rest)
        assert sorted(rest.OPERATIONS) == expected, agent.name
        for operation in rest.OPERATIONS.values():
            assert callable(getattr(getattr(rest, client), operation.python_name))
        total += len(expected)
    assert total == sum(1 for a in everything.agents for op in a.operations if op.rest)
    assert total > 1600
    for agent in everything.agents:
        if agent not in agents:
            folder = everything.out / PACKAGE / everything.modules[agent.name]
            assert not (folder / "rest.py").exists()


def test_every_rest_sample_reads_into_the_models_whole(everything: Everything) -> None:
    """Each response sample through the method's reader, each request sample through its
    parameters' codecs: nothing malformed, nothing warned about, no property lost."""
    checked = 0
    for agent in _with_rest(everything):
        rest, kept = everything.rest(agent), Kept(everything.view(agent), [])
        for op in agent.operations:
            endpoint = op.rest
            if endpoint is None:
                continue
            operation = rest.OPERATIONS[op.name]
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                response = everything.sample(agent, f"{op.name}.response.json")
                if response.exists():
                    content = response.read_bytes()
                    value = operation.read(200, content)
                    kept.check(json.loads(content), value, f"{agent.name}.{op.name}")
                    checked += 1
                request = everything.sample(agent, f"{op.name}.request.json")
                assert request.exists() == (endpoint.body_kind is not BodyKind.NONE)
                if request.exists():
                    body = json.loads(request.read_bytes())
                    for parameter in operation.parameters:
                        if parameter.place == "body":
                            kept.check(body, parameter.codec.read(body), op.name)
                        elif parameter.place == "property":
                            given = body[parameter.wire_name]
                            kept.check(given, parameter.codec.read(given), op.name)
                    checked += 1
    assert checked > 2500


def test_rest_modules_of_every_agent_pass_mypy_strict_and_ruff(everything: Everything) -> None:
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", PACKAGE],
        cwd=everything.out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    with tempfile.TemporaryDirectory() as cache:
        mypy = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", cache, PACKAGE],
            cwd=everything.out,
            capture_output=True,
            text=True,
            check=False,
        )
    assert mypy.returncode == 0, mypy.stdout[-5000:] + mypy.stderr


def test_rest_modules_with_the_longest_names_are_black_stable(everything: Everything) -> None:
    """black over all 52 modules takes a minute; the ones whose lines come closest to the
    limit (long method, type and enum names) are where a layout slip would show."""
    modules = sorted(
        (everything.out / PACKAGE).glob("*/rest.py"),
        key=lambda path: -max(len(line) for line in path.read_text().splitlines()),
    )
    for path in modules[:4]:
        source = path.read_text(encoding="utf-8")
        assert black.format_str(source, mode=black.Mode()) == source, path


def test_every_method_of_every_agent_round_trips_its_samples_over_http(
    everything: Everything,
) -> None:
    """Each method called with its request sample (query values from the page's URLs)
    against a server answering with its response sample: the body sent is the sample, the
    value returned is the answer, whole."""
    calls = 0
    with serving() as webapi, httpx.Client(base_url=webapi.base_url) as client:
        for agent in _with_rest(everything):
            rest, view = everything.rest(agent), everything.view(agent)
            methods = getattr(rest, view.class_name)(client)
            for op in agent.operations:
                if op.rest is None:
                    continue
                _call_with_samples(everything, agent, op.name, rest, methods, webapi, view)
                calls += 1
    assert calls > 1600


def _call_with_samples(
    everything: Everything,
    agent: Agent,
    name: str,
    rest: ModuleType,
    methods: object,
    webapi: WebApi,
    view: AgentView,
) -> None:
    operation = rest.OPERATIONS[name]
    request_sample = everything.sample(agent, f"{name}.request.json")
    body = json.loads(request_sample.read_bytes()) if request_sample.exists() else None
    urls = dict(sample_urls(agent.operation(name).rest))
    kwargs = {}
    for parameter in operation.parameters:
        if parameter.place == "query":
            kwargs[parameter.python_name] = parameter.codec.read(urls[parameter.wire_name])
        else:
            given = body if parameter.place == "body" else body[parameter.wire_name]
            kwargs[parameter.python_name] = parameter.codec.read(given)
    response_sample = everything.sample(agent, f"{name}.response.json")
    if response_sample.exists():
        webapi.answer(200, response_sample.read_bytes())
    else:
        webapi.answer(204 if operation.response is rest._rest.NO_CONTENT else 200, b"GIF89a")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = getattr(methods, operation.python_name)(**kwargs)
    seen = webapi.last()
    where = f"{agent.name}.{name}"
    assert seen.path == ROOT_PATH + operation.path, where
    assert {k for k, _ in seen.query} == {
        p.wire_name for p in operation.parameters if p.place == "query"
    }
    if body is None:
        assert seen.body == b"", where
    else:
        json_kept(body, seen.json(), where, [])
        assert seen.json().keys() == body.keys() if isinstance(body, dict) else True, where
    if response_sample.exists():
        Kept(view, []).check(json.loads(response_sample.read_bytes()), result, where)
    else:
        assert result == (None if operation.response is rest._rest.NO_CONTENT else b"GIF89a")
