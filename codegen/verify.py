"""The ``verify`` job: every documented sample through the generated package on disk.

SOAP: every method page's request and response envelope, through the SOAP client of the
version (``codegen.verify_soap`` says how, and which differences of the docs it allows).

REST: each page's documented answer is read by its method's reader, and must read with no
warning and no value lost: every leaf of the sample is found in what the value writes back
as JSON, equal to it (names in any case, numbers and dates as values). Each documented
request is read through the method's parameters (JSON body and query string) and sent
again: the method, the path below ``/api/v1/``, the query, the headers the client decides
(``Accept``, ``Content-Type``, ``Authorization`` and those of its options, such as
``Accept-Language``, made from the sample's values) and the JSON body must be the page's.

A sample that is not a value of its own documented type (lorem words where a date or time
span is documented, text where base64 is, an empty object ``{}`` where a scalar is, an
empty ``TimeSpan`` element) is a documentation defect: listed with its page, line, field
and why, and counted apart from passes and misses.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from codegen.ir import Agent, RestEndpoint
from codegen.load import cycle_collector_paused
from codegen.passes.names import module_names
from codegen.verify_soap import SoapAgent, Unreadable, request_problems, response_problems

_LEXICAL = re.compile(
    r"not a time span|Invalid isoformat string|not base64|not a decimal|invalid literal for int"
    r"|found an empty object"
    r"|could not convert string to float|month must be|day is out of range|hour must be"
    r"|expected an integer, found a number"
    r"|not a duration|is not an integer|is not a double|is not a date-time|Incorrect padding|base64"
    r"|names no field of|is no JSON Patch operation"
)
"""What the primitive readers say of a value that is none of its type at all (the integer
reader takes a whole number written as ``1.0``, and says this of ``99.99``), and what the
patch reader says of a documented patch that names no field (the PATCH samples' paths are
lorem words)."""
WEBAPI_ROOT = "/api/v1/"
"""Where the pages' sample paths start; the clients' paths are below it."""
_HEADER_OPTIONS = {
    "so-apptoken": "app_token",
    "accept-language": "accept_language",
    "so-language": "so_language",
    "so-culture": "so_culture",
    "so-timezone": "so_time_zone",
}
"""The headers a client sends from its options, by the option."""
_CLIENT_HEADERS = frozenset({"authorization", "accept", "content-type", *_HEADER_OPTIONS})
"""The request headers the client decides; the pages' others (``X-XSRF-TOKEN``) are not
the client's to send."""


@dataclass(frozen=True)
class Defect:
    """A sample that is invalid for its own documented type."""

    file: str
    line: int
    sample: str
    why: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.sample} sample: {self.why}"


@dataclass
class Tally:
    """One agent's samples: passed, missed by the client (with why), defects of the docs."""

    passed: int = 0
    misses: list[str] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)


@dataclass
class Report:
    """Every agent's tallies, by agent name: of its SOAP envelopes and of its REST samples."""

    soap: dict[str, Tally] = field(default_factory=dict)
    rest: dict[str, Tally] = field(default_factory=dict)
    entity: dict[str, Tally] = field(default_factory=dict)
    """Of its entity endpoints' samples (``entities.py``)."""

    @property
    def sides(self) -> tuple[tuple[str, dict[str, Tally]], ...]:
        return (("SOAP", self.soap), ("REST", self.rest), ("entity", self.entity))

    @property
    def misses(self) -> int:
        return sum(len(t.misses) for _, tallies in self.sides for t in tallies.values())

    def table(self) -> str:
        """A Markdown table, one row per agent and a total, then the misses and defects."""
        head = "| agent |" + "".join(
            f" {side} passed | {side} misses | {side} defects |" for side, _ in self.sides
        )
        rows = [head, "|---" * (1 + 3 * len(self.sides)) + "|"]
        for name in sorted({name for _, tallies in self.sides for name in tallies}):
            cells = [cell for _, tallies in self.sides for cell in _cells(tallies.get(name))]
            rows.append(f"| {name} | {' | '.join(cells)} |")
        total = [cell for _, tallies in self.sides for cell in _cells(_sum(tallies.values()))]
        rows.append(f"| all | {' | '.join(total)} |")
        lines = [*rows, ""]
        for side, tallies in self.sides:
            lines += [f"miss: {side} {m}" for t in tallies.values() for m in t.misses]
        for side, tallies in self.sides:
            lines += [f"defect: {side} {d}" for t in tallies.values() for d in t.defects]
        return "\n".join(lines) + "\n"


