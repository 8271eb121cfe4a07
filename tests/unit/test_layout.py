"""The one layout engine: widths as black counts them, and statements as black prints them."""

from __future__ import annotations

import pytest
from black.strings import str_width
from emit_support import format_python

from codegen.emit.layout import Call, call, lines, store, width
from codegen.emit.literals import literal

SAMPLES = (
    "GetUser",
    "Åse Ødegård",
    "e\u0301",  # a combining accent: black counts it as a column of its own
    "ユーザー",
    "사용자",
    "用户名称",
    "ＦＵＬＬ",
    "Ελληνικά",
    "🙂",
)


@pytest.mark.parametrize("text", SAMPLES)
def test_width_is_what_black_counts(text: str) -> None:
    assert width(text) == str_width(text)


def _formatted(source: str) -> str:
    return format_python(source)


def test_a_call_that_is_too_wide_only_by_wide_characters_is_exploded() -> None:
    # 42 wide characters are 84 columns: with the call around them, more than 88.
    text = literal("用" * 42)
    assert len(f"f({text})") <= 88 < width(f"f({text})")
    source = "\n".join(call("f", [text], 0)) + "\n"
    assert source == f"f(\n    {text},\n)\n" == _formatted(source)


def test_a_subscript_split_over_lines_takes_no_comma() -> None:
    index = literal("x" * 80)
    source = "\n".join(store("value = ", Call("table", (index,), "[]"))) + "\n"
    assert source == f"value = table[\n    {index}\n]\n" == _formatted(source)


def test_a_value_too_long_after_its_target_is_wrapped_in_parentheses() -> None:
    value = Call("f", ("a",))
    target = "x" * 84 + " = "
    source = "\n".join(store(target, value)) + "\n"
    assert source == f"{target}(\n    f(a)\n)\n" == _formatted(source)


def test_nested_calls_explode_from_the_outside_in() -> None:
    inner = Call("inner", tuple(f"argument_{n}" for n in range(6)))
    statement = lines(Call("outer", (inner, "last")), 4)
    source = "def f():\n" + "".join(f"    {line}\n" for line in statement)
    assert statement[0] == "outer(" and statement[1].startswith("    inner(argument_0")
    assert _formatted(source) == source
