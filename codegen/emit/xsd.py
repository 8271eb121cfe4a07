"""What the generator knows about the XSD built-in types: one table, for every flavour.

Each built-in the models type other than as ``str`` is listed with the Python annotation
its values have in the models and a realistic value of it, for the samples; ``ZEROS``
says which annotations are of .NET value types, which are never null, and the value a
field of one holds until set (``enum_zero`` that of an enum). A flavour
keeps, in its own folder, how it carries each annotation (a SOAP codec, a JSON codec) and
how its samples write the example (XML text, a JSON value); a type not listed is text.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass

from codegen.emit import runtimes
from codegen.ir import EnumType
from codegen.passes.names import Names

Example = (
    bool | int | float | decimal.Decimal | datetime.datetime | datetime.timedelta | bytes | str
)
"""A value of a built-in as Python holds it."""


@dataclass(frozen=True)
class Builtin:
    annotation: str
    """The annotation of the type's values in the models."""
    example: Example
    """A realistic value, which each flavour's samples write in their notation."""


_ONE = Builtin("int", 1)
STRING = Builtin("str", "example")
"""Any type the table does not list: text."""
BUILTINS = {
    **dict.fromkeys(
        (
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
            "char",
        ),
        _ONE,
    ),
    "negativeInteger": Builtin("int", -1),
    "nonPositiveInteger": Builtin("int", 0),
    "boolean": Builtin("bool", True),
    "double": Builtin("float", 1.5),
    "float": Builtin("float", 1.5),
    "decimal": Builtin("decimal.Decimal", decimal.Decimal("1.5")),
    "dateTime": Builtin("datetime.datetime", datetime.datetime(2024, 1, 31, 12)),
    "duration": Builtin("datetime.timedelta", datetime.timedelta(hours=1, minutes=30)),
    "base64Binary": Builtin("bytes", b"SuperOffice"),
    "guid": Builtin("str", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
    "anyURI": Builtin("str", "https://www.example.com/"),
}
"""The XSD built-ins by local name (``guid`` is Microsoft serialization's)."""


INTEGER_RANGES = runtimes.integer_ranges()
"""The values each XSD integer type holds: the SOAP runtime's table, the one the generated
modules check against when they read and write."""


def builtin(xsd: str) -> Builtin:
    """The table's row for the XSD built-in ``xsd``: ``STRING`` for any it does not list."""
    return BUILTINS.get(xsd, STRING)


ZEROS = {
    "int": "0",
    "bool": "False",
    "float": "0.0",
    "decimal.Decimal": 'decimal.Decimal("0")',
    "datetime.datetime": "datetime.datetime(1, 1, 1)",
    "datetime.timedelta": "datetime.timedelta(0)",
}
"""The annotations of .NET value types (numbers, booleans, dates, time spans), each with
its ``default(T)`` as source: what a field holds until set, and what an omitted or nil
element means to a WCF server. ``DateTime.MinValue`` is naive, as the readers read .NET's
``0001-01-01T00:00:00`` (no offset). Strings and ``bytes`` are reference types: null."""


def enum_zero(definition: EnumType, class_name: str, names: Names) -> str:
    """The default of an enum field, as source: the member ``EnumType.zero`` names, else
    the empty set ``models.py`` holds in ``empty_flags``: a call (``Kind(0)``) as a default
    is what linters refuse (B008, RUF009)."""
    zero = definition.zero
    if zero is None:
        return empty_flags(names.ids[definition.name])
    return f"{class_name}.{names.members[definition.name][zero.name]}"


def empty_flags(type_id: str) -> str:
    """The ``models.py`` constant holding the empty set of a flags enum: ``NO_E_FIELD_RIGHT``."""
    return f"NO_{type_id.upper()}"