def _cells(tally: Tally | None) -> list[str]:
    if tally is None:
        return ["-", "-", "-"]
    return [str(tally.passed), str(len(tally.misses)), str(len(tally.defects))]


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.passed += tally.passed
        total.misses += tally.misses
        total.defects += tally.defects
    return total


def verify(agents: tuple[Agent, ...], out: Path, package: str) -> Report:
    """Every documented sample of ``agents``, SOAP and REST, through ``package`` below ``out``.

    The cycle collector is paused while the samples go through: the IR of every agent and
    the generated package (its classes, functions and constants) outlive the checks, and
    its collections would scan them over and over, finding little to free."""
    report = Report()
    modules = module_names(a.name for a in agents)
    with _importable(out, package), cycle_collector_paused():
        for agent in agents:
            if any(op.soap is not None for op in agent.operations):
                report.soap[agent.name] = _verify_soap(agent, package, modules[agent.name])
            if any(op.rest is not None for op in agent.operations):
                report.rest[agent.name] = _verify_rest(agent, package, modules[agent.name])
            if agent.entities:
                report.entity[agent.name] = _verify_entities(agent, package, modules[agent.name])
    return report


def _verify_soap(agent: Agent, package: str, module: str) -> Tally:
    tally = Tally()
    try:
        soap = SoapAgent(agent, package, module)
    except ImportError as error:
        tally.misses.append(f"{agent.name}: no generated SOAP module ({error})")
        return tally
    for op, request, response in soap.operations():
        checks = ((request, request_problems, "request"), (response, response_problems, "answer"))
        for sample, check, kind in checks:
            if sample is None or sample.body is None:
                continue
            where = f"{agent.name}.{op.wire_name} {kind}"
            try:
                _tally(tally, where, check(soap, op, sample))
            except Unreadable as error:
                _refused(sample.file, sample.line, where, str(error), tally)
    return tally


def _imported(agent: Agent, name: str, tally: Tally) -> ModuleType | None:
    """The generated module ``name``; None, and a miss, when there is none."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        tally.misses.append(f"{agent.name}: no generated module {name} ({error})")
        return None


def _verify_rest(agent: Agent, package: str, module: str) -> Tally:
    tally = Tally()
    rest = _imported(agent, f"{package}.{module}.rest", tally)
    if rest is None:
        return tally
    for op in agent.operations:
        if op.rest is not None:
            call = _Call(rest, rest.OPERATIONS[op.name])
            _verify_answer(call, op.rest, f"{agent.name}.{op.name} answer", tally)
            _verify_request(call, op.rest, f"{agent.name}.{op.name} request", tally)
    return tally


def _verify_entities(agent: Agent, package: str, module: str) -> Tally:
    tally = Tally()
    entities = _imported(agent, f"{package}.{module}.entities", tally)
    if entities is None:
        return tally
    for entity in agent.entities:
        call = _EntityCall(entities, entities.ENDPOINTS[entity.folder, entity.name])
        where = f"{agent.name}.{entity.folder}.{entity.name}"
        _verify_answer(call, entity.rest, f"{where} answer", tally)
        _verify_request(call, entity.rest, f"{where} request", tally)
    return tally


class _Call:
    """How a REST method of the module ``rest`` reads a documented answer and sends a
    documented request."""

    checked_headers = _CLIENT_HEADERS

    def __init__(self, module: ModuleType, operation: Any) -> None:
        self.module = module
        self.operation = operation

    @property
    def sends_body(self) -> bool:
        return bool(self.operation.json_body)

    def read(self, content: bytes) -> Any:
        return self.operation.read(200, content)

    def written(self, value: Any) -> Any:
        """The value read, as JSON again."""
        return self.module._MODELS.to_json(value)

    def arguments(self, documented: Any, query: list[tuple[str, str]]) -> list[Any]:
        """The method's arguments, as the documented request gives them."""
        return [_argument(p, documented, query) for p in self.operation.parameters]

    def request(self, arguments: list[Any], select: str | None) -> Any:
        return self.operation.request(arguments, select)

    def path(self, documented: str, request: Any) -> str:
        """The path the request should go to, below the WebAPI root."""
        return documented.removeprefix(WEBAPI_ROOT)


