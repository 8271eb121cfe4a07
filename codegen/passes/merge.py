"""Merge what the WSDL, the SOAP method pages and the REST pages say into one ``Agent``.

The WSDL is the truth for names, order and types; SOAP pages give the text and the
sample envelopes; REST pages add endpoints. A REST-only method (newer than the WSDL at
hand) takes its types from the WSDL types of the same name where they exist, else from
its tables. Without a WSDL, the agent merged into is the one the ``infer`` pass, run
before this one, read from the sample envelopes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from codegen.ir import (
    ANY_TYPE,
    UNBOUNDED,
    XSD,
    Agent,
    ArrayType,
    BodyKind,
    ComplexType,
    Diagnostic,
    DictionaryType,
    EnumType,
    EnumValue,
    Field,
    Level,
    Operation,
    Primitive,
    QName,
    RestEndpoint,
    RestField,
    SoapOperation,
    SoapPage,
    TypeDef,
    all_fields,
)

if TYPE_CHECKING:
    from codegen.passes import AgentSources

_STRUCTURED_KINDS = ("object", "array")
_TEXT_KINDS = ("string", "bool", "int32", "int64", "double", "date-time")
"""The ``## Response:`` words of a value no carrier can be."""
# What a REST table cell says, as the XSD type it stands for. Cells that name no type
# (``array``, ``object`` and the empty cell of a nested object) carry no item type.
_TABLE_TYPES = {
    "string": "string",
    "int32": "int",
    "int64": "long",
    "bool": "boolean",
    "date-time": "dateTime",
    "double": "double",
    "byte": "base64Binary",
    "binary": "base64Binary",
    "int": "int",
}
# A cell that lists an enumeration's names (``Enum: Slim, Wide, Full``): the name, as text.
_ENUM_CELL = "enum:"
# How a REST table describes a nested object of a known carrier ("Carrier object for
# ChatMessage.", "Partial AppointmentEntity class …"): the name its type is given.
_CARRIER_DOC = re.compile(r"\b(?:Carrier object for|Partial) (\w+)")


def merge(agent: Agent, sources: AgentSources) -> tuple[Agent, list[Diagnostic]]:
    """The pass: ``agent`` with what its SOAP pages and REST pages say merged in."""
    diagnostics: list[Diagnostic] = []
    operations = {op.name: op for op in agent.operations}
    for page in sources.soap_pages:
        op = operations.get(page.method)
        if op is None:
            diagnostics.append(_warn(page.file, f"{page.method} is not an operation of the WSDL"))
            continue
        operations[page.method] = _with_page_text(op, page, diagnostics)
    types = {t.name: t for t in agent.types}
    typing = RestTyping(agent.namespace, types)
    for rest_page in sources.rest_pages:
        op = operations.get(rest_page.method) or Operation(
            name=rest_page.method,
            doc=rest_page.endpoint.doc,
            online_restricted=rest_page.online_restricted,
        )
        rest = typing.endpoint(rest_page.endpoint, op)
        operations[rest_page.method] = replace(op, rest=rest, soap=_required_as_rest(op, rest))
        typing.learn_from_samples(operations[rest_page.method].rest)
    unfilled = typing.unfilled()
    if unfilled:
        operations = {k: _untyped_in_operation(op, unfilled) for k, op in operations.items()}
    types = typing.finished([op.rest for op in operations.values() if op.rest is not None])
    merged = replace(
        agent,
        operations=tuple(operations[k] for k in sorted(operations)),
        types=tuple(types[k] for k in sorted(types)),
    )
    return merged, diagnostics


# --- SOAP page text ----------------------------------------------------------------------


