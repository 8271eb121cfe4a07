"""Helpers of the REST tests: a loopback WebAPI, and walks that check what a generated
client read or sent against the JSON it came from.

Names of the generated code (Python attributes of the models, enum members) come from
the generator's view model (``codegen.passes.names``), the one place that decides them; the
values are checked against the JSON as the pages document it.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import enum
import functools
import json
import re
import subprocess
import sys
import threading
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from build_support import mypy_strict

from codegen.emit.soap.view import AgentView
from codegen.ir import RestEndpoint

ROOT_PATH = "/Cust12345/api/v1/"
"""Where the loopback WebAPI lives, below an installation's root as in production."""


def assert_ruff_and_mypy_strict_pass(folder: Path, package: str, warm_mypy: Path) -> None:
    """``ruff check`` and ``mypy --strict`` (from the cache ``warm_mypy``) find nothing in
    ``package`` below ``folder``."""
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", package],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = mypy_strict(package, folder, warm_mypy)
    assert mypy.returncode == 0, mypy.stdout[-5000:] + mypy.stderr


# --- A WebAPI on loopback -------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """A request as the server saw it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    raw_path: str = ""
    """The path as sent, percent-encoding and all."""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[Seen] = []
        self.answer = Answer()
        self.respond: Callable[[Seen], Answer] | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the second waits
    # for the client's delayed ACK, 40 ms a request.
    disable_nagle_algorithm = True
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        url = urlsplit(self.path)
        seen = Seen(
            method=self.command,
            path=unquote(url.path),
            query=parse_qsl(url.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length),
            raw_path=url.path,
        )
        self.server.seen.append(seen)
        respond = self.server.respond
        answer = self.server.answer if respond is None else respond(seen)
        self.send_response(answer.status)
        if answer.status != 204:
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.status != 204:
            self.wfile.write(answer.body)

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read what the server saw instead."""


@dataclass
class WebApi:
    server: _Server
    base_url: str = field(init=False)

    def __post_init__(self) -> None:
        host, port = self.server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}{ROOT_PATH}"

    def answer(self, status: int, body: bytes = b"", content_type: str = "") -> None:
        self.server.respond = None
        self.server.answer = Answer(status, body, content_type or Answer.content_type)

    def respond(self, respond: Callable[[Seen], Answer]) -> None:
        """Answer each request with what ``respond`` makes of it."""
        self.server.respond = respond

    def last(self) -> Seen:
        return self.server.seen[-1]


@contextmanager
def serving() -> Iterator[WebApi]:
    """A WebAPI on 127.0.0.1 and a free port, answering from a thread."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield WebApi(server)
    finally:
        server.shutdown()
        server.server_close()


# --- Checking values against annotations and samples --------------------------------------


