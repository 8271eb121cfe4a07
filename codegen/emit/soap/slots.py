"""The SOAP flavour's slots: how one element's value is written to XML and read back.

A ``Slot`` is one element place (a model field, a parameter, an array item, a response
part) with its ``Codec``, the expressions that carry its type (``TEXT_CODECS`` has those
of the built-ins). How values travel (the contract between the ``codegen.emit.soap`` views
and the package's ``_xml_values``, ``codegen/emit/soap/_xml_values.py``): text values are
written as ``open + format(value) + close`` and read by a ``read_x(el)`` function;
complex values, arrays and dictionaries by generated ``write_x(out, value)`` /
``read_x(el)`` functions; a complex type with subtypes (a polymorphic field) by
``write_x_polymorphic`` / ``read_x_polymorphic``, which honour ``xsi:type``; ``anyType`` by
``write_any`` / ``read_any``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace

from codegen.emit.layout import Call, Expr, call, indented, store
from codegen.emit.literals import literal
from codegen.emit.xsd import INTEGER_RANGES, ZEROS


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
    """TEXT: source with ``{}`` for the value and ``{name}`` for the field's name, e.g.
    ``_format_bool({}, {name})``: each formatter checks the value's type."""
    writer: str = ""
    factory: bool = False
    """``default`` is a callable for ``field(default_factory=...)``, not a value."""
    inline: tuple[str, str, str] = ("", "{element}", "()")
    """How a reader computes a value in place: callee, argument, brackets. The argument
    names ``{element}`` or its ``{text}``: ``("_BOOLEANS", "{text}", "[]")``,
    ``("_ROLE_TYPE__BY_WIRE", "{text}", "[]")``; no callee means ``reader``."""
    arguments: tuple[str, ...] = ()
    """What the reader takes after the element: an integer type's bounds."""
    value_type: bool = False
    """A .NET value type (``codegen.emit.xsd.ZEROS``, an enum): never null on the server,
    so an optional slot holds ``default`` rather than None."""

    def text(self, value: str, name: str) -> str:
        """The formatting of ``value``, which an error names by the code ``name`` (the
        field's name quoted with ', so that it fits in the double-quoted f-strings of the
        writers, or the variable holding it)."""
        return self.format.format(value, name=name)

    def value(self, element: str, text: str) -> Call:
        """The value read from ``element``, whose text is already in ``text`` if needed."""
        callee, argument, brackets = self.inline
        value = argument.format(element=element, text=text)
        return Call(callee or self.reader, (value, *self.arguments), brackets)

    @property
    def outside_models(self) -> Codec:
        """The codec as ``soap.py`` uses it: by ``read_x`` where ``models.py`` has a table."""
        if self.inline[0].endswith("__BY_WIRE"):
            return replace(self, inline=("", "{element}", "()"))
        return self

    @property
    def reads_text(self) -> bool:
        return "{text}" in self.inline[1]

    def field(self, value: str, name: str) -> str:
        """``value`` as the replacement field of an f-string."""
        return f"{{{self.text(value, name)}}}"

    def with_range(self, low: int, high: int) -> Codec:
        """An integer codec whose writer and reader refuse values outside ``low`` to
        ``high``."""
        bounds = (str(low), str(high))
        return replace(self, format=f"_format_int({{}}, {{name}}, {low}, {high})", arguments=bounds)


_CONTAINERS = ("list", "dict")
"""The annotations of arrays and dictionaries, whose writers name their contents by the
field holding them."""

