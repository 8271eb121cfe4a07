"""The SOAP half of ``verify``: every documented envelope of a method page through the
generated SOAP client of the same version.

A request sample's body is read through the method's parameters (each parameter element
by the reader the package uses for its type), and the client's ``requests`` helper must send
that body again. A response sample is parsed by the client's ``responses`` helper, with no
warning, and what it returns, written back by the package's writers, must hold every leaf
of the sample. The docs' samples differ from what a SOAP 1.1 server and client exchange in
ways the WSDL and the samples' own generator explain; each is handled on purpose:

- The samples use the SOAP 1.2 namespace and put ``ApplicationToken`` and ``Credentials``
  directly under ``Envelope``, with no ``Header``. Only the body is compared as a body; each
  documented header is given to the client as its option (the ticket inside
  ``Credentials``), and must come back, equal, in the ``Header`` the client sends. A
  response's body is put into a SOAP 1.1 envelope, as a server sends it, before it is read.
- Elements are compared by their Clark names, never their prefixes (the samples' ``User:``
  is the client's ``tns:``), and ``xsi:type`` names are resolved through ``xmlns``.
- The samples give every element an ``xsi:type``; the client writes one only where the
  schema needs it (a subtype of a polymorphic field, an ``anyType`` value): there the two
  must name the same type, elsewhere the sample's names the declared type. Text the
  sample types ``xsd:anyType`` (the declared type of an untyped field) the client sends
  as the ``xsd:string`` it is.
- The samples cut recursion with ``xsi:nil`` on elements the schema does not make
  nillable; such an element reads as None, which the client leaves out: a nil element of
  the sample where the client sends nothing is the same value. On a value type (a number,
  a boolean, an enum, a date) it reads as the type's default (.NET's ``default(T)``), which
  the client sends: a nil where the client sends exactly that default is the same value.
- Carrier objects in the samples omit the inherited ``TableRight`` and ``FieldProperties``;
  an element the sample leaves out and the client sends as ``xsi:nil`` (a required,
  nillable element of a None value) is the None the sample means.
- Text of nothing but white space over lines is layout (an empty wrapper written over two
  lines), not a string value.
- Leaves are equal as values: ``1.0`` and ``1``, ``2024-01-01T00:00:00.0000000`` and
  ``2024-01-01T00:00:00``, ``PT0S`` and ``P0D`` say the same thing.

A sample whose text is not a value of its element's type (an empty ``TimeSpan``, lorem
words for base64) is a documentation defect, as on the REST side.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import importlib
import math
import warnings
from collections.abc import Iterator, Mapping
from types import CodeType, ModuleType
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from codegen.emit import runtimes
from codegen.emit.soap.build import build_view
from codegen.emit.soap.slots import Kind, Slot
from codegen.emit.soap.view import AgentView, OperationView
from codegen.ir import XSD, XSI, Agent, Sample, SampleNode
from codegen.passes.names import assign_names

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
_NIL = f"{{{XSI}}}nil"
_TYPE = f"{{{XSI}}}type"
_SOAP11_OPEN = f'<s:Envelope xmlns:s="{SOAP11}"><s:Body>'.encode()
_SOAP11_CLOSE = b"</s:Body></s:Envelope>"
_UNTYPED = {f"{{{XSD}}}string": (f"{{{XSD}}}anyType",)}
"""The sample's ``xsi:type`` that the client's names as well: ``xsd:anyType`` on text, the
declared type of an untyped field, is text to the client, which says ``xsd:string``."""
_TRANSPORT = object()
"""What the clients are made on: their ``requests`` and ``responses`` helpers never send, so
they need no HTTP client, and ``verify`` needs no httpx."""


class SoapAgent:
    """One agent's generated SOAP client and models, with the view that generated them:
    the view says, for every element, the expression that reads and writes it, which is
    evaluated among the package's own functions."""

    def __init__(self, agent: Agent, package: str, module: str) -> None:
        self.agent = agent
        self.view: AgentView = build_view(agent, assign_names(agent), module)
        self.soap = importlib.import_module(f"{package}.{module}.soap")
        self.client_class = getattr(self.soap, self.view.class_name)
        self.names = _names(package, importlib.import_module(f"{package}.{module}.models"))
        self.xmlns = self.view.xmlns
        self.refusals: tuple[type[Exception], ...] = (
            *(ValueError, TypeError, KeyError, IndexError, AttributeError),
            self.names["MalformedResponse"],
        )
        """What the readers raise for a text they cannot take."""
        self._code: dict[str, CodeType] = {}

    def operations(self) -> Iterator[tuple[OperationView, Sample | None, Sample | None]]:
        views = {op.wire_name: op for op in self.view.operations}
        for op in self.agent.operations:
            if op.soap is not None and op.name in views:
                yield views[op.name], op.soap.request_sample, op.soap.response_sample

    def read(self, slot: Slot, element: etree._Element) -> object:
        """What the package reads from ``element`` for ``slot``."""
        return eval(self._compiled(slot.read("element"), "eval"), self.names, {"element": element})

    def write(self, slot: Slot, value: object) -> str:
        """The XML the package writes for ``value`` in ``slot``."""
        out: list[str] = []
        code = self._compiled("\n".join(slot.write("value")), "exec")
        # The generator's own statements, as the package's writers run them.
        exec(code, self.names, {"out": out, "value": value})  # noqa: S102
        return "".join(out)

    @functools.cached_property
    def defaults(self) -> dict[str, frozenset[str]]:
        """The text each value-type element is written as at its model's default (.NET's
        ``default(T)``), by tag: what a nil the docs put on a value type reads back as."""
        found: dict[str, set[str]] = {}
        slots = [s for c in self.view.classes for s in c.wire_slots]
        slots += [*(o for op in self.view.operations for o in op.parameters)]
        for slot in slots:
            if slot.codec.kind is Kind.TEXT and not slot.may_be_none and not slot.repeated:
                value = eval(self._compiled(slot.default_value, "eval"), self.names)
                written = f"<written{self.xmlns}>{self.write(slot, value)}</written>"
                text = etree.fromstring(written.encode()).findtext("*")
                found.setdefault(slot.tag, set()).add(text or "")
        return {tag: frozenset(texts) for tag, texts in found.items()}

    def client(self, options: dict[str, object]) -> Any:
        return self.client_class(_TRANSPORT, **options)

    def _compiled(self, source: str, mode: str) -> CodeType:
        code = self._code.get(source)
        if code is None:
            code = self._code[source] = compile(source, "<view>", mode)
        return code


