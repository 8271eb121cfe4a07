"""The seed package's generated clients, SOAP and WebAPI, blocking and asyncio, signing in
as an Online app's system user and with a bearer token source, against a loopback
NetServer that takes only the credentials the loopback login service knows
(``online_support``): each call carries the ticket or token, and a refused one is renewed
and the call sent once more."""

from __future__ import annotations

import asyncio
import importlib
import shutil
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import ROOT
from http_support import TLS
from online_support import (
    Online,
    answer_from_samples,
    credentials_of,
    netserver,
    online,
    system_user_options,
)

GENERATED = ROOT / "generated"
FLAVOURS_AND_MODES = [(f, m) for f in ("soap", "rest") for m in ("sync", "async")]


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The seed package's User agent (``generated/``, what ``specs/`` generates), imported
    from a copy: an import writes ``__pycache__``, which the checkout must not gain."""
    copy = tmp_path_factory.mktemp("online") / "generated"
    shutil.copytree(GENERATED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(copy))
    try:
        for module in ("soap", "rest"):
            importlib.import_module(f"superoffice.user.{module}")
        yield importlib.import_module("superoffice.user")
    finally:
        sys.path.remove(str(copy))
        for name in [m for m in sys.modules if m.split(".")[0] == "superoffice"]:
            del sys.modules[name]


@pytest.fixture
def served() -> Iterator[Online]:
    samples = GENERATED / "superoffice" / "user" / "samples"
    with online(netserver(answer_from_samples(samples))) as server:
        yield server


def _calls(
    user: ModuleType,
    flavour: str,
    mode: str,
    auth: Any,
    base_url: str,
    before: list[Callable[[], object]],
) -> None:
    """A call of the agent of ``flavour`` in ``mode`` with ``auth`` after each of
    ``before``, in one client (and one event loop)."""
    root = base_url if flavour == "soap" else base_url + "api/v1/"
    module = getattr(user, flavour)

    def call(agent: Any) -> Any:
        if flavour == "soap":
            return agent.create_user_group()
        return agent.create_external_user(person_id=5, user_name="jdoe")

    if mode == "sync":
        with httpx.Client(verify=TLS, base_url=root, timeout=10) as http:
            agent = module.UserAgent(http, auth=auth)
            for step in before:
                step()
                call(agent)
        return

    async def main() -> None:
        async with httpx.AsyncClient(verify=TLS, base_url=root, timeout=10) as http:
            agent = module.AsyncUserAgent(http, auth=auth)
            for step in before:
                step()
                await call(agent)

    asyncio.run(main())


def _nothing() -> None:
    """No step before a call."""


def _system_user(user: ModuleType, served: Online, mode: str) -> Any:
    options = system_user_options(served.service)
    if mode == "sync":
        return user.SystemUser(httpx.Client(verify=TLS, timeout=10), **options)
    return user.AsyncSystemUser(httpx.AsyncClient(verify=TLS, timeout=10), **options)


@pytest.mark.parametrize(("flavour", "mode"), FLAVOURS_AND_MODES)
def test_a_system_users_ticket_is_reused_and_renewed_when_netserver_refuses_it(
    user: ModuleType, served: Online, flavour: str, mode: str
) -> None:
    system_user = _system_user(user, served, mode)
    steps = [_nothing, _nothing, served.service.revoke]
    _calls(user, flavour, mode, system_user, served.server.base_url, steps)
    sent = [credentials_of(request) for request in served.api_requests]
    assert sent == ["7T:ticket-1", "7T:ticket-1", "7T:ticket-1", "7T:ticket-2"]
    assert len(served.service.bodies) == 2
    for request in served.api_requests:
        headers = {name.lower(): value for name, value in request.headers.items()}
        if flavour == "soap":
            assert "authorization" not in headers
            assert b"<tns:Credentials><tns:Ticket>7T:ticket-" in request.body
        else:
            assert headers["authorization"].startswith("SoTicket 7T:ticket-")


@pytest.mark.parametrize(("flavour", "mode"), FLAVOURS_AND_MODES)
def test_a_bearer_source_is_asked_again_when_a_call_is_refused(
    user: ModuleType, served: Online, flavour: str, mode: str
) -> None:
    served.service.valid.add("token-2")
    fetched: list[str] = []

    def fetch() -> str:
        fetched.append(f"token-{len(fetched) + 1}")
        return fetched[-1]

    async def fetch_async() -> str:
        return fetch()

    source = user.BearerSource(fetch) if mode == "sync" else user.AsyncBearerSource(fetch_async)
    _calls(user, flavour, mode, source, served.server.base_url, [_nothing, _nothing])
    assert fetched == ["token-1", "token-2"]
    sent = [request.headers.get("Authorization") for request in served.api_requests]
    assert sent == ["Bearer token-1", "Bearer token-2", "Bearer token-2"]
    assert not [r for r in served.api_requests if b"Credentials" in r.body]
    assert served.service.bodies == []


@pytest.mark.parametrize("flavour", ["soap", "rest"])
def test_a_failed_sign_in_raises_the_packages_login_error(
    user: ModuleType, served: Online, flavour: str
) -> None:
    served.service.signer = "impostor"
    with pytest.raises(user.LoginError, match="Signature verification failed") as raised:
        system_user = _system_user(user, served, "sync")
        _calls(user, flavour, "sync", system_user, served.server.base_url, [_nothing])
    assert isinstance(raised.value, user.SuperOfficeError)
    assert served.api_requests == []
