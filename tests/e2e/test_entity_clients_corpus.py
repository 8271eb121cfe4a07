"""The entity clients against the real corpus, over real HTTP.

The Services87 User agent (its SOAP, agent REST and entity pages: the ``User``, ``Role``
and ``List_UserGroup`` folders) is generated once for the module as the package
``superoffice``, the README's. Every one of its entity endpoints is called over loopback,
blocking and asyncio, with its page's documented request: the request the server sees
must be the page's (method, path with its ``{parts}`` filled in, query, JSON body), and
the page's documented answer must come back whole. The README's entity examples run
against it, and ``mypy --strict`` checks them and the package. Every agent's entity module
of Services86 (``generate --agent all``, shared) imports with every endpoint.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
from build_support import Services86, generated_version, mypy_strict, read_agents
from conftest import ROOT
from emit_support import Generated as Package
from emit_support import forget, generate_package, make_importable
from http_support import TLS
from rest_support import Answer, Seen, WebApi, sample_urls, serving

from codegen.emit.rest.samples import documented
from codegen.ir import Agent, EntityEndpoint
from codegen.passes.names import module_names
from codegen.verify import lost, patch_of, path_value

PACKAGE = "superoffice"
pytestmark = pytest.mark.build(87)
"""The ``user`` fixture reads Services87 through its build (``schedule_support``)."""


@dataclass
class Generated:
    out: Path
    agent: Agent
    entities: ModuleType


@pytest.fixture(scope="module")
def user(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Services87 User with its entity pages, generated, written and imported once."""
    out = generated_version(corpus, ROOT, 87, tmp_path_factory)
    (agent,) = read_agents(corpus, out, 87, ("User",))
    packages: list[Package] = []
    written = generate_package([agent], PACKAGE, tmp_path_factory.mktemp("entity87"))
    try:
        entities = make_importable(written, packages).module("user.entities")
        yield Generated(written.out, agent, entities)
    finally:
        forget(packages)


@pytest.fixture(scope="module")
def webapi() -> Iterator[WebApi]:
    with serving() as api:
        yield api


# --- Calling an endpoint as its page documents it ---------------------------------------------


@dataclass
class Call:
    """An endpoint's method and arguments, from its page, and what must go out."""

    name: str
    args: list[Any]
    kwargs: dict[str, Any]
    path: str
    query: list[tuple[str, str]]
    body: Any


def _sample_file(user: Generated, entity: EntityEndpoint, kind: str) -> Any:
    path = user.out / PACKAGE / "user/samples/entity" / entity.folder / f"{entity.name}.{kind}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def build_call(user: Generated, entity: EntityEndpoint) -> Call:
    endpoint = user.entities.ENDPOINTS[entity.folder, entity.name]
    operation = endpoint.operation
    url = urlsplit(entity.rest.sample_request_line.partition(" ")[2].strip() or entity.rest.path)
    # Every query value the page documents, in its sample or its list of URLs.
    urls = dict(parse_qsl(url.query, keep_blank_values=True) + sample_urls(entity.rest))
    body = documented(entity.rest.sample_request)
    if endpoint.patch or not isinstance(body, (dict, list)):
        # The PATCH samples name lorem words as paths; the sample file holds a valid patch.
        body = _sample_file(user, entity, "request")
    args: list[Any] = [path_value(part.codec) for part in endpoint.path_parts]
    path = url.path.removeprefix("/api/v1/")
    for part, value in zip(endpoint.path_parts, args, strict=True):
        path = path.replace(f"{{{part.wire_name}}}", quote(_text(part.codec.write(value)), safe=""))
    kwargs: dict[str, Any] = {}
    query: list[tuple[str, str]] = []
    for parameter in operation.parameters:
        given = urls.get(parameter.wire_name)
        if parameter.place == "body":
            args.append(parameter.codec.read(body))
        elif parameter.place == "property" and isinstance(body, dict):
            kwargs[parameter.python_name] = parameter.codec.read(body.get(parameter.wire_name))
        elif given is not None:
            kwargs[parameter.python_name] = value = parameter.codec.read(given)
            query.append((parameter.wire_name, _text(parameter.codec.write(value))))
    if endpoint.patch:
        args.append(patch_of(body, *endpoint.patch))
    if operation.select and "$select" in urls:
        kwargs["select"] = urls["$select"]
        query.append(("$select", urls["$select"]))
    return Call(operation.python_name, args, kwargs, path, query, body)


def _text(written: Any) -> str:
    """A value as the query string or the path carries it."""
    return ("true" if written else "false") if isinstance(written, bool) else str(written)


def documented_answer(user: Generated, entity: EntityEndpoint) -> tuple[int, bytes, Any]:
    """The page's answer (or the generated sample where the page documents none)."""
    if entity.rest.returns is None:
        return 204, b"", None
    sample = documented(entity.rest.sample_response)
    if not isinstance(sample, (dict, list, str, int, float)):
        sample = _sample_file(user, entity, "response")
    return 200, json.dumps(sample).encode(), sample


