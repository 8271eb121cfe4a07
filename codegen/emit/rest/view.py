"""The view model of ``rest.py``: Python names, JSON codecs and the code that declares them.

``build_rest_view(agent, names)`` takes the names ``codegen.passes.names`` gave the models
(class names, field names, enum members: REST uses the same dataclasses as SOAP) and the
methods, and decides, for every REST method, its parameters, where each travels (query,
body property, whole body) and the codec that turns its values into JSON and back; for
every model class, its properties by JSON (wire) name. Codecs are expressions over
``_json`` (the package's ``_json.py``) and ``_MODELS`` (the agent's ``Models`` registry);
operations over ``_rest`` (its ``_rest.py``).

Declarations come out as lines laid out the way black lays them out
(``codegen.emit.layout``), so the module needs no formatting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from keyword import iskeyword

from codegen.emit.docs import CALL_RAISES, google_doc
from codegen.emit.layout import Call, Expr, keyword, lines, store
from codegen.emit.literals import first_sentence, literal
from codegen.emit.order import definition_order
from codegen.emit.xsd import INTEGER_RANGES, ZEROS, builtin, enum_zero
from codegen.ir import (
    Agent,
    ArrayType,
    BodyKind,
    ComplexType,
    DictionaryType,
    EnumType,
    Field,
    Operation,
    Primitive,
    QName,
    RestEndpoint,
    is_untyped,
)
from codegen.naming import Scope, snake_case
from codegen.passes.names import METHOD_RESERVED, Names

_CODECS = {
    "bool": "_json.BOOL",
    "float": "_json.FLOAT",
    "decimal.Decimal": "_json.DECIMAL",
    "datetime.datetime": "_json.DATETIME",
    "datetime.timedelta": "_json.DURATION",
    "bytes": "_json.BYTES",
    "str": "_json.STR",
}
"""The ``_json`` codec of each annotation ``codegen.emit.xsd`` gives a built-in but ``int``,
whose codec has its XSD type's bounds (``_json.integer``)."""
_API_ROOT = re.compile(r"^/*(?:api/v\d+/)?")
"""The WebAPI root in a page's path (``/api/v1/``): the client's ``base_url`` ends there."""
SELECT_OPTION = frozenset({"select"})
"""The ``$select`` option a REST method may take besides its parameters."""


def nullable(code: TypeCode) -> TypeCode:
    """``code``'s value or None."""
    return TypeCode(f"{code.annotation} | None", Call("_json.nullable", (code.codec,)), "None")


# --- View records -------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeCode:
    """A value's annotation in the models and the codec expression that carries it."""

    annotation: str
    codec: Expr
    zero: str = ""
    """A value type's default as source (``codegen.emit.xsd.ZEROS``), None's for a nullable
    value; empty for other types, which are never left out unless nullable."""


@dataclass(frozen=True)
class RestEnum:
    constant: str
    class_name: str
    flags: bool
    members: tuple[tuple[str, str], ...]
    """``(wire name, Python member name)``, every name the schema lists, in its order."""

    @property
    def definition(self) -> list[str]:
        entries = Call(
            "",
            tuple(f"{literal(w)}: {self.class_name}.{m}" for w, m in self.members),
            brackets="{}",
        )
        factory = "flags" if self.flags else "enumeration"
        return store(f"{self.constant} = ", Call(f"_MODELS.{factory}", (self.class_name, entries)))


@dataclass(frozen=True)
class RestProperty:
    wire_name: str
    python_name: str
    type: TypeCode

    @property
    def expr(self) -> Call:
        names = (literal(self.wire_name), literal(self.python_name))
        return Call("_json.Property", (*names, self.type.codec))


@dataclass(frozen=True)
class RestModel:
    class_name: str
    base: str | None
    properties: tuple[RestProperty, ...]
    """The class's own properties; the base's follow them on the wire."""

    @property
    def definition(self) -> list[str]:
        arguments: list[Expr] = [self.class_name, *(p.expr for p in self.properties)]
        if self.base:
            arguments.append(f"base={self.base}")
        return lines(Call("_MODELS.define", tuple(arguments)))


@dataclass(frozen=True)
class RestParameter:
    wire_name: str
    python_name: str
    place: str
    """``query``, ``property`` (of the JSON body object) or ``body`` (the whole body)."""
    type: TypeCode
    optional: bool
    doc: str = ""

    @property
    def signature(self) -> str:
        default = f" = {self.type.zero}" if self.optional else ""
        return f"{self.python_name}: {self.type.annotation}{default}"

    @property
    def expr(self) -> Call:
        names = (literal(self.wire_name), literal(self.python_name), literal(self.place))
        return Call("_rest.Parameter", (*names, self.type.codec))