def conforms(value: object, hint: Any) -> bool:
    """Whether ``value`` is of the type ``hint``, dataclass fields included."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if hint is object or hint is Any:
        return True
    if origin in (types.UnionType, typing.Union):
        return any(conforms(value, a) for a in arguments)
    if hint is None or hint is type(None):
        return value is None
    if origin is list:
        return isinstance(value, list) and all(conforms(v, arguments[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            conforms(k, arguments[0]) and conforms(v, arguments[1]) for k, v in value.items()
        )
    if hint in (int, float) and isinstance(value, bool):
        return False
    if not isinstance(hint, type) or not isinstance(value, hint):
        return False
    if dataclasses.is_dataclass(value):
        hints = _field_hints(type(value))
        return all(
            conforms(getattr(value, f.name), hints[f.name]) for f in dataclasses.fields(value)
        )
    return True


@functools.cache
def _field_hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


class Kept:
    """Walks a sample's JSON and the value read from it together, by wire name.

    Every property of the sample must be there with the same value; the only exception
    is an enum name the models do not list, which must have been warned about and read
    as None.
    """

    def __init__(self, view: AgentView, warned: list[str]) -> None:
        self.wires = {
            c.class_name: {s.wire_name: s.python_name for s in c.slots} for c in view.classes
        }
        self.enum_wires = {
            e.class_name: {m.wire_name.lower(): m.python_name for m in e.members}
            for e in view.enums
        }
        self.warned = warned

    def check(self, sample: Any, value: Any, where: str) -> None:
        if isinstance(sample, dict) and dataclasses.is_dataclass(value):
            wires = self.wires[type(value).__name__]
            for key, item in sample.items():
                assert key in wires, f"{where}.{key}: the model has no such property"
                self.check(item, getattr(value, wires[key]), f"{where}.{key}")
        elif isinstance(sample, list):
            assert isinstance(value, list), f"{where}: {value!r} is no list"
            assert len(value) == len(sample), f"{where}: {len(value)} items, not {len(sample)}"
            for index, (item, got) in enumerate(zip(sample, value, strict=True)):
                self.check(item, got, f"{where}[{index}]")
        elif isinstance(sample, dict) and isinstance(value, dict):
            # JSON names are text: the keys, read as the key type, keep their order.
            assert len(value) == len(sample), f"{where}: {len(value)} entries, not {len(sample)}"
            for (name, item), (key, got) in zip(sample.items(), value.items(), strict=True):
                plain_int = isinstance(key, int) and not isinstance(key, (bool, enum.Enum))
                self.primitive(int(name) if plain_int else name, key, f"{where} key")
                self.check(item, got, f"{where}[{name!r}]")
        else:
            self.primitive(sample, value, where)

    def primitive(self, sample: Any, value: Any, where: str) -> None:
        if value is None and sample is not None:
            assert isinstance(sample, str), f"{where}: {sample!r} was lost"
            assert any(repr(sample) in w for w in self.warned), f"{where}: lost silently"
        elif isinstance(value, enum.Enum):
            assert self.enum_value(type(value), sample) == value, f"{where}: {sample!r}"
        elif isinstance(value, datetime.datetime):
            assert datetime.datetime.fromisoformat(sample) == value, where
        elif isinstance(value, datetime.timedelta):
            assert _time_span(sample) == value, f"{where}: {sample!r} read as {value!r}"
        elif isinstance(value, bytes):
            assert base64.b64decode(sample) == value, where
        elif isinstance(value, (bool, int, float)):
            assert sample == value, f"{where}: {sample!r} read as {value!r}"
        else:
            assert value == sample, f"{where}: {sample!r} read as {value!r}"

    def enum_value(self, kind: type[enum.Enum], sample: Any) -> Any:
        if isinstance(sample, int):
            return kind(sample)
        members = self.enum_wires[kind.__name__]
        tokens = sample.replace(",", " ").split()
        bits = [kind[members[t.lower()]] if t.lower() in members else kind(t) for t in tokens]
        return functools.reduce(lambda a, b: a | b, bits) if len(bits) > 1 else bits[0]


def json_kept(sample: Any, sent: Any, where: str, warned: list[str]) -> None:
    """Every property of ``sample`` is in ``sent`` (JSON both), at any depth."""
    if isinstance(sample, dict):
        assert isinstance(sent, dict), f"{where}: {sent!r} is no object"
        for key, item in sample.items():
            if key not in sent:
                assert any(repr(item) in w for w in warned), f"{where}.{key} was not sent"
                continue
            json_kept(item, sent[key], f"{where}.{key}", warned)
    elif isinstance(sample, list):
        assert isinstance(sent, list) and len(sent) == len(sample), where
        for index, (item, got) in enumerate(zip(sample, sent, strict=True)):
            json_kept(item, got, f"{where}[{index}]", warned)


_TIME_SPAN = re.compile(r"(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d+))?")


def _time_span(text: str) -> datetime.timedelta:
    """A .NET TimeSpan as JSON writes it: ``[-][d.]hh:mm:ss[.fffffff]``."""
    match = _TIME_SPAN.fullmatch(text)
    assert match is not None, f"{text!r} is no time span"
    sign, days, hours, minutes, seconds, fraction = match.groups()
    span = datetime.timedelta(
        days=int(days or 0),
        hours=int(hours),
        minutes=int(minutes),
        seconds=int(seconds),
        microseconds=int((fraction or "0").ljust(6, "0")[:6]),
    )
    return -span if sign else span


_URL_IN_FENCE = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE) (\S+)$", re.MULTILINE)


def sample_urls(endpoint: RestEndpoint) -> list[tuple[str, str]]:
    """The query pairs of every URL the page shows, read from the page itself."""
    text = Path(endpoint.file).read_text(encoding="utf-8")
    pairs: list[tuple[str, str]] = []
    for url in _URL_IN_FENCE.findall(text):
        pairs += parse_qsl(urlsplit(url).query, keep_blank_values=True)
    return pairs