def check(user: Generated, entity: EntityEndpoint, call: Call, seen: Seen, result: Any) -> None:
    assert (seen.method, seen.raw_path) == (
        entity.rest.method.upper(),
        f"/Cust12345/api/v1/{call.path}",
    )
    assert sorted(seen.query) == sorted(call.query)
    if call.body is None or user.entities.ENDPOINTS[entity.folder, entity.name].binary:
        return
    sent = seen.json()
    misses = list(lost(call.body, sent, "", user.entities._json))
    assert misses == [], f"{entity.folder}.{entity.name} request: {misses}"


def read_back(user: Generated, entity: EntityEndpoint, sample: Any, result: Any) -> list[str]:
    """Where the value read lost or changed a leaf of the documented answer."""
    if sample is None:
        assert result is None
        return []
    entities = user.entities
    written = (
        entities._entity.PAGE.write(result)
        if isinstance(result, entities._entity.Page)
        else entities._MODELS.to_json(result)
    )
    return list(lost(sample, written, "", entities._json))


def _clients(user: Generated, entity: EntityEndpoint) -> tuple[type, type]:
    clients: tuple[type, type] = user.entities.CLIENTS[entity.folder]
    return clients


# --- Tests ------------------------------------------------------------------------------------


def test_the_user_agent_has_its_three_entity_folders(user: Generated) -> None:
    folders = {e.folder for e in user.agent.entities}
    assert folders == {"User", "Role", "List_UserGroup"}
    assert len(user.entities.ENDPOINTS) == len(user.agent.entities) == 44
    assert set(user.entities.CLIENTS) == folders


def test_every_user_entity_endpoint_over_http_as_documented(
    user: Generated, webapi: WebApi
) -> None:
    """Each endpoint of the three folders, blocking, with its page's samples; an answer
    whose page documents ``_Links`` gives them as ``links``."""
    misses: list[str] = []
    linked: list[str] = []
    with httpx.Client(verify=TLS, base_url=webapi.base_url) as client:
        for entity in user.agent.entities:
            call = build_call(user, entity)
            status, body, sample = documented_answer(user, entity)
            webapi.answer(status, body)
            sync, _ = _clients(user, entity)
            result = getattr(sync(client), call.name)(*call.args, **call.kwargs)
            check(user, entity, call, webapi.last(), result)
            misses += [f"{entity.name}: {m}" for m in read_back(user, entity, sample, result)]
            if isinstance(sample, dict) and "_Links" in sample:
                assert result.links == sample["_Links"], entity.name
                linked.append(entity.name)
    assert misses == []
    assert {"GetUser", "PutUser", "PostUser", "PatchUser", "GetRoleEntity"} <= set(linked)


def test_the_async_clients_send_and_read_the_same(user: Generated, webapi: WebApi) -> None:
    async def run() -> list[str]:
        misses: list[str] = []
        async with httpx.AsyncClient(verify=TLS, base_url=webapi.base_url) as client:
            for entity in user.agent.entities:
                call = build_call(user, entity)
                status, body, sample = documented_answer(user, entity)
                webapi.answer(status, body)
                _, asynchronous = _clients(user, entity)
                method = getattr(asynchronous(client), call.name)
                result = await method(*call.args, **call.kwargs)
                check(user, entity, call, webapi.last(), result)
                misses += read_back(user, entity, sample, result)
        return misses

    assert asyncio.run(run()) == []


def _rows(total: int) -> Any:
    asked: list[tuple[int, int]] = []

    def respond(seen: Seen) -> Answer:
        query = dict(seen.query)
        top, skip = int(query["$top"]), int(query["$skip"])
        asked.append((top, skip))
        rows = [{"name": f"S{n}", "associateId": n} for n in range(skip, min(skip + top, total))]
        return Answer(200, json.dumps({"odata.metadata": "m", "value": rows}).encode())

    return respond, asked


def test_paging_walks_a_multi_page_user_list_in_both_clients(
    user: Generated, webapi: WebApi
) -> None:
    respond, asked = _rows(23)
    webapi.respond(respond)
    with httpx.Client(verify=TLS, base_url=webapi.base_url) as client:
        users = user.entities.UserEntities(client)
        names = [row["name"] for row in users.iter_all(filter_="name begins 'S'", page_size=10)]
    assert names == [f"S{n}" for n in range(23)]
    assert asked == [(10, 0), (10, 10), (10, 20)]
    assert ("$filter", "name begins 'S'") in webapi.last().query

    async def walk() -> list[Any]:
        async with httpx.AsyncClient(verify=TLS, base_url=webapi.base_url) as client:
            users = user.entities.AsyncUserEntities(client)
            return [row async for row in users.iter_all(page_size=7, limit=15)]

    asked.clear()
    assert len(asyncio.run(walk())) == 15
    assert asked == [(7, 0), (7, 7), (1, 14)]


# --- The README's examples ------------------------------------------------------------------

_FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)
_PROMISE = re.compile(r"^\s*(\w+) = .*# -> (.+)$", re.MULTILINE)
_HOST = "https://host/Cust12345/api/v1/"