class _EntityCall(_Call):
    """How an entity endpoint of the module ``entities`` does it: its path parts made up
    (the pages show their ``{id}``), and a PATCH's documented JSON Patch or Merge Patch
    read into the endpoint's patch classes. A PATCH's ``Content-Type`` is not compared:
    the samples show ``application/json``, the pages' text a JSON Patch or Merge Patch,
    whose media types the client sends."""

    def __init__(self, module: ModuleType, endpoint: Any) -> None:
        super().__init__(module, endpoint.operation)
        self.endpoint = endpoint
        if endpoint.patch:
            self.checked_headers = _CLIENT_HEADERS - {"content-type"}

    @property
    def sends_body(self) -> bool:
        return super().sends_body or bool(self.endpoint.patch)

    def read(self, content: bytes) -> Any:
        return self.endpoint.read(200, content)

    def written(self, value: Any) -> Any:
        if isinstance(value, self.module._entity.Page):
            return self.module._entity.PAGE.write(value)
        return super().written(value)

    def arguments(self, documented: Any, query: list[tuple[str, str]]) -> list[Any]:
        parts = [path_value(part.codec) for part in self.endpoint.path_parts]
        if self.endpoint.binary:
            # The pages show no file: the sample leaves out what the method requires.
            return [*parts, *super().arguments(None, query), None, "application/octet-stream"]
        if not self.endpoint.patch:
            return parts + super().arguments(documented, query)
        patch = None if documented is None else patch_of(documented, *self.endpoint.patch)
        return [*parts, *super().arguments(None, query), patch]

    def request(self, arguments: list[Any], select: str | None) -> Any:
        return self.endpoint.request(arguments, select)

    def path(self, documented: str, request: Any) -> str:
        """The documented path with the values sent in its ``{parts}``."""
        shown = super().path(documented, request).split("/")
        sent = request.path.split("/")
        if len(sent) != len(shown):
            return "/".join(shown)
        return "/".join(s if p.startswith("{") else p for p, s in zip(shown, sent, strict=True))


_PATH_VALUES = (1, "example")
"""Values a path part is made of, the first its type takes: the pages show ``{id}``."""


def path_value(codec: Any) -> Any:
    for value in _PATH_VALUES:
        try:
            return codec.read(value)
        except (TypeError, ValueError):
            continue
    raise ValueError("no value made for a path part")


def patch_of(documented: Any, json_patch: Any, merge_patch: Any) -> Any:
    """A documented JSON Patch (a list of operations) or Merge Patch (an object) as the
    endpoint's patch classes make it: every path (in any case, the slash optional, as
    the PATCH pages say) must name a field of the model."""
    fields = json_patch._fields
    by_wire = {p.wire_name.lower(): p for p in fields._by_name.values()}

    def field(name: object) -> Any:
        found = by_wire.get(str(name).lstrip("/").lower())
        if found is None:
            raise ValueError(f"the patch's path {name!r} names no field of {fields.model.__name__}")
        return found

    if isinstance(documented, dict):
        return merge_patch(
            {field(k).python_name: field(k).codec.read(v) for k, v in documented.items()}
        )
    patch = json_patch()
    for step in documented if isinstance(documented, list) else [documented]:
        if not isinstance(step, dict) or step.get("op") not in _PATCH_OPERATIONS:
            raise ValueError(f"{step!r} is no JSON Patch operation the PATCH pages name")
        found = field(step.get("path"))
        if step["op"] == "remove":
            patch = patch.remove(found.python_name)
        else:
            value = found.codec.read(step.get("value"))
            patch = getattr(patch, step["op"])(found.python_name, value)
    return patch


_PATCH_OPERATIONS = frozenset({"add", "replace", "remove", "test"})


@contextmanager
def _importable(out: Path, package: str) -> Iterator[None]:
    sys.path.insert(0, str(out.resolve()))
    try:
        yield
    finally:
        sys.path.remove(str(out.resolve()))
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]


