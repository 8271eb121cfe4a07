"""The view-model pass: every decision the templates need, made once, in Python.

``build_view(agent)`` turns an ``Agent`` into plain records: Python names (all from
``codegen.naming``), annotations, defaults, and for every element the literal XML pieces
and the expressions that write and read it. Templates only loop over these records and
print them, so what the generated code does is decided, and tested, here.

How values travel (the contract between this module and ``templates/runtime.py.jinja``):
text values are written as ``open + format(value) + close`` and read by a ``read_x(el)``
function; complex values, arrays and dictionaries by generated ``write_x(out, value)`` /
``read_x(el)`` functions; a complex type with subtypes (a polymorphic field) by
``write_x_polymorphic`` / ``read_x_polymorphic``, which honour ``xsi:type``; ``anyType`` by
``write_any`` / ``read_any``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from codegen.emit.layout import Call, call, concatenation, condition, indented, store
from codegen.emit.literals import first_sentence, literal
from codegen.emit.order import definition_order
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
from codegen.passes.names import Names, module_names, result_name, result_type, results

PARAMETER_RESERVED = frozenset({"self", "out", "body"})
"""Names a client method or a request builder uses besides its parameters."""
SECRET_WORDS = frozenset({"password", "passwords", "ticket", "token", "secret"})
"""A field whose name ends in one of these is left out of ``repr``."""
INTEGERS = frozenset(
    {
        "int",
        "short",
        "long",
        "byte",
        "integer",
        "unsignedByte",
        "unsignedShort",
        "unsignedInt",
        "unsignedLong",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "char",
    }
)
"""The XSD built-ins a Python ``int`` holds."""
_FIXED_PREFIXES = {XSD: "xsd", XSI: "xsi", ARRAYS: "arr", SERIALIZATION: "ser"}


class Kind(enum.StrEnum):
    TEXT = "text"
    """Character data: ``open + format(value) + close``."""
    NESTED = "nested"
    """Child elements, written by ``writer(out, value)``."""
    POLYMORPHIC = "polymorphic"
    """Child elements of the declared type or of a subtype named by ``xsi:type``."""
    ANY = "any"
    """``anyType``: whatever ``xsi:type`` says."""


@dataclass(frozen=True)
class Codec:
    """How one value of a type becomes XML and comes back (None is the slot's business)."""

    annotation: str
    kind: Kind
    reader: str
    """The function reading a value from an element: ``read_x(element)``."""
    default: str
    """The value of a required, non-nillable slot in a new object (source code)."""
    format: str = ""
    """TEXT: source with ``{}`` for the value, e.g. ``_format_bool({})``."""
    writer: str = ""
    factory: bool = False
    """``default`` is a callable for ``field(default_factory=...)``, not a value."""
    inline: tuple[str, str, str] = ("", "{element}", "(")
    """How a reader computes a value in place: callee, argument, bracket. The argument
    names ``{element}`` or its ``{text}``: ``("int", '{text} or ""', "(")``,
    ``("_ROLE_TYPE__BY_WIRE", "{text}", "[")``; no callee means ``reader``."""

    def text(self, value: str) -> str:
        return self.format.format(value)

    def value(self, element: str, text: str) -> Call:
        """The value read from ``element``, whose text is already in ``text`` if needed."""
        callee, argument, bracket = self.inline
        return Call(callee or self.reader, (argument.format(element=element, text=text),), bracket)

    @property
    def outside_models(self) -> Codec:
        """The codec as ``soap.py`` uses it: by ``read_x`` where ``models.py`` has a table."""
        if self.inline[0].endswith("__BY_WIRE"):
            return replace(self, inline=("", "{element}", "("))
        return self

    @property
    def reads_text(self) -> bool:
        return "{text}" in self.inline[1]

    def field(self, value: str) -> str:
        """``value`` as the replacement field of an f-string (``str()`` goes without saying)."""
        return f"{{{value}}}" if self.format == "str({})" else f"{{{self.text(value)}}}"


Store = Callable[[Call | str, int], list[str]]
"""Statements keeping a value read (``obj.name = value``) at an indentation."""


@dataclass(frozen=True)
class Slot:
    """One element place: a field of a model, a parameter, an array item, a response part."""

    wire_name: str
    python_name: str
    prefixed: str
    """``tns:Name``: the element as the writers spell it."""
    tag: str
    """``{namespace}Name``: the element as lxml reports it."""
    codec: Codec
    nillable: bool
    optional: bool
    repeated: bool = False
    doc: str = ""
    secret: bool = False
    rest_only: bool = False
    """Documented for REST only: a model field, but never on the SOAP wire."""
    tag_constant: str = ""
    """The module constant holding ``tag`` (``_T_NAME``)."""

    @property
    def tag_operands(self) -> tuple[str, ...]:
        """``tag`` as the sum of the module's namespace constant and the name."""
        prefix, colon, _ = self.prefixed.partition(":")
        if not colon:
            return (literal(self.tag),)
        return namespace_constant(prefix), literal(self.wire_name)

    @property
    def open(self) -> str:
        return f"<{self.prefixed}>"

    @property
    def start(self) -> str:
        """The open tag without its ``>``, for writers that add an ``xsi:type``."""
        return f"<{self.prefixed}"

    @property
    def close(self) -> str:
        return f"</{self.prefixed}>"

    @property
    def nil(self) -> str:
        return f'<{self.prefixed} xsi:nil="true"/>'

    @property
    def may_be_none(self) -> bool:
        return self.nillable or self.optional

    @property
    def nil_is_none(self) -> bool:
        """``xsi:nil`` reads as None wherever None fits: in a nillable slot, and in an
        optional one, where .NET's doc samples put it to cut a recursive structure even
        when the schema does not make the element nillable."""
        return self.nillable or (self.optional and not self.repeated)

    @property
    def item_annotation(self) -> str:
        return f"{self.codec.annotation} | None" if self.nillable else self.codec.annotation

    @property
    def annotation(self) -> str:
        if self.repeated:
            return f"list[{self.item_annotation}]"
        if self.may_be_none:
            return f"{self.codec.annotation} | None"
        return self.codec.annotation

    @property
    def default(self) -> str:
        """The dataclass default: ``None``, a value, or ``field(...)``."""
        secret = ", repr=False" if self.secret else ""
        if self.repeated:
            return f"field(default_factory=list{secret})"
        if self.may_be_none:
            return f"field(default=None{secret})" if secret else "None"
        if self.codec.factory:
            return f"field(default_factory={self.codec.default}{secret})"
        return f"field(default={self.codec.default}{secret})" if secret else self.codec.default

    @property
    def default_value(self) -> str:
        """The default as a plain expression, for a parameter list."""
        if self.may_be_none:
            return "None"
        return f"{self.codec.default}()" if self.codec.factory else self.codec.default

    # Writing ---------------------------------------------------------------------------

    def write(self, value: str, indent: int = 0) -> list[str]:
        """Statements appending this slot's XML for ``value`` to ``out``, at ``indent``.

        None is omitted where the slot is optional and sent as ``xsi:nil`` where it is
        required and nillable; a repeated slot writes one element per item.
        """
        if self.repeated:
            item = f"item_{self.python_name}"
            return [f"for {item} in {value}:", *indented(self._write_one(item, indent + 4))]
        if self.optional:
            inner = self.write_present(value, indent + 4)
            return [f"if {value} is not None:", *indented(inner)]
        return self._write_one(value, indent)

    def _write_one(self, value: str, indent: int) -> list[str]:
        if not self.nillable:
            return self.write_present(value, indent)
        return [
            f"if {value} is None:",
            *indented(call("out.append", [literal(self.nil)], indent + 4)),
            "else:",
            *indented(self.write_present(value, indent + 4)),
        ]

    def write_present(self, value: str, indent: int = 0) -> list[str]:
        """Statements appending the XML of ``value``, known not to be None."""
        codec = self.codec
        if codec.kind is Kind.TEXT:
            text = f"f{_quoted(self.open)[:-1]}{codec.field(value)}{_quoted(self.close)[1:]}"
            return call("out.append", [text], indent)
        if codec.kind is Kind.NESTED:
            return [
                *call("out.append", [literal(self.open)], indent),
                *call(codec.writer, ["out", value], indent),
                *call("out.append", [literal(self.close)], indent),
            ]
        arguments = ["out", literal(self.start), literal(self.close), value]
        return call(codec.writer, arguments, indent)

    # Reading ---------------------------------------------------------------------------

    def read(self, element: str) -> str:
        """Source reading one value (one item, when repeated) from ``element``."""
        if not self.nil_is_none:
            return str(self.codec.value(element, f"{element}.text"))
        if self.codec.reader == "_read_str":
            return f"_read_str_or_none({element})"
        return f"None if _is_nil({element}) else {self.codec.value(element, f'{element}.text')}"

    def read_into(
        self, element: str, store: Store, indent: int, *, nil_stores_none: bool = False
    ) -> list[str]:
        """Statements reading ``element`` and keeping its value with ``store``.

        A nil element keeps None when ``nil_stores_none``; otherwise it keeps nothing (the
        field stays at its default, None).
        """
        guard = self._nil_guard(element)
        if guard is None:
            return store(self._value(element), indent)
        lines = [f"if {guard}:", *indented(store(self._value(element), indent + 4))]
        if nil_stores_none:
            lines += ["else:", *indented(store("None", indent + 4))]
        return lines

    def read_step(self, indent: int) -> list[str]:
        """A step of a class reader's pass over the children in schema order: when the
        current ``child`` is this field's, read it into ``obj`` and move on to the next.

        A repeated field takes every consecutive element of its name.
        """
        test = f"tag == {self.tag_constant}"
        if self.repeated:
            keep = appending(f"obj.{self.python_name}.append")
            reading = self.read_into("child", keep, indent + 4, nil_stores_none=True)
            return [f"while {test}:", *indented(reading), f"    {NEXT_CHILD}"]
        keep = assigning(f"obj.{self.python_name} = ")
        reading = self.read_into("child", keep, indent + 4)
        return [f"if {test}:", *indented(reading), f"    {NEXT_CHILD}"]

    def _nil_guard(self, element: str) -> str | None:
        """The condition under which ``element`` is not nil, None when nil needs no check.

        The text is read once, and ``xsi:nil`` is only looked up when there is neither text
        nor a child: only then may the element be nil.
        """
        codec = self.codec
        if not self.nil_is_none or codec.reader == "_read_str":
            return None
        if codec.reads_text:
            return f"(text := {element}.text) is not None or not _is_nil({element})"
        if codec.kind in (Kind.NESTED, Kind.POLYMORPHIC):
            return f"len({element}) or not _is_nil({element})"
        return f"not _is_nil({element})"

    def _value(self, element: str) -> Call:
        """The value of ``element`` past its nil check (see ``_nil_guard``)."""
        codec = self.codec
        if self.nil_is_none and codec.reader == "_read_str":
            return Call("_read_str_or_none", (element,))
        checked = self.nil_is_none and codec.reads_text
        return codec.value(element, "text" if checked else f"{element}.text")


NEXT_CHILD = "tag = (child := next(children, _END)).tag"
"""Moves a class reader on to the next child (``_END`` after the last, whose tag is "")."""


def assigning(target: str) -> Store:
    """Keep a value with ``target value``: ``obj.name = value``, ``return value``."""
    return lambda value, indent: store(target, value, indent)


def appending(method: str) -> Store:
    """Keep a value by calling ``method(value)``: ``items.append(value)``."""
    return lambda value, indent: call(method, [str(value)], indent)


def _quoted(text: str) -> str:
    """``text`` in double quotes, for the literal parts of an f-string around a value."""
    if any(c in text for c in '{}"\\\n'):
        raise ValueError(f"an element name no f-string can hold: {text!r}")
    return f'"{text}"'


@dataclass(frozen=True)
class TypeRef:
    """A named type as generated code refers to it."""

    class_name: str
    id: str
    prefixed: str
    """``tns:User``: the value of an ``xsi:type`` attribute naming it."""
    tag: str
    """``{namespace}User``: the Clark name an ``xsi:type`` resolves to."""

    @property
    def xsi_type(self) -> str:
        return f' xsi:type="{self.prefixed}"'


@dataclass(frozen=True)
class Member:
    python_name: str
    wire_name: str
    value: int
    doc: str = ""


@dataclass(frozen=True)
class EnumView:
    class_name: str
    id: str
    wire_name: str
    ref: TypeRef
    members: tuple[Member, ...]
    flags: bool
    doc: str = ""

    @property
    def by_wire(self) -> str:
        return enum_reader(self.id)

    @property
    def wire(self) -> str:
        return f"_{self.id.upper()}__WIRE"

    @property
    def names(self) -> str:
        return f"_{self.id.upper()}__NAMES"

    @property
    def first_by_value(self) -> tuple[Member, ...]:
        """One member per number (the first wire name wins), for writing."""
        seen: dict[int, Member] = {}
        for member in self.members:
            seen.setdefault(member.value, member)
        return tuple(seen.values())


@dataclass(frozen=True)
class ClassView:
    class_name: str
    id: str
    wire_name: str
    ref: TypeRef
    base: str | None
    base_id: str | None
    own: tuple[Slot, ...]
    """The fields this class adds, in schema order (the base's come first on the wire)."""
    inherited: tuple[Slot, ...]
    subtypes: tuple[TypeRef, ...] = ()
    """Every subtype, direct or not, for ``xsi:type``."""
    doc: str = ""
    abstract: bool = False
    result: bool = False
    """A generated holder of a multi-part response, not a schema type."""

    @property
    def slots(self) -> tuple[Slot, ...]:
        return self.inherited + self.own

    @property
    def subtype_readers(self) -> str:
        return f"_{self.id.upper()}__SUBTYPE_READERS"

    @property
    def subtype_writers(self) -> str:
        return f"_{self.id.upper()}__SUBTYPE_WRITERS"

    @property
    def own_wire_slots(self) -> tuple[Slot, ...]:
        return tuple(s for s in self.own if not s.rest_only)

    @property
    def wire_slots(self) -> tuple[Slot, ...]:
        """Every field on the wire, the base's first: the order of the schema."""
        return tuple(s for s in self.slots if not s.rest_only)


@dataclass(frozen=True)
class ArrayView:
    id: str
    tag: str
    item: Slot
    annotation: str

    def read_item(self, indent: int) -> list[str]:
        """Statements appending the item ``child`` to ``items``."""
        return self.item.read_into("child", appending("items.append"), indent, nil_stores_none=True)


@dataclass(frozen=True)
class DictView:
    id: str
    tag: str
    entry: Slot
    """The entry element (``...KeyValuePair``); its codec is unused."""
    key: Slot
    value: Slot
    annotation: str

    @property
    def value_local(self) -> str:
        """The annotation of the value while an entry is read (None until it is seen)."""
        return (
            self.value.item_annotation
            if self.value.nillable
            else f"{self.value.item_annotation} | None"
        )

    @property
    def complete(self) -> str:
        """The condition under which a read entry is stored."""
        if self.value.nillable:
            return "key is not None"
        return "key is not None and value is not None"

    def read_parts(self, indent: int) -> list[str]:
        """The ``if tag == ...`` chain keeping the ``part`` of an entry as key or value."""
        key = self.key.read_into("part", assigning("key = "), indent + 4)
        value = self.value._value("part")
        guard = self.value._nil_guard("part")
        keep = store("value = ", value, indent + 4)
        test = f"tag == {self.value.tag_constant}"
        return [
            f"if tag == {self.key.tag_constant}:",
            *indented(key),
            *(condition("elif", test, guard, indent) if guard else [f"elif {test}:"]),
            *indented(keep),
        ]


@dataclass(frozen=True)
class HeaderOption:
    """A constructor option of the clients that becomes a request header when set."""

    python_name: str
    annotation: str
    slot: Slot
    value: str
    """Source building the header's value from the option (``SoCredentials(ticket=ticket)``)."""


@dataclass(frozen=True)
class OperationView:
    wire_name: str
    python_name: str
    constant: str
    action: str
    doc: str
    summary: str
    request: Slot
    """The body's wrapper element (``<tns:GetUser>``)."""
    parameters: tuple[Slot, ...]
    response_tag: str
    headers: tuple[str, ...]
    returns: str
    """The method's return annotation."""
    result: Slot | None = None
    """The single response part, when there is exactly one."""
    result_class: ClassView | None = None
    """The generated dataclass holding the parts, when there are several."""

    @property
    def body_builder(self) -> str:
        return f"_body__{self.python_name}"

    @property
    def result_reader(self) -> str:
        if self.result_class is not None:
            return f"read_{self.result_class.id}"
        if self.result is None:
            return "_read_nothing"
        return f"_result__{self.python_name}"

    def read_result(self, indent: int) -> list[str]:
        """Statements returning the value of the response part ``child``."""
        assert self.result is not None
        return self.result.read_into("child", assigning("return "), indent, nil_stores_none=True)

    def building(self, target: str, indent: int) -> list[str]:
        """``target _body__x(arguments)``: the body built from the method's arguments."""
        arguments = [p.python_name for p in self.parameters]
        return call(f"{target}{self.body_builder}", arguments, indent)


@dataclass(frozen=True)
class AgentView:
    name: str
    version: int | None
    module: str
    class_name: str
    async_class_name: str
    service_path: str
    namespace: str
    prefixes: tuple[tuple[str, str], ...]
    """``(prefix, namespace)`` pairs every writer may use, declared once per envelope."""
    enums: tuple[EnumView, ...]
    classes: tuple[ClassView, ...]
    arrays: tuple[ArrayView, ...]
    dictionaries: tuple[DictView, ...]
    operations: tuple[OperationView, ...]
    header_options: tuple[HeaderOption, ...]
    uses_any: bool
    doc: str = ""

    def for_models(self) -> AgentView:
        """What ``models.py`` is rendered from: the types, without the operations, so that
        the module is not rendered again when only a method's page changed."""
        return replace(self, operations=(), header_options=())

    @property
    def model_tags(self) -> list[str]:
        """The tag constants of ``models.py``: every element a class, array or dict reads."""
        slots = [s for c in self.classes for s in c.wire_slots]
        slots += [a.item for a in self.arrays]
        slots += [part for d in self.dictionaries for part in (d.key, d.value)]
        return _tag_constants(slots)

    @property
    def result_tags(self) -> list[str]:
        """The tag constants of ``soap.py``: the single parts of the responses."""
        return _tag_constants([op.result for op in self.operations if op.result is not None])

    @property
    def example_arguments(self) -> str:
        """The client's arguments in the README's example: the ticket, when it takes one."""
        if any(option.python_name == "ticket" for option in self.header_options):
            return 'client, ticket="7T:..."'
        return "client"

    def client_doc(self, is_async: bool) -> str:
        flavour = "asyncio" if is_async else "blocking"
        client = "httpx.AsyncClient" if is_async else "httpx.Client"
        text = f"The {self.name} agent over SOAP ({flavour}), on an ``{client}``."
        return f"{text}\n\n{self.doc}" if self.doc else text

    @property
    def namespace_constants(self) -> tuple[tuple[str, str], ...]:
        """``(constant, "{namespace}")`` for every prefix."""
        return tuple((namespace_constant(p), f"{{{ns}}}") for p, ns in self.prefixes)

    @property
    def xmlns(self) -> str:
        """The namespace declarations, as attribute text for the envelope."""
        return "".join(f' xmlns:{p}="{ns}"' for p, ns in self.prefixes)

    @property
    def any_readers(self) -> tuple[tuple[str, str], ...]:
        """``(Clark type name, reader)`` for every type an ``xsi:type`` may name."""
        readers = [(e.ref.tag, f"read_{e.id}") for e in self.enums]
        readers += [(c.ref.tag, f"read_{c.id}") for c in self.classes if not c.result]
        readers += [(a.tag, f"read_{a.id}") for a in self.arrays]
        readers += [(d.tag, f"read_{d.id}") for d in self.dictionaries]
        return tuple(sorted(readers))

    @property
    def public_names(self) -> tuple[str, ...]:
        """What ``models.py`` offers to ``soap.py`` and to users, sorted."""
        names = {e.class_name for e in self.enums} | {c.class_name for c in self.classes}
        names |= {f"format_{e.id}" for e in self.enums} | {f"read_{e.id}" for e in self.enums}
        ids = [c.id for c in self.classes] + [a.id for a in self.arrays]
        for type_id in ids + [d.id for d in self.dictionaries]:
            names |= {f"write_{type_id}", f"read_{type_id}"}
        for c in self.classes:
            if c.subtypes:
                names |= {f"write_{c.id}_polymorphic", f"read_{c.id}_polymorphic"}
        if self.uses_any:
            names |= {"write_any", "read_any"}
        return tuple(sorted(names))


_ELEMENT_ONLY = Codec("None", Kind.NESTED, "", "None")
"""The codec of a slot that only names an element and carries no value of its own."""


def _tag_constants(slots: Iterable[Slot]) -> list[str]:
    """The lines defining the tag constants of ``slots``, sorted by name."""
    operands = {s.tag_constant: s.tag_operands for s in slots}
    return [
        line
        for constant in sorted(operands)
        for line in concatenation(f"{constant} = ", operands[constant], 0)
    ]


def enum_reader(type_id: str) -> str:
    """The module constant reading an enumeration's wire text: ``_ROLE_TYPE__BY_WIRE``."""
    return f"_{type_id.upper()}__BY_WIRE"


def namespace_constant(prefix: str) -> str:
    """The module constant holding ``{namespace}`` for a prefix: ``_NS_TNS``."""
    return f"_NS_{prefix.upper()}"


# --- Building -----------------------------------------------------------------------------


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
            return _primitive(xsd)
        type_id = self.names.ids[name]
        if isinstance(definition, EnumType):
            class_name = self.names.classes[name]
            first = f"{class_name}(0)" if definition.flags or not definition.values else ""
            default = first or f"{class_name}.{self._members(definition)[0].python_name}"
            return Codec(
                class_name,
                Kind.TEXT,
                f"read_{type_id}",
                default,
                format=f"format_{type_id}({{}})",
                inline=(enum_reader(type_id), "{text}", "["),
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
            annotation = f"list[{self.slot(definition.item, item=True).item_annotation}]"
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
        members = []
        previous = -1
        for index, value in enumerate(definition.values):
            number = _member_value(definition, index, value.name, value.value, previous)
            previous = number
            members.append(Member(names[value.name], value.name, number, value.doc))
        return members

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
            item=self.slot(definition.item, "item", item=True),
            annotation=self.codec(definition.name).annotation,
        )

    def dictionary_view(self, definition: DictionaryType) -> DictView:
        key = replace(self.slot(definition.key, "key", item=True), nillable=False)
        return DictView(
            id=self.names.ids[definition.name],
            tag=str(definition.name),
            entry=self.element(definition.name.namespace, definition.entry_name),
            key=key,
            value=self.slot(definition.value, "value", item=True),
            annotation=self.codec(definition.name).annotation,
        )

    # Operations ----------------------------------------------------------------------------

    def operation_view(self, op: Operation, python_name: str) -> OperationView:
        assert op.soap is not None
        request, response = op.soap.input, op.soap.output
        parameters = Scope(PARAMETER_RESERVED).assign(
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
            action=op.soap.action,
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
        scope = Scope(PARAMETER_RESERVED | {"client", "soap_version"})
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
            options.append(HeaderOption(python_name, annotation, slot, value))
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


_TEXT_TYPES = {
    "boolean": ("bool", "_read_bool", "False", "_format_bool({})"),
    "double": ("float", "_read_float", "0.0", "_format_float({})"),
    "float": ("float", "_read_float", "0.0", "_format_float({})"),
    "decimal": ("decimal.Decimal", "_read_decimal", 'decimal.Decimal("0")', "_format_decimal({})"),
    "dateTime": (
        "datetime.datetime",
        "_read_datetime",
        "datetime.datetime(1, 1, 1)",
        "_format_datetime({})",
    ),
    "duration": (
        "datetime.timedelta",
        "_read_duration",
        "datetime.timedelta(0)",
        "_format_duration({})",
    ),
    "base64Binary": ("bytes", "_read_bytes", 'b""', "_format_bytes({})"),
}
"""XSD built-ins other than integers and strings: annotation, reader, default, format."""


_INLINE = {
    "_read_int": ("int", '{text} or ""', "("),
    "_read_float": ("float", '{text} or ""', "("),
    "_read_bool": ("_BOOLEANS", "{text}", "["),
}
"""Readers a class reader does without: a builtin or a dict lookup on the text."""


def _primitive(xsd: str) -> Codec:
    """Integers are ``int``, the types above as listed, everything else ``str``."""
    if xsd in INTEGERS:
        return Codec(
            "int", Kind.TEXT, "_read_int", "0", format="str({})", inline=_INLINE["_read_int"]
        )
    if xsd in _TEXT_TYPES:
        annotation, reader, default, text = _TEXT_TYPES[xsd]
        inline = _INLINE.get(reader, ("", "{element}", "("))
        return Codec(annotation, Kind.TEXT, reader, default, format=text, inline=inline)
    return Codec("str", Kind.TEXT, "_read_str", '""', format="_escape({})")


def _member_value(
    definition: EnumType, index: int, name: str, value: int | None, previous: int
) -> int:
    """The number behind an enum value: the WSDL's, else .NET's default.

    Plain enums count on from the previous value; flag enums take the next bit, except
    ``UndefinedValueN``, which .NET writes for the bit N.
    """
    if value is not None:
        return value
    if not definition.flags:
        return previous + 1
    suffix = name.removeprefix("UndefinedValue")
    if suffix != name and suffix.isdigit():
        return int(suffix)
    return 1 << index


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


def _operation_doc(op: Operation, parameters: tuple[Slot, ...]) -> str:
    """The method's docstring: what it does, its parameters, what it returns."""
    parts = [op.doc.strip()]
    documented = [p for p in parameters if p.doc.strip()]
    if documented:
        items = (f"- ``{p.python_name}``: {' '.join(p.doc.split())}" for p in documented)
        parts.append("Parameters:\n" + "\n".join(items))
    if op.online_restricted:
        parts.append(f"Online restricted: {op.online_restricted.strip()}")
    if op.returns_doc:
        parts.append(f"Returns: {op.returns_doc.strip()}")
    return "\n\n".join(p for p in parts if p)
