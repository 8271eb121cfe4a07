"""The credentials runtimes (``_auth``, ``_online``) and the WebAPI's request path that
renews them, from the source tree, against a loopback login service issuing real RS256
JWTs with keys made in the run (``online_support``)."""

from __future__ import annotations

import asyncio
import base64
import re
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from http_support import TLS
from online_support import (
    APP,
    AUDIENCE,
    CLIENT_SECRET,
    CONTEXT,
    IMPOSTOR,
    ISSUER,
    SECRETS,
    SUPEROFFICE,
    SYSTEM_USER_TOKEN,
    LoginService,
    Online,
    certificate,
    json_reply,
    online,
    private_key,
    private_pem,
    system_user_options,
)
from soap_support import Recorded, Reply

from codegen.emit.rest import _json, _rest
from codegen.emit.soap import _auth, _online, _soap_errors

NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


class Clock:
    """The time a ``SystemUser`` reads, moved by the test."""

    def __init__(self, now: datetime = NOON) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def login() -> Iterator[Online]:
    with online() as served:
        yield served


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(verify=TLS, timeout=10) as client:
        yield client


def _system_user(
    http: httpx.Client, service: LoginService, **options: object
) -> _online.SystemUser:
    return _online.SystemUser(http, **system_user_options(service, **options))


# --- Signing in ---------------------------------------------------------------------------


def test_the_token_and_the_utc_minute_are_signed_with_the_apps_key(
    login: Online, http: httpx.Client
) -> None:
    """``<token>.<yyyyMMddHHmm>`` in UTC, signed SHA-256 PKCS#1 v1.5, posted as JSON with
    the client secret and the tenant; the ticket is the JWT's claim."""
    two_hours_east = datetime(2026, 12, 6, 15, 30, 59, tzinfo=timezone(timedelta(hours=2)))
    user = _system_user(http, login.service, clock=Clock(two_hours_east))
    assert user.authorization().header == "SoTicket 7T:ticket-1"
    (body,) = login.service.bodies
    text, _, signature = body["SignedSystemToken"].rpartition(".")
    assert text == f"{SYSTEM_USER_TOKEN}.202612061330"
    public = private_key(APP).public_key()
    public.verify(base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA256())
    assert body == {
        "SignedSystemToken": body["SignedSystemToken"],
        "ApplicationToken": CLIENT_SECRET,
        "ContextIdentifier": CONTEXT,
        "ReturnTokenType": "JWT",
    }
    (request,) = login.server.requests
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"


def _rsa_key_value() -> bytes:
    """The app's key as .NET's ``<RSAKeyValue>``, as SuperOffice hands it out."""
    numbers = private_key(APP).private_numbers()

    def b64(value: int) -> str:
        return base64.b64encode(value.to_bytes((value.bit_length() + 7) // 8, "big")).decode()

    parts = {
        "Modulus": numbers.public_numbers.n,
        "Exponent": numbers.public_numbers.e,
        "P": numbers.p,
        "Q": numbers.q,
        "DP": numbers.dmp1,
        "DQ": numbers.dmq1,
        "InverseQ": numbers.iqmp,
        "D": numbers.d,
    }
    inner = "".join(f"<{name}>{b64(value)}</{name}>" for name, value in parts.items())
    return f"<RSAKeyValue>{inner}</RSAKeyValue>".encode()


@pytest.mark.parametrize("form", ["xml", "der", "encrypted pem"])
def test_the_key_and_certificate_are_read_in_each_form_they_come_in(
    login: Online, http: httpx.Client, form: str
) -> None:
    key = private_key(APP)
    keys = {
        "xml": (_rsa_key_value(), None),
        "der": (
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            None,
        ),
        "encrypted pem": (
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"pw"),
            ),
            b"pw",
        ),
    }
    data, password = keys[form]
    der = certificate(SUPEROFFICE).public_bytes(serialization.Encoding.DER)
    user = _system_user(
        http, login.service, private_key=data, private_key_password=password, certificate=der
    )
    assert user.authorization().ticket == "7T:ticket-1"


def test_a_der_certificate_ending_in_a_whitespace_byte_is_read_whole(
    login: Online, http: httpx.Client
) -> None:
    """DER is binary: its last byte (of the signature, random) is a space or a line break
    now and then, and must not be stripped as the whitespace around PEM is."""
    ders = (
        certificate(SUPEROFFICE, serial).public_bytes(serialization.Encoding.DER)
        for serial in range(1, 10_000)
    )
    der = next(der for der in ders if der[-1:].isspace())
    user = _system_user(http, login.service, certificate=der)
    assert user.authorization().ticket == "7T:ticket-1"


