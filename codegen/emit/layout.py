"""Black's layout of the statements the view model makes, decided as they are made.

Generation does not run black (formatting a whole corpus would dominate its time), so the
generated modules must already read as black would print them. The templates keep to
short, fixed shapes; the statements whose length depends on names from the WSDL (calls,
assignments, function signatures) are laid out here by black's rules for those shapes:
one line when it fits in 88 columns, else the exploded form with a trailing comma after
every item, which black keeps as it is (a "magic trailing comma").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 88
"""black's default line length, which the generated modules are formatted for."""
INDENT = "    "


def fits(line: str, indent: int) -> bool:
    return indent + len(line) <= WIDTH


@dataclass(frozen=True)
class Call:
    """``callee(arguments)`` or ``callee[argument]``: a value as a statement computes it."""

    callee: str
    arguments: tuple[str, ...]
    bracket: str = "("

    def __str__(self) -> str:
        if self.bracket == "[":
            return f"{self.callee}[{self.arguments[0]}]"
        return f"{self.callee}({', '.join(self.arguments)})"


def call(head: str, arguments: Sequence[str], indent: int, tail: str = "") -> list[str]:
    """``head(arguments)tail``: one line, or one argument a line after a trailing comma."""
    line = f"{head}({', '.join(arguments)}){tail}"
    if fits(line, indent) or not arguments:
        return [line]
    return [f"{head}(", *(f"{INDENT}{a}," for a in arguments), f"){tail}"]


def tuple_(head: str, items: Sequence[str], indent: int, tail: str = "") -> list[str]:
    """``head(items)tail`` where the parentheses make a tuple: ``("one",)`` stays a tuple."""
    if len(items) == 1 and fits(f"{head}({items[0]},){tail}", indent):
        return [f"{head}({items[0]},){tail}"]
    return call(head, items, indent, tail)


def define(head: str, parameters: Sequence[str], returns: str, indent: int = 0) -> list[str]:
    """A ``def`` line (``head`` is ``def name``), its parameters exploded when too long."""
    return call(head, parameters, indent, f" -> {returns}:")


def store(target: str, value: Call | str, indent: int) -> list[str]:
    """``target value`` where ``target`` ends in ``= `` or is ``return ``.

    When it is too long, black first splits the value's own brackets if the line up to
    them fits; otherwise it wraps the value in parentheses on a line of its own, if it
    fits there.
    """
    line = f"{target}{value}"
    if fits(line, indent):
        return [line]
    if not isinstance(value, Call):
        # An atom black cannot split: parenthesised on a line of its own if it fits there.
        inner = f"{INDENT}{value}"
        return [f"{target}(", inner, ")"] if fits(inner, indent) else [line]
    if fits(f"{target}{value.callee}{value.bracket}", indent):
        if value.bracket == "(":
            return call(f"{target}{value.callee}", value.arguments, indent)
        return [f"{target}{value.callee}[", f"{INDENT}{value.arguments[0]}", "]"]
    return [f"{target}(", f"{INDENT}{value}", ")"]


def concatenation(target: str, operands: Sequence[str], indent: int) -> list[str]:
    """``target a + b`` (an assignment of one sum), wrapped in parentheses when too long."""
    line = f"{target}{' + '.join(operands)}"
    if fits(line, indent):
        return [line]
    body = " + ".join(operands)
    if fits(body, indent + len(INDENT)):
        return [f"{target}(", f"{INDENT}{body}", ")"]
    rest = [f"{INDENT}+ {operand}" for operand in operands[1:]]
    return [f"{target}(", f"{INDENT}{operands[0]}", *rest, ")"]


def condition(keyword: str, test: str, extra: str, indent: int) -> list[str]:
    """``keyword test and (extra):`` (``elif``...), split inside the parentheses when long."""
    line = f"{keyword} {test} and ({extra}):"
    if fits(line, indent):
        return [line]
    return [f"{keyword} {test} and (", f"{INDENT}{extra}", "):"]


def indented(lines: Sequence[str], depth: int = 1) -> list[str]:
    return [INDENT * depth + line if line else line for line in lines]


TEMPLATE_GLOBALS = {
    "Call": Call,
    "call": call,
    "define": define,
    "store": store,
    "tuple_": tuple_,
}
"""What the templates may lay out themselves: calls, signatures, assignments."""
