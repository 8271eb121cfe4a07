"""What the generator knows about the XSD built-in types, for every flavour."""

from __future__ import annotations

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
