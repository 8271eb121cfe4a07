"""The WebAPI side of the generated package, against the real corpus, over real HTTP.

One package is generated from the Services86 User agent (SOAP and REST pages) once for
the module. Every one of its REST methods is called over loopback HTTP with arguments
read from its page's documented request sample; the request the server sees is checked
against the page (method, path, query parameter names, JSON body properties), and the
server answers with the page's documented response sample, which must come back as a
value of the method's annotated type with every property of the sample kept.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import json
import shutil
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from build_support import Services86, mypy_strict, read_agents
from conftest import API_REFERENCE
from emit_support import format_python
from http_support import TLS
from rest_support import (
    Kept,
    Seen,
    WebApi,
    assert_ruff_and_mypy_strict_pass,
    conforms,
    json_kept,
    sample_urls,
    serving,
)

from codegen.emit import render_sources, write_output
from codegen.emit.rest.samples import documented
from codegen.emit.rest.view import build_rest_view
from codegen.emit.soap.build import build_view
from codegen.emit.soap.view import AgentView
from codegen.ir import Agent, BodyKind, RestEndpoint
from codegen.passes.names import assign_names

PACKAGE = "so86rest"
USER_PAGES = sorted(
    p.stem.removeprefix("v1UserAgent_")
    for p in (API_REFERENCE / "restful/agent/User_Agent").glob("v1UserAgent_*.md")
)


# --- The generated package ----------------------------------------------------------------


@dataclass
class Generated:
    out: Path
    agent: Agent
    view: AgentView
    rest: ModuleType
    models: ModuleType


@pytest.fixture(scope="module")
def user(
    corpus: Path, services86: Services86, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Generated]:
    """Services86 User with its REST pages, generated, written and imported once."""
    (agent,) = read_agents(corpus, services86.out, 86, ("User",))
    out = tmp_path_factory.mktemp("rest")
    write_output(render_sources([agent], PACKAGE), out)
    sys.path.insert(0, str(out))
    try:
        rest = importlib.import_module(f"{PACKAGE}.user.rest")
        models = importlib.import_module(f"{PACKAGE}.user.models")
        yield Generated(out, agent, build_view(agent, assign_names(agent), "user"), rest, models)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def webapi() -> Iterator[WebApi]:
    with serving() as api:
        yield api


@pytest.fixture(scope="module")
def client(webapi: WebApi) -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, base_url=webapi.base_url) as client:
        yield client


# --- Calling a method as its page documents it ---------------------------------------------


@dataclass
class Call:
    """A method's arguments, built from its page, and what the page says goes out."""

    kwargs: dict[str, Any]
    query: dict[str, str]
    body: Any
    """The JSON body documented (or, with none documented, the generated sample)."""
    warned: list[str]


def build_call(user: Generated, name: str) -> Call:
    endpoint = user.agent.operation(name).rest
    assert endpoint is not None
    operation = user.rest.OPERATIONS[name]
    urls = dict(sample_urls(endpoint))
    body = documented(endpoint.sample_request)
    if endpoint.body_kind is not BodyKind.NONE and not isinstance(body, (dict, list)):
        body = json.loads(
            (user.out / PACKAGE / "user/samples/rest" / f"{name}.request.json").read_text()
        )
    kwargs: dict[str, Any] = {}
    query: dict[str, str] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for parameter in operation.parameters:
            if parameter.place == "query":
                query[parameter.wire_name] = urls[parameter.wire_name]
                value: Any = urls[parameter.wire_name]
            elif parameter.place == "body":
                value = body
            elif parameter.wire_name in body:
                value = body[parameter.wire_name]
            else:
                continue
            kwargs[parameter.python_name] = parameter.codec.read(value)
    if operation.select:
        kwargs["select"] = urls["$select"]
        query["$select"] = urls["$select"]
    return Call(kwargs, query, body, [str(w.message) for w in caught])