def _with_page_text(op: Operation, page: SoapPage, diagnostics: list[Diagnostic]) -> Operation:
    soap = op.soap
    if soap is not None:
        docs = _bullet_docs(soap.input.fields, page, diagnostics)
        fields = tuple(replace(f, doc=docs.get(f.wire_name, f.doc)) for f in soap.input.fields)
        soap = replace(
            soap,
            input=replace(soap.input, fields=fields),
            request_sample=page.request or soap.request_sample,
            response_sample=page.response or soap.response_sample,
        )
    return replace(
        op,
        doc=page.doc or op.doc,
        online_restricted=page.online_restricted or op.online_restricted,
        returns_doc=page.returns_doc or op.returns_doc,
        soap=soap,
    )


def _normal(name: str) -> str:
    return name.replace("_", "").lower()


def _bullet_docs(
    fields: Sequence[Field], page: SoapPage, diagnostics: list[Diagnostic]
) -> dict[str, str]:
    """Map each parameter bullet to the envelope element it documents.

    Bullets name parameters as the C# signature does (``personId``, ``app_token``); the
    elements are ``PersonId``, ``AppToken``. A few bullets name a shorter form of the
    element (``actionResult`` for ``CommandActionResult``): a unique suffix match.
    """
    by_normal = {_normal(f.wire_name): f.wire_name for f in fields}
    docs: dict[str, str] = {}
    for bullet, text in page.parameters:
        key = _normal(bullet)
        wire = by_normal.get(key)
        if wire is None:
            endings = [w for n, w in by_normal.items() if n.endswith(key)]
            wire = endings[0] if len(endings) == 1 else None
        if wire is None:
            diagnostics.append(_warn(page.file, f"parameter note {bullet!r} names no parameter"))
        elif text:
            docs[wire] = text
    return docs


# --- REST endpoints ------------------------------------------------------------------------