@dataclass(frozen=True)
class RestMethod:
    wire_name: str
    python_name: str
    http_method: str
    path: str
    parameters: tuple[RestParameter, ...]
    returns: str
    """The method's return annotation."""
    response: Expr
    json_body: bool
    select: bool
    doc: str
    summary: str

    @property
    def constant(self) -> str:
        return f"_OP__{self.python_name.upper()}"

    @property
    def operation(self) -> Call:
        """The ``_rest.Operation(...)`` that sends the method's request and reads its answer."""
        parameters = Call("parameters=", tuple(p.expr for p in self.parameters), one_tuple=True)
        arguments: list[Expr] = [
            f"name={literal(self.wire_name)}",
            f"python_name={literal(self.python_name)}",
            f"path={literal(self.path)}",
            parameters,
            keyword("response", self.response),
        ]
        if self.json_body:
            arguments.append("json_body=True")
        if self.select:
            arguments.append("select=True")
        arguments.append(f"method={literal(self.http_method)}")
        return Call("_rest.Operation", tuple(arguments))

    @property
    def definition(self) -> list[str]:
        return store(f"{self.constant} = ", self.operation)

    def invocation(self, is_async: bool, indent: int) -> list[str]:
        """The method's body: ``return self._call(operation, select, arguments...)``."""
        head = "return await self._call" if is_async else "return self._call"
        select = "select" if self.select else "None"
        arguments = (self.constant, select, *(p.python_name for p in self.parameters))
        return lines(Call(head, arguments), indent)


@dataclass(frozen=True)
class RestAgentView:
    name: str
    class_name: str
    async_class_name: str
    enums: tuple[RestEnum, ...]
    models: tuple[RestModel, ...]
    methods: tuple[RestMethod, ...]

    @property
    def standard_imports(self) -> tuple[str, ...]:
        """The standard library modules the module's code names: its annotations may need
        ``datetime`` and ``decimal``; ``typing`` it always uses."""
        annotations = " ".join(
            a for m in self.methods for a in (m.returns, *(p.type.annotation for p in m.parameters))
        )
        needed = [name for name in ("datetime", "decimal") if f"{name}." in annotations]
        return (*needed, "typing")

    @property
    def model_names(self) -> tuple[str, ...]:
        """What ``rest.py`` takes from ``models.py``: the classes, and the constants that
        parameter defaults name (``NO_E_FIELD_RIGHT``)."""
        parameters = (p for m in self.methods for p in m.parameters)
        return model_imports(self.enums, self.models, parameters)

    def client_doc(self, is_async: bool) -> str:
        flavour = "asyncio" if is_async else "blocking"
        client = "httpx.AsyncClient" if is_async else "httpx.Client"
        twin = "Async" if is_async else ""
        return (
            f"The {self.name} agent over the WebAPI ({flavour}), on an ``{client}``.\n\n"
            "The client's ``base_url`` is the WebAPI root "
            "(``https://host/Cust12345/api/v1/``). ``auth`` gives the ``Authorization`` "
            "header of each call (``Auth.basic``, ``Auth.so_ticket``, ``Auth.bearer``; "
            f"``{twin}BearerSource`` and ``{twin}SystemUser`` are renewed, and the call "
            "sent once more, when refused), ``app_token`` is sent as ``SO-AppToken``; the "
            "language, culture and "
            "time zone options as ``Accept-Language``, ``SO-Language``, ``SO-Culture`` and "
            "``SO-TimeZone``. An answer other than 2xx raises ``RestError``."
        )


def model_imports(
    enums: Iterable[RestEnum], models: Iterable[RestModel], parameters: Iterable[RestParameter]
) -> tuple[str, ...]:
    """What a module takes from ``models.py``: the classes of ``enums`` and ``models``, and
    the constants that the defaults of ``parameters`` name (``NO_E_FIELD_RIGHT``)."""
    names = {e.class_name for e in enums} | {m.class_name for m in models}
    names |= {
        p.type.zero
        for p in parameters
        if p.optional and p.type.zero.isidentifier() and not iskeyword(p.type.zero)
    }
    return tuple(sorted(names))


# --- Building -----------------------------------------------------------------------------