def documented_answer(user: Generated, name: str) -> tuple[int, bytes, Any]:
    """The page's response sample (or the generated one where the page has none)."""
    endpoint = user.agent.operation(name).rest
    assert endpoint is not None
    if endpoint.response_kind == "none":
        return 204, b"", None
    sample = endpoint.sample_response
    if sample is None:
        path = user.out / PACKAGE / "user/samples/rest" / f"{name}.response.json"
        sample = path.read_text()
    return 200, sample.encode(), json.loads(sample)


def check_request(endpoint: RestEndpoint, seen: Seen, call: Call) -> None:
    assert seen.method == endpoint.method.upper()
    assert seen.path == "/Cust12345" + endpoint.path
    documented_query = {q.name for q in endpoint.query} | (
        {"$select"} if endpoint.select else set()
    )
    assert {k for k, _ in seen.query} <= documented_query
    assert dict(seen.query) == call.query
    if endpoint.body_kind is BodyKind.NONE:
        assert seen.body == b""
        return
    assert seen.headers["content-type"].startswith("application/json")
    sent = seen.json()
    rows = {row.name for row in endpoint.body}
    if endpoint.body_kind is BodyKind.ARRAY:
        assert sent == call.body
        return
    assert set(call.body) <= rows, "the documented sample has properties the table lacks"
    assert set(sent) <= rows
    json_kept(call.body, sent, "body", call.warned)


# --- Tests ------------------------------------------------------------------------------------


def test_every_user_rest_page_becomes_a_method(user: Generated) -> None:
    operations = user.rest.OPERATIONS
    assert len(USER_PAGES) == 91
    assert sorted(operations) == USER_PAGES
    rest_only = [op.name for op in user.agent.operations if op.rest and not op.soap]
    assert len(rest_only) == 12
    assert {"GetAccessToken", "ValidateUser"} <= set(rest_only)
    for name in USER_PAGES:
        assert callable(getattr(user.rest.UserAgent, operations[name].python_name))
        assert asyncio.iscoroutinefunction(
            getattr(user.rest.AsyncUserAgent, operations[name].python_name)
        )


