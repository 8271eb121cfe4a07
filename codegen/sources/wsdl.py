"""Read one WSDL, raw or wrapped in its ``ServicesNN-<Agent>.md`` page, into an ``Agent``.

This module owns everything about WSDL 1.1 and the XML Schema subset that WCF's
DataContract serializer writes: messages, the SOAP 1.1 binding (actions and header parts),
and the named types every operation reaches (primitives, structures with one base,
enums and flag enums, ``ArrayOfX`` wrappers, ``IsDictionary`` types).

The document is parsed once; then named types, elements and messages are indexed in one
pass over the schemas, and only what the operations reach is turned into IR. Every
prefix is resolved through the element's in-scope namespaces, never by its spelling.
Bad input never raises: it becomes a ``Diagnostic`` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from codegen.ir import (
    ANY_TYPE,
    SERIALIZATION,
    UNBOUNDED,
    XSD,
    Agent,
    ArrayType,
    ComplexType,
    Diagnostic,
    DictionaryType,
    EnumType,
    EnumValue,
    Field,
    Level,
    Message,
    Operation,
    Primitive,
    QName,
    SoapOperation,
    TypeDef,
)
from codegen.sources.text import clean_doc
from codegen.sources.xml_input import is_safe_uri, is_xml_name
from codegen.sources.xml_parser import Element, NotParsed, parse, root_tag

WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP = "http://schemas.xmlsoap.org/wsdl/soap/"

_DEFINITIONS = f"{{{WSDL}}}definitions"
_TYPES = f"{{{WSDL}}}types"
_MESSAGE = f"{{{WSDL}}}message"
_PART = f"{{{WSDL}}}part"
_PORT_TYPE = f"{{{WSDL}}}portType"
_BINDING = f"{{{WSDL}}}binding"
_SERVICE = f"{{{WSDL}}}service"
_PORT = f"{{{WSDL}}}port"
_OPERATION = f"{{{WSDL}}}operation"
_INPUT = f"{{{WSDL}}}input"
_OUTPUT = f"{{{WSDL}}}output"
_DOCUMENTATION = f"{{{WSDL}}}documentation"
_SOAP_BINDING = f"{{{SOAP}}}binding"
_SOAP_OPERATION = f"{{{SOAP}}}operation"
_SOAP_BODY = f"{{{SOAP}}}body"
_SOAP_HEADER = f"{{{SOAP}}}header"
_SOAP_ADDRESS = f"{{{SOAP}}}address"

_SCHEMA = f"{{{XSD}}}schema"
_ELEMENT = f"{{{XSD}}}element"
_COMPLEX_TYPE = f"{{{XSD}}}complexType"
_SIMPLE_TYPE = f"{{{XSD}}}simpleType"
_SEQUENCE = f"{{{XSD}}}sequence"
_COMPLEX_CONTENT = f"{{{XSD}}}complexContent"
_EXTENSION = f"{{{XSD}}}extension"
_RESTRICTION = f"{{{XSD}}}restriction"
_ENUMERATION = f"{{{XSD}}}enumeration"
_LIST = f"{{{XSD}}}list"
_ANNOTATION = f"{{{XSD}}}annotation"
_APPINFO = f"{{{XSD}}}appinfo"
_XSD_DOCUMENTATION = f"{{{XSD}}}documentation"
_APPINFO_PATH = f"{_ANNOTATION}/{_APPINFO}/{{{SERIALIZATION}}}"

# Schema-level declarations that name no type and no element: nothing to read.
_SCHEMA_IGNORED = frozenset(
    {_ANNOTATION, f"{{{XSD}}}import", f"{{{XSD}}}include", f"{{{XSD}}}attribute"}
)
# The XSD built-in datatypes, which no schema in the WSDL declares.
# fmt: off
_XSD_BUILTINS = frozenset([
    "anyType", "anySimpleType", "string", "normalizedString", "token", "language", "Name",
    "NCName", "ID", "IDREF", "IDREFS", "ENTITY", "ENTITIES", "NMTOKEN", "NMTOKENS", "QName",
    "NOTATION", "anyURI", "boolean", "base64Binary", "hexBinary", "decimal", "integer",
    "nonPositiveInteger", "negativeInteger", "nonNegativeInteger", "positiveInteger", "long",
    "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "float", "double", "duration", "dateTime", "date", "time", "gYearMonth", "gYear",
    "gMonthDay", "gDay", "gMonth",
])
# fmt: on
_TRUE = frozenset({"true", "1"})
_VERSION = re.compile(r"Services(\d+)/*$")
_REMOTE_PATH = re.compile(r".*/(remote/.*)", re.IGNORECASE | re.DOTALL)
_SNIFF_BYTES = 65536
_T = TypeVar("_T")


def looks_like_wsdl(data: bytes) -> bool:
    """True when the document's root is WSDL 1.1 ``definitions``, whatever the file is called.

    Only the start of the document is read: enough to pass a BOM, the XML declaration and
    comments, and to resolve the root's prefix through its namespace declarations.
    """
    return root_tag(data[:_SNIFF_BYTES]) == _DEFINITIONS


def read_wsdl_page(file: str, text: str) -> tuple[Agent | None, list[Diagnostic]]:
    """Read the WSDL held in the single ```xml fence of a ``ServicesNN-<Agent>.md`` page."""
    fence = _xml_fence(text)
    if fence is None:
        message = "no ```xml fence holding the WSDL"
        return None, [Diagnostic(file, 1, Level.ERROR, message)]
    if fence.end is None:
        message = "the ```xml fence holding the WSDL is never closed"
        return None, [Diagnostic(file, fence.line, Level.ERROR, message)]
    diagnostics: list[Diagnostic] = []
    if fence.more:
        message = "more than one ```xml fence; the first is read as the WSDL"
        diagnostics.append(Diagnostic(file, fence.line, Level.WARNING, message))
    # Lone surrogates pass through so that lxml reports them as bad UTF-8, with a line.
    xml = text[fence.start : fence.end].encode("utf-8", "surrogatepass")
    agent, found = read_wsdl(file, xml, fence.line)
    return agent, sorted(diagnostics + found)


