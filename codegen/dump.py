"""The IR as stable, sorted JSON: the ``ir`` command's output and a diffable snapshot."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Sequence

from codegen.ir import (
    Agent,
    ArrayType,
    ComplexType,
    DictionaryType,
    EnumType,
    Primitive,
    QName,
)

_KINDS: dict[type, str] = {
    Primitive: "primitive",
    ComplexType: "complex",
    EnumType: "enum",
    ArrayType: "array",
    DictionaryType: "dictionary",
}


def _plain(value: object) -> object:
    if isinstance(value, QName):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if type(value) in _KINDS:
            plain["kind"] = _KINDS[type(value)]
        return plain
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def agents_json(agents: Sequence[Agent]) -> str:
    """``{"agents": [...]}`` with every key sorted; agents in name, then version order."""
    ordered = sorted(agents, key=lambda a: (a.name, a.version or 0))
    document = {"agents": _plain(ordered)}
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