TEXT_CODECS = {
    codec.annotation: codec
    for codec in (
        Codec("int", Kind.TEXT, "_read_int", ZEROS["int"], value_type=True).with_range(
            *INTEGER_RANGES["int"]
        ),
        Codec(
            "bool",
            Kind.TEXT,
            "_read_bool",
            ZEROS["bool"],
            "_format_bool({}, {name})",
            inline=("_BOOLEANS", "{text}", "[]"),
            value_type=True,
        ),
        Codec(
            "float",
            Kind.TEXT,
            "_read_float",
            ZEROS["float"],
            "_format_float({}, {name})",
            value_type=True,
        ),
        Codec(
            "decimal.Decimal",
            Kind.TEXT,
            "_read_decimal",
            ZEROS["decimal.Decimal"],
            "_format_decimal({}, {name})",
            value_type=True,
        ),
        Codec(
            "datetime.datetime",
            Kind.TEXT,
            "_read_datetime",
            ZEROS["datetime.datetime"],
            "_format_datetime({}, {name})",
            value_type=True,
        ),
        Codec(
            "datetime.timedelta",
            Kind.TEXT,
            "_read_duration",
            ZEROS["datetime.timedelta"],
            "_format_duration({}, {name})",
            value_type=True,
        ),
        Codec("bytes", Kind.TEXT, "_read_bytes", 'b""', "_format_bytes({}, {name})"),
        Codec("str", Kind.TEXT, "_read_str", '""', "_escape({}, {name})"),
    )
}
"""The codec of each annotation ``codegen.emit.xsd`` gives a built-in: its reader, the
default of a new object's slot, its format, and for some the builtin or table a class
reader computes the value with in place."""


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
    name_code: str = ""
    """The code that names the slot in an error, where it is not its own name: the items
    of an array and the keys and values of a dictionary are named by the field that holds
    them, which their writer function is given as ``name``."""
    nil_skipped: bool = False
    """An array item no document shows nil: a nil one is left out of the list read."""

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
        """None where the schema makes the element nillable, or optional when its type is
        not a value type: an optional value type holds its default instead, which is what
        a WCF server takes an omitted element for."""
        return self.nillable or (self.optional and not self.codec.value_type)

    @property
    def nil_may_come(self) -> bool:
        """``xsi:nil`` is read, not refused: in a nillable slot, and in an optional one,
        where .NET's doc samples put it to cut a recursive structure even when the schema
        does not make the element nillable."""
        return self.nillable or (self.optional and not self.repeated) or self.nil_skipped

    @property
    def nil_is_none(self) -> bool:
        """``xsi:nil`` reads as None: where it may come and None fits. In an optional
        value type it reads as the element left out (the default), since no server can
        send nil for a value type."""
        return self.nil_may_come and self.may_be_none

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

    @property
    def parameter_default(self) -> str:
        """`` = default`` after a parameter that may be left out, else nothing."""
        return f" = {self.default_value}" if self.optional or self.may_be_none else ""

    # Writing ---------------------------------------------------------------------------

    def write(self, value: str, indent: int = 0) -> list[str]:
        """Statements appending this slot's XML for ``value`` to ``out``, at ``indent``.

        None is omitted where the slot is optional and sent as ``xsi:nil`` where it is
        required and nillable; a value type is always written; a repeated slot writes one
        element per item.
        """
        if self.repeated:
            item = f"item_{self.python_name}"
            return [f"for {item} in {value}:", *indented(self._write_one(item, indent + 4))]
        if self.optional and self.may_be_none:
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
        name = self.python_name or self.wire_name
        if codec.kind is Kind.TEXT:
            field = codec.field(value, self.name_code or repr(name))
            text = f"f{_quoted(self.open)[:-1]}{field}{_quoted(self.close)[1:]}"
            return call("out.append", [text], indent)
        if codec.kind is Kind.ANY:
            return call(
                codec.writer, ["out", literal(self.start), literal(self.close), value], indent
            )
        kind = codec.annotation.partition("[")[0]
        named = self.name_code or literal(name)
        checked = Call("_check_type", (value, kind, named))
        if codec.kind is Kind.NESTED:
            contents: list[Expr] = ["out", checked, *([named] if kind in _CONTAINERS else [])]
            return [
                *call("out.append", [literal(self.open)], indent),
                *call(codec.writer, contents, indent),
                *call("out.append", [literal(self.close)], indent),
            ]
        arguments: list[Expr] = ["out", literal(self.start), literal(self.close), checked]
        return call(codec.writer, arguments, indent)

    # Reading ---------------------------------------------------------------------------

    def read(self, element: str) -> str:
        """Source reading one value (one item, when repeated) from ``element``."""
        value = self.codec.value(element, f"{element}.text")
        if not self.nil_may_come:
            return str(value)
        if self.nil_is_none and self.codec.reader == "_read_str":
            return f"_read_str_or_none({element})"
        return f"{self.default_value} if _is_nil({element}) else {value}"

    def read_into(
        self, element: str, store: Store, indent: int, *, nil_kept: bool = False
    ) -> list[str]:
        """Statements reading ``element`` and keeping its value with ``store``.

        A nil element keeps ``default_value`` (None, or a value type's default) when
        ``nil_kept``; otherwise it keeps nothing (the field stays at its default).
        """
        guard = self._nil_guard(element)
        if guard is None:
            return store(self._value(element), indent)
        lines = [f"if {guard}:", *indented(store(self._value(element), indent + 4))]
        if nil_kept:
            lines += ["else:", *indented(store(self.default_value, indent + 4))]
        return lines

    def read_step(self, indent: int) -> list[str]:
        """A step of a class reader's pass over the children in schema order: when the
        current ``child`` is this field's, read it into ``obj`` and move on to the next.

        A repeated field takes every consecutive element of its name.
        """
        test = f"tag == {self.tag_constant}"
        if self.repeated:
            keep = appending(f"obj.{self.python_name}.append")
            reading = self.read_into("child", keep, indent + 4, nil_kept=True)
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
        if not self.nil_may_come or (self.nil_is_none and codec.reader == "_read_str"):
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
        checked = self.nil_may_come and codec.reads_text
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


def enum_reader(type_id: str) -> str:
    """The module constant reading an enumeration's wire text: ``_ROLE_TYPE__BY_WIRE``."""
    return f"_{type_id.upper()}__BY_WIRE"


def namespace_constant(prefix: str) -> str:
    """The module constant holding ``{namespace}`` for a prefix: ``_NS_TNS``."""
    return f"_NS_{prefix.upper()}"
