"""What the generator knows about the XSD built-in types: one table, for every flavour.

Each built-in the models type other than as ``str`` is listed with the Python annotation
its values have in the models and a realistic value of it, for the samples. A flavour
keeps, in its own folder, how it carries each annotation (a SOAP codec, a JSON codec) and
how its samples write the example (XML text, a JSON value); a type not listed is text.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass

from codegen.emit import runtimes

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