def build_rest_view(agent: Agent, names: Names) -> RestAgentView:
    """The REST side of ``agent``, on ``names``."""
    return RestBuilder(agent, names).build()


def relative_path(path: str) -> str:
    """A page's path below the WebAPI root: ``/api/v1/Agents/User/GetUser`` ->
    ``Agents/User/GetUser``."""
    return _API_ROOT.sub("", path, count=1)


class RestBuilder:
    """The REST view's parts for one agent: the codecs of its types, its methods, and the
    registry of its models and enums (the entity flavour builds on the same parts)."""

    def __init__(self, agent: Agent, names: Names) -> None:
        self.agent = agent
        self.names = names
        self.types = agent.type_map()

    def type_code(self, name: QName) -> TypeCode:
        definition = self.types.get(name)
        if isinstance(definition, EnumType):
            class_name = self.names.classes[name]
            zero = enum_zero(definition, class_name, self.names)
            return TypeCode(class_name, self.enum_constant(name), zero)
        if isinstance(definition, ComplexType):
            class_name = self.names.classes[name]
            return TypeCode(class_name, Call("_MODELS.codec", (class_name,)))
        if isinstance(definition, ArrayType):
            item = self.field_code(definition.item_as_read, item=True)
            return TypeCode(f"list[{item.annotation}]", Call("_json.array", (item.codec,)))
        if isinstance(definition, DictionaryType):
            key = self.type_code(definition.key.type)
            value = self.field_code(definition.value, item=True)
            return TypeCode(
                f"dict[{key.annotation}, {value.annotation}]",
                Call("_json.dictionary", (key.codec, value.codec)),
            )
        return _primitive(name, definition)

    def field_code(self, source: Field, item: bool = False) -> TypeCode:
        """A field's annotation and codec, as ``codegen.emit.soap.slots.Slot`` annotates it."""
        code = self.type_code(source.type)
        one = nullable(code) if source.nillable else code
        if item:
            return one
        if source.repeated:
            return TypeCode(f"list[{one.annotation}]", Call("_json.array", (one.codec,)))
        return nullable(code) if source.nillable or (source.optional and not code.zero) else code

    def parameter_code(self, source: Field) -> TypeCode:
        """As ``field_code``, but a list that may be left out may be None. A value type
        left out is its default, sent."""
        code = self.field_code(source)
        if source.repeated and (source.nillable or source.optional):
            return nullable(code)
        return code

    def model(self, definition: ComplexType) -> RestModel:
        names = self.names.fields[definition.name]
        properties = tuple(
            RestProperty(f.wire_name, names[f.wire_name], self.field_code(f))
            for f in definition.fields
        )
        base = self.types.get(definition.base) if definition.base else None
        base_class = self.names.classes[base.name] if isinstance(base, ComplexType) else None
        return RestModel(self.names.classes[definition.name], base_class, properties)

    def enum(self, definition: EnumType) -> RestEnum:
        members = self.names.members[definition.name]
        return RestEnum(
            constant=self.enum_constant(definition.name),
            class_name=self.names.classes[definition.name],
            flags=definition.flags,
            members=tuple((v.name, members[v.name]) for v in definition.values),
        )

    def enum_constant(self, name: QName) -> str:
        return f"_ENUM__{self.names.ids[name].upper()}"

    def method(self, op: Operation, python_name: str) -> RestMethod:
        endpoint = op.rest
        assert endpoint is not None
        names = Scope(METHOD_RESERVED | SELECT_OPTION).assign(
            [f.wire_name for f in endpoint.parameters], snake_case
        )
        parameters = tuple(
            RestParameter(
                wire_name=f.wire_name,
                python_name=names[f.wire_name],
                place=_place(endpoint, index),
                type=self.parameter_code(f),
                optional=f.nillable or f.optional,
                doc=f.doc,
            )
            for index, f in enumerate(endpoint.parameters)
        )
        returns, response = self.response(endpoint)
        return RestMethod(
            wire_name=op.name,
            python_name=python_name,
            http_method=endpoint.method.upper(),
            path=relative_path(endpoint.path),
            parameters=parameters,
            returns=returns,
            response=response,
            json_body=endpoint.body_kind is not BodyKind.NONE,
            select=endpoint.select,
            doc=method_doc(op, endpoint, parameters),
            summary=first_sentence(endpoint.doc or op.doc),
        )

    def response(self, endpoint: RestEndpoint) -> tuple[str, Expr]:
        """The return annotation and the ``_rest.Response`` reading the answer."""
        kind = endpoint.response_kind.strip().lower()
        if endpoint.returns is None or kind == "none":
            return "None", "_rest.NO_CONTENT"
        if kind == "binary":
            return "bytes", "_rest.BINARY"
        code = self.field_code(endpoint.returns)
        return code.annotation, Call("_rest.json_response", (code.codec,))

    def registry(self) -> tuple[tuple[RestEnum, ...], tuple[RestModel, ...]]:
        """Every enum and model class of the agent as ``_MODELS`` declares them, the bases
        before the classes built on them."""
        classes = {t.name: t for t in self.types.values() if isinstance(t, ComplexType)}
        order = definition_order(classes, self.types, self.names.classes)
        enums = [t for t in self.types.values() if isinstance(t, EnumType)]
        return (
            tuple(self.enum(e) for e in sorted(enums, key=lambda e: self.names.classes[e.name])),
            tuple(self.model(classes[name]) for name in order),
        )

    def build(self) -> RestAgentView:
        rest_ops = sorted((op for op in self.agent.operations if op.rest), key=lambda o: o.name)
        enums, models = self.registry()
        return RestAgentView(
            name=self.agent.name,
            class_name=self.names.client,
            async_class_name=self.names.async_client,
            enums=enums,
            models=models,
            methods=tuple(self.method(op, self.names.rest_methods[op.name]) for op in rest_ops),
        )