def _expired(service: LoginService) -> None:
    service.lifetime = -120


FAILURES: dict[str, tuple[Callable[[LoginService], None], str]] = {
    "refused": (
        lambda s: setattr(s, "answer", json_reply({"IsSuccessful": False, "ErrorMessage": "no"})),
        "refused the sign-in: no",
    ),
    "not signed by the certificate's key": (
        lambda s: setattr(s, "signer", IMPOSTOR),
        "not to be trusted: Signature verification failed",
    ),
    "expired": (_expired, "not to be trusted: Signature has expired"),
    "no ticket claim": (
        lambda s: setattr(s, "claim", "ticket"),
        "holds no ticket in its http://schemes.superoffice.net/identity/ticket claim",
    ),
    "a status not 2xx, echoing the request": (
        lambda s: setattr(
            s, "answer", Reply(f"bad token {SYSTEM_USER_TOKEN} for {CLIENT_SECRET}".encode(), 500)
        ),
        "answered HTTP 500: bad token [secret] for [secret]",
    ),
    "no JSON": (lambda s: setattr(s, "answer", Reply(b"<html/>")), "answered no JSON"),
    "no JSON object": (lambda s: setattr(s, "answer", json_reply([1])), "no JSON object"),
    "no token": (lambda s: setattr(s, "answer", json_reply({"IsSuccessful": True})), "no Token"),
    "over 1 MB": (
        lambda s: setattr(s, "answer", Reply(b" " * (1 << 20) + b"{}")),
        "is over the 1048576 bytes read",
    ),
}


@pytest.mark.parametrize("case", FAILURES)
def test_a_failed_sign_in_is_a_login_error_without_secrets(
    login: Online, http: httpx.Client, case: str
) -> None:
    spoil, said = FAILURES[case]
    spoil(login.service)
    user = _system_user(http, login.service)
    with pytest.raises(_online.LoginError) as raised:
        user.authorization()
    assert said in str(raised.value)
    assert isinstance(raised.value, _online.SuperOfficeError)
    assert raised.value.__cause__ is None
    _assert_no_secret(str(raised.value), repr(raised.value), repr(user))


@pytest.mark.parametrize("ticket", ["7T:a\r\nX-Injected: 1", "7T:a b", "7T:é", ""])
def test_a_ticket_that_could_break_a_header_is_refused(
    login: Online, http: httpx.Client, ticket: str
) -> None:
    login.service.ticket = ticket
    with pytest.raises(_online.LoginError, match="holds no ticket"):
        _system_user(http, login.service).authorization()


def test_issuer_and_audience_are_checked_when_given(login: Online, http: httpx.Client) -> None:
    good = _system_user(http, login.service, issuer=ISSUER, audience=AUDIENCE)
    assert good.authorization().ticket == "7T:ticket-1"
    for option in ({"issuer": "https://online.superoffice.com"}, {"audience": "spn:other"}):
        with pytest.raises(_online.LoginError, match="not to be trusted: (Invalid|Audience)"):
            _system_user(http, login.service, **option).authorization()


# --- Keeping and renewing the ticket --------------------------------------------------------


def test_the_ticket_is_kept_for_its_lifetime_then_renewed(
    login: Online, http: httpx.Client
) -> None:
    clock = Clock()
    user = _system_user(http, login.service, clock=clock, ticket_lifetime=timedelta(hours=5))
    first = user.authorization()
    clock.now += timedelta(hours=4, minutes=59)
    assert user.authorization() is first
    clock.now += timedelta(minutes=1)
    assert user.authorization().ticket == "7T:ticket-2"
    assert len(login.service.bodies) == 2
    assert _online.TICKET_LIFETIME < timedelta(hours=6)


def test_renewing_signs_in_again_only_for_the_ticket_held(
    login: Online, http: httpx.Client
) -> None:
    user = _system_user(http, login.service)
    first = user.authorization()
    assert user.renew(first) is True
    second = user.authorization()
    assert second.ticket == "7T:ticket-2"
    assert user.renew(first) is True  # another thread renewed it already
    assert user.authorization() is second
    assert len(login.service.bodies) == 2


