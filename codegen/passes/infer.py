"""Infer an ``Agent`` from its SOAP method pages alone, for when no WSDL is at hand.

This pass owns the rules that read types out of sample envelopes. The body wrapper names
the message and its children are the fields; ``xsi:type`` names each field's type:

- an XSD or Serialization type (``xsd:int``, ``ser:duration``) is a ``Primitive``;
- ``ArrayOfX`` (in the Arrays or the service namespace) is an ``ArrayType`` whose item is
  the element it holds;
- an element holding ``…KeyValuePair`` entries of ``Key`` and ``Value`` is a
  ``DictionaryType``;
- any other type shown with children is a ``ComplexType``; one only ever shown as a leaf
  with text is an ``EnumType`` of the tokens seen (several tokens at once make it flags).

A type seen in several places, on several pages, is merged: its fields are the union of
those seen, in the order the samples show them. As in the real WSDLs every field has
``minOccurs=0`` and is nillable exactly when its type is a reference type (strings, complex
types, arrays, dictionaries); dictionary keys and values keep the WSDL's ``minOccurs=1``.
``xsi:nil`` is how the samples cut recursion, and they put it on ``int`` fields too, so it
says nothing about nillability: a nil element adds its field and, when it has one, its
``xsi:type``; a field only ever seen nil is ``anyType``, with a warning.

Headers are the elements the request (or response) sample puts outside the body, typed by
the same rules but optional (``minOccurs=0``): a client need not send them. An untyped
header with children is a complex type named ``So<Element>``, the name the WSDLs give it
(``Credentials`` is an ``SoCredentials``). An untyped leaf, header or not, is a string.
The operation's action is ``<namespace>/<Agent>/<Method>``, as in every real WSDL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
    Sample,
    SampleNode,
    SoapOperation,
    SoapPage,
    TypeDef,
)

if TYPE_CHECKING:
    from codegen.passes import AgentSources

_STRING = QName(XSD, "string")
_ARRAY_PREFIX = "ArrayOf"
_ENTRY_SUFFIX = "KeyValuePair"
_HEADER_TYPE_PREFIX = "So"
# The XSD built-ins a Serialization simple type restricts (``Primitive.xsd``).
_SERIALIZATION_XSD = {"char": "int", "guid": "string", "duration": "duration"}
# XSD built-ins that map to .NET reference types, which the WSDLs declare nillable.
_REFERENCE_XSD = frozenset({"string", "base64Binary", "anyType", "anyURI", "QName"})


@dataclass
class _Slot:
    """What the samples show for one element position: a field, an item, a key or a value."""

    wire_name: str
    namespace: str
    file: str
    line: int
    type: QName | None = None
    repeated: bool = False


@dataclass
class _Shape:
    """Everything the samples show of one named type, before its kind is decided."""

    name: QName
    file: str
    line: int
    fields: dict[str, _Slot] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    item: _Slot | None = None
    entry_name: str = ""
    key: _Slot | None = None
    value: _Slot | None = None
    tokens: list[str] = field(default_factory=list)
    flags: bool = False


def infer(agent: Agent, sources: AgentSources) -> tuple[Agent, list[Diagnostic]]:
    """The pass: an agent with no WSDL becomes what its SOAP pages' samples describe."""
    if sources.wsdl is not None or not sources.soap_pages:
        return agent, []
    return infer_agent(sources.soap_pages)