def _verify_answer(call: _Call, endpoint: RestEndpoint, where: str, tally: Tally) -> None:
    sample = endpoint.sample_response
    if sample is None or not sample.strip():
        return
    content = sample.encode()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = call.read(content)
        except call.module._rest.MalformedRestResponse as error:
            _refused(endpoint.file, endpoint.line, where, str(error), tally)
            return
    if caught:
        tally.misses.append(f"{where}: {caught[0].message}")
        return
    if isinstance(value, bytes):
        _tally(tally, where, [] if value == content else ["the bytes differ"])
        return
    try:
        documented = json.loads(sample)
    except json.JSONDecodeError:
        tally.defects.append(Defect(endpoint.file, endpoint.line, "response", "not JSON"))
        return
    _tally(tally, where, list(lost(documented, call.written(value), "", call.module._json)))


def _verify_request(call: _Call, endpoint: RestEndpoint, where: str, tally: Tally) -> None:
    """The documented request: its method, path, query, the headers the client controls,
    and its JSON body must be what the client sends for the values the sample holds."""
    if not endpoint.sample_request_line:
        return
    method, _, target = endpoint.sample_request_line.partition(" ")
    url = urlsplit(target.strip())
    query = parse_qsl(url.query, keep_blank_values=True)
    sample = endpoint.sample_request if call.sends_body else None
    try:
        documented = None if sample is None else json.loads(sample)
    except json.JSONDecodeError:
        tally.defects.append(Defect(endpoint.file, endpoint.line, "request", "not JSON"))
        return
    try:
        arguments = call.arguments(documented, query)
        select = next((value for name, value in query if name == "$select"), None)
        headers = _client_headers(call.module, endpoint.sample_request_headers)
    except (ValueError, TypeError) as error:
        _refused(endpoint.file, endpoint.line, where, str(error), tally)
        return
    try:
        request = call.request(arguments, select)
    except (ValueError, TypeError) as error:
        if None in arguments:
            # The page's request leaves out a value the method requires (a whole body, a
            # Required query parameter): the sample is short, not the client.
            why = f"the sample leaves out a value the method requires: {error}"
            tally.defects.append(Defect(endpoint.file, endpoint.line, "request", why))
        else:
            _tally(tally, where, [f"not sent: {error}"])
        return
    misses = [] if request.method == method else [f"sent as {request.method}"]
    if call.path(url.path, request) != request.path:
        misses.append(f"sent to {request.path}, not {url.path}")
    if sorted(request.params) != sorted(query):
        misses.append(f"query {list(request.params)}, not {query}")
    sent_headers = headers | request.headers
    misses += _headers_differ(endpoint.sample_request_headers, sent_headers, call.checked_headers)
    if documented is not None:
        sent = json.loads(request.content) if request.content else None
        misses += lost(documented, sent, "", call.module._json)
        misses += _added(documented, sent, "", _defaults(call.module))
    _tally(tally, where, misses)


def _added(
    documented: Any, sent: Any, path: str, defaults: dict[str, frozenset[str]]
) -> Iterator[str]:
    """Where the client sends a property the sample does not hold, which the server would
    take as a value given: None says nothing, and nor does a value type at the default
    its model gives it (.NET's ``default(T)``, what the server takes a left-out one as)."""
    if isinstance(documented, dict) and isinstance(sent, dict):
        by_name = {str(k).lower(): v for k, v in documented.items()}
        for name, item in sent.items():
            key = str(name).lower()
            if key not in by_name:
                if item is not None and json.dumps(item) not in defaults.get(key, ()):
                    yield f"{path}.{name}: {item!r} sent, not in the sample"
                continue
            yield from _added(by_name[key], item, f"{path}.{name}", defaults)
    elif isinstance(documented, list) and isinstance(sent, list):
        for index, (item, got) in enumerate(zip(documented, sent)):
            yield from _added(item, got, f"{path}[{index}]", defaults)


@functools.cache
def _defaults(rest: ModuleType) -> dict[str, frozenset[str]]:
    """What each property is written as in a model made with nothing given, by lower-case
    wire name (as JSON text, so that ``0`` and ``false`` stay apart): the models' and the
    module's own (``entities.py`` defines the types only entity endpoints reach)."""
    models = sys.modules[rest.__name__.rpartition(".")[0] + ".models"]
    found: dict[str, set[str]] = {}
    for model in [*vars(models).values(), *vars(rest).values()]:
        if isinstance(model, type) and dataclasses.is_dataclass(model):
            written = rest._MODELS.to_json(model())
            for name, value in written.items():
                found.setdefault(str(name).lower(), set()).add(json.dumps(value))
    return {name: frozenset(values) for name, values in found.items()}