def test_twenty_threads_asking_at_once_cause_one_sign_in(login: Online, http: httpx.Client) -> None:
    login.service.delay = 0.2
    user = _system_user(http, login.service)
    start = threading.Barrier(20)
    got: list[_auth.Auth] = []

    def ask() -> None:
        start.wait()
        got.append(user.authorization())

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 20
    assert {auth.ticket for auth in got} == {"7T:ticket-1"}
    assert len(login.service.bodies) == 1


def test_twenty_tasks_asking_at_once_cause_one_sign_in(login: Online) -> None:
    login.service.delay = 0.2

    async def main() -> list[_auth.Auth]:
        async with httpx.AsyncClient(verify=TLS, timeout=10) as client:
            options = system_user_options(login.service)
            user = _online.AsyncSystemUser(client, **options)
            return await asyncio.gather(*(user.authorization_async() for _ in range(20)))

    got = asyncio.run(main())
    assert {auth.ticket for auth in got} == {"7T:ticket-1"}
    assert len(login.service.bodies) == 1


def test_async_credentials_serve_one_event_loop_after_another() -> None:
    """Credentials kept from one ``asyncio.run`` to the next (a script, a test, a loop per
    request) take a lock of the loop they are used in: an ``asyncio.Lock`` waited on in
    one loop raises ``RuntimeError`` in another."""
    tokens = Tokens()

    async def slow_fetch() -> str:
        await asyncio.sleep(0.01)  # the other tasks wait on the lock meanwhile
        return tokens()

    source = _auth.AsyncBearerSource(slow_fetch)

    async def crowd() -> set[str]:
        async def ask() -> str:
            return (await source.authorization_async()).header

        got = await asyncio.gather(*(ask() for _ in range(3)))
        refused = await source.authorization_async()
        await asyncio.gather(*(source.renew_async(refused) for _ in range(3)))
        return set(got)

    assert asyncio.run(crowd()) == {"Bearer t1"}
    assert asyncio.run(crowd()) == {"Bearer t2"}
    assert tokens.fetched == 3


# --- Renewal on the WebAPI's request path ----------------------------------------------------


def _who() -> _rest.Operation[str]:
    return _rest.Operation("Who", "who", "Agents/User/Who", (), _rest.json_response(_json.STR))


def _refusing(refusals: int) -> Callable[[Recorded, LoginService], Reply]:
    """A WebAPI answering 401 to the first ``refusals`` requests, then the credentials."""
    seen: list[str] = []

    def api(request: Recorded, service: LoginService) -> Reply:
        seen.append(request.headers["Authorization"])
        if len(seen) <= refusals:
            return json_reply({"Message": "Authorization has been denied"}, 401)
        return json_reply(request.headers["Authorization"])

    return api


class Tokens:
    """A token source counting its fetches: ``t1``, ``t2``..."""

    def __init__(self) -> None:
        self.fetched = 0

    def __call__(self) -> str:
        self.fetched += 1
        return f"t{self.fetched}"

    async def fetch_async(self) -> str:
        return self()


@pytest.mark.parametrize(("refusals", "fetched"), [(0, 1), (1, 2), (2, 2)])
def test_a_bearer_source_is_asked_again_once_on_401_and_the_call_sent_once_more(
    refusals: int, fetched: int
) -> None:
    tokens = Tokens()
    with (
        online(_refusing(refusals)) as served,
        httpx.Client(verify=TLS, base_url=served.server.base_url) as http,
    ):
        connection = _rest.Connection(http, {}, _auth.BearerSource(tokens), 1 << 20)
        if refusals < 2:
            assert connection.call(_who(), None, ()) == f"Bearer t{fetched}"
        else:
            with pytest.raises(_rest.RestError) as raised:
                connection.call(_who(), None, ())
            assert raised.value.status == 401 and raised.value.access_denied
    sent = [request.headers["Authorization"] for request in served.api_requests]
    assert sent == [f"Bearer t{n}" for n in range(1, min(refusals, 1) + 2)]
    assert tokens.fetched == fetched


@pytest.mark.parametrize("refusals", [1, 2])
def test_an_async_bearer_source_is_asked_again_once_on_401(refusals: int) -> None:
    tokens = Tokens()

    async def call(base_url: str) -> str:
        async with httpx.AsyncClient(verify=TLS, base_url=base_url) as http:
            source = _auth.AsyncBearerSource(tokens.fetch_async)
            connection = _rest.AsyncConnection(http, {}, source, 1 << 20)
            return await connection.call(_who(), None, ())

    with online(_refusing(refusals)) as served:
        if refusals == 1:
            assert asyncio.run(call(served.server.base_url)) == "Bearer t2"
        else:
            with pytest.raises(_rest.RestError, match="HTTP 401"):
                asyncio.run(call(served.server.base_url))
    assert len(served.api_requests) == 2
    assert tokens.fetched == 2


