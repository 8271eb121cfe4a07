"""Sample SOAP 1.1 envelopes for every operation, valid against the agent's schema.

Values come from the documented sample (matched by element name) where it has them and
they are valid for the type; everything else gets a realistic value of its type. The doc
samples' own shape is kept: an optional element the doc leaves out stays out, and where
the doc cuts a recursive structure with ``xsi:nil`` the sample does too. Without a doc
sample the whole structure is filled in, with recursion cut by ``xsi:nil`` (or omission)
at a type already on the path or past a depth limit; a required, non-nillable field whose
type is already on the path (a schema whose type requires itself) is left empty there.

Headers go inside ``soap:Header``: the request carries what the operation declares
(ApplicationToken, Credentials, TimeZone), the response its nillable headers as
``xsi:nil`` and ``Succeeded`` as true.
"""

from __future__ import annotations

import base64
import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from codegen.emit.xsd import INTEGER_RANGES, STRING, Example, builtin
from codegen.ir import (
    ANY_TYPE,
    SERIALIZATION,
    XSD,
    ArrayType,
    ComplexType,
    DictionaryType,
    EnumType,
    Field,
    Message,
    Primitive,
    QName,
    Sample,
    SampleNode,
    SoapOperation,
    TypeDef,
    all_fields,
    is_untyped,
)

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
MAX_DEPTH = 6
"""How deep a filled-in (undocumented) structure goes before it is cut."""

_PATTERNS = {
    "double": r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NaN",
    "float": r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-?INF|NaN",
    "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    "boolean": r"true|false|1|0",
    "dateTime": r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?",
    "duration": r"-?P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?",
    "base64Binary": r"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
    "guid": r"[\da-fA-F]{8}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{12}",
}
_LEXICAL = {name: re.compile(pattern, re.ASCII) for name, pattern in _PATTERNS.items()}
"""The lexical spaces of XML Schema a documented value must be in to be kept: the range
of each integer type, the patterns of the others."""


@dataclass(frozen=True)
class XmlNode:
    """One element of a sample: prefixed name, attributes, text or children."""

    name: str
    attributes: tuple[tuple[str, str], ...] = ()
    text: str | None = None
    children: tuple[XmlNode, ...] = ()


@dataclass(frozen=True)
class Envelope:
    namespaces: tuple[tuple[str, str], ...]
    headers: tuple[XmlNode, ...]
    body: XmlNode


class SoapSampler:
    """The sample envelopes of an agent's operations, one operation at a time.

    ``types`` are the agent's, ``prefixes`` ``(prefix, namespace)`` pairs covering every
    namespace of the agent, ``xsi`` included. What an operation's envelopes hold depends on
    its name, its SOAP side, ``types`` and ``prefixes`` alone (``codegen.emit.soap.flavour``
    keys its cache on those).
    """

    def __init__(self, types: Iterable[TypeDef], prefixes: Sequence[tuple[str, str]]) -> None:
        self.builder = _Builder(types, {ns: p for p, ns in prefixes})
        self.namespaces = (("soap", SOAP11), *prefixes)

    def envelopes(self, name: str, soap: SoapOperation) -> dict[str, Envelope]:
        """``{"<name>.request.xml": envelope, "<name>.response.xml": envelope}`` for the
        SOAP side ``soap`` of the method ``name``."""
        envelopes = {}
        for direction, message, sample in _directions(soap):
            headers = self.builder.headers(message, sample, request=direction == "request")
            body = self.builder.body(message, sample)
            envelopes[f"{name}.{direction}.xml"] = Envelope(self.namespaces, headers, body)
        return envelopes


def _directions(soap: SoapOperation) -> Iterator[tuple[str, Message, Sample | None]]:
    yield "request", soap.input, soap.request_sample
    yield "response", soap.output, soap.response_sample