def _names(package: str, models: ModuleType) -> dict[str, Any]:
    """The names the view's expressions use: the models' and the SOAP runtimes', which the
    generated modules import ``_``-aliased."""
    names: dict[str, Any] = {}
    for runtime in runtimes.SOAP:
        names.update(vars(importlib.import_module(f"{package}.{runtime.module}")))
    return {**names, **{f"_{k}": v for k, v in names.items()}, **vars(models)}


# --- Samples as XML ----------------------------------------------------------------------


def element(node: SampleNode) -> etree._Element:
    """A sample node as an lxml element, every namespace it names (in tags and
    ``xsi:type``) declared on it."""
    namespaces = sorted(set(_namespaces(node)) - {XSI})
    prefixes = {ns: f"ns{n}" for n, ns in enumerate(namespaces) if ns}
    nsmap = {p: ns for ns, p in prefixes.items()} | {"xsi": XSI}
    root = etree.Element(str(node.name), nsmap=nsmap)
    _fill(root, node, prefixes)
    return root


def _namespaces(node: SampleNode) -> Iterator[str]:
    yield node.name.namespace
    if node.xsi_type is not None:
        yield node.xsi_type.namespace
    for child in node.children:
        yield from _namespaces(child)


def _fill(target: etree._Element, node: SampleNode, prefixes: dict[str, str]) -> None:
    if node.xsi_type is not None:
        prefix = prefixes.get(node.xsi_type.namespace)
        target.set(_TYPE, f"{prefix}:{node.xsi_type.name}" if prefix else node.xsi_type.name)
    if node.nil:
        target.set(_NIL, "true")
    if node.text and (node.text.strip() or "\n" not in node.text):
        target.text = node.text
    target.sourceline = node.line
    for child in node.children:
        _fill(etree.SubElement(target, str(child.name)), child, prefixes)


