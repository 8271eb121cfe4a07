"""The SOAP flavour's view model: the records ``models.py`` and ``soap.py`` render.

Plain records of everything the templates print: annotations, defaults, and for every
element the literal XML pieces and the expressions that write and read it (``Slot``).
Templates only loop over these records and print them, so what the generated code does
is decided, and tested, here; ``codegen.emit.soap.build`` makes them from the IR.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from codegen.emit.layout import call, concatenation, condition, indented, store
from codegen.emit.soap.slots import Slot, appending, assigning, enum_reader, namespace_constant
from codegen.emit.xsd import empty_flags
from codegen.passes.names import offline_classes


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
    def empty(self) -> str:
        """The constant holding the empty set, for a flags enum with no member for 0."""
        if not self.flags or any(m.value == 0 for m in self.members):
            return ""
        return empty_flags(self.id)

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
        """The ``if`` appending the item ``child`` to ``items``: a nil one as None where
        the documents show one, else left out with a ``SoapWarning`` (no server sends it)."""
        test = f"child.tag == {self.item.tag_constant}"
        keep = appending("items.append")
        guard = self.item._nil_guard("child")
        if self.item.nil_skipped and guard is not None:
            value = keep(self.item._value("child"), indent + 8)
            left_out = f"_nil_item_left_out({self.item.tag_constant})"
            body = [f"if {guard}:", *indented(value), "else:", f"    {left_out}"]
            return [f"if {test}:", *indented(body)]
        reading = self.item.read_into("child", keep, indent + 4, nil_kept=True)
        return [f"if {test}:", *indented(reading)]


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
    ticket: bool = False
    """The option is the ticket of the ``Credentials`` header, which the client's
    credentials may give at each call instead."""


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
        return self.result.read_into("child", assigning("return "), indent, nil_kept=True)

    def building(self, target: str, indent: int) -> list[str]:
        """``target _body__x(arguments)``: the body built from the method's arguments."""
        arguments = [f"{p.python_name}={p.python_name}" for p in self.parameters]
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
    def ticket_option(self) -> HeaderOption | None:
        """The ``ticket`` option, when the operations take a ``Credentials`` header."""
        return next((option for option in self.header_options if option.ticket), None)

    @property
    def session_options(self) -> tuple[HeaderOption, ...]:
        """The header options but the ticket, which comes with the credentials."""
        return tuple(option for option in self.header_options if not option.ticket)

    @property
    def example_arguments(self) -> str:
        """The client's arguments in the README's example: the ticket, when it takes one."""
        return 'client, ticket="7T:..."' if self.ticket_option else "client"

    @property
    def requests_class(self) -> str:
        """The class of the clients' ``requests``: an envelope per operation, unsent."""
        return offline_classes(self.class_name)[0]

    @property
    def responses_class(self) -> str:
        """The class of the clients' ``responses``: a response read per operation."""
        return offline_classes(self.class_name)[1]

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
        names |= {e.empty for e in self.enums if e.empty}
        ids = [c.id for c in self.classes] + [a.id for a in self.arrays]
        for type_id in ids + [d.id for d in self.dictionaries]:
            names |= {f"write_{type_id}", f"read_{type_id}"}
        for c in self.classes:
            if c.subtypes:
                names |= {f"write_{c.id}_polymorphic", f"read_{c.id}_polymorphic"}
        if self.uses_any:
            names |= {"write_any", "read_any"}
        return tuple(sorted(names))


def _tag_constants(slots: Iterable[Slot]) -> list[str]:
    """The lines defining the tag constants of ``slots``, sorted by name."""
    operands = {s.tag_constant: s.tag_operands for s in slots}
    return [
        line
        for constant in sorted(operands)
        for line in concatenation(f"{constant} = ", operands[constant], 0)
    ]