class _Builder:
    def __init__(self, types: Iterable[TypeDef], prefixes: dict[str, str]) -> None:
        self.types = {t.name: t for t in types}
        self.prefixes = prefixes

    def name(self, qname: QName) -> str:
        prefix = self.prefixes.get(qname.namespace)
        if prefix is None and qname.namespace == XSD:
            prefix = "xsd"
        return f"{prefix}:{qname.name}" if prefix else qname.name

    # Envelope parts ------------------------------------------------------------------------

    def headers(
        self, message: Message, sample: Sample | None, request: bool
    ) -> tuple[XmlNode, ...]:
        documented = {node.name.name: node for node in sample.headers} if sample else {}
        nodes: list[XmlNode] = []
        for header in message.headers:
            if not request and header.nillable:
                nodes.append(self._nil(header))
                continue
            node = documented.get(header.wire_name)
            nodes += self.field(header, [node] if node else [], documented=node is not None)
        return tuple(nodes)

    def body(self, message: Message, sample: Sample | None) -> XmlNode:
        documented = sample is not None and sample.body is not None
        children = sample.body.children if sample is not None and sample.body else ()
        nodes = self.fields(message.fields, children, documented, frozenset(), 1)
        return XmlNode(self.name(message.element), children=tuple(nodes))

    # Elements ------------------------------------------------------------------------------

    def fields(
        self,
        fields: Sequence[Field],
        documented_children: Sequence[SampleNode],
        documented: bool,
        path: frozenset[QName],
        depth: int,
    ) -> list[XmlNode]:
        nodes: list[XmlNode] = []
        for f in fields:
            if f.rest_only:
                continue
            matching = [n for n in documented_children if n.name.name == f.wire_name]
            nodes += self.field(f, matching, documented, path, depth)
        return nodes

    def field(
        self,
        f: Field,
        matching: Sequence[SampleNode],
        documented: bool,
        path: frozenset[QName] = frozenset(),
        depth: int = 1,
    ) -> list[XmlNode]:
        """The elements for field ``f``: the documented ones, else one realistic or none."""
        if not f.repeated:
            matching = matching[:1]
        if matching:
            return [self.value(f, node, path, depth) for node in matching]
        if documented and f.optional:
            return []
        if self._cut(f.type, path, depth):
            if f.nillable:
                return [self._nil(f)]
            if f.optional:
                return []
            if f.type in path:
                # A type that requires itself has no finite value: the cycle closes empty,
                # as the REST samples close it with ``{}``.
                return [XmlNode(self.name(QName(f.namespace, f.wire_name)))]
        return [self.value(f, None, path, depth)]

    def _cut(self, type_name: QName, path: frozenset[QName], depth: int) -> bool:
        """Whether a filled-in structure stops here: recursion, or deep enough."""
        definition = self.types.get(type_name)
        structured = isinstance(definition, (ComplexType, ArrayType, DictionaryType))
        return structured and (type_name in path or depth > MAX_DEPTH)

    def _nil(self, f: Field) -> XmlNode:
        name = self.name(QName(f.namespace, f.wire_name))
        return XmlNode(name, attributes=(("xsi:nil", "true"),))

    def value(
        self, f: Field, node: SampleNode | None, path: frozenset[QName], depth: int
    ) -> XmlNode:
        """The element for ``f`` holding the documented ``node``'s value, or a realistic one."""
        name = self.name(QName(f.namespace, f.wire_name))
        if node is not None and node.nil and f.nillable:
            return XmlNode(name, attributes=(("xsi:nil", "true"),))
        if node is not None and node.nil:
            node = None
        definition = self.types.get(f.type)
        if is_untyped(f.type, definition):
            return self._any(name, node, path, depth)
        if isinstance(definition, ComplexType):
            return self._complex(name, definition, node, path, depth)
        if isinstance(definition, ArrayType):
            return self._array(name, definition, node, path, depth)
        if isinstance(definition, DictionaryType):
            return self._dictionary(name, definition, node, path, depth)
        if isinstance(definition, EnumType):
            return XmlNode(name, text=_enum_text(definition, node))
        xsd = definition.xsd if isinstance(definition, Primitive) else f.type.name
        if f.type == QName(SERIALIZATION, "guid"):
            xsd = "guid"
        return XmlNode(name, text=_primitive_text(xsd, node))

    def _complex(
        self,
        name: str,
        declared: ComplexType,
        node: SampleNode | None,
        path: frozenset[QName],
        depth: int,
    ) -> XmlNode:
        actual = self._documented_subtype(declared, node)
        attributes = (("xsi:type", self.name(actual.name)),) if actual is not declared else ()
        children = node.children if node is not None else ()
        nodes = self.fields(
            all_fields(actual, self.types),
            children,
            node is not None,
            path | {actual.name},
            depth + 1,
        )
        return XmlNode(name, attributes=attributes, children=tuple(nodes))

    def _documented_subtype(self, declared: ComplexType, node: SampleNode | None) -> ComplexType:
        """The subtype the doc's ``xsi:type`` names, when it is one of ``declared``'s."""
        if node is None or node.xsi_type is None or node.xsi_type == declared.name:
            return declared
        candidate = self.types.get(node.xsi_type)
        if isinstance(candidate, ComplexType) and self._extends(candidate, declared.name):
            return candidate
        return declared

    def _extends(self, definition: ComplexType, ancestor: QName) -> bool:
        seen: set[QName] = set()
        while definition.base is not None and definition.base not in seen:
            if definition.base == ancestor:
                return True
            seen.add(definition.base)
            base = self.types.get(definition.base)
            if not isinstance(base, ComplexType):
                return False
            definition = base
        return False

    def _array(
        self,
        name: str,
        definition: ArrayType,
        node: SampleNode | None,
        path: frozenset[QName],
        depth: int,
    ) -> XmlNode:
        item = definition.item
        inner = path | {definition.name}
        if node is None:
            items = self.field(item, [], False, inner, depth + 1)[:1] or []
        else:
            matching = [n for n in node.children if n.name.name == item.wire_name]
            items = [self.value(item, n, inner, depth + 1) for n in matching]
        return XmlNode(name, children=tuple(items))

    def _dictionary(
        self,
        name: str,
        definition: DictionaryType,
        node: SampleNode | None,
        path: frozenset[QName],
        depth: int,
    ) -> XmlNode:
        entry_name = self.name(QName(definition.name.namespace, definition.entry_name))
        inner = path | {definition.name}
        parts = (definition.key, definition.value)
        if node is None:
            entries: list[Sequence[SampleNode]] = [()]
        else:
            entries = [e.children for e in node.children if e.name.name == definition.entry_name]
        nodes = tuple(
            XmlNode(entry_name, children=tuple(self.fields(parts, e, False, inner, depth + 1)))
            for e in entries
        )
        return XmlNode(name, children=nodes)

    def _any(
        self, name: str, node: SampleNode | None, path: frozenset[QName], depth: int
    ) -> XmlNode:
        """An ``anyType`` value keeps its documented primitive ``xsi:type``, else a string."""
        xsi_type = node.xsi_type if node is not None else None
        if xsi_type is not None and xsi_type.namespace == XSD and xsi_type != ANY_TYPE:
            text = _primitive_text(xsi_type.name, node)
            return XmlNode(name, (("xsi:type", f"xsd:{xsi_type.name}"),), text=text)
        text = node.text if node is not None and not node.children else str(STRING.example)
        return XmlNode(name, (("xsi:type", "xsd:string"),), text=text)