def soap11_response(body: etree._Element) -> bytes:
    """The documented response body as a SOAP 1.1 server sends it."""
    content: bytes = etree.tostring(body, encoding="utf-8")
    return _SOAP11_OPEN + content + _SOAP11_CLOSE


# --- Comparing by Clark names and values -------------------------------------------------


_NO_DEFAULTS: Mapping[str, frozenset[str]] = {}


def differences(
    documented: etree._Element,
    ours: etree._Element,
    path: str,
    whole: bool,
    defaults: Mapping[str, frozenset[str]] = _NO_DEFAULTS,
) -> Iterator[str]:
    """Where ``ours`` does not say what ``documented`` says, by the rules of this module's
    docstring. With ``whole``, ``ours`` may hold nothing more (a request); else it may (a
    value written back holds the defaults of what the sample left out). ``defaults`` is the
    text a value-type element holds at its default, by tag (``SoapAgent.defaults``)."""
    path = f"{path}/{etree.QName(documented).localname}"
    if _nil(documented):
        # A nil the docs put on a value type (where their sample writer cuts a recursive
        # structure; .NET never sends one) reads as the type's default, written back so.
        at_default = len(ours) == 0 and (ours.text or "") in defaults.get(ours.tag, ())
        if not _nil(ours) and not at_default:
            yield f"{path}: xsi:nil sent as {_shown(ours)}"
        return
    ours_type, documented_type = _type(ours), _type(documented)
    if ours_type is not None and documented_type not in (ours_type, *_UNTYPED.get(ours_type, ())):
        yield f"{path}: xsi:type {documented_type} sent as {ours_type}"
    documented_children, our_children = list(documented), list(ours)
    if not documented_children and not our_children:
        if not same_text(documented.text or "", ours.text or ""):
            yield f"{path}: {documented.text!r} sent as {ours.text!r}"
        return
    yield from _children(documented_children, our_children, path, whole, defaults)


def _children(
    documented: list[etree._Element],
    ours: list[etree._Element],
    path: str,
    whole: bool,
    defaults: Mapping[str, frozenset[str]],
) -> Iterator[str]:
    at = 0
    for child in documented:
        match = next((i for i in range(at, len(ours)) if ours[i].tag == child.tag), None)
        if match is None:
            if not _nil(child):
                yield f"{path}/{etree.QName(child).localname}: lost"
            continue
        if whole:
            yield from _extras(ours[at:match], path)
        yield from differences(child, ours[match], path, whole, defaults)
        at = match + 1
    if whole:
        yield from _extras(ours[at:], path)


def _extras(elements: list[etree._Element], path: str) -> Iterator[str]:
    for extra in elements:
        if not _nil(extra):
            yield f"{path}/{etree.QName(extra).localname}: sent, not in the sample"


def _nil(element: etree._Element) -> bool:
    return element.get(_NIL) in ("true", "1")


def _type(element: etree._Element) -> str | None:
    value = element.get(_TYPE)
    if value is None:
        return None
    prefix, _, local = value.strip().rpartition(":")
    return f"{{{element.nsmap.get(prefix or None, '')}}}{local}"


def _shown(element: etree._Element) -> str:
    return repr(element.text) if len(element) == 0 else f"{len(element)} elements"


def same_text(documented: str, ours: str) -> bool:
    """The same text, or the same number, date-time, duration or boolean spelled apart."""
    if documented == ours:
        return True
    for read in (_number, _datetime, _duration, _boolean):
        try:
            if read(documented) == read(ours):
                return True
        except (ValueError, ArithmeticError):
            continue
    return False


def _number(text: str) -> decimal.Decimal:
    number = decimal.Decimal(text.strip())
    if not number.is_finite():
        raise ValueError(text)
    return number


def _datetime(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.strip())