def infer_agent(pages: Sequence[SoapPage]) -> tuple[Agent, list[Diagnostic]]:
    """The agent the pages' samples describe; pages of another agent or version are left out."""
    diagnostics: list[Diagnostic] = []
    ordered = sorted(pages, key=lambda page: (page.method, page.file))
    if not ordered:
        return Agent("", None, "", "", operations=(), types=()), diagnostics
    first = ordered[0]
    chosen = _pages_of(first.agent, first.version, ordered, diagnostics)
    namespace = _namespace(chosen, diagnostics)
    inference = _Inference(diagnostics)
    # Observe every sample before deciding any type: a later page may show more of it.
    seen = [
        (page, inference.observe(page.request), inference.observe(page.response)) for page in chosen
    ]
    operations = tuple(
        _operation(page, namespace, request, response, inference)
        for page, request, response in seen
    )
    agent = Agent(
        name=first.agent,
        version=first.version,
        namespace=namespace,
        service_path=_service_path(first.agent, first.version, chosen),
        operations=operations,
        types=inference.definitions(),
    )
    return agent, diagnostics


def _pages_of(
    agent: str,
    version: int | None,
    pages: Sequence[SoapPage],
    diagnostics: list[Diagnostic],
) -> list[SoapPage]:
    """One page per method of that agent and version: the first, in sorted order."""
    chosen: dict[str, SoapPage] = {}
    for page in pages:
        if (page.agent, page.version) != (agent, version):
            message = f"page of {page.agent} {page.version}, not {agent} {version}: left out"
            diagnostics.append(_warning(page.file, 1, message))
        elif page.method in chosen:
            message = f"{page.method} is also documented by {chosen[page.method].file}"
            diagnostics.append(_warning(page.file, 1, message, "this page is left out"))
        else:
            chosen[page.method] = page
    return list(chosen.values())


def _namespace(pages: Sequence[SoapPage], diagnostics: list[Diagnostic]) -> str:
    """The service namespace: the namespace of the first body wrapper the samples show."""
    for page in pages:
        for sample in (page.request, page.response):
            if sample is not None and sample.body is not None:
                return sample.body.name.namespace
    if pages:
        diagnostics.append(
            _warning(pages[0].file, 1, "no sample envelope shows the service namespace")
        )
    return ""


def _service_path(agent: str, version: int | None, pages: Sequence[SoapPage]) -> str:
    named = next((page.service_path for page in pages if page.service_path), "")
    if named or version is None:
        return named
    return f"Remote/Services{version}/{agent}.svc"


@dataclass(frozen=True)
class _Observed:
    """One sample, observed: its body wrapper (if any) and its header fields."""

    wrapper: _Shape | None
    headers: _Shape


def _operation(
    page: SoapPage,
    namespace: str,
    request: _Observed | None,
    response: _Observed | None,
    inference: _Inference,
) -> Operation:
    agent_path = f"{namespace}/{page.agent}" if namespace else page.agent
    soap = SoapOperation(
        action=f"{agent_path}/{page.method}",
        input=_message(request, QName(namespace, page.method), inference),
        output=_message(response, QName(namespace, f"{page.method}Response"), inference),
        request_sample=page.request,
        response_sample=page.response,
    )
    return Operation(
        name=page.method,
        doc=page.doc,
        online_restricted=page.online_restricted,
        returns_doc=page.returns_doc,
        soap=soap,
    )


def _message(observed: _Observed | None, default: QName, inference: _Inference) -> Message:
    """The message a sample shows; with no sample or no body, the usual name and no fields."""
    if observed is None:
        return Message(element=default, fields=())
    headers = inference.fields_of(observed.headers)
    if observed.wrapper is None:
        return Message(element=default, fields=(), headers=headers)
    wrapper = observed.wrapper
    return Message(wrapper.name, inference.fields_of(wrapper), headers)