@pytest.mark.parametrize("name", USER_PAGES)
def test_method_over_http_as_documented(
    user: Generated, webapi: WebApi, client: httpx.Client, name: str
) -> None:
    endpoint = user.agent.operation(name).rest
    assert endpoint is not None
    call = build_call(user, name)
    status, body, sample = documented_answer(user, name)
    webapi.answer(status, body)
    agent = user.rest.UserAgent(client)
    method = getattr(agent, user.rest.OPERATIONS[name].python_name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = method(**call.kwargs)
    check_request(endpoint, webapi.last(), call)
    hint = eval(method.__annotations__["return"], vars(user.rest))
    assert conforms(result, hint), f"{result!r} is no {hint}"
    if sample is None:
        assert result is None
    else:
        Kept(user.view, [str(w.message) for w in caught]).check(sample, result, name)


def test_async_client_sends_and_reads_the_same(user: Generated, webapi: WebApi) -> None:
    async def run() -> list[tuple[Seen, Any]]:
        outcomes = []
        async with httpx.AsyncClient(verify=TLS, base_url=webapi.base_url) as client:
            agent = user.rest.AsyncUserAgent(client)
            for name in ("GetUser", "SaveUser", "GetUserInfoList", "DeleteUser", "GetAccessToken"):
                call = build_call(user, name)
                status, body, _ = documented_answer(user, name)
                webapi.answer(status, body)
                method = getattr(agent, user.rest.OPERATIONS[name].python_name)
                result = await method(**call.kwargs)
                outcomes.append((webapi.last(), result))
        return outcomes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outcomes = asyncio.run(run())
        with httpx.Client(verify=TLS, base_url=webapi.base_url) as client:
            agent = user.rest.UserAgent(client)
            for (seen, result), name in zip(
                outcomes,
                ("GetUser", "SaveUser", "GetUserInfoList", "DeleteUser", "GetAccessToken"),
                strict=True,
            ):
                call = build_call(user, name)
                status, body, _ = documented_answer(user, name)
                webapi.answer(status, body)
                method = getattr(agent, user.rest.OPERATIONS[name].python_name)
                assert method(**call.kwargs) == result
                again = webapi.last()
                assert (seen.method, seen.path, seen.query, seen.body) == (
                    again.method,
                    again.path,
                    again.query,
                    again.body,
                )


AUTH_CASES = [
    ("basic", ("tje0", "Tje0"), "Basic " + base64.b64encode(b"tje0:Tje0").decode()),
    ("so_ticket", ("7T:secret-ticket",), "SoTicket 7T:secret-ticket"),
    ("bearer", ("secret.jwt.token",), "Bearer secret.jwt.token"),
]


@pytest.mark.parametrize(("scheme", "arguments", "header"), AUTH_CASES)
def test_auth_schemes_send_the_documented_header_and_stay_secret(
    user: Generated,
    webapi: WebApi,
    client: httpx.Client,
    scheme: str,
    arguments: tuple[str, ...],
    header: str,
) -> None:
    auth = getattr(user.rest._rest.Auth, scheme)(*arguments)
    agent = user.rest.UserAgent(client, auth=auth, app_token="secret-app-token")
    webapi.answer(200, b"{}")
    agent.create_default_user()
    seen = webapi.last()
    assert seen.headers["authorization"] == header
    assert seen.headers["so-apptoken"] == "secret-app-token"
    for text in (repr(auth), repr(agent), str(auth.scheme)):
        assert not any(secret in text for secret in (*arguments[-1:], "secret-app-token"))
    webapi.answer(401, b'{"Error": "Not authorised"}')
    with pytest.raises(user.rest._rest.RestError) as raised:
        agent.create_default_user()
    assert "secret" not in str(raised.value) + repr(raised.value)


def test_language_culture_and_time_zone_headers(
    user: Generated, webapi: WebApi, client: httpx.Client
) -> None:
    agent = user.rest.UserAgent(
        client, accept_language="sv", so_language="no", so_culture="nb", so_time_zone="CET"
    )
    webapi.answer(200, b"true")
    assert agent.can_change_password(associate_id=5) is True
    headers = webapi.last().headers
    assert (headers["accept-language"], headers["so-language"]) == ("sv", "no")
    assert (headers["so-culture"], headers["so-timezone"]) == ("nb", "CET")
    assert "authorization" not in headers and "so-apptoken" not in headers
    assert headers["accept"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("status", "body", "message", "kind"),
    [
        (
            400,
            b'{"Error": "UserName is required", "ErrorType": "SoException"}',
            "UserName is required",
            "RestError",
        ),
        (404, b"Not Found", "Not Found", "NotFound"),
        (409, b'{"Message": "test failed"}', "test failed", "Conflict"),
        (412, b"", "HTTP status 412", "PreconditionFailed"),
        (500, b'{"Message": "An error has occurred."}', "An error has occurred.", "RestError"),
        (503, b"", "HTTP status 503", "RestError"),
    ],
)
def test_an_error_status_raises_the_typed_error(
    user: Generated,
    webapi: WebApi,
    client: httpx.Client,
    status: int,
    body: bytes,
    message: str,
    kind: str,
) -> None:
    """Every status not 2xx is a ``RestError``; 404, 409 and 412 are the subclasses the
    entity clients raise too (``NotFound``, ``Conflict``, ``PreconditionFailed``)."""
    webapi.answer(status, body)
    agent = user.rest.UserAgent(client)
    with pytest.raises(user.rest._rest.RestError) as raised:
        agent.get_user(user_id=1)
    error = raised.value
    assert type(error) is getattr(user.rest._rest, kind)
    assert (error.status, error.message, error.body) == (status, message, body)
    assert str(error) == f"HTTP {status}: {message}"


def test_an_unreadable_answer_raises_malformed(
    user: Generated, webapi: WebApi, client: httpx.Client
) -> None:
    agent = user.rest.UserAgent(client)
    for body in (b"{not json", b'{"AssociateId": "many"}', b"[1, 2]"):
        webapi.answer(200, body)
        with pytest.raises(user.rest._rest.MalformedRestResponse) as raised:
            agent.get_user(user_id=1)
        assert raised.value.status == 200 and raised.value.body == body
    webapi.answer(200, b"")
    assert agent.get_user(user_id=1) is None


def test_models_and_codecs_agree_on_every_annotation(user: Generated) -> None:
    """The REST view types each field as the SOAP view does: the same annotation everywhere."""
    rest = build_rest_view(user.agent, assign_names(user.agent))
    classes = {c.class_name: c for c in user.view.classes}
    for model in rest.models:
        slots = {s.wire_name: s for s in classes[model.class_name].own}
        for prop in model.properties:
            assert prop.type.annotation == slots[prop.wire_name].annotation, prop


def test_rest_modules_pass_mypy_strict_ruff_and_black(user: Generated, warm_mypy: Path) -> None:
    package = user.out / PACKAGE
    for path in (package / "user/rest.py", package / "_rest.py", package / "user/__init__.py"):
        source = path.read_text(encoding="utf-8")
        assert format_python(source) == source, f"{path} is not black-stable"
    assert_ruff_and_mypy_strict_pass(user.out, PACKAGE, warm_mypy)


_USER_SCRIPT = """\
import httpx

from {package}.user import Auth, rest, soap
from {package}.user.models import User


def names(http: httpx.Client, api: httpx.Client) -> list[str]:
    users = soap.UserAgent(http, ticket="7T:abc")
    found: list[str] = []
    user: User | None = users.get_user(user_id=5)
    if user is not None and user.name is not None:
        found.append(user.name)
    web = rest.UserAgent(api, auth=Auth.so_ticket("7T:abc"))
    same = web.get_user(user_id=5)
    if same is not None and same.name is not None:
        found.append(same.name)
    envelope: bytes = users.requests.get_user(user_id=5)
    again: User | None = users.responses.get_user(envelope, status=200)
    return found if again is None else found + [str(again.associate_id)]
"""
_BROKEN_CALLS = {
    "users.requests.get_usr(user_id=5)": '"UserAgentRequests" has no attribute "get_usr"',
    "users.get_user(user_id='5')": 'Argument "user_id" to "get_user" of "UserAgent"',
    "users.requests.get_user(userid=5)": 'Unexpected keyword argument "userid"',
    "users.responses.get_user()": 'Missing positional argument "content"',
    "web.get_user(user_id=[5])": 'Argument "user_id" to "get_user" of "UserAgent"',
    "users.get_user()": 'Missing named argument "user_id" for "get_user" of "UserAgent"',
    "web.get_user()": 'Missing named argument "user_id" for "get_user" of "UserAgent"',
}
"""Calls that break the contract, each appended to the script, and what mypy says of it."""


def test_user_code_that_keeps_the_contract_type_checks_and_code_that_breaks_it_fails(
    user: Generated, warm_mypy: Path, tmp_path: Path
) -> None:
    """Issue 16: both clients, and the offline helpers, typed per operation under
    ``mypy --strict``: a wrong operation name, argument type or keyword, or a missing
    argument is an error on its own line; one mypy run checks them all."""
    shutil.copytree(user.out / PACKAGE, tmp_path / PACKAGE)
    script = tmp_path / "checks"
    script.mkdir()
    (script / "__init__.py").write_text("")
    good = _USER_SCRIPT.format(package=PACKAGE)
    (script / "good.py").write_text(good)
    broken = good.replace(
        "    return found", "".join(f"    {c}\n" for c in _BROKEN_CALLS) + "    return found"
    )
    (script / "broken.py").write_text(broken)
    result = mypy_strict("checks", tmp_path, warm_mypy)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not [line for line in errors if "good.py" in line], result.stdout
    lines = broken.splitlines()
    for call, message in _BROKEN_CALLS.items():
        number = lines.index(f"    {call}") + 1
        assert any(f"broken.py:{number}: error: {message}" in e for e in errors), (call, errors)
    assert len(errors) == len(_BROKEN_CALLS), result.stdout
