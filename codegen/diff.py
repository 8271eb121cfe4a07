"""What changed between two API versions of an agent: operations, types, enum values.

The comparison is structural (names, parameters, types, returns, fields, enum values) and
covers the versioned SOAP surface; description text and the unversioned REST pages are
left out, so a new version shows what a user's code has to care about and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from codegen.ir import (
    Agent,
    ArrayType,
    ComplexType,
    DictionaryType,
    EnumType,
    Field,
    Operation,
    Primitive,
    TypeDef,
)

T = TypeVar("T")


@dataclass(frozen=True)
class AgentChanges:
    agent: str
    operations_added: tuple[str, ...] = ()
    operations_removed: tuple[str, ...] = ()
    operations_changed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    types_added: tuple[str, ...] = ()
    types_removed: tuple[str, ...] = ()
    types_changed: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.operations_added,
                self.operations_removed,
                self.operations_changed,
                self.types_added,
                self.types_removed,
                self.types_changed,
            )
        )


@dataclass(frozen=True)
class Changelog:
    old_version: int | None
    new_version: int | None
    agents_added: tuple[str, ...] = ()
    agents_removed: tuple[str, ...] = ()
    agents: tuple[AgentChanges, ...] = field(default=())


def compare(
    old: Sequence[Agent],
    new: Sequence[Agent],
    old_version: int | None,
    new_version: int | None,
) -> Changelog:
    before = {a.name: a for a in old}
    after = {a.name: a for a in new}
    changes = (compare_agent(before[n], after[n]) for n in sorted(before.keys() & after.keys()))
    return Changelog(
        old_version,
        new_version,
        agents_added=tuple(sorted(after.keys() - before.keys())),
        agents_removed=tuple(sorted(before.keys() - after.keys())),
        agents=tuple(c for c in changes if not c.empty),
    )


def compare_agent(old: Agent, new: Agent) -> AgentChanges:
    before = {op.name: op for op in old.operations if op.soap}
    after = {op.name: op for op in new.operations if op.soap}
    old_types = {t.name.name: t for t in old.types}
    new_types = {t.name.name: t for t in new.types}
    return AgentChanges(
        agent=new.name,
        operations_added=tuple(sorted(after.keys() - before.keys())),
        operations_removed=tuple(sorted(before.keys() - after.keys())),
        operations_changed=_changed(before, after, _operation_changes),
        types_added=tuple(sorted(new_types.keys() - old_types.keys())),
        types_removed=tuple(sorted(old_types.keys() - new_types.keys())),
        types_changed=_changed(old_types, new_types, _type_changes),
    )


def _changed(
    before: dict[str, T], after: dict[str, T], describe: Callable[[T, T], list[str]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    common = sorted(before.keys() & after.keys())
    found = ((name, describe(before[name], after[name])) for name in common)
    return tuple((name, tuple(lines)) for name, lines in found if lines)


def _signature(fields: Iterable[Field]) -> list[str]:
    return [f"{f.wire_name}: {f.type.name}{'[]' if f.repeated else ''}" for f in fields]


def _operation_changes(old: Operation, new: Operation) -> list[str]:
    assert old.soap is not None and new.soap is not None
    lines = []
    before, after = _signature(old.soap.input.fields), _signature(new.soap.input.fields)
    if before != after:
        lines.append(f"parameters ({', '.join(before)}) → ({', '.join(after)})")
    before, after = _signature(old.soap.output.fields), _signature(new.soap.output.fields)
    if before != after:
        lines.append(
            f"returns ({', '.join(before) or 'nothing'}) → ({', '.join(after) or 'nothing'})"
        )
    return lines


def _type_changes(old: TypeDef, new: TypeDef) -> list[str]:
    if type(old) is not type(new):
        return [f"kind {_KIND[type(old)]} → {_KIND[type(new)]}"]
    if isinstance(old, ComplexType) and isinstance(new, ComplexType):
        return _field_changes(old, new)
    if isinstance(old, EnumType) and isinstance(new, EnumType):
        return _enum_changes(old, new)
    if isinstance(old, ArrayType) and isinstance(new, ArrayType):
        return _describe_pair("item", old.item.type.name, new.item.type.name)
    if isinstance(old, DictionaryType) and isinstance(new, DictionaryType):
        return _describe_pair("value", old.value.type.name, new.value.type.name)
    return []


def _describe_pair(what: str, old: str, new: str) -> list[str]:
    return [f"{what} {old} → {new}"] if old != new else []


def _field_changes(old: ComplexType, new: ComplexType) -> list[str]:
    lines = _describe_pair(
        "base",
        old.base.name if old.base else "none",
        new.base.name if new.base else "none",
    )
    before = {f.wire_name: f for f in old.fields if not f.rest_only}
    after = {f.wire_name: f for f in new.fields if not f.rest_only}
    lines += [
        f"field added: {line}" for line in _signature(after[n] for n in after if n not in before)
    ]
    lines += [f"field removed: {name}" for name in before if name not in after]
    for name in before.keys() & after.keys():
        was, now = _signature([before[name]]), _signature([after[name]])
        if was != now:
            lines.append(f"field changed: {was[0]} → {now[0]}")
    return sorted(lines)


def _enum_changes(old: EnumType, new: EnumType) -> list[str]:
    before = {v.name: v.value for v in old.values}
    after = {v.name: v.value for v in new.values}
    lines = [f"value added: {name}" for name in after if name not in before]
    lines += [f"value removed: {name}" for name in before if name not in after]
    lines += [
        f"value changed: {name} {before[name]} → {after[name]}"
        for name in before.keys() & after.keys()
        if before[name] != after[name]
    ]
    if old.flags != new.flags:
        lines.append(f"flags {old.flags} → {new.flags}")
    return sorted(lines)


_KIND: dict[type, str] = {
    Primitive: "primitive",
    ComplexType: "complex",
    EnumType: "enum",
    ArrayType: "array",
    DictionaryType: "dictionary",
}


def to_markdown(log: Changelog) -> str:
    title = f"# Changes from Services{log.old_version} to Services{log.new_version}"
    lines = [title]
    lines += [f"- Agent added: `{name}`" for name in log.agents_added]
    lines += [f"- Agent removed: `{name}`" for name in log.agents_removed]
    for agent in log.agents:
        lines += ["", f"## {agent.agent}", ""]
        lines += _section("Operations added", agent.operations_added)
        lines += _section("Operations removed", agent.operations_removed)
        lines += _nested_section("Operations changed", agent.operations_changed)
        lines += _section("Types added", agent.types_added)
        lines += _section("Types removed", agent.types_removed)
        lines += _nested_section("Types changed", agent.types_changed)
    if not (log.agents or log.agents_added or log.agents_removed):
        lines.append("No changes.")
    return "\n".join(lines).rstrip() + "\n"


def _section(title: str, names: Sequence[str]) -> list[str]:
    if not names:
        return []
    return [f"### {title}", "", *(f"- `{name}`" for name in names), ""]


def _nested_section(title: str, entries: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    if not entries:
        return []
    lines = [f"### {title}", ""]
    for name, changes in entries:
        lines.append(f"- `{name}`")
        lines += [f"  - {change}" for change in changes]
    return [*lines, ""]


def to_json(log: Changelog) -> str:
    return json.dumps(asdict(log), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