def _readme_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## WebAPI entity endpoints\n", 1)[1].split("\n## ", 1)[0]
    return _FENCE.findall(section)


def _answers(user: Generated) -> Any:
    """The host of the examples: each endpoint's sample answer, 404 for the id 404, and a
    list of 130 rows."""
    respond_rows, _ = _rows(130)
    folder = user.out / PACKAGE / "user/samples/entity/User"

    def respond(seen: Seen) -> Answer:
        path = seen.path.removeprefix("/Cust12345/api/v1/")
        if path == "User":
            return respond_rows(seen)
        if path == "User/404":
            return Answer(404, b'{"Message": "No user 404"}')
        name = {"GET": "GetUser", "PUT": "PutUser", "PATCH": "PatchUser"}[seen.method]
        return Answer(200, (folder / f"{name}.response.json").read_bytes())

    return respond


def test_the_readme_entity_examples_run_against_the_services87_user_package(
    user: Generated, webapi: WebApi, tmp_path: Path
) -> None:
    examples = _readme_examples()
    assert len(examples) == 3
    webapi.respond(_answers(user))
    webapi.server.seen.clear()
    for example in examples:
        promises = [
            f"assert isinstance({name}, {kind}), {name}" for name, kind in _PROMISE.findall(example)
        ]
        example = example.replace(_HOST, webapi.base_url)
        program = "\n".join([example, f"import {PACKAGE}.user.models", *promises])
        script = tmp_path / "example.py"
        script.write_text(program, encoding="utf-8")
        ran = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env={"PYTHONPATH": str(user.out)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert ran.returncode == 0, ran.stderr
    seen = [(s.method, s.path.removeprefix("/Cust12345/api/v1/")) for s in webapi.server.seen]
    assert ("PATCH", "User/5") in seen and ("DELETE", "User/404") in seen
    patch = next(s for s in webapi.server.seen if s.method == "PATCH")
    assert patch.headers["content-type"] == "application/json-patch+json"
    assert patch.json()[0] == {"op": "test", "path": "/Name", "value": "JDOE"}


def test_the_package_and_the_readme_examples_pass_mypy_strict(
    user: Generated, warm_mypy: Path, tmp_path: Path
) -> None:
    """mypy over the User package with the README's examples, each a module of its own;
    and a field ``User`` does not have, in a JSON Patch and in a Merge Patch, is refused."""
    for number, example in enumerate(_readme_examples()):
        (user.out / f"entity_example{number}.py").write_text(example, encoding="utf-8")
    wrong = _readme_examples()[1].replace('remove("nick_name")', 'remove("nick_nmae")')
    wrong = wrong.replace('"is_on_travel": True', '"is_on_travel": "yes"')
    (user.out / "entity_wrong.py").write_text(wrong, encoding="utf-8")
    checked = mypy_strict(PACKAGE, user.out, warm_mypy)
    assert checked.returncode == 0, checked.stdout[-4000:]
    examples = [f"entity_example{n}.py" for n in range(len(_readme_examples()))]
    for script in examples:
        ran = mypy_strict(script, user.out, warm_mypy)
        assert ran.returncode == 0, ran.stdout[-4000:]
    failed = mypy_strict("entity_wrong.py", user.out, warm_mypy)
    assert failed.returncode == 1
    assert '"remove" of "JsonPatch" has incompatible type "Literal[\'nick_nmae\']"' in failed.stdout
    assert '"is_on_travel"' in failed.stdout and "2 errors" in failed.stdout, failed.stdout


def test_every_services86_agent_s_entity_module_imports_with_every_endpoint(
    corpus: Path, services86: Services86
) -> None:
    """``generate --agent all`` (shared): every entity page of the corpus generates, in
    the entity module of the agent it joins, which imports (mypy, ruff and black check
    the same package in ``test_rest_all_agents`` and ``test_black_stable``)."""
    agents = [a for a in services86.result.agents if a.entities]
    generated = 0
    modules = module_names(a.name for a in services86.result.agents)
    sys.path.insert(0, str(services86.out))
    try:
        for agent in agents:
            name = f"{services86.package}.{modules[agent.name]}.entities"
            entities = importlib.import_module(name)
            assert set(entities.ENDPOINTS) == {(e.folder, e.name) for e in agent.entities}
            generated += len(entities.ENDPOINTS)
            for folder, (sync, asynchronous) in entities.CLIENTS.items():
                methods = {
                    e.operation.python_name
                    for (f, _), e in entities.ENDPOINTS.items()
                    if f == folder
                }
                assert all(callable(getattr(sync, m)) for m in methods), folder
                assert all(asyncio.iscoroutinefunction(getattr(asynchronous, m)) for m in methods)
    finally:
        sys.path.remove(str(services86.out))
        for module in [m for m in sys.modules if m.split(".")[0] == services86.package]:
            del sys.modules[module]
    pages = list((corpus / "restful" / "rest").glob("*/v1*.md"))
    assert generated == len(pages) > 1200
