"""The SOAP flavour's view-model pass: every decision its templates need, made once.

``build_view(agent, names)`` turns an ``Agent`` into the records of
``codegen.emit.soap.view``, on the Python names ``codegen.passes.names`` gave it: the
prefixes and tag constants of its elements, a codec for every type, a slot for every
field, parameter and response part, and the clients' header options.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import quote

from codegen.emit.docs import CALL_RAISES, google_doc
from codegen.emit.literals import first_sentence
from codegen.emit.order import definition_order
from codegen.emit.soap.slots import TEXT_CODECS, Codec, Kind, Slot, enum_reader
from codegen.emit.soap.view import (
    AgentView,
    ArrayView,
    ClassView,
    DictView,
    EnumView,
    HeaderOption,
    Member,
    OperationView,
    TypeRef,
)
from codegen.emit.xsd import INTEGER_RANGES, builtin, enum_zero
from codegen.ir import (
    ANY_TYPE,
    ARRAYS,
    SERIALIZATION,
    XSD,
    XSI,
    Agent,
    ArrayType,
    ComplexType,
    DictionaryType,
    EnumType,
    Field,
    Operation,
    Primitive,
    QName,
    TypeDef,
)
from codegen.naming import Scope, snake_case, upper_snake
from codegen.passes.names import (
    METHOD_RESERVED,
    Names,
    module_names,
    result_name,
    result_type,
    results,
)

REQUEST_LOCALS = frozenset({"out", "body"})
"""What a request builder and a client method call their own locals besides the
parameters: the list the XML is written to, the body built."""
CLIENT_OPTIONS = frozenset({"auth", "client", "soap_version"})
"""The clients' constructor options besides the headers."""
SECRET_WORDS = frozenset({"password", "passwords", "ticket", "token", "secret"})
"""A field whose name ends in one of these is left out of ``repr``."""
_FIXED_PREFIXES = {XSD: "xsd", XSI: "xsi", ARRAYS: "arr", SERIALIZATION: "ser"}


_ELEMENT_ONLY = Codec("None", Kind.NESTED, "", "None")
"""The codec of a slot that only names an element and carries no value of its own."""


def build_view(agent: Agent, names: Names, module: str = "") -> AgentView:
    """Every annotation and XML piece the templates need for ``agent``, on ``names``.

    ``module`` is the agent's folder name when several agents share a package (see
    ``module_names``); by default it is the agent's name in snake case.
    """
    return _Builder(agent, names).build(module or module_names([agent.name])[agent.name])