def _duration(text: str) -> float:
    """An ``xs:duration``'s seconds, .NET's way (a year of 365 days, a month of 30)."""
    sign, _, rest = text.strip().rpartition("P")
    date, _, time = rest.partition("T")
    seconds = 0.0
    for part, units in (
        (date, {"Y": 365 * 86400, "M": 30 * 86400, "D": 86400}),
        (time, {"H": 3600, "M": 60, "S": 1}),
    ):
        number = ""
        for character in part:
            if character in units:
                seconds += float(number) * units[character]
                number = ""
            else:
                number += character
        if number:
            raise ValueError(text)
    if sign not in ("", "-") or not rest or math.isnan(seconds):
        raise ValueError(text)
    return -seconds if sign else seconds


def _boolean(text: str) -> bool:
    value = {"true": True, "1": True, "false": False, "0": False}.get(text.strip())
    if value is None:
        raise ValueError(text)
    return value


# --- The checks --------------------------------------------------------------------------


class Unreadable(Exception):
    """A sample the package's readers refuse; ``verify`` tells a defect of the docs (text
    that is no value of its type) from a miss of the client by the message."""


def request_problems(soap: SoapAgent, op: OperationView, sample: Sample) -> list[str]:
    """How the request the ``requests`` helper makes for the values of ``sample`` differs
    from it."""
    assert sample.body is not None
    body = element(sample.body)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        try:
            arguments = {p.python_name: _argument(soap, p, body) for p in op.parameters}
            options = _options(soap, sample.headers)
        except soap.refusals as error:
            raise Unreadable(str(error) or type(error).__name__) from None
    if records:
        return [f"read with a warning: {records[0].message}"]
    try:
        build = getattr(soap.client(options).requests, op.python_name)
        sent = etree.fromstring(build(**arguments))
    except (TypeError, ValueError) as error:
        return [f"not sent: {error}"]
    parts = {etree.QName(part).localname: part for part in sent}
    problems = list(differences(body, parts["Body"][0], "", True, soap.defaults))
    headers = {header.tag: header for header in parts.get("Header", ())}
    for node in sample.headers:
        documented = element(node)
        ours = headers.get(documented.tag)
        if ours is None:
            problems.append(f"Header/{node.name.name}: not sent")
        else:
            problems += differences(documented, ours, "Header", True, soap.defaults)
    return problems


def _argument(soap: SoapAgent, parameter: Slot, body: etree._Element) -> object:
    elements = [child for child in body if child.tag == parameter.tag]
    if parameter.repeated:
        return [soap.read(parameter, child) for child in elements]
    return soap.read(parameter, elements[0]) if elements else None


def _options(soap: SoapAgent, headers: tuple[SampleNode, ...]) -> dict[str, object]:
    """The client options of the documented headers: each header's value, or the one
    field of it the option stands for (the ticket of ``Credentials``)."""
    by_tag = {str(node.name): node for node in headers}
    options: dict[str, object] = {}
    for option in soap.view.header_options:
        node = by_tag.get(option.slot.tag)
        if node is None:
            continue
        value = soap.read(option.slot, element(node))
        if option.value != option.python_name:
            value = getattr(value, option.python_name)
        options[option.python_name] = value
    return options


def response_problems(soap: SoapAgent, op: OperationView, sample: Sample) -> list[str]:
    """Where the value the ``responses`` helper makes of ``sample``, written back, lost a
    leaf."""
    assert sample.body is not None
    documented = element(sample.body)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        try:
            parse = getattr(soap.client({}).responses, op.python_name)
            value = parse(soap11_response(documented))
        except soap.refusals as error:
            raise Unreadable(str(error)) from None
    if records:
        return [f"read with a warning: {records[0].message}"]
    if op.result is not None:
        parts = [(op.result, value)]
    elif op.result_class is not None:
        parts = [(s, getattr(value, s.python_name)) for s in op.result_class.slots]
    else:
        parts = []
    written = "".join(soap.write(slot, part) for slot, part in parts)
    wrapper = etree.fromstring(f"<written{soap.xmlns}>{written}</written>".encode())
    return list(_children(list(documented), list(wrapper), op.wire_name, False, soap.defaults))