class RestTyping:
    """Types REST endpoints against one agent's types, adding what only REST documents.

    A cell that names no type (an empty cell for a nested object, ``object``, ``array``)
    takes the type the WSDL gives a field of the same name elsewhere, when the WSDL agrees
    with itself on it (``TableRight``, ``FieldProperties`` on every carrier). An empty cell
    is a nested object, so it never takes a WSDL string of the same name (``Ticket`` of
    ``SoCredentials`` is not the ``Ticket`` of a chat session): it is the complex type its
    description names (``Carrier object for ChatMessage``), else one named after the
    field, and the pages' samples give that type its fields. One no sample fills stays
    ``anyType``, so that nothing an answer holds is dropped.
    """

    def __init__(self, namespace: str, types: dict[QName, TypeDef]) -> None:
        self.namespace = namespace
        self.types = types
        self.known_fields = _unambiguous_fields(types.values())
        self.nested: set[QName] = set()
        """The types made for empty cells, to be filled from samples."""
        self.fields_by_key: dict[QName, dict[str, Field]] = {}
        """Each complex type's fields, inherited ones too, by lower-case wire name: made once
        per type for ``learn_type``, which visits every object of every sample; forgotten
        whenever a type gains fields, since its subtypes' maps include them."""

    def endpoint(self, endpoint: RestEndpoint, op: Operation, result: str = "") -> RestEndpoint:
        """``endpoint`` typed, by ``op``'s SOAP side where it has one; a carrier only the
        page documents is named ``result`` (by default ``<method>Result``)."""
        soap_fields = {_normal(f.wire_name): f for f in op.soap.input.fields} if op.soap else {}
        rows = (*endpoint.path_parts, *endpoint.query)
        parameters = [self.parameter(row, soap_fields) for row in rows]
        if endpoint.body_kind is BodyKind.REQUEST:
            parameters += [self.parameter(row, soap_fields) for row in endpoint.body]
        elif endpoint.body_kind is not BodyKind.NONE:
            parameters.append(self.whole_body(endpoint, op))
        returns = self.returns(endpoint, op, result or f"{op.name}Result")
        return replace(endpoint, parameters=tuple(parameters), returns=returns)

    def parameter(self, row: RestField, soap_fields: dict[str, Field]) -> Field:
        known = soap_fields.get(_normal(row.name))
        if known is None:
            return self.table_field(row, min_occurs=1 if row.required else 0)
        typed = replace(known, wire_name=row.name, doc=row.doc or known.doc)
        return _required(typed) if row.required else typed

    def table_field(self, row: RestField, min_occurs: int = 0, sample: object = None) -> Field:
        """A field typed from its table cell, or from a WSDL field of the same name whose
        type the page's ``sample`` of the field does not contradict."""
        cell = row.type.strip().lower()
        xsd = "string" if cell.startswith(_ENUM_CELL) else _TABLE_TYPES.get(cell)
        known = self.known_fields.get(row.name) if xsd is None else None
        if (
            known is not None
            and (cell or known.type.namespace != XSD)
            and self.fits(known.type, sample)
        ):
            return replace(known, namespace=self.namespace, min_occurs=0, doc=row.doc)
        nillable = min_occurs == 0
        if not cell:
            return Field(
                row.name, self.namespace, self.nested_type(row), nillable, min_occurs, doc=row.doc
            )
        return Field(
            wire_name=row.name,
            namespace=self.namespace,
            type=QName(XSD, xsd) if xsd else ANY_TYPE,
            nillable=nillable and xsd in (None, "string", "base64Binary"),
            min_occurs=min_occurs,
            max_occurs=UNBOUNDED if cell == "array" else 1,
            doc=row.doc,
        )

    def fits(self, name: QName, sample: object) -> bool:
        """Whether no property of the object ``sample`` is a text where the type ``name``
        has an object, or an object where it has text (``Person.Position``: a string in
        the pages, a ``Position`` in the ``PersonEntity`` of Services84-86)."""
        found = self.types.get(name)
        if not isinstance(found, ComplexType) or not isinstance(sample, dict):
            return True
        fields = {f.wire_name.lower(): f for f in all_fields(found, self.types)}
        for key, value in sample.items():
            known = fields.get(key.lower())
            if known is None or value is None or known.repeated or known.type == ANY_TYPE:
                continue
            structured = known.type.namespace != XSD and not isinstance(
                self.types.get(known.type), (Primitive, EnumType)
            )
            if structured != isinstance(value, (dict, list)):
                return False
        return True

    def nested_type(self, row: RestField) -> QName:
        """The complex type of a nested object an empty cell documents."""
        named = _CARRIER_DOC.search(row.doc)
        name = named.group(1) if named else row.name
        for existing, definition in self.types.items():
            if existing.name == name:
                return existing if isinstance(definition, ComplexType) else ANY_TYPE
        qname = QName(self.namespace, name)
        self.types[qname] = ComplexType(qname, ())
        self.nested.add(qname)
        return qname

    def unfilled(self) -> frozenset[QName]:
        """The types made for empty cells that no sample gave a field."""
        return frozenset(n for n in self.nested if not _fields_of(self.types[n]))

    def finished(self, endpoints: Iterable[RestEndpoint]) -> dict[QName, TypeDef]:
        """The types once typing is done: those ``unfilled`` left out (the fields that name
        them are ``anyType``: ``endpoints`` must already be, by ``untyped_in_endpoint``), and
        the XSD built-ins the tables name defined."""
        unfilled = self.unfilled()
        types = {k: _untyped_in(t, unfilled) for k, t in self.types.items() if k not in unfilled}
        _define_primitives(endpoints, types)
        return types

    def whole_body(self, endpoint: RestEndpoint, op: Operation) -> Field:
        """The single parameter of an ``entity`` body or a raw array body."""
        entity = endpoint.body_kind is BodyKind.ENTITY
        name = endpoint.body_name or ("entity" if entity else "items")
        if endpoint.body_kind is BodyKind.BINARY:
            return _required(Field(name, self.namespace, QName(XSD, "base64Binary")))
        listed = endpoint.body_kind is BodyKind.ARRAY and bool(endpoint.body)
        soap = op.soap if op.soap is not None and len(op.soap.input.fields) == 1 else None
        if soap is not None and (not entity or self.agrees(soap, endpoint.body)):
            only = soap.input.fields[0]
            if listed and not self.is_list(only):
                # A JSON Patch's operations (``changes``), not the entity SaveUser takes.
                return self.listed_body(name, endpoint.body)
            if entity:
                self.add_rest_only_fields(only.type, endpoint.body)
                self.add_rest_docs(only.type, endpoint.body)
            return _required(replace(only, wire_name=name))
        if entity:
            return Field(name, self.namespace, self.saved(endpoint, name))
        if listed:
            return self.listed_body(name, endpoint.body)
        return Field(name, self.namespace, QName(XSD, "int"), max_occurs=UNBOUNDED)

    def saved(self, endpoint: RestEndpoint, name: str) -> QName:
        """The carrier of an ``entity`` body no agent method types: the one the method
        returns ("The DashTheme to be saved"), else the one named after the body
        (``webhook`` is a ``Webhook``), the first of them whose fields the table's rows
        are (``TestWebhook`` sends a ``Webhook`` and returns a ``WebhookResult``); else
        one made from the table, named as the answer's carrier where no type has that
        name: named after the body (``entity``), every Save of the agent would share one."""
        rows = endpoint.body
        for candidate in (endpoint.response_type, name[:1].upper() + name[1:]):
            found = self.named(candidate)
            if found is not None and self.table_agrees(found, rows):
                return self.carrier(candidate, rows)
        returned = endpoint.response_type
        return self.carrier(returned if returned and not self.named(returned) else name, rows)

    def named(self, name: str) -> ComplexType | None:
        """The complex type called ``name``, if there is one."""
        for existing, definition in self.types.items():
            if existing.name == name and isinstance(definition, ComplexType):
                return definition
        return None

    def agrees(self, soap: SoapOperation, rows: Sequence[RestField]) -> bool:
        """Whether the ``entity`` table ``rows`` describe the one parameter of ``soap``."""
        found = self.types.get(self.item_type(soap.input.fields[0].type))
        return not isinstance(found, ComplexType) or self.table_agrees(found, rows)

    def table_agrees(self, found: ComplexType, rows: Sequence[RestField]) -> bool:
        """Whether at least half of a table's ``rows`` are fields of ``found``: a table
        newer than the WSDL may add some, but one of another carrier shares next to none."""
        known = {_normal(f.wire_name) for f in all_fields(found, self.types)}
        return 2 * sum(_normal(row.name) in known for row in rows) >= len(rows)

    def listed_body(self, name: str, rows: Sequence[RestField]) -> Field:
        """An entity page's array body whose table describes one item (``entities``, a
        JSON Patch's ``changes``): a list of the carrier named after the body."""
        carrier = self.carrier(name[:1].upper() + name[1:], rows)
        return _required(Field(name, self.namespace, carrier, max_occurs=UNBOUNDED))

    def is_list(self, f: Field) -> bool:
        return f.repeated or isinstance(self.types.get(f.type), ArrayType)

    def returns(self, endpoint: RestEndpoint, op: Operation, result: str) -> Field | None:
        kind = endpoint.response_kind.strip().lower()
        if kind == "none":
            return None
        if op.soap is not None and self.answer_agrees(kind, op.soap, endpoint.response_fields):
            parts = op.soap.output.fields
            if len(parts) == 1:
                if kind in ("object", "array"):
                    item = self.item_type(parts[0].type)
                    self.add_rest_only_fields(item, endpoint.response_fields)
                    self.add_rest_docs(item, endpoint.response_fields, endpoint.response_doc)
                return parts[0]
            if not parts:
                return None
        if kind in ("object", "array") and endpoint.response_fields:
            carrier = self.carrier(
                endpoint.response_type or result,
                endpoint.response_fields,
                _sample_object(endpoint.sample_response),
                endpoint.response_doc,
            )
            repeated = UNBOUNDED if kind == "array" else 1
            return Field(
                "Response",
                self.namespace,
                carrier,
                nillable=True,
                min_occurs=0,
                max_occurs=repeated,
            )
        return self.table_field(RestField(name="Response", type=kind, doc=endpoint.doc))

    def answer_agrees(self, kind: str, soap: SoapOperation, rows: Sequence[RestField]) -> bool:
        """Whether the page's answer is the one ``soap`` returns: text where it returns a
        value (``GetPrefValueAtLevel``'s string, not the ``Preference`` of the method it
        calls), an object or array whose table agrees with the carrier (``table_agrees``)."""
        if len(soap.output.fields) != 1:
            return True
        found = self.types.get(self.item_type(soap.output.fields[0].type))
        structured = isinstance(found, (ComplexType, ArrayType, DictionaryType))
        if kind not in _STRUCTURED_KINDS:
            return kind not in _TEXT_KINDS or not structured
        return not isinstance(found, ComplexType) or not rows or self.table_agrees(found, rows)

    def item_type(self, name: QName) -> QName:
        return item_type(self.types, name)

    def carrier(
        self,
        name: str,
        rows: Sequence[RestField],
        sample: dict[str, object] | None = None,
        doc: str = "",
    ) -> QName:
        """The WSDL type of that name if there is one, else a type built from the table
        (and the page's ``sample`` of it); ``doc`` describes it, where the WSDL does not."""
        existing = self.named(name)
        if existing is not None:
            self.add_rest_only_fields(existing.name, rows)
            self.add_rest_docs(existing.name, rows, doc)
            return existing.name
        qname = QName(self.namespace, name)
        values = sample or {}
        fields = tuple(self.table_field(row, sample=values.get(row.name)) for row in rows)
        self.types[qname] = ComplexType(qname, fields, doc=doc)
        return qname

    def add_rest_docs(self, name: QName, rows: Iterable[RestField], doc: str = "") -> None:
        """Give a type, and the types it inherits from, the description ``doc`` and its
        properties the descriptions of the table's ``rows``, where the WSDL gives none."""
        docs = {_normal(row.name): row.doc for row in rows if row.doc}
        found = self.types.get(name)
        while isinstance(found, ComplexType):
            fields = tuple(
                f if f.doc else replace(f, doc=docs.get(_normal(f.wire_name), ""))
                for f in found.fields
            )
            documented = replace(found, fields=fields, doc=found.doc or doc)
            if documented != found:
                self.types[found.name] = documented
                self.fields_by_key.clear()
            found = self.types.get(found.base) if found.base else None
            doc = ""

    def add_rest_only_fields(self, name: QName, rows: Iterable[RestField]) -> None:
        """Give a WSDL type the properties its REST table documents and the WSDL lacks."""
        found = self.types.get(name)
        if not isinstance(found, ComplexType):
            return
        known = {_normal(f.wire_name) for f in all_fields(found, self.types)}
        extra = tuple(
            replace(self.table_field(row), namespace=found.name.namespace, rest_only=True)
            for row in rows
            if _normal(row.name) not in known
        )
        if extra:
            self.extend(name, found, extra)

    def extend(self, name: QName, found: ComplexType, extra: tuple[Field, ...]) -> None:
        """Give the type ``name`` (``found``) the fields ``extra`` after its own."""
        self.types[name] = replace(found, fields=found.fields + extra)
        self.fields_by_key.clear()

    def learn_from_samples(self, endpoint: RestEndpoint | None) -> None:
        """Give types the properties the page's JSON samples show and nothing else names.

        Tables document the top level only; a nested object's sample may carry a property
        newer than the WSDL (``Person.CategoryName``). Without it, reading the sample
        would lose that property.
        """
        if endpoint is not None:
            for f, value in rest_sample_parts(endpoint):
                self.learn(f, value)

    def learn(self, source: Field, value: object) -> None:
        items = value if source.repeated and isinstance(value, list) else [value]
        for item in items:
            self.learn_type(source.type, item)

    def learn_type(self, name: QName, value: object) -> None:
        found = self.types.get(name)
        if isinstance(found, ArrayType) and isinstance(value, list):
            for item in value:
                self.learn_type(found.item.type, item)
        elif isinstance(found, DictionaryType) and isinstance(value, dict):
            for item in value.values():
                self.learn_type(found.value.type, item)
        elif isinstance(found, EnumType) and isinstance(value, str):
            self.learn_members(found, value)
        elif isinstance(found, ComplexType) and isinstance(value, dict):
            fields = self.fields_by_key.get(name)
            if fields is None:
                fields = {f.wire_name.lower(): f for f in all_fields(found, self.types)}
                self.fields_by_key[name] = fields
            extra = tuple(
                _sample_field(key, item, found.name.namespace)
                for key, item in value.items()
                if key.lower() not in fields
            )
            if extra:
                self.extend(name, found, extra)
            for key, item in value.items():
                if key.lower() in fields:
                    self.learn(fields[key.lower()], item)

    def learn_members(self, found: EnumType, text: str) -> None:
        """Make members of the names a sample gives an enumeration that its schema does not
        list: the REST pages are newer than the WSDL (``ColorIndex`` ``"BlueAlt1"``), and a
        flag set has composite names (``Mask`` ``"FULL"``). Each takes a placeholder bit
        above any number the server uses, as the runtime gives a name it meets unlisted
        (``_enums``): it is written by its name, never by its number. A word all in lower
        case is the sample writer's lorem ipsum (``"fugit"`` for an ``ETableRight``), not a
        name: every one of the 2,350 members the Services87 WSDLs list has a capital."""
        names = {n.strip() for n in (text.split(",") if found.flags else [text])}
        listed = {v.name for v in found.values}
        new = sorted(
            n for n in names - listed if n.isascii() and n.isidentifier() and not n.islower()
        )
        if not new:
            return
        taken = sum(1 for v in found.values if v.value is not None and v.value >> _LEARNED_BIT)
        bits = (1 << (_LEARNED_BIT + taken + i) for i in range(len(new)))
        learned = tuple(EnumValue(n, bit) for n, bit in zip(new, bits))
        self.types[found.name] = replace(found, values=(*found.values, *learned))