@dataclass(frozen=True)
class _Fence:
    line: int
    """The 1-based line of the opening fence: the XML's line 1 is the page's ``line + 1``."""
    start: int
    end: int | None
    """Where the closing fence line starts; None when the fence is never closed."""
    more: bool
    """Another ```xml fence follows this one."""


def _xml_fence(text: str) -> _Fence | None:
    lines = _fence_lines(text)
    for start, after, info in lines:
        if info.lower() != "xml":
            continue
        end = next((line for line, _, info in lines if not info), None)
        more = any(info.lower() == "xml" for _, _, info in lines)
        return _Fence(text.count("\n", 0, start) + 1, after, end, more)
    return None


def _fence_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Each line opening or closing a backtick fence: its start, the next line's, its info.

    A plain ``str.find`` loop: the pages are large and fence lines are few.
    """
    padded = "\n" + text  # so that a fence on the first line is found like any other
    found = padded.find("\n```")
    while found != -1:
        end = padded.find("\n", found + 1)
        end = len(padded) if end == -1 else end
        yield found, end, padded[found + 4 : end].strip()
        found = padded.find("\n```", end)


def read_wsdl(
    file: str, data: bytes, line_offset: int = 0
) -> tuple[Agent | None, list[Diagnostic]]:
    """Read a WSDL document into its ``Agent``; ``line_offset`` shifts reported lines.

    Returns ``None`` with an ERROR when the document is not XML or not a usable WSDL.
    """
    root = parse(data)
    if isinstance(root, NotParsed):
        return None, [Diagnostic(file, root.line + line_offset, Level.ERROR, root.message)]
    reader = _WsdlReader(file, line_offset)
    agent = reader.read(root)
    return agent, sorted(reader.diagnostics)


@dataclass(frozen=True)
class _Schema:
    """What a declaration inherits from the ``xs:schema`` around it."""

    namespace: str
    qualified: bool


@dataclass(frozen=True)
class _Declaration:
    element: Element
    schema: _Schema


class _WsdlReader:
    """One reading of one WSDL: the indexes, the diagnostics, and the types reached so far."""

    def __init__(self, file: str, line_offset: int) -> None:
        self.file = file
        self.line_offset = line_offset
        self.diagnostics: list[Diagnostic] = []
        self.types: dict[QName, _Declaration] = {}
        self.elements: dict[QName, _Declaration] = {}
        self.messages: dict[QName, Element] = {}
        self.port_types: dict[QName, Element] = {}
        self.reference_lines: dict[QName, int] = {}
        self.header_fields: dict[QName, Field] = {}

    # --- diagnostics and names ---------------------------------------------------------

    def line(self, element: Element) -> int:
        return int(element.sourceline or 1) + self.line_offset

    def report(self, element: Element, level: Level, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.file, self.line(element), level, message))

    def reference(self, element: Element, attribute: str) -> QName | None:
        """Resolve the QName in ``attribute`` through ``element``'s in-scope namespaces."""
        value = element.get(attribute)
        if value is None:
            return None
        prefix, _, local = value.strip().rpartition(":")
        namespace = element.nsmap.get(prefix or None)
        if namespace is None and prefix:
            self.report(element, Level.ERROR, f"undeclared prefix {prefix!r} in {value!r}")
            return None
        return QName(str(namespace or ""), local)

    def name(self, element: Element, what: str) -> str | None:
        """The ``name`` attribute, when it is an XML name; it becomes code and file names."""
        name = str(element.get("name", ""))
        if is_xml_name(name):
            return name
        self.report(element, Level.ERROR, f"{what} {name!r} is not an XML name")
        return None

    def namespace(self, element: Element) -> str:
        """The ``targetNamespace``, when it is safe inside attributes, Clark names and headers."""
        namespace = str(element.get("targetNamespace", ""))
        if not is_safe_uri(namespace):
            message = f"targetNamespace {namespace!r} is not a namespace URI"
            self.report(element, Level.ERROR, message)
        return namespace

    def type_reference(self, element: Element, attribute: str) -> QName | None:
        """Resolve a type name, remembering where it was first named for diagnostics."""
        name = self.reference(element, attribute)
        if name is not None and name not in self.reference_lines:
            self.reference_lines[name] = self.line(element)
        return name

    # --- the document ------------------------------------------------------------------

    def read(self, root: Element) -> Agent | None:
        if root.tag != _DEFINITIONS:
            self.report(root, Level.ERROR, f"not a WSDL: the root is {root.tag}")
            return None
        namespace = self.namespace(root)
        bindings = self.index(root, namespace)
        binding = self.soap_binding(root, bindings)
        if binding is None:
            return None
        port_type = _lookup(self.port_types, self.reference(binding, "type"))
        if port_type is None:
            self.report(binding, Level.ERROR, "the binding's portType is not declared")
            return None
        agent_name = self.name(port_type, "agent (portType)")
        operations = self.operations(port_type, binding)
        version = _VERSION.search(namespace)
        if agent_name is None:
            return None
        return Agent(
            name=agent_name,
            version=int(version.group(1)) if version else None,
            namespace=namespace,
            service_path=self.service_path(root, binding, namespace),
            operations=operations,
            types=self.reachable_types(operations),
            doc=_documentation(port_type),
        )

    def index(self, root: Element, namespace: str) -> list[Element]:
        """Index schemas, messages and port types by name; return the bindings."""
        bindings: list[Element] = []
        for child in root:
            if child.tag == _TYPES:
                for schema in child.iterchildren(_SCHEMA):
                    self.index_schema(schema)
            elif child.tag == _MESSAGE:
                self.messages[QName(namespace, str(child.get("name", "")))] = child
            elif child.tag == _PORT_TYPE:
                self.port_types[QName(namespace, str(child.get("name", "")))] = child
            elif child.tag == _BINDING:
                bindings.append(child)
        return bindings

    def index_schema(self, schema_element: Element) -> None:
        schema = _Schema(
            namespace=self.namespace(schema_element),
            qualified=schema_element.get("elementFormDefault") == "qualified",
        )
        for child in schema_element:
            if child.tag == _ELEMENT:
                self.declare(self.elements, child, schema)
            elif child.tag in (_COMPLEX_TYPE, _SIMPLE_TYPE):
                self.declare(self.types, child, schema)
            elif child.tag not in _SCHEMA_IGNORED:
                self.report(child, Level.WARNING, f"unsupported schema construct {child.tag}")

    def declare(self, table: dict[QName, _Declaration], element: Element, schema: _Schema) -> None:
        local = self.name(element, "schema declaration")
        if local is None:
            return
        name = QName(schema.namespace, local)
        if name in table:
            self.report(element, Level.WARNING, f"{name} is declared twice; the first is read")
            return
        table[name] = _Declaration(element, schema)

    def soap_binding(self, root: Element, bindings: list[Element]) -> Element | None:
        soap_bindings = [b for b in bindings if b.find(_SOAP_BINDING) is not None]
        if not soap_bindings:
            self.report(root, Level.ERROR, "no SOAP 1.1 binding in the WSDL")
            return None
        if len(soap_bindings) > 1:
            message = "more than one SOAP 1.1 binding; the first is read"
            self.report(soap_bindings[1], Level.WARNING, message)
        return soap_bindings[0]

    def service_path(self, root: Element, binding: Element, namespace: str) -> str:
        """The endpoint path from ``Remote/`` on: what follows the installation root."""
        binding_name = QName(namespace, str(binding.get("name", "")))
        for port in root.iterfind(f"{_SERVICE}/{_PORT}"):
            address = port.find(_SOAP_ADDRESS)
            if address is None or self.reference(port, "binding") != binding_name:
                continue
            path = urlsplit(str(address.get("location", ""))).path
            remote = _REMOTE_PATH.match(path)
            if remote:
                return remote.group(1)
            self.report(address, Level.WARNING, f"the endpoint {path!r} has no Remote/ segment")
            return path.lstrip("/")
        self.report(binding, Level.WARNING, "no soap:address for the SOAP binding")
        return ""

    # --- operations --------------------------------------------------------------------

    def operations(self, port_type: Element, binding: Element) -> tuple[Operation, ...]:
        bound = {op.get("name"): op for op in binding.iterchildren(_OPERATION)}
        found: dict[str, Operation] = {}
        for abstract in port_type.iterchildren(_OPERATION):
            name = self.name(abstract, "operation")
            if name is None:
                continue
            if name in found:
                self.report(abstract, Level.ERROR, f"operation {name} is declared twice")
                continue
            concrete = bound.get(name)
            if concrete is None:
                self.report(abstract, Level.ERROR, f"operation {name} has no SOAP binding")
                continue
            operation = self.operation(name, abstract, concrete)
            if operation is not None:
                found[name] = operation
        return tuple(found[name] for name in sorted(found))

    def operation(self, name: str, abstract: Element, concrete: Element) -> Operation | None:
        soap_operation = concrete.find(_SOAP_OPERATION)
        action = "" if soap_operation is None else str(soap_operation.get("soapAction", ""))
        if not is_safe_uri(action):
            message = f"soapAction {action!r} holds a quote, space or control character"
            self.report(soap_operation, Level.ERROR, message)
            return None
        request = self.message(abstract, _INPUT, concrete)
        response = self.message(abstract, _OUTPUT, concrete)
        if request is None or response is None:
            return None
        return Operation(
            name=name,
            doc=_documentation(abstract),
            soap=SoapOperation(action=action, input=request, output=response),
        )

    def message(self, abstract: Element, direction: str, concrete: Element) -> Message | None:
        """One direction: the body from the portType's message, headers from the binding."""
        declared = abstract.find(direction)
        if declared is None:
            word = direction.rpartition("}")[2]
            self.report(abstract, Level.ERROR, f"operation has no {word}")
            return None
        bound = concrete.find(direction)
        body = None if bound is None else bound.find(_SOAP_BODY)
        part = self.body_part(declared, body)
        wrapper = None if part is None else self.global_element(part, "element")
        if wrapper is None:
            return None
        name, declaration = wrapper
        headers = () if bound is None else tuple(self.headers(bound))
        return Message(element=name, fields=self.element_fields(declaration), headers=headers)

    def body_part(self, declared: Element, body: Element | None) -> Element | None:
        """The single part the body carries (document/literal wrapped)."""
        message = _lookup(self.messages, self.reference(declared, "message"))
        if message is None:
            self.report(
                declared,
                Level.ERROR,
                f"message {declared.get('message')} is not declared",
            )
            return None
        wanted = None if body is None else body.get("parts")
        parts = [
            p
            for p in message.iterchildren(_PART)
            if wanted is None or p.get("name") in wanted.split()
        ]
        if len(parts) != 1 or parts[0].get("element") is None:
            message_name = message.get("name")
            self.report(message, Level.ERROR, f"message {message_name} needs one element part")
            return None
        return parts[0]

    def headers(self, bound: Element) -> Iterator[Field]:
        for header in bound.iterchildren(_SOAP_HEADER):
            part = self.message_part(header)
            found = None if part is None else self.global_element(part, "element")
            if found is not None:
                yield self.header_field(*found)

    def header_field(self, name: QName, declaration: _Declaration) -> Field:
        """Every operation declares the same few headers: build each Field once."""
        field = self.header_fields.get(name)
        if field is None:
            field = self.field(declaration.element, name.namespace)
            self.header_fields[name] = field
        return field

    def message_part(self, header: Element) -> Element | None:
        message = _lookup(self.messages, self.reference(header, "message"))
        part_name = header.get("part")
        if message is not None:
            for part in message.iterchildren(_PART):
                if part.get("name") == part_name:
                    return part
        self.report(
            header,
            Level.ERROR,
            f"header part {header.get('message')}/{part_name} not found",
        )
        return None

    def global_element(self, owner: Element, attribute: str) -> tuple[QName, _Declaration] | None:
        name = self.reference(owner, attribute)
        declaration = _lookup(self.elements, name)
        if name is None or declaration is None:
            self.report(owner, Level.ERROR, f"element {owner.get(attribute)} is not declared")
            return None
        return name, declaration

    def element_fields(self, declaration: _Declaration) -> tuple[Field, ...]:
        """The children of a wrapper element, from its anonymous type or a named one."""
        element = declaration.element
        inline = element.find(_COMPLEX_TYPE)
        if inline is not None:
            return self.sequence_fields(inline, declaration.schema)
        named = _lookup(self.types, self.type_reference(element, "type"))
        if named is None or named.element.tag != _COMPLEX_TYPE:
            self.report(element, Level.ERROR, "a message element must hold a complex type")
            return ()
        return self.sequence_fields(named.element, named.schema)

    # --- fields ------------------------------------------------------------------------

    def sequence_fields(self, holder: Element, schema: _Schema) -> tuple[Field, ...]:
        """The elements of the ``xs:sequence`` directly below ``holder``, in order."""
        fields: list[Field] = []
        seen: set[str] = set()
        for child in holder:
            if child.tag == _SEQUENCE:
                fields.extend(self.sequence(child, schema, seen))
            elif child.tag != _ANNOTATION:
                self.report(child, Level.WARNING, f"unsupported content {child.tag}, ignored")
        return tuple(fields)

    def sequence(self, sequence: Element, schema: _Schema, seen: set[str]) -> Iterator[Field]:
        """The fields of one sequence; ``seen`` holds the names already taken in the type."""
        for child in sequence:
            if child.tag == _ELEMENT:
                field = self.local_field(child, schema)
                if field.wire_name in seen:
                    # Two fields of one name would be two parameters or attributes of one name.
                    message = f"element {field.wire_name} appears twice in one type"
                    self.report(child, Level.ERROR, message)
                    continue
                seen.add(field.wire_name)
                yield field
            elif child.tag != _ANNOTATION:
                self.report(child, Level.WARNING, f"unsupported particle {child.tag}, ignored")

    def local_field(self, element: Element, schema: _Schema) -> Field:
        """A field declared inside a type: namespaced as the schema's form rules say."""
        form = element.get("form")
        qualified = schema.qualified if form is None else form == "qualified"
        return self.field(element, schema.namespace if qualified else "")

    def field(self, element: Element, namespace: str) -> Field:
        name = element.get("name")
        if name is None:
            self.report(element, Level.ERROR, "element without a name (ref= is not supported)")
        else:
            name = self.name(element, "element")
        return Field(
            wire_name=str(name or ""),
            namespace=namespace,
            type=self.field_type(element),
            nillable=element.get("nillable") in _TRUE,
            min_occurs=self.occurs(element, "minOccurs"),
            max_occurs=self.occurs(element, "maxOccurs"),
            doc=_annotation_doc(element),
        )

    def field_type(self, element: Element) -> QName:
        named = self.type_reference(element, "type")
        if named is not None:
            return named
        if element.find(_COMPLEX_TYPE) is not None or element.find(_SIMPLE_TYPE) is not None:
            self.report(element, Level.WARNING, "anonymous element type read as anyType")
        return ANY_TYPE

    def occurs(self, element: Element, attribute: str) -> int:
        value = element.get(attribute)
        if value is None:
            return 1
        if value == "unbounded":
            return UNBOUNDED
        if value.isdigit():
            return int(value)
        self.report(element, Level.ERROR, f"{attribute}={value!r} is not a number")
        return 1

    # --- types -------------------------------------------------------------------------

    def reachable_types(self, operations: Iterable[Operation]) -> tuple[TypeDef, ...]:
        """Every named type the operations reach, through fields, bases, items, keys, values."""
        pending = [f.type for op in operations if op.soap for f in _message_fields(op.soap)]
        found: dict[QName, TypeDef] = {}
        seen: set[QName] = set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            definition = self.type_def(name)
            if definition is not None:
                found[name] = definition
                pending.extend(_references(definition))
        for name in sorted(found):
            self.check_ancestry(name, found)
        return tuple(found[name] for name in sorted(found))

    def check_ancestry(self, name: QName, found: dict[QName, TypeDef]) -> None:
        """A type must not be its own ancestor: the emitter walks base chains to the root."""
        chain = [name]
        definition = found.get(name)
        while isinstance(definition, ComplexType) and definition.base is not None:
            if definition.base in chain:
                cycle = " -> ".join(n.name for n in (*chain, definition.base))
                element = self.types[name].element
                self.report(element, Level.ERROR, f"inheritance cycle: {cycle}")
                return
            chain.append(definition.base)
            definition = found.get(definition.base)

    def type_def(self, name: QName) -> TypeDef | None:
        if name.namespace == XSD and name.name in _XSD_BUILTINS:
            return Primitive(name, xsd=name.name)
        declaration = self.types.get(name)
        if declaration is None:
            line = self.reference_lines.get(name, 1 + self.line_offset)
            message = f"unknown type {name}"
            self.diagnostics.append(Diagnostic(self.file, line, Level.ERROR, message))
            return None
        if declaration.element.tag == _SIMPLE_TYPE:
            return self.simple_type(name, declaration.element)
        return self.complex_type(name, declaration)

    def simple_type(self, name: QName, element: Element) -> TypeDef:
        doc = _annotation_doc(element)
        restriction = element.find(_RESTRICTION)
        if restriction is not None:
            values = self.enum_values(element)
            if values:
                return EnumType(name, values, actual_type=_actual_type(element), doc=doc)
            return Primitive(name, xsd=self.builtin_base(restriction, {name}), doc=doc)
        item = self.list_item(element)
        flags = () if item is None else self.enum_values(item)
        if item is not None and flags:
            actual_type = _actual_type(element, item)
            return EnumType(name, flags, flags=True, actual_type=actual_type, doc=doc)
        self.report(element, Level.WARNING, f"simple type {name} is read as a string")
        return Primitive(name, xsd="string", doc=doc)

    def builtin_base(self, restriction: Element, seen: set[QName]) -> str:
        """The XSD built-in a chain of restrictions stands on."""
        base = self.type_reference(restriction, "base")
        if base is None or base in seen:
            self.report(restriction, Level.ERROR, "restriction without a usable base")
            return "string"
        if base.namespace == XSD:
            return base.name
        declaration = self.types.get(base)
        inner = None if declaration is None else declaration.element.find(_RESTRICTION)
        if inner is None:
            self.report(restriction, Level.ERROR, f"unknown simple base type {base}")
            return "string"
        return self.builtin_base(inner, seen | {base})

    def enum_values(self, simple_type: Element) -> tuple[EnumValue, ...]:
        restriction = simple_type.find(_RESTRICTION)
        if restriction is None:
            return ()
        return tuple(
            EnumValue(
                name=str(value.get("value", "")),
                value=self.enumeration_value(value),
                doc=_annotation_doc(value),
            )
            for value in restriction.iterchildren(_ENUMERATION)
        )

    def enumeration_value(self, enumeration: Element) -> int | None:
        number = enumeration.find(f"{_APPINFO_PATH}EnumerationValue")
        if number is None:
            return None
        text = (number.text or "").strip()
        try:
            return int(text)
        except ValueError:
            self.report(number, Level.WARNING, f"EnumerationValue {text!r} is not a number")
            return None

    def list_item(self, simple_type: Element) -> Element | None:
        """The item type of an ``xs:list``: anonymous inside it or named by ``itemType``."""
        listed = simple_type.find(_LIST)
        if listed is None:
            return None
        inline = listed.find(_SIMPLE_TYPE)
        if inline is not None:
            return inline
        declaration = _lookup(self.types, self.type_reference(listed, "itemType"))
        return None if declaration is None else declaration.element

    def complex_type(self, name: QName, declaration: _Declaration) -> TypeDef:
        element, schema = declaration.element, declaration.schema
        doc = _annotation_doc(element)
        if _appinfo_flag(element, "IsDictionary"):
            dictionary = self.dictionary(name, element, schema, doc)
            if dictionary is not None:
                return dictionary
        base: QName | None = None
        holder = element
        content = element.find(_COMPLEX_CONTENT)
        if content is not None:
            holder = content.find(_EXTENSION)
            if holder is None:
                self.report(content, Level.WARNING, "complexContent without an extension")
                return ComplexType(name, (), doc=doc)
            base = self.type_reference(holder, "base")
        fields = self.sequence_fields(holder, schema)
        if base is None and len(fields) == 1 and fields[0].max_occurs == UNBOUNDED:
            return ArrayType(name, fields[0], doc=doc)
        abstract = element.get("abstract") in _TRUE
        return ComplexType(name, fields, base=base, abstract=abstract, doc=doc)

    def dictionary(
        self, name: QName, element: Element, schema: _Schema, doc: str
    ) -> DictionaryType | None:
        """An ``IsDictionary`` type: one repeated anonymous entry holding Key and Value."""
        entries = element.findall(f"{_SEQUENCE}/{_ELEMENT}")
        pair = entries[0].findall(f"{_COMPLEX_TYPE}/{_SEQUENCE}/{_ELEMENT}") if entries else []
        by_name = {child.get("name"): child for child in pair}
        if len(entries) != 1 or "Key" not in by_name or "Value" not in by_name:
            message = f"dictionary {name} has no single Key/Value entry; read as a structure"
            self.report(element, Level.WARNING, message)
            return None
        entry_name = self.name(entries[0], "dictionary entry")
        return DictionaryType(
            name,
            entry_name=entry_name or "",
            key=self.local_field(by_name["Key"], schema),
            value=self.local_field(by_name["Value"], schema),
            doc=doc,
        )


