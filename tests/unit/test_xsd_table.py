"""The one table of XSD built-ins: every flavour reads its annotations and examples."""

from __future__ import annotations

import datetime
import decimal

import pytest

from codegen.emit.rest.samples import _primitive_value
from codegen.emit.soap.samples import _primitive_text, _valid
from codegen.emit.xsd import BUILTINS, STRING, ZEROS, builtin
from codegen.ir import EnumType, EnumValue, QName


@pytest.mark.parametrize("xsd", sorted(BUILTINS))
def test_each_example_is_valid_in_the_xml_it_is_written_as(xsd: str) -> None:
    assert _valid(xsd, _primitive_text(xsd, None))


@pytest.mark.parametrize("xsd", sorted(BUILTINS))
def test_each_example_written_as_json_is_kept_as_valid(xsd: str) -> None:
    value = _primitive_value(xsd, None)
    assert _primitive_value(xsd, value) == value


def test_the_examples_as_each_flavour_writes_them() -> None:
    written = {x: (_primitive_text(x, None), _primitive_value(x, None)) for x in BUILTINS}
    assert written["boolean"] == ("true", True)
    assert written["decimal"] == ("1.5", 1.5)
    assert written["duration"] == ("PT1H30M", "01:30:00")
    assert written["dateTime"] == ("2024-01-31T12:00:00", "2024-01-31T12:00:00")
    assert written["base64Binary"] == ("U3VwZXJPZmZpY2U=", "U3VwZXJPZmZpY2U=")
    assert written["unsignedShort"] == ("1", 1)


def test_a_type_the_table_does_not_list_is_text() -> None:
    assert builtin("normalizedString") is STRING
    assert STRING.annotation == "str"


def test_the_zero_of_each_value_type_is_what_dotnet_defaults_it_to() -> None:
    zeros = {
        annotation: eval(source, {"datetime": datetime, "decimal": decimal})
        for annotation, source in ZEROS.items()
    }
    assert zeros == {
        "int": 0,
        "bool": False,
        "float": 0.0,
        "decimal.Decimal": decimal.Decimal(0),
        "datetime.datetime": datetime.datetime.min,
        "datetime.timedelta": datetime.timedelta(0),
    }
    assert {builtin(x).annotation for x in ("string", "guid", "base64Binary")}.isdisjoint(ZEROS)


def _enum(*values: tuple[str, int | None], flags: bool = False) -> EnumType:
    return EnumType(QName("urn:t", "E"), tuple(EnumValue(n, v) for n, v in values), flags)


def test_an_enum_defaults_to_its_value_for_0_else_its_first_else_the_empty_set() -> None:
    assert _enum(("A", 3), ("B", 0)).zero == EnumValue("B", 0)
    assert _enum(("A", None), ("B", None)).zero == EnumValue("A")
    assert _enum(("A", 1), ("B", 2)).zero == EnumValue("A", 1)
    assert _enum(("None", 0), ("Read", 1), flags=True).zero == EnumValue("None", 0)
    assert _enum(("Read", None), ("Write", None), flags=True).zero is None
    assert _enum(("Read", None), ("UndefinedValue8", None), flags=True).numbers() == (1, 8)