_LEARNED_BIT = 32
"""The bit of the first name an enumeration learns from the samples: the same as the
runtime's for a name it meets unlisted (``codegen/emit/soap/_enums.py``)."""


def item_type(types: Mapping[QName, TypeDef], name: QName) -> QName:
    """The type of an item of ``name``, if it is an array; else ``name``."""
    found = types.get(name)
    return found.item.type if isinstance(found, ArrayType) else name


def _required(f: Field) -> Field:
    """``f`` as a parameter the caller must give: present, and never nil."""
    return replace(f, min_occurs=max(f.min_occurs, 1), nillable=False)


def _required_as_rest(op: Operation, rest: RestEndpoint) -> SoapOperation | None:
    """``op``'s SOAP side with the parameters its REST side requires required too.

    The WSDL makes every parameter optional (``minOccurs="0"``), so the page's
    **Required** marker and a whole request body (which the call is for: every page's
    sample sends one) are the only word on what the method needs; one method asks the same
    of its callers over both flavours.
    """
    if op.soap is None:
        return None
    required = {_normal(f.wire_name) for f in rest.parameters if f.min_occurs and not f.nillable}
    if len(op.soap.input.fields) == 1 and rest.body_kind in (BodyKind.ENTITY, BodyKind.ARRAY):
        required.add(_normal(op.soap.input.fields[0].wire_name))
    fields = tuple(
        _required(f) if _normal(f.wire_name) in required else f for f in op.soap.input.fields
    )
    return replace(op.soap, input=replace(op.soap.input, fields=fields))


