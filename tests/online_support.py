"""SuperOffice Online's sign-in on loopback, for the tests of the system user.

The keys are made here, once per run: the app's key pair, and a "federated-login" key
with its self-signed certificate standing for SuperOffice's (and an impostor's). The
partner system-user service checks the signed system user token against the app's public
key, as SuperOffice does, and answers with a real RS256 JWT holding a new ticket; the
tests change what it answers, and read what it saw. The same loopback server answers the
other paths with ``api``: a NetServer that knows the tickets the service issued.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from soap_support import LoopbackServer, Recorded, Reply, loopback

SERVICE_PATH = "/Login/api/PartnerSystemUser/Authenticate"
TICKET_CLAIM = "http://schemes.superoffice.net/identity/ticket"
NETSERVER_URL_CLAIM = "http://schemes.superoffice.net/identity/netserver_url"
SYSTEM_USER_TOKEN = "MyApp-SystemUserToken-4f2c1e0a9b"
CLIENT_SECRET = "ClientSecret-77d1c3a2e5"
CONTEXT = "Cust12345"
ISSUER = "https://sod.superoffice.com"
AUDIENCE = "spn:0a1b2c3d4e5f"
SECRETS = (SYSTEM_USER_TOKEN, CLIENT_SECRET)
"""What no error message or ``repr`` may show (with the app's private key, below)."""
APP, SUPEROFFICE, IMPOSTOR = "app", "superoffice", "impostor"


@functools.cache
def private_key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(name: str) -> bytes:
    return private_key(name).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@functools.cache
def certificate(name: str, serial: int = 1) -> x509.Certificate:
    """A self-signed certificate of ``name``'s key, as SuperOffice's federated-login one."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.test")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private_key(name).public_key())
        .serial_number(serial)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(private_key(name), hashes.SHA256())
    )


def certificate_pem(name: str) -> bytes:
    return certificate(name).public_bytes(serialization.Encoding.PEM)


def json_reply(value: object, status: int = 200) -> Reply:
    return Reply(json.dumps(value).encode(), status, "application/json; charset=utf-8")


@dataclass
class LoginService:
    """The partner system-user service: what it answers (changed by the tests) and saw."""

    origin: str
    signer: str = SUPEROFFICE
    claim: str = TICKET_CLAIM
    lifetime: int = 600
    """Seconds the JWT it issues is valid; below zero it has expired."""
    answer: Reply | None = None
    """What it answers instead of a sign-in, whatever it is sent."""
    ticket: str | None = None
    """The ticket it issues instead of a new one."""
    delay: float = 0.0
    bodies: list[dict[str, str]] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    valid: set[str] = field(default_factory=set)
    """The tickets NetServer takes: those issued, until ``revoke``."""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return self.origin + SERVICE_PATH

    def revoke(self) -> None:
        self.valid.clear()

    def sign_in(self, request: Recorded) -> Reply:
        time.sleep(self.delay)
        body = json.loads(request.body)
        with self._lock:
            self.bodies.append(body)
            if self.answer is not None:
                return self.answer
            if not _genuine(body):
                refused = "The signed system token is not valid"
                return json_reply({"IsSuccessful": False, "ErrorMessage": refused, "Token": None})
            ticket = self.ticket if self.ticket is not None else f"7T:ticket-{len(self.issued) + 1}"
            self.issued.append(ticket)
            self.valid.add(ticket)
        claims = {
            self.claim: ticket,
            NETSERVER_URL_CLAIM: "https://sod.test/Cust12345/Remote/Services86/",
            "webapi_url": "https://sod.test/Cust12345/api/",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "exp": int(time.time()) + self.lifetime,
        }
        token = jwt.encode(claims, private_key(self.signer), algorithm="RS256")
        return json_reply({"IsSuccessful": True, "ErrorMessage": None, "Token": token})


def _genuine(body: dict[str, str]) -> bool:
    """The request is the app's: its secret, tenant, and token signed with its key."""
    text, _, signature = body.get("SignedSystemToken", "").rpartition(".")
    if (body.get("ApplicationToken"), body.get("ContextIdentifier")) != (CLIENT_SECRET, CONTEXT):
        return False
    try:
        private_key(APP).public_key().verify(
            base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError):
        return False
    return text.startswith(SYSTEM_USER_TOKEN + ".") and body.get("ReturnTokenType") == "JWT"


@dataclass
class Online:
    """The loopback server, its login service and what the rest of it answers."""

    server: LoopbackServer
    service: LoginService

    @property
    def api_requests(self) -> list[Recorded]:
        return [r for r in self.server.requests if r.path != SERVICE_PATH]


@contextmanager
def online(api: Callable[[Recorded, LoginService], Reply] | None = None) -> Iterator[Online]:
    """A loopback server whose ``SERVICE_PATH`` is the login service, every other path
    ``api`` (given the service, to know its tickets)."""
    with loopback() as server:
        service = LoginService(server.base_url.removesuffix("/Cust12345/"))

        def answer(request: Recorded) -> Reply:
            if request.path == SERVICE_PATH:
                return service.sign_in(request)
            assert api is not None, request.path
            return api(request, service)

        server.reply_for = answer
        yield Online(server, service)


def system_user_options(service: LoginService, **options: object) -> dict[str, object]:
    """The keyword arguments of a ``SystemUser`` signing in at ``service``."""
    return {
        "system_user_token": SYSTEM_USER_TOKEN,
        "private_key": private_pem(APP),
        "application_token": CLIENT_SECRET,
        "context_identifier": CONTEXT,
        "certificate": certificate_pem(SUPEROFFICE),
        "service_url": service.url,
        **options,
    }


_TICKET = re.compile(rb"<\w+:Ticket>([^<]*)</\w+:Ticket>")
ACCESS_DENIED = (
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
    b"<faultcode>s:Client</faultcode><faultstring>Access denied</faultstring><detail>"
    b'<SoExceptionInfo xmlns="http://www.superoffice.net/ws/crm/NetServer/Services86">'
    b"<Message>The ticket is not valid</Message>"
    b"<ExceptionType>SuperOffice.CRM.Security.SoAccessDeniedException</ExceptionType>"
    b"</SoExceptionInfo></detail></s:Fault></s:Body></s:Envelope>"
)
"""A WCF fault carrying NetServer's access denied (the corpus shows none: see
``SoapError.access_denied``)."""


def credentials_of(request: Recorded) -> str:
    """What a request authenticates with: the SOAP header's ticket, else the
    ``Authorization`` header's credentials."""
    ticket = _TICKET.search(request.body) if request.path.endswith(".svc") else None
    if ticket:
        return ticket.group(1).decode()
    headers = {name.lower(): value for name, value in request.headers.items()}
    return headers.get("authorization", "").partition(" ")[2]


def netserver(answer: Callable[[Recorded], Reply]) -> Callable[[Recorded, LoginService], Reply]:
    """A NetServer answering a request with ``answer`` when it carries credentials the
    service knows (``valid``), refusing it as each side does when not: a SOAP fault of
    ``SoAccessDeniedException``, a WebAPI 401."""

    def api(request: Recorded, service: LoginService) -> Reply:
        if credentials_of(request) in service.valid:
            return answer(request)
        if request.path.endswith(".svc"):
            return Reply(ACCESS_DENIED, 500)
        return json_reply({"Message": "Authorization has been denied for this request."}, 401)

    return api


def answer_from_samples(samples: Path) -> Callable[[Recorded], Reply]:
    """A server's answers: each method's own response sample in the agent's ``samples``
    folder, SOAP or WebAPI."""

    def answer(request: Recorded) -> Reply:
        if request.path.endswith(".svc"):
            action = request.headers["SOAPAction"].strip('"').rsplit("/", 1)[-1]
            return Reply((samples / "soap" / f"{action}.response.xml").read_bytes())
        method = request.path.split("?")[0].rsplit("/", 1)[-1]
        body = (samples / "rest" / f"{method}.response.json").read_bytes()
        return Reply(body, content_type="application/json; charset=utf-8")

    return answer