def _primitive(name: QName, definition: object) -> TypeCode:
    """A built-in as ``codegen.emit.xsd`` annotates it; ``anyType`` and a type the IR does
    not define are whatever JSON value comes."""
    if is_untyped(name, definition):
        return TypeCode("object", "_MODELS.any")
    xsd = definition.xsd if isinstance(definition, Primitive) else name.name
    annotation = builtin(xsd).annotation
    zero = ZEROS.get(annotation, "")
    if xsd in INTEGER_RANGES:
        low, high = INTEGER_RANGES[xsd]
        return TypeCode(annotation, Call("_json.integer", (str(low), str(high))), zero)
    return TypeCode(annotation, _CODECS[annotation], zero)


def _place(endpoint: RestEndpoint, index: int) -> str:
    if index < len(endpoint.query):
        return "query"
    return "property" if endpoint.body_kind is BodyKind.REQUEST else "body"


_REST_ERROR = (
    "The server answered with an error status; ``MalformedRestResponse`` when its answer"
    " cannot be read."
)
REST_RAISES = (("RestError", _REST_ERROR), *CALL_RAISES)
"""What every WebAPI method raises, as its docstring's ``Raises:`` says."""
STATUS_RAISES = {
    404: ("NotFound", "The server answered 404 Not Found: the entity or the path does not exist."),
    409: (
        "Conflict",
        (
            "The server answered 409 Conflict: a ``test`` of the JSON Patch failed, and"
            " nothing was changed."
        ),
    ),
    412: (
        "PreconditionFailed",
        (
            "The server answered 412 Precondition Failed: the entity changed since the"
            " request's ``If-Unmodified-Since``, and was left as it is."
        ),
    ),
}
"""The error of each status that has its own class (``_rest``), as a ``Raises:`` entry of
the methods whose page lists the status."""

_SELECT_DOC = (
    "The properties to fill in (``$select``), as a list or comma-separated; the others"
    " come back empty."
)


def method_doc(
    op: Operation,
    endpoint: RestEndpoint,
    parameters: Sequence[RestParameter],
    raises: Sequence[tuple[str, str]] = (),
) -> str:
    """What the method does, the request it sends, its parameters, what it returns and
    raises (``raises``, the error of each status its page lists that has its own, then
    every method's): all from its REST page, which may say otherwise than the SOAP page."""
    restricted = f"Online restricted: {op.online_restricted}" if op.online_restricted else ""
    args = [(p.python_name, p.doc) for p in parameters]
    if endpoint.select:
        args.append(("select", _SELECT_DOC))
    return google_doc(
        (
            endpoint.doc or f"{op.name}.",
            f"``{endpoint.method.upper()} {relative_path(endpoint.path)}``",
            restricted,
        ),
        args,
        endpoint.response_doc.split("\n\n", 1)[0],
        (*raises, *_status_raises(endpoint), *REST_RAISES),
    )


def _status_raises(endpoint: RestEndpoint) -> list[tuple[str, str]]:
    listed = sorted({status for status, _ in endpoint.statuses} & STATUS_RAISES.keys())
    return [STATUS_RAISES[status] for status in listed]