def _enum_text(definition: EnumType, node: SampleNode | None) -> str:
    names = [v.name for v in definition.values]
    if node is not None:
        tokens = node.text.split()
        if definition.flags and all(t in names for t in tokens):
            return " ".join(tokens)
        if not definition.flags and node.text.strip() in names:
            return node.text.strip()
    return names[0] if names else ""


def _primitive_text(xsd: str, node: SampleNode | None) -> str:
    if node is not None and _valid(xsd, node.text):
        return node.text if xsd not in INTEGER_RANGES and xsd not in _LEXICAL else node.text.strip()
    return _xml_text(builtin(xsd).example)


def _xml_text(value: Example) -> str:
    """An example in XML Schema's notation (a duration as ``PT1H30M``, bytes in base64)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        minutes, seconds = divmod(int(value.total_seconds()), 60)
        parts = zip((minutes // 60, minutes % 60, seconds), "HMS", strict=True)
        return "PT" + "".join(f"{n}{unit}" for n, unit in parts if n) if value else "PT0S"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return str(value)


def _valid(xsd: str, text: str) -> bool:
    value = text.strip()
    if xsd in INTEGER_RANGES:
        low, high = INTEGER_RANGES[xsd]
        return re.fullmatch(r"[+-]?[0-9]+", value) is not None and low <= int(value) <= high
    pattern = _LEXICAL.get(xsd)
    if pattern is None:
        return True
    return pattern.fullmatch(value) is not None and _CHECKS.get(xsd, _always)(value)


def _always(_: str) -> bool:
    return True


def _calendar_date(text: str) -> bool:
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


_CHECKS: dict[str, Callable[[str], bool]] = {"dateTime": _calendar_date}
