"""The runtime modules the generated package ships, and the names it may take from them.

The runtimes are modules of this source tree, linted, type-checked and tested as code, and
copied into the package as they are, under their own names: ``codegen/emit/soap/`` holds
``_errors`` (the ``SuperOfficeError`` family every call raises from), ``_http`` (a request
sent and its answer read within a bound, for every client), ``_auth`` (the credentials
every client takes), ``_online`` (the Online system user, one of them), ``_soap_errors``
(what a SOAP call raises), ``_enums`` (what the models' enums are built on),
``_xml_values`` (XML text to values and back) and ``_runtime`` (the envelope, built on
them); ``codegen/emit/rest/`` holds ``_json`` (the JSON codecs) and ``_rest`` (requests
sent with their credentials, and errors, built on them); ``codegen/emit/entity/`` holds
``_entity`` (entity paths, patches and OData pages, built on both). They import each
other relatively, so each keeps its name. A module's ``__all__`` lists what the generated
modules may import from it; its ``PUBLIC``, the part of that which the packages re-export
to their users.

They are read as files, never imported: what ships is their text, and importing one would
run it (the SOAP envelope builds its lxml parser) for nothing. ``ast`` reads the two lists,
from their own statements only: parsing the whole of the modules was a tenth of a small
``generate``.
"""

from __future__ import annotations

import ast
import functools
import io
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Runtime:
    """One runtime module: ``codegen/emit/<side>/<module>.py``, ``<package>/<module>.py``."""

    side: str
    module: str

    @property
    def file(self) -> str:
        return f"{self.module}.py"

    @property
    def text(self) -> str:
        return _text(self.side, self.file)

    @property
    def exports(self) -> tuple[str, ...]:
        """Its ``__all__``: what the generated modules may import from it."""
        return _names(self.side, self.file)["__all__"]

    @property
    def public(self) -> tuple[str, ...]:
        """Its ``PUBLIC``: what the packages re-export from it."""
        return _names(self.side, self.file)["PUBLIC"]


SOAP = (
    Runtime("soap", "_auth"),
    Runtime("soap", "_enums"),
    Runtime("soap", "_errors"),
    Runtime("soap", "_http"),
    Runtime("soap", "_online"),
    Runtime("soap", "_runtime"),
    Runtime("soap", "_soap_errors"),
    Runtime("soap", "_xml_values"),
)
"""What the SOAP clients and the models run on, by module name; they import each name as
``_<name>`` from the module whose ``__all__`` has it."""
REST = (Runtime("rest", "_json"), Runtime("rest", "_rest"))
"""What the WebAPI clients run on (with ``_errors`` and ``_http`` of ``SOAP``, which every
package ships); they refer to its names through the modules."""
ENTITY = (Runtime("entity", "_entity"),)
"""What the entity clients run on besides ``REST``: paths, patches, OData pages."""
SIDES = {"soap": SOAP, "rest": REST, "entity": ENTITY}


def public(sides: Iterable[str]) -> dict[str, list[str]]:
    """What a package re-exports from the runtimes of ``sides``, by module name, sorted."""
    runtimes = [runtime for side in sides for runtime in SIDES[side] if runtime.public]
    return {r.module: list(r.public) for r in sorted(runtimes, key=lambda r: r.module)}


@functools.cache
def integer_ranges() -> dict[str, tuple[int, int]]:
    """``_xml_values.INTEGER_RANGES``: the values each XSD integer type holds, read from the
    runtime's source, so that the bounds the modules are generated with and the ones the
    runtime checks come from one table."""
    found = _assigned(_text("soap", "_xml_values.py"), ("INTEGER_RANGES",))
    if "INTEGER_RANGES" not in found:
        raise ValueError("codegen/emit/soap/_xml_values.py: no INTEGER_RANGES")
    ranges: dict[str, tuple[int, int]] = found["INTEGER_RANGES"]
    return ranges


@functools.cache
def _text(side: str, file: str) -> str:
    return resources.files(f"codegen.emit.{side}").joinpath(file).read_text(encoding="utf-8")


@functools.cache
def _names(side: str, file: str) -> dict[str, tuple[str, ...]]:
    """``__all__`` and ``PUBLIC`` of a runtime module, read from its source; ``PUBLIC`` must
    be a part of ``__all__``."""
    found = _assigned(_text(side, file), ("__all__", "PUBLIC"))
    names = {name: tuple(found.get(name, ())) for name in ("__all__", "PUBLIC")}
    if not set(names["PUBLIC"]) <= set(names["__all__"]):
        raise ValueError(f"codegen/emit/{side}/{file}: PUBLIC names what __all__ does not")
    return names


def _assigned(source: str, names: tuple[str, ...]) -> dict[str, Any]:
    """The literal values ``source`` assigns to ``names`` at its top level. Each statement
    is found by the line it begins on, ``NAME = `` at the first column, and ends with its
    logical line, as ``tokenize`` tells it; only it is parsed. Where that finds a name on
    two lines (one in a string, say), or a line that is no such statement, the whole
    module is parsed instead."""
    found: dict[str, Any] = {}
    lines = source.splitlines(keepends=True)
    try:
        for index, line in enumerate(lines):
            name = line.partition(" = ")[0]
            if name in names and line.startswith(f"{name} = "):
                if name in found:
                    return _assigned_in(ast.parse(source).body, names)
                (node,) = ast.parse(_logical_line(lines[index:])).body
                if not isinstance(node, ast.Assign):
                    return _assigned_in(ast.parse(source).body, names)
                found[name] = ast.literal_eval(node.value)
    except (SyntaxError, ValueError, tokenize.TokenError, StopIteration):
        return _assigned_in(ast.parse(source).body, names)
    return found


def _assigned_in(body: list[ast.stmt], names: tuple[str, ...]) -> dict[str, Any]:
    """The literal values the statements ``body`` assign to ``names``."""
    found: dict[str, Any] = {}
    for statement in body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in names:
                found[target.id] = ast.literal_eval(statement.value)
    return found


def _logical_line(lines: list[str]) -> str:
    """The statement that starts on the first of ``lines``: to its ``NEWLINE`` token."""
    tokens = tokenize.generate_tokens(io.StringIO("".join(lines)).readline)
    end = next(token.end[0] for token in tokens if token.type == tokenize.NEWLINE)
    return "".join(lines[:end])