def _argument(parameter: Any, body: Any, query: list[tuple[str, str]]) -> object:
    """The parameter's value in the sample: the body, a property of it, or the query."""
    if parameter.place == "body":
        return None if body is None else parameter.codec.read(body)
    if parameter.place == "property":
        given = body.get(parameter.wire_name) if isinstance(body, dict) else None
        return None if given is None else parameter.codec.read(given)
    given = [value for name, value in query if name == parameter.wire_name]
    return parameter.codec.read(given[0]) if given else None


def _client_headers(rest: ModuleType, documented: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The headers a client sends every request, made with the options of the sample's:
    the ``Authorization`` it documents as an ``Auth``, the others as their options."""
    given = {name.lower(): value for name, value in documented}
    scheme, _, credentials = given.get("authorization", "").partition(" ")
    options = {option: given.get(header) for header, option in _HEADER_OPTIONS.items()}
    auth = rest._rest.Auth(scheme, credentials) if credentials else None
    headers: dict[str, str] = rest._rest.client_headers(auth, **options)
    return headers


def _headers_differ(
    documented: tuple[tuple[str, str], ...], sent: dict[str, str], checked: frozenset[str]
) -> list[str]:
    """Each documented header of ``checked`` that the client does not send as documented.
    A media type is compared as one: ``application/json;charset=utf-8`` is the same."""
    ours = {name.lower(): value for name, value in sent.items()}
    misses = []
    for name, value in documented:
        if name.lower() not in checked:
            continue
        got = ours.get(name.lower())
        if got is None or _media(got) != _media(value):
            misses.append(f"{name}: {got!r}, not {value!r}")
    return misses


def _media(value: str) -> list[str]:
    return sorted(part.strip().lower() for part in value.split(";"))


def _refused(file: str, line: int, where: str, why: str, tally: Tally) -> None:
    if _LEXICAL.search(why):
        kind = where.rsplit(" ", 1)[1]
        tally.defects.append(Defect(file, line, kind, why))
    else:
        tally.misses.append(f"{where}: {why}")


def _tally(tally: Tally, where: str, misses: list[str]) -> None:
    if misses:
        tally.misses.append(f"{where}: {'; '.join(misses[:3])}")
    else:
        tally.passed += 1


def lost(documented: Any, written: Any, path: str, codecs: ModuleType) -> Iterator[str]:
    """Where a leaf of ``documented`` is missing from ``written`` or differs."""
    if isinstance(documented, dict):
        if not isinstance(written, dict):
            yield f"{path or 'the value'}: {_kind(written)} written for an object"
            return
        by_name = {str(k).lower(): v for k, v in written.items()}
        for name, item in documented.items():
            key = str(name).lower()
            if key not in by_name:
                if item is not None and item != [] and item != {}:
                    yield f"{path}.{name}: lost"
                continue
            yield from lost(item, by_name[key], f"{path}.{name}", codecs)
    elif isinstance(documented, list):
        if not isinstance(written, list) or len(written) != len(documented):
            yield f"{path}: {_kind(written)} written for {len(documented)} items"
            return
        for index, (item, got) in enumerate(zip(documented, written, strict=True)):
            yield from lost(item, got, f"{path}[{index}]", codecs)
    elif documented is not None and not _same(documented, written, codecs):
        yield f"{path}: {documented!r} written back as {written!r}"


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _same(documented: Any, written: Any, codecs: ModuleType) -> bool:
    """Equal as values: the same text in any case (enum names, flag names in any order),
    the same number, or the same date or time span however spelled."""
    if documented == written:
        return True
    if isinstance(documented, str) and isinstance(written, str):
        return _names(documented) == _names(written) or _same_value(documented, written, codecs)
    if isinstance(written, (int, float)) and not isinstance(written, bool):
        try:
            return float(documented) == float(written)
        except (TypeError, ValueError):
            return False
    return _same_value(documented, written, codecs)


def _same_value(documented: Any, written: Any, codecs: ModuleType) -> bool:
    for codec in (codecs.DATETIME, codecs.DURATION, codecs.DECIMAL):
        try:
            if codec.read(documented) == codec.read(written):
                return True
        except (TypeError, ValueError, ArithmeticError):
            continue
    return False


def _names(text: str) -> set[str]:
    return set(text.lower().replace(",", " ").split())
