"""The imports of a generated module: exactly the names its code uses, in isort's order.

Names are found outside strings and comments (an f-string's replacement fields count), so
words in docstrings never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from codegen.emit.runtimes import Runtime

MARKER = "# <imports>"
"""Where a template's module takes its imports."""
_STANDARD = (
    ("datetime", "import datetime"),
    ("decimal", "import decimal"),
    ("enum", "import enum"),
    ("typing", "import typing"),
    ("Callable", "from collections.abc import Callable"),
    ("dataclass", "from dataclasses import dataclass"),
    ("Any", "from typing import Any"),
)
"""Standard-library imports, in isort order, by the name whose use needs them."""


def with_imports(
    source: str,
    runtime: Iterable[Runtime],
    models: Iterable[str],
    used: set[str] | None = None,
) -> str:
    """``source`` with its ``MARKER`` replaced by the imports its code uses, isort-style:
    the standard library's, the names of the ``runtime`` modules from the package's copy of
    each (as ``_<name>``), ``models``' names from the agent's ``models.py``.

    ``used`` are the names the code uses, when the caller knows them (see ``names_used``).
    """
    used = names_used(source) if used is None else used
    standard = [statement for name, statement in _STANDARD if name in used]
    if "field" in used:
        standard = [
            "from dataclasses import dataclass, field" if "dataclass" in line else line
            for line in standard
        ]
    sections = [["from __future__ import annotations"], standard]
    local = [
        f"from ..{module.module} import {name} as _{name}"
        for module in runtime
        for name in sorted(module.exports, key=isort_key)
        if f"_{name}" in used
    ]
    from_models = sorted((name for name in models if name in used), key=isort_key)
    if from_models:
        local += ["from .models import (", *(f"    {name}," for name in from_models), ")"]
    sections.append(local)
    # httpx only annotates (the caller brings the client): importing it would cost more than
    # the whole generated module.
    sections.append(["if typing.TYPE_CHECKING:", "    import httpx"] if "httpx" in used else [])
    return source.replace(MARKER, "\n\n".join("\n".join(s) for s in sections if s), 1)


def isort_key(name: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    """isort's order of imported names: CONSTANTS, Classes, the rest; natural, any case."""
    return _casing(name), _natural(name.lower())


def all_key(name: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    """ruff's order for ``__all__``: grouped like isort, then natural and case-sensitive."""
    return _casing(name), _natural(name)


def _natural(name: str) -> tuple[tuple[int, str], ...]:
    """Digit runs compare as numbers (``Post2`` before ``Post10``)."""
    return tuple(
        (int(run), "") if run.isdigit() else (-1, run) for run in re.findall(r"\d+|\D+", name)
    )


def _casing(name: str) -> int:
    if name.isupper() and len(name) > 1:
        return 0
    return 1 if name[:1].isupper() else 2


_FIELD = re.compile(r"\{([^{}]+)\}")
"""A replacement field of an f-string (Python 3.11 tokenizes an f-string as one string)."""
_NOT_NAMES = re.compile(
    r"""
    (?=[rRbBuUfF'"\#.])
    (?:
      (?P<prefix>[rRbBuUfF]{0,2})
      (?:'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
        |\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
        |'[^'\\\n]*(?:\\.[^'\\\n]*)*'
        |"[^"\\\n]*(?:\\.[^"\\\n]*)*")
      |\#[^\n]*
      |\.(?:\s|\\\n)*[^\W\d]\w*
    )
    """,
    re.VERBOSE | re.DOTALL,
)
"""What holds no name the code refers to: a string literal (any prefix; an f-string is
searched for its replacement fields), a comment, an attribute after its dot."""
_NAME = re.compile(r"\b[^\W\d]\w*")


def names_used(source: str) -> set[str]:
    """Every name the code refers to: no attribute names, nothing inside strings but the
    replacement fields of f-strings (less their format specs).

    Two regular expressions rather than the tokenizer, which took half of the rendering
    time; the generated modules of all of Services86 come out the same either way.
    """
    used: set[str] = set()

    def skip(match: re.Match[str]) -> str:
        if "f" in (match.group("prefix") or "").lower():
            for expression in _FIELD.findall(match.group()):
                used.update(names_used(expression.partition("!")[0]))
        return " "

    used.update(_NAME.findall(_NOT_NAMES.sub(skip, source)))
    return used
