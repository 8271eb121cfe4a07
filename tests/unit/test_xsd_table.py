"""The one table of XSD built-ins: every flavour reads its annotations and examples."""

from __future__ import annotations

import pytest

from codegen.emit.rest.samples import _primitive_value
from codegen.emit.soap.samples import _primitive_text, _valid
from codegen.emit.xsd import BUILTINS, STRING, builtin


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