class _Builder:
    def __init__(self, agent: Agent, names: Names) -> None:
        self.agent = agent
        self.names = names
        self.types = agent.type_map()
        self.soap_operations = [op for op in agent.operations if op.soap is not None]
        self.prefixes = _prefixes(agent, self.types)
        self.subtypes = _subtypes(self.types)
        self.tag_names = self._assign_tag_names()
        self.uses_any = False
        self.result_classes: dict[QName, ClassView] = {}
        self.class_views: dict[QName, ClassView] = {}

    # Names ---------------------------------------------------------------------------------

    def _assign_tag_names(self) -> dict[QName, str]:
        """A module constant for every element name a reader compares: ``_T_USER_NAME``.

        The agent's own elements go by their name alone, others with their prefix
        (``_T_ARR_STRING``).
        """
        elements = {
            QName(f.namespace, f.wire_name) for t in self.types.values() for f in _fields(t)
        }
        for op in self.soap_operations:
            assert op.soap is not None
            elements.update(QName(f.namespace, f.wire_name) for f in op.soap.output.fields)
        wanted = []
        for element in elements:
            prefix = self.prefixes.get(element.namespace, "")
            qualifier = f"{prefix.upper()}_" if prefix and prefix != "tns" else ""
            wanted.append((element, f"_T_{qualifier}{upper_snake(element.name)}"))
        return Scope().assign_keys(wanted, fallback="_T_TAG")

    # Types ---------------------------------------------------------------------------------

    def codec(self, name: QName) -> Codec:
        """How a value of the named type is written, read and defaulted."""
        if name == ANY_TYPE:
            self.uses_any = True
            return Codec("object", Kind.ANY, "read_any", '""', writer="write_any")
        definition = self.types.get(name)
        if definition is None or isinstance(definition, Primitive):
            xsd = definition.xsd if definition is not None else name.name
            if name.namespace not in (XSD, SERIALIZATION) and definition is None:
                # A type the IR does not define: take it as anyType, the loosest reading.
                self.uses_any = True
                return Codec("object", Kind.ANY, "read_any", '""', writer="write_any")
            codec = TEXT_CODECS[builtin(xsd).annotation]
            if xsd in INTEGER_RANGES:
                return codec.with_range(*INTEGER_RANGES[xsd])
            return codec
        type_id = self.names.ids[name]
        if isinstance(definition, EnumType):
            class_name = self.names.classes[name]
            return Codec(
                class_name,
                Kind.TEXT,
                f"read_{type_id}",
                enum_zero(definition, class_name, self.names),
                format=f"format_{type_id}({{}}, {{name}})",
                inline=(enum_reader(type_id), "{text}", "[]"),
                value_type=True,
            )
        if isinstance(definition, ComplexType):
            class_name = self.names.classes[name]
            if self.subtypes.get(name):
                return Codec(
                    class_name,
                    Kind.POLYMORPHIC,
                    f"read_{type_id}_polymorphic",
                    class_name,
                    writer=f"write_{type_id}_polymorphic",
                    factory=True,
                )
            return Codec(
                class_name,
                Kind.NESTED,
                f"read_{type_id}",
                class_name,
                writer=f"write_{type_id}",
                factory=True,
            )
        if isinstance(definition, ArrayType):
            item = self.slot(definition.item_as_read, item=True)
            annotation = f"list[{item.item_annotation}]"
            return Codec(
                annotation,
                Kind.NESTED,
                f"read_{type_id}",
                "list",
                writer=f"write_{type_id}",
                factory=True,
            )
        key = self.slot(definition.key, item=True)
        value = self.slot(definition.value, item=True)
        annotation = f"dict[{key.codec.annotation}, {value.item_annotation}]"
        return Codec(
            annotation,
            Kind.NESTED,
            f"read_{type_id}",
            "dict",
            writer=f"write_{type_id}",
            factory=True,
        )

    def slot(self, source: Field, python_name: str = "", item: bool = False) -> Slot:
        """The slot for a field; an ``item`` (array item, dictionary part) is never omitted."""
        prefix = self.prefixes.get(source.namespace, "")
        return Slot(
            wire_name=source.wire_name,
            python_name=python_name,
            prefixed=f"{prefix}:{source.wire_name}" if prefix else source.wire_name,
            tag=str(QName(source.namespace, source.wire_name)),
            codec=self.codec(source.type),
            nillable=source.nillable,
            optional=source.optional and not item,
            repeated=source.repeated and not item,
            doc=source.doc,
            secret=python_name.rstrip("_").rpartition("_")[2] in SECRET_WORDS,
            rest_only=source.rest_only,
            tag_constant=self.tag_names.get(QName(source.namespace, source.wire_name), ""),
        )

    def element(self, namespace: str, wire_name: str) -> Slot:
        """A slot that only names an element: a body wrapper, a dictionary entry."""
        prefix = self.prefixes.get(namespace, "")
        return Slot(
            wire_name=wire_name,
            python_name="",
            prefixed=f"{prefix}:{wire_name}" if prefix else wire_name,
            tag=str(QName(namespace, wire_name)),
            codec=_ELEMENT_ONLY,
            nillable=False,
            optional=False,
        )

    def _members(self, definition: EnumType) -> list[Member]:
        names = self.names.members[definition.name]
        return [
            Member(names[value.name], value.name, number, value.doc)
            for value, number in zip(definition.values, definition.numbers(), strict=True)
        ]

    def enum_view(self, definition: EnumType) -> EnumView:
        return EnumView(
            class_name=self.names.classes[definition.name],
            id=self.names.ids[definition.name],
            wire_name=definition.name.name,
            ref=self.ref(definition.name),
            members=tuple(self._members(definition)),
            flags=definition.flags,
            doc=definition.doc,
        )

    def class_view(self, definition: ComplexType) -> ClassView:
        cached = self.class_views.get(definition.name)
        if cached is None:
            cached = self.class_views[definition.name] = self._class_view(definition)
        return cached

    def _class_view(self, definition: ComplexType) -> ClassView:
        base = self.types.get(definition.base) if definition.base else None
        base_view = self.class_view(base) if isinstance(base, ComplexType) else None
        inherited = base_view.slots if base_view else ()
        fields = definition.fields
        names = self.names.fields[definition.name]
        return ClassView(
            class_name=self.names.classes[definition.name],
            id=self.names.ids[definition.name],
            wire_name=definition.name.name,
            ref=self.ref(definition.name),
            base=base_view.class_name if base_view else None,
            base_id=base_view.id if base_view else None,
            own=tuple(self.slot(f, names[f.wire_name]) for f in fields),
            inherited=inherited,
            subtypes=tuple(self.ref(s) for s in self.subtypes.get(definition.name, ())),
            doc=definition.doc,
            abstract=definition.abstract,
        )

    def ref(self, name: QName) -> TypeRef:
        prefix = self.prefixes.get(name.namespace, "")
        return TypeRef(
            class_name=self.names.classes.get(name, ""),
            id=self.names.ids[name],
            prefixed=f"{prefix}:{name.name}" if prefix else name.name,
            tag=str(name),
        )

    def array_view(self, definition: ArrayType) -> ArrayView:
        return ArrayView(
            id=self.names.ids[definition.name],
            tag=str(definition.name),
            item=replace(
                self.slot(definition.item_as_read, "item", item=True),
                name_code="name",
                nil_skipped=not definition.nil_items,
            ),
            annotation=self.codec(definition.name).annotation,
        )

    def dictionary_view(self, definition: DictionaryType) -> DictView:
        key = self.slot(definition.key, "key", item=True)
        return DictView(
            id=self.names.ids[definition.name],
            tag=str(definition.name),
            entry=self.element(definition.name.namespace, definition.entry_name),
            key=replace(key, nillable=False, name_code="name"),
            value=replace(self.slot(definition.value, "value", item=True), name_code="name"),
            annotation=self.codec(definition.name).annotation,
        )

    # Operations ----------------------------------------------------------------------------

    def operation_view(self, op: Operation, python_name: str) -> OperationView:
        assert op.soap is not None
        request, response = op.soap.input, op.soap.output
        parameters = Scope(METHOD_RESERVED | REQUEST_LOCALS).assign(
            [f.wire_name for f in request.fields], snake_case
        )
        result = result_class = None
        if len(response.fields) == 1:
            result = self.slot(response.fields[0], "result")
            result = replace(result, codec=result.codec.outside_models)
            returns = result.annotation
        elif response.fields:
            result_class = self.result_class(op)
            returns = result_class.class_name
        else:
            returns = "None"
        wrapper = self.element(request.element.namespace, request.element.name)
        slots = tuple(
            self.slot(f, parameters[f.wire_name]) for f in request.fields if not f.rest_only
        )
        return OperationView(
            wire_name=op.name,
            python_name=python_name,
            constant="_OP__" + python_name.upper(),
            action=as_uri(op.soap.action),
            doc=_operation_doc(op, slots),
            summary=first_sentence(op.doc),
            request=wrapper,
            parameters=slots,
            response_tag=str(response.element),
            headers=tuple(h.wire_name for h in request.headers),
            returns=returns,
            result=result,
            result_class=result_class,
        )

    def result_class(self, op: Operation) -> ClassView:
        definition = result_type(op)
        view = replace(self.class_view(definition), result=True)
        self.result_classes[definition.name] = view
        return view

    def header_options(self) -> tuple[HeaderOption, ...]:
        """One client option per request header any operation declares, sorted by name.

        ``Credentials`` is offered as the ``ticket`` it carries, the way callers hold it.
        """
        headers: dict[str, Field] = {}
        for op in self.soap_operations:
            assert op.soap is not None
            for header in op.soap.input.headers:
                headers.setdefault(header.wire_name, header)
        scope = Scope(METHOD_RESERVED | REQUEST_LOCALS | CLIENT_OPTIONS)
        options = []
        for wire_name in sorted(headers):
            header = replace(headers[wire_name], min_occurs=0)
            ticket = self._ticket_field(header)
            python_name = scope.claim("ticket" if ticket else snake_case(wire_name))
            slot = self.slot(header, python_name)
            if ticket:
                value = f"{slot.codec.annotation}({ticket}={python_name})"
                annotation = "str | None"
            else:
                value, annotation = python_name, f"{slot.codec.annotation} | None"
            options.append(HeaderOption(python_name, annotation, slot, value, bool(ticket)))
        return tuple(options)

    def _ticket_field(self, header: Field) -> str:
        """The Python name of ``Ticket`` in a ``Credentials`` header's type, else ``""``."""
        definition = self.types.get(header.type)
        if header.wire_name != "Credentials" or not isinstance(definition, ComplexType):
            return ""
        if [f.wire_name for f in definition.fields] != ["Ticket"] or definition.base:
            return ""
        return "ticket"

    def build(self, module: str) -> AgentView:
        enums = [t for t in self.types.values() if isinstance(t, EnumType)]
        complex_types = {t.name: t for t in self.types.values() if isinstance(t, ComplexType)}
        operations = tuple(
            self.operation_view(op, self.names.soap_methods[op.name])
            for op in sorted(self.soap_operations, key=lambda o: o.name)
        )
        views = self.result_classes | {n: self.class_view(t) for n, t in complex_types.items()}
        definitions = {result_name(op): result_type(op) for op in results(self.agent)}
        definitions |= complex_types
        order = definition_order(definitions, self.types, self.names.classes)
        return AgentView(
            name=self.agent.name,
            version=self.agent.version,
            module=module,
            class_name=self.names.client,
            async_class_name=self.names.async_client,
            service_path=self.agent.service_path,
            namespace=self.agent.namespace,
            prefixes=tuple(sorted((p, ns) for ns, p in self.prefixes.items())),
            enums=tuple(sorted((self.enum_view(e) for e in enums), key=lambda e: e.class_name)),
            classes=tuple(views[name] for name in order),
            arrays=tuple(
                sorted(
                    (self.array_view(t) for t in self.types.values() if isinstance(t, ArrayType)),
                    key=lambda a: a.id,
                )
            ),
            dictionaries=tuple(
                sorted(
                    (
                        self.dictionary_view(t)
                        for t in self.types.values()
                        if isinstance(t, DictionaryType)
                    ),
                    key=lambda d: d.id,
                )
            ),
            operations=operations,
            header_options=self.header_options(),
            uses_any=self.uses_any,
            doc=self.agent.doc,
        )