def _sample_object(text: str | None) -> dict[str, object] | None:
    """The object a response sample shows: the sample, or an array sample's first item."""
    value = _sample_json(text)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


def rest_sample_parts(endpoint: RestEndpoint) -> Iterator[tuple[Field, object]]:
    """The documented answer and each part of the documented request body of ``endpoint``,
    parsed, with the field it fills."""
    response = _sample_json(endpoint.sample_response)
    if endpoint.returns is not None and response is not None:
        yield endpoint.returns, response
    request = _sample_json(endpoint.sample_request)
    body = endpoint.parameters[len(endpoint.query) :]
    if request is None or not body:
        return
    if endpoint.body_kind is not BodyKind.REQUEST:
        yield body[0], request
    elif isinstance(request, dict):
        yield from ((f, request[f.wire_name]) for f in body if f.wire_name in request)


def _sample_json(text: str | None) -> object | None:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


_JSON_TYPES = ((bool, "boolean"), (int, "int"), (float, "double"), (str, "string"))


def _sample_field(name: str, value: object, namespace: str) -> Field:
    """A REST-only field typed by the JSON value a sample shows; objects are anyType."""
    xsd = next((x for kind, x in _JSON_TYPES if isinstance(value, kind)), None)
    return Field(
        wire_name=name,
        namespace=namespace,
        type=QName(XSD, xsd) if xsd else ANY_TYPE,
        nillable=xsd in (None, "string"),
        min_occurs=0,
        max_occurs=UNBOUNDED if isinstance(value, list) else 1,
        rest_only=True,
    )


