"""Read one WSDL, raw or wrapped in its ``ServicesNN-<Agent>.md`` page, into an ``Agent``.

This module owns WSDL 1.1 as WCF writes it: the page's xml fence, the definitions, the
messages, the port type and the SOAP 1.1 binding (actions, header parts, the endpoint),
made into the agent's operations. The schemas in ``wsdl:types``, and the types the
operations reach, are ``codegen.sources.xsd``'s to read.

The document is parsed once; the schemas, messages and port types are indexed in one pass,
and only what the operations reach is turned into IR. Bad input never raises: it becomes
a ``Diagnostic`` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from codegen.ir import (
    Agent,
    Diagnostic,
    Field,
    Level,
    Message,
    Operation,
    QName,
    SoapOperation,
)
from codegen.sources.text import clean_doc
from codegen.sources.xml_input import is_safe_uri
from codegen.sources.xml_parser import Element, NotParsed, parse, root_tag
from codegen.sources.xsd import Declaration, SchemaReader, lookup

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

_VERSION = re.compile(r"Services(\d+)/*$")
_REMOTE_PATH = re.compile(r".*/(remote/.*)", re.IGNORECASE | re.DOTALL)
_SNIFF_BYTES = 65536


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
    root = parse(_lf_lines(data))
    if isinstance(root, NotParsed):
        return None, [Diagnostic(file, root.line + line_offset, Level.ERROR, root.message)]
    reader = _WsdlReader(file, line_offset)
    agent = reader.read(root)
    return agent, sorted(reader.diagnostics)


def _lf_lines(data: bytes) -> bytes:
    """Every line end made LF, as XML reads them anyway (a CR or CRLF is one LF), for lxml
    counts lines at LF only: a file of CR-only lines was all line 1. Not in UTF-16 or
    UTF-32 (told by a NUL byte at the start), where a 0x0D byte need not be a CR."""
    if b"\r" not in data or b"\x00" in data[:4]:
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


class _WsdlReader(SchemaReader):
    """One reading of one WSDL: its schemas, messages and port types, and the diagnostics."""

    def __init__(self, file: str, line_offset: int) -> None:
        super().__init__(file, line_offset)
        self.messages: dict[QName, Element] = {}
        self.port_types: dict[QName, Element] = {}
        self.header_fields: dict[QName, Field] = {}

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
        port_type = lookup(self.port_types, self.reference(binding, "type"))
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
            types=self.reachable_types(
                f.type for op in operations if op.soap for f in _message_fields(op.soap)
            ),
            doc=_documentation(port_type),
        )

    def index(self, root: Element, namespace: str) -> list[Element]:
        """Index schemas, messages and port types by name; return the bindings."""
        bindings: list[Element] = []
        for child in root:
            if child.tag == _TYPES:
                self.index_schemas(child)
            elif child.tag == _MESSAGE:
                self.messages[QName(namespace, str(child.get("name", "")))] = child
            elif child.tag == _PORT_TYPE:
                self.port_types[QName(namespace, str(child.get("name", "")))] = child
            elif child.tag == _BINDING:
                bindings.append(child)
        return bindings

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
        message = lookup(self.messages, self.reference(declared, "message"))
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

    def header_field(self, name: QName, declaration: Declaration) -> Field:
        """Every operation declares the same few headers: build each Field once."""
        field = self.header_fields.get(name)
        if field is None:
            field = self.field(declaration.element, name.namespace)
            self.header_fields[name] = field
        return field

    def message_part(self, header: Element) -> Element | None:
        message = lookup(self.messages, self.reference(header, "message"))
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


# --- helpers that need no reader state ------------------------------------------------


def _message_fields(soap: SoapOperation) -> Iterator[Field]:
    for message in (soap.input, soap.output):
        yield from message.fields
        yield from message.headers


def _documentation(element: Element) -> str:
    """The ``<summary>`` of a ``wsdl:documentation``, as clean text."""
    documentation = element.find(_DOCUMENTATION)
    if documentation is None:
        return ""
    summary = documentation.find("summary")
    source = documentation if summary is None else summary
    return clean_doc("".join(source.itertext()))