# --- Helpers ------------------------------------------------------------------------------


def _prefixes(agent: Agent, types: dict[QName, TypeDef]) -> dict[str, str]:
    """A prefix for every namespace the agent's elements and types live in.

    ``tns`` is the agent's, ``arr``/``ser`` Microsoft's arrays and serialisation, ``xsd``
    and ``xsi`` XML Schema's (always declared: ``xsi:nil``, ``xsi:type`` and ``xsd:int``
    may turn up anywhere); any other gets ``ns1``, ``ns2``... in namespace order.
    """
    namespaces = {agent.namespace, XSD, XSI, SERIALIZATION}
    for definition in types.values():
        namespaces.add(definition.name.namespace)
        namespaces.update(f.namespace for f in _fields(definition))
    for op in agent.operations:
        if op.soap is not None:
            for message in (op.soap.input, op.soap.output):
                namespaces.add(message.element.namespace)
                namespaces.update(f.namespace for f in message.fields + message.headers)
    namespaces.discard("")
    prefixes = {agent.namespace: "tns"} | {
        ns: p for ns, p in _FIXED_PREFIXES.items() if ns != agent.namespace
    }
    others = sorted(namespaces - set(prefixes))
    prefixes.update({ns: f"ns{i}" for i, ns in enumerate(others, start=1)})
    return prefixes