def _unambiguous_fields(types: Iterable[TypeDef]) -> dict[str, Field]:
    """Field wire name -> field, for names every WSDL type that has them types alike."""
    seen: dict[str, Field] = {}
    clashing: set[str] = set()
    for definition in types:
        if not isinstance(definition, ComplexType):
            continue
        for f in definition.fields:
            if f.rest_only:
                continue
            other = seen.setdefault(f.wire_name, f)
            if (other.type, other.max_occurs) != (f.type, f.max_occurs):
                clashing.add(f.wire_name)
    return {name: f for name, f in seen.items() if name not in clashing}


def _define_primitives(endpoints: Iterable[RestEndpoint], types: dict[QName, TypeDef]) -> None:
    """Table-typed fields name XSD built-ins the WSDL may not use; define them too."""
    fields = [
        f
        for definition in types.values()
        if isinstance(definition, ComplexType)
        for f in definition.fields
    ]
    for endpoint in endpoints:
        fields += endpoint.parameters
        fields += [endpoint.returns] if endpoint.returns else []
    for f in fields:
        if f.type.namespace == XSD and f.type not in types:
            types[f.type] = Primitive(f.type, f.type.name)


def _fields_of(definition: TypeDef) -> tuple[Field, ...]:
    return definition.fields if isinstance(definition, ComplexType) else ()


def _untyped(f: Field, names: frozenset[QName]) -> Field:
    return replace(f, type=ANY_TYPE) if f.type in names else f


def _untyped_in(definition: TypeDef, names: frozenset[QName]) -> TypeDef:
    """``definition`` with its fields of the types ``names`` made ``anyType``."""
    if not isinstance(definition, ComplexType):
        return definition
    return replace(definition, fields=tuple(_untyped(f, names) for f in definition.fields))


def _untyped_in_operation(op: Operation, names: frozenset[QName]) -> Operation:
    return replace(op, rest=untyped_in_endpoint(op.rest, names)) if op.rest else op


def untyped_in_endpoint(endpoint: RestEndpoint, names: frozenset[QName]) -> RestEndpoint:
    """``endpoint`` with its parameters and answer of the types ``names`` made ``anyType``."""
    returns = _untyped(endpoint.returns, names) if endpoint.returns else None
    parameters = tuple(_untyped(f, names) for f in endpoint.parameters)
    return replace(endpoint, parameters=parameters, returns=returns)


def _warn(file: str, message: str) -> Diagnostic:
    return Diagnostic(file, 1, Level.WARNING, message)
