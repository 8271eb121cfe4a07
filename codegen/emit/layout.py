"""Black's layout of the statements the views make, decided as they are made: one engine
for every flavour.

Generation does not run black (formatting a whole corpus would dominate its time), so the
generated modules must already read as black would print them. The templates keep to
short, fixed shapes; the statements whose length depends on names from the docs (calls,
assignments, function signatures, declarations) are laid out here by black's rules for
those shapes: one line when it fits in 88 columns, else the exploded form with a trailing
comma after every item, which black keeps as it is (a "magic trailing comma").

Statements come out as lines relative to the column they start at; a template places them
with its ``code`` filter.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 88
"""black's default line length, which the generated modules are formatted for."""
INDENT = "    "


def width(text: str) -> int:
    """Columns ``text`` takes as black counts them (``black.strings.str_width``): an East
    Asian wide or fullwidth character takes two, every other one."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fits(line: str, indent: int) -> bool:
    return indent + width(line) <= WIDTH


@dataclass(frozen=True)
class Call:
    """``head(arguments)``: a call, or with other brackets a subscript (``head[index]``), a
    tuple, list or dict display.

    ``one_tuple`` marks a tuple display, which needs a comma after a single element.
    """

    head: str
    arguments: tuple[Expr, ...] = ()
    brackets: str = "()"
    one_tuple: bool = False

    def __str__(self) -> str:
        inner = ", ".join(str(a) for a in self.arguments)
        if self.one_tuple and len(self.arguments) == 1:
            inner += ","
        return f"{self.head}{self.brackets[0]}{inner}{self.brackets[1]}"

    @property
    def item_comma(self) -> str:
        """What follows each argument on a line of its own: a comma, but not after the one
        index of a subscript, where it would make a tuple of it."""
        return "" if self.brackets == "[]" and len(self.arguments) == 1 else ","


Expr = str | Call


def lines(expr: Expr, indent: int = 0, suffix: str = "") -> list[str]:
    """``expr`` followed by ``suffix``, starting at column ``indent``, as black writes it:
    one line if it fits, else one argument a line, each laid out the same way."""
    line = f"{expr}{suffix}"
    if isinstance(expr, str) or fits(line, indent) or not expr.arguments:
        return [line]
    inner = [
        INDENT + part
        for argument in expr.arguments
        for part in lines(argument, indent + len(INDENT), expr.item_comma)
    ]
    return [expr.head + expr.brackets[0], *inner, expr.brackets[1] + suffix]


def prefixed(text: str, expr: Expr) -> Expr:
    """``expr`` with ``text`` before it on its first line."""
    if isinstance(expr, str):
        return text + expr
    return Call(text + expr.head, expr.arguments, expr.brackets, expr.one_tuple)


def keyword(name: str, expr: Expr) -> Expr:
    """``name=expr``, laid out as ``expr`` is."""
    return prefixed(f"{name}=", expr)


def call(head: str, arguments: Sequence[Expr], indent: int, tail: str = "") -> list[str]:
    """``head(arguments)tail``: one line, or one argument a line after a trailing comma."""
    return lines(Call(head, tuple(arguments)), indent, tail)


def tuple_(head: str, items: Sequence[str], indent: int, tail: str = "") -> list[str]:
    """``head(items)tail`` where the parentheses make a tuple: ``("one",)`` stays a tuple."""
    return lines(Call(head, tuple(items), one_tuple=True), indent, tail)


def define(head: str, parameters: Sequence[str], returns: str, indent: int = 0) -> list[str]:
    """A ``def`` line (``head`` is ``def name``), its parameters exploded when too long."""
    return call(head, parameters, indent, f" -> {returns}:")


def store(target: str, value: Expr, indent: int = 0) -> list[str]:
    """``target value`` where ``target`` ends in ``= `` or is ``return ``.

    When it is too long, black first splits the value's own brackets if the line up to
    them fits; otherwise it wraps the value in parentheses on lines of their own, if every
    line then fits (an atom black cannot split stays on its line when it does not).
    """
    split = lines(prefixed(target, value), indent)
    if len(split) == 1 and fits(split[0], indent):
        return split
    if isinstance(value, Call) and fits(split[0], indent):
        return split
    wrapped = [f"{target}(", *indented(lines(value, indent + len(INDENT))), ")"]
    return wrapped if all(fits(line, indent) for line in wrapped) else split


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


def condition(clause: str, test: str, extra: str, indent: int) -> list[str]:
    """``clause test and (extra):`` (``elif``...), split inside the parentheses when long."""
    line = f"{clause} {test} and ({extra}):"
    if fits(line, indent):
        return [line]
    return [f"{clause} {test} and (", f"{INDENT}{extra}", "):"]


def indented(block: Sequence[str], depth: int = 1) -> list[str]:
    return [INDENT * depth + line if line else line for line in block]


TEMPLATE_GLOBALS = {
    "Call": Call,
    "call": call,
    "define": define,
    "store": store,
    "tuple_": tuple_,
}
"""What the templates may lay out themselves: calls, signatures, assignments."""