def _fields(definition: TypeDef) -> Iterable[Field]:
    if isinstance(definition, ComplexType):
        return definition.fields
    if isinstance(definition, ArrayType):
        return (definition.item,)
    if isinstance(definition, DictionaryType):
        return (definition.key, definition.value)
    return ()


def _subtypes(types: dict[QName, TypeDef]) -> dict[QName, tuple[QName, ...]]:
    """Every complex type's subtypes, direct and indirect, sorted."""
    parents = {t.name: t.base for t in types.values() if isinstance(t, ComplexType) and t.base}
    found: dict[QName, set[QName]] = {}
    for child in parents:
        ancestor = parents.get(child)
        seen = {child}
        while ancestor is not None and ancestor not in seen:
            found.setdefault(ancestor, set()).add(child)
            seen.add(ancestor)
            ancestor = parents.get(ancestor)
    return {name: tuple(sorted(children)) for name, children in found.items()}


_SOAP_ERROR = (
    "The server answered with a fault, ``Succeeded=false`` or an ``ExceptionInfo`` header;"
    " ``MalformedResponse`` when its answer cannot be read."
)
_SOAP_RAISES = (("SoapError", _SOAP_ERROR), *CALL_RAISES)
"""What every SOAP method raises, as its docstring's ``Raises:`` says."""


def _operation_doc(op: Operation, parameters: tuple[Slot, ...]) -> str:
    """The method's docstring: what it does, its parameters, what it returns and raises."""
    restricted = f"Online restricted: {op.online_restricted}" if op.online_restricted else ""
    return google_doc(
        (op.doc or f"{op.name}.", restricted),
        ((p.python_name, p.doc) for p in parameters),
        op.returns_doc,
        _SOAP_RAISES,
    )


_URI_CHARACTERS = "".join(map(chr, range(0x21, 0x7F)))
"""Printable ASCII: what a URI may hold as it is (the WSDL reader refuses spaces, quotes
and control characters in a ``soapAction``)."""


def as_uri(action: str) -> str:
    """A ``soapAction`` as the URI it names: an IRI's other characters (``GetÜser``, from a
    non-ASCII operation name) as UTF-8, percent-encoded (RFC 3987, 3.1), since an HTTP header
    carries ASCII only."""
    return quote(action, safe=_URI_CHARACTERS)