def test_static_credentials_are_not_renewed_nor_the_call_sent_again() -> None:
    with (
        online(_refusing(1)) as served,
        httpx.Client(verify=TLS, base_url=served.server.base_url) as http,
    ):
        connection = _rest.Connection(http, {}, _auth.Auth.bearer("t"), 1 << 20)
        with pytest.raises(_rest.RestError, match="HTTP 401"):
            connection.call(_who(), None, ())
    assert len(served.api_requests) == 1


def test_a_source_giving_the_refused_token_again_is_not_retried() -> None:
    source = _auth.BearerSource(lambda: "same")
    assert source.renew(source.authorization()) is False
    with pytest.raises(TypeError, match="must return a token"):
        _auth.BearerSource(lambda: "").authorization()


def test_what_counts_as_access_denied() -> None:
    denied = "SuperOffice.CRM.Security.SoAccessDeniedException"
    info = _soap_errors.ExceptionInfo
    assert _soap_errors.SoapError(info(exception_type=denied), http_status=500).access_denied
    assert _soap_errors.SoapError(info(), http_status=401).access_denied
    assert not _soap_errors.SoapError(info(exception_type="SoDataException")).access_denied
    assert _rest.RestError(401, "denied").access_denied
    assert not _rest.RestError(403, "forbidden").access_denied
    assert not _online.LoginError(401, "refused").access_denied


def test_the_options_are_checked_where_the_client_is_made() -> None:
    with pytest.raises(ValueError, match="ticket= or auth=, not both"):
        _auth.credentials(_auth.Auth.so_ticket("7T:a"), "7T:b")
    source = _auth.AsyncBearerSource(Tokens().fetch_async)
    with pytest.raises(TypeError, match="blocking client must be Credentials"):
        _auth.credentials(source)
    assert _auth.credentials(None, "7T:a").authorization().ticket == "7T:a"


# --- Secrets ------------------------------------------------------------------------------


def _assert_no_secret(*texts: str) -> None:
    key_lines = private_pem(APP).decode().splitlines()[1:-1]
    for text in texts:
        assert not [secret for secret in SECRETS if secret in text], text
        assert not [line for line in key_lines if line in text], text


def test_bad_keys_and_options_are_refused_without_showing_them(
    login: Online, http: httpx.Client
) -> None:
    pem = private_pem(APP)
    cases: list[tuple[dict[str, object], str]] = [
        ({"private_key": pem[:-60]}, "private_key is no RSA private key"),
        ({"private_key": pem, "private_key_password": b"pw"}, "private_key is no RSA"),
        ({"certificate": pem}, "certificate is no X.509 certificate"),
        ({"environment": "prod"}, "environment must be one of sod, stage, online"),
        ({"system_user_token": ""}, "must not be empty"),
        ({"ticket_lifetime": timedelta(0)}, "ticket_lifetime must be positive"),
    ]
    for options, said in cases:
        with pytest.raises(ValueError, match=re.escape(said)) as raised:
            _system_user(http, login.service, **options)
        _assert_no_secret(str(raised.value))
    user = _system_user(http, login.service)
    _assert_no_secret(repr(user), repr(user.authorization()), repr(_auth.BearerSource(Tokens())))
    assert (
        repr(user)
        == f"SystemUser(context_identifier='Cust12345', service_url='{login.service.url}')"
    )


def test_the_environments_are_superoffices_hosts(login: Online, http: httpx.Client) -> None:
    options = system_user_options(login.service, environment="stage")
    del options["service_url"]
    user = _online.SystemUser(http, **options)
    assert "https://qaonline.superoffice.com/Login/api/PartnerSystemUser/Authenticate" in repr(user)
    assert _online.ENVIRONMENTS == {
        "sod": "https://sod.superoffice.com",
        "stage": "https://qaonline.superoffice.com",
        "online": "https://online.superoffice.com",
    }


def test_without_the_extra_the_error_names_it(
    monkeypatch: pytest.MonkeyPatch, login: Online, http: httpx.Client
) -> None:
    monkeypatch.setitem(sys.modules, "jwt", None)
    with pytest.raises(ImportError, match=r"pip install 'codegen\[online\]'"):
        _system_user(http, login.service)