# --- helpers that need no reader state ------------------------------------------------


def _lookup(table: dict[QName, _T], name: QName | None) -> _T | None:
    return None if name is None else table.get(name)


def _message_fields(soap: SoapOperation) -> Iterator[Field]:
    for message in (soap.input, soap.output):
        yield from message.fields
        yield from message.headers


def _references(definition: TypeDef) -> Iterator[QName]:
    """The named types one type definition points at."""
    if isinstance(definition, ComplexType):
        yield from (f.type for f in definition.fields)
        if definition.base is not None:
            yield definition.base
    elif isinstance(definition, ArrayType):
        yield definition.item.type
    elif isinstance(definition, DictionaryType):
        yield definition.key.type
        yield definition.value.type


def _documentation(element: Element) -> str:
    """The ``<summary>`` of a ``wsdl:documentation``, as clean text."""
    documentation = element.find(_DOCUMENTATION)
    if documentation is None:
        return ""
    summary = documentation.find("summary")
    source = documentation if summary is None else summary
    return clean_doc("".join(source.itertext()))


def _annotation_doc(element: Element) -> str:
    documentation = element.find(f"{_ANNOTATION}/{_XSD_DOCUMENTATION}")
    return "" if documentation is None else clean_doc("".join(documentation.itertext()))


def _actual_type(*elements: Element) -> str:
    """The .NET underlying type WCF declares for an enum (``short``), else ``int``."""
    for element in elements:
        actual = element.find(f"{_APPINFO_PATH}ActualType")
        if actual is not None and actual.get("Name"):
            return str(actual.get("Name"))
    return "int"


def _appinfo_flag(element: Element, name: str) -> bool:
    flag = element.find(f"{_APPINFO_PATH}{name}")
    return flag is not None and (flag.text or "").strip() in _TRUE