class _Inference:
    """Collects what every sample shows of every type, then decides what each type is."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self._diagnostics = diagnostics
        self._shapes: dict[QName, _Shape] = {}
        self._primitives: dict[QName, Primitive] = {}
        self._reported: set[tuple[QName, str, QName]] = set()

    # --- Observing samples ------------------------------------------------------------------

    def observe(self, sample: Sample | None) -> _Observed | None:
        if sample is None:
            return None
        headers = _Shape(QName("", "Header"), sample.file, sample.line)
        self._observe_fields(headers, sample.headers, sample.file, header=True)
        body = sample.body
        if body is None:
            return _Observed(None, headers)
        wrapper = _Shape(body.name, sample.file, body.line)
        self._observe_fields(wrapper, body.children, sample.file)
        return _Observed(wrapper, headers)

    def _observe_fields(
        self,
        shape: _Shape,
        nodes: Sequence[SampleNode],
        file: str,
        header: bool = False,
    ) -> None:
        """Record the nodes as fields of ``shape``, merging with what was seen before."""
        seen: list[str] = []
        for child in nodes:
            name = child.name.name
            if name in seen:
                shape.fields[name].repeated = True
                continue
            seen.append(name)
            slot = shape.fields.get(name)
            if slot is None:
                slot = shape.fields[name] = _Slot(name, child.name.namespace, file, child.line)
            self._fill(slot, shape.name, child, file, header)
        _merge_order(shape.order, seen)

    def _fill(
        self,
        slot: _Slot,
        owner: QName,
        node: SampleNode,
        file: str,
        header: bool = False,
    ) -> None:
        """Add one sighting to a slot; a second, different type is a contradiction."""
        found = self._type_of(node, file, header)
        if found is None or found == slot.type:
            return
        if slot.type is None:
            slot.type = found
        elif (owner, slot.wire_name, found) not in self._reported:
            self._reported.add((owner, slot.wire_name, found))
            message = (
                f"{owner.name}.{slot.wire_name} is {found.name} here but {slot.type.name} "
                f"at {slot.file}:{slot.line}"
            )
            self._diagnostics.append(_warning(file, node.line, message, "keeping the first"))

    def _type_of(self, node: SampleNode, file: str, header: bool = False) -> QName | None:
        """The type a node shows, recording what it shows of it; None if it shows none."""
        if _is_dictionary(node):
            return self._observe_dictionary(node, file)
        declared = node.xsi_type
        if declared is None:
            if node.nil:
                return None
            if not node.children:
                return self._primitive(_STRING)
            prefix = _HEADER_TYPE_PREFIX if header else ""
            declared = QName(node.name.namespace, prefix + node.name.name)
        if declared.namespace in (XSD, SERIALIZATION):
            return self._primitive(declared)
        shape = self._shape(declared, file, node.line)
        if declared.name.startswith(_ARRAY_PREFIX):
            self._observe_items(shape, node, file)
        elif node.children:
            self._observe_fields(shape, node.children, file)
        elif node.text.strip():
            _add_tokens(shape, node.text)
        return declared

    def _observe_items(self, shape: _Shape, node: SampleNode, file: str) -> None:
        for child in node.children:
            if shape.item is None:
                shape.item = _Slot(child.name.name, child.name.namespace, file, child.line)
            self._fill(shape.item, shape.name, child, file)

    def _observe_dictionary(self, node: SampleNode, file: str) -> QName:
        entry_name = node.children[0].name.name
        name = node.xsi_type or QName(
            node.name.namespace, entry_name.removesuffix(_ENTRY_SUFFIX) + "Dictionary"
        )
        shape = self._shape(name, file, node.line)
        shape.entry_name = shape.entry_name or entry_name
        for entry in node.children:
            key, value = sorted(entry.children, key=lambda part: part.name.name)
            shape.key = shape.key or _Slot("Key", key.name.namespace, file, key.line)
            shape.value = shape.value or _Slot("Value", value.name.namespace, file, value.line)
            self._fill(shape.key, name, key, file)
            self._fill(shape.value, name, value, file)
        return name

    def _shape(self, name: QName, file: str, line: int) -> _Shape:
        shape = self._shapes.get(name)
        if shape is None:
            shape = self._shapes[name] = _Shape(name, file, line)
        return shape

    def _primitive(self, name: QName) -> QName:
        if name not in self._primitives:
            xsd = (
                _SERIALIZATION_XSD.get(name.name, "string")
                if name.namespace == SERIALIZATION
                else name.name
            )
            self._primitives[name] = Primitive(name, xsd)
        return name

    # --- Deciding types ---------------------------------------------------------------------

    def fields_of(self, shape: _Shape) -> tuple[Field, ...]:
        return tuple(self._field(shape.fields[name], min_occurs=0) for name in shape.order)

    def definitions(self) -> tuple[TypeDef, ...]:
        """Every type seen, primitives included, sorted by name."""
        decided: dict[QName, TypeDef] = {}
        for name, shape in self._shapes.items():
            decided[name] = self._definition(shape)
        decided.update(self._primitives)
        return tuple(decided[name] for name in sorted(decided))

    def _definition(self, shape: _Shape) -> TypeDef:
        if shape.key is not None and shape.value is not None:
            return DictionaryType(
                shape.name,
                shape.entry_name,
                key=self._field(shape.key, min_occurs=1),
                value=self._field(shape.value, min_occurs=1),
            )
        if shape.name.name.startswith(_ARRAY_PREFIX):
            item = shape.item or self._unseen_item(shape)
            return ArrayType(shape.name, self._field(item, min_occurs=0, max_occurs=UNBOUNDED))
        if shape.tokens and not shape.order:
            values = tuple(EnumValue(token) for token in shape.tokens)
            return EnumType(shape.name, values, flags=shape.flags)
        return ComplexType(shape.name, self.fields_of(shape))

    def _unseen_item(self, shape: _Shape) -> _Slot:
        """An empty ``ArrayOfX`` shows no item: ``ArrayOfint`` holds ``int``, and so on."""
        item_name = shape.name.name.removeprefix(_ARRAY_PREFIX)
        slot = _Slot(item_name, shape.name.namespace, shape.file, shape.line)
        if item_name[:1].islower():
            slot.type = self._primitive(QName(XSD, item_name))
        elif QName(shape.name.namespace, item_name) in self._shapes:
            slot.type = QName(shape.name.namespace, item_name)
        return slot

    def _field(self, slot: _Slot, min_occurs: int, max_occurs: int = 1) -> Field:
        type_name = slot.type
        if type_name is None:
            message = f"no sample shows the type of {slot.wire_name}"
            hint = "only xsi:nil or an empty array; typed anyType"
            self._diagnostics.append(_warning(slot.file, slot.line, message, hint))
            type_name = self._primitive(ANY_TYPE)
        return Field(
            wire_name=slot.wire_name,
            namespace=slot.namespace,
            type=type_name,
            nillable=self._is_reference(type_name),
            min_occurs=min_occurs,
            max_occurs=UNBOUNDED if slot.repeated else max_occurs,
        )

    def _is_reference(self, name: QName) -> bool:
        if name.namespace == XSD:
            return name.name in _REFERENCE_XSD
        shape = self._shapes.get(name)
        return shape is not None and not (shape.tokens and not shape.order)


def _is_dictionary(node: SampleNode) -> bool:
    """Dictionary entries carry no xsi:type, are named ``…KeyValuePair`` and hold Key, Value."""
    return bool(node.children) and all(
        entry.xsi_type is None
        and entry.name.name.endswith(_ENTRY_SUFFIX)
        and sorted(part.name.name for part in entry.children) == ["Key", "Value"]
        for entry in node.children
    )


def _add_tokens(shape: _Shape, text: str) -> None:
    tokens = text.split()
    shape.flags = shape.flags or len(tokens) > 1
    shape.tokens += [token for token in tokens if token not in shape.tokens]


def _merge_order(order: list[str], seen: Sequence[str]) -> None:
    """Put names first seen now right after the name before them in ``seen``.

    Plain appending would put a field that one sample shows and another omits after all
    the others; inserting it after its predecessor keeps the order every sample shows.
    """
    position = 0
    for name in seen:
        if name in order:
            position = order.index(name) + 1
        else:
            order.insert(position, name)
            position += 1


def _warning(file: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, Level.WARNING, message, hint)
