"""What changed between two readings of the docs, as a caller of the generated package
meets it, each change classified breaking or not.

A reading is a docs root at an API version: two versions of one root compare the SOAP
surface (the REST pages are not versioned), two roots (an old and a new checkout of the
docs) compare SOAP and REST, the agents' and the entities' endpoints. The comparison is on
``codegen.surface``, the names and annotations the generated code has: methods of each
client, SOAP, REST and entity, added, removed or changed (parameters added, removed,
retyped, newly required; the return type; a WebAPI method's endpoint), model classes and
enumerations added, removed or changed (fields, base class, members). Description text is
left out: the changelog shows what a user's code has to care about and nothing else.
"""

from __future__ import annotations

import enum
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol, TypeVar

from codegen.ir import Agent
from codegen.surface import Enumeration, Method, Model, Surface, Typed, surface


class Area(enum.StrEnum):
    """Where a change is: the agent itself, a client, or the models both clients share."""

    AGENT = "agent"
    SOAP = "soap"
    REST = "rest"
    ENTITY = "entity"
    MODEL = "model"


class Kind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    ENDPOINT_CHANGED = "endpoint changed"
    PARAMETER_ADDED = "parameter added"
    REQUIRED_PARAMETER_ADDED = "required parameter added"
    PARAMETER_REMOVED = "parameter removed"
    PARAMETER_TYPE_CHANGED = "parameter type changed"
    PARAMETER_NOW_REQUIRED = "parameter now required"
    PARAMETER_NOW_OPTIONAL = "parameter now optional"
    POSITIONAL_ORDER_CHANGED = "positional parameters changed"
    RETURN_TYPE_CHANGED = "return type changed"
    KIND_CHANGED = "kind changed"
    BASE_CHANGED = "base changed"
    FIELD_ADDED = "field added"
    FIELD_REMOVED = "field removed"
    FIELD_TYPE_CHANGED = "field type changed"
    MEMBER_ADDED = "member added"
    MEMBER_REMOVED = "member removed"
    MEMBER_VALUE_CHANGED = "member value changed"


BREAKING = frozenset(
    {
        Kind.REMOVED,
        Kind.REQUIRED_PARAMETER_ADDED,
        Kind.PARAMETER_REMOVED,
        Kind.PARAMETER_TYPE_CHANGED,
        Kind.PARAMETER_NOW_REQUIRED,
        Kind.POSITIONAL_ORDER_CHANGED,
        Kind.RETURN_TYPE_CHANGED,
        Kind.KIND_CHANGED,
        Kind.BASE_CHANGED,
        Kind.FIELD_REMOVED,
        Kind.FIELD_TYPE_CHANGED,
        Kind.MEMBER_REMOVED,
    }
)
"""The kinds that break code written against the old package: something it calls, passes,
reads or names is gone or of another type, or an argument it leaves out is now required.
Additions do not, nor an argument now optional, nor a WebAPI method's new endpoint or a
member's new number: the generated client sends and writes those, not the caller."""


@dataclass(frozen=True)
class Change:
    """One change: ``subject`` is the Python name of what changed (``get_user``,
    ``UserGroup``, or the agent), ``wire_name`` the name the docs give it (``GetUser``)."""

    agent: str
    area: Area
    subject: str
    kind: Kind
    detail: str = ""
    wire_name: str = ""

    @property
    def breaking(self) -> bool:
        return self.kind in BREAKING


@dataclass(frozen=True)
class Reading:
    """One side of a comparison: a docs root and the API version its SOAP side was read at
    (None when it holds no SOAP pages)."""

    docs: str
    version: int | None

    @property
    def soap(self) -> str:
        return f"Services{self.version}" if self.version is not None else "none"


@dataclass(frozen=True)
class Changelog:
    old: Reading
    new: Reading
    rest: bool
    """Two docs roots, REST pages and all, were compared; else two versions of one root's
    SOAP pages."""
    agents: tuple[str, ...]
    """The agents both readings hold, which were compared."""
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def compared(self) -> str:
        """What was compared: ``SOAP Services86 → Services87 of specs``."""
        soap = f"SOAP {self.old.soap} → {self.new.soap}"
        if not self.rest:
            return f"{soap} of {self.old.docs}"
        return f"{self.old.docs} → {self.new.docs}: {soap} and REST"

    def summary(self) -> str:
        """The run's closing line: what it compared and what it found."""
        found = f"{len(self.changes)} change(s), {len(self.breaking)} breaking"
        return f"compared {len(self.agents)} agent(s), {self.compared}: {found}"


def compare(
    old: Sequence[Agent], new: Sequence[Agent], readings: tuple[Reading, Reading], rest: bool
) -> Changelog:
    """The changes from the agents ``old`` to the agents ``new``, read as ``readings``."""
    before = {a.name: a for a in old}
    after = {a.name: a for a in new}
    changes = [Change(n, Area.AGENT, n, Kind.ADDED) for n in sorted(after.keys() - before.keys())]
    changes += [
        Change(n, Area.AGENT, n, Kind.REMOVED) for n in sorted(before.keys() - after.keys())
    ]
    common = sorted(before.keys() & after.keys())
    for name in common:
        changes += surface_changes(surface(before[name]), surface(after[name]))
    return Changelog(*readings, rest=rest, agents=tuple(common), changes=tuple(changes))


def surface_changes(old: Surface, new: Surface) -> list[Change]:
    """The changes from ``old`` to ``new``, surfaces of one agent."""
    agent = new.agent
    changes = _pairs(agent, Area.SOAP, old.soap, new.soap, _method_changes)
    changes += _pairs(agent, Area.REST, old.rest, new.rest, _method_changes)
    changes += _pairs(agent, Area.ENTITY, old.entities, new.entities, _method_changes)
    changes += _pairs(agent, Area.MODEL, old.models, new.models, _model_changes)
    return changes


class _Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def wire_name(self) -> str: ...


N = TypeVar("N", bound=_Named)
Found = Iterator[tuple[Kind, str]]
"""What changed in one method or model: kinds, each with its detail."""


def _pairs(
    agent: str,
    area: Area,
    old: Sequence[N],
    new: Sequence[N],
    changed: Callable[[N, N], Found],
) -> list[Change]:
    """What is added, removed and ``changed`` from ``old`` to ``new``, by Python name."""
    before = {x.name: x for x in old}
    after = {x.name: x for x in new}
    changes = []
    for name in sorted(before.keys() | after.keys()):
        if name not in before:
            found: Found = iter([(Kind.ADDED, _about(after[name]))])
        elif name not in after:
            found = iter([(Kind.REMOVED, _about(before[name]))])
        else:
            found = changed(before[name], after[name])
        wire_name = (after.get(name) or before[name]).wire_name
        changes += [Change(agent, area, name, kind, detail, wire_name) for kind, detail in found]
    return changes


def _about(item: _Named) -> str:
    """What an added or removed item's line says besides its name: a WebAPI method's endpoint."""
    return item.endpoint if isinstance(item, Method) else ""


def _method_changes(old: Method, new: Method) -> Found:
    if old.endpoint != new.endpoint:
        yield Kind.ENDPOINT_CHANGED, f"{old.endpoint} → {new.endpoint}"
    yield from _typed_changes(old.parameters, new.parameters, _PARAMETER_KINDS)
    yield from _positional_changes(old, new)
    if old.returns != new.returns:
        yield Kind.RETURN_TYPE_CHANGED, f"{old.returns} → {new.returns}"


class _Kinds(NamedTuple):
    """The kinds of change of a method's parameters, or of a model's fields."""

    added: Kind
    required_added: Kind
    retyped: Kind
    removed: Kind


_PARAMETER_KINDS = _Kinds(
    Kind.PARAMETER_ADDED,
    Kind.REQUIRED_PARAMETER_ADDED,
    Kind.PARAMETER_TYPE_CHANGED,
    Kind.PARAMETER_REMOVED,
)
_FIELD_KINDS = _Kinds(
    Kind.FIELD_ADDED, Kind.FIELD_ADDED, Kind.FIELD_TYPE_CHANGED, Kind.FIELD_REMOVED
)
"""A field is never required (every field of a model has a default)."""


def _typed_changes(old: Sequence[Typed], new: Sequence[Typed], kinds: _Kinds) -> Found:
    """Parameters or fields added, retyped, newly required or optional, and removed."""
    before = {t.name: t for t in old}
    for now in new:
        was = before.get(now.name)
        if was is None:
            yield (kinds.required_added if now.required else kinds.added), str(now)
            continue
        if _retyped(was, now):
            yield kinds.retyped, f"{was} → {now.annotation}"
        if was.required != now.required:
            required = Kind.PARAMETER_NOW_REQUIRED if now.required else Kind.PARAMETER_NOW_OPTIONAL
            yield required, str(now)
    kept = {t.name for t in new}
    yield from ((kinds.removed, str(t)) for t in old if t.name not in kept)


def _positional_changes(old: Method, new: Method) -> Found:
    """The parameters both have, passed by position in another order or no longer (or
    newly) by position: a call that passed them so sends each value as another parameter,
    or fails. Those added or removed are said as such."""
    old_names = {t.name for t in old.parameters}
    new_names = {t.name for t in new.parameters}
    was = tuple(name for name in old.positional if name in new_names)
    now = tuple(name for name in new.positional if name in old_names)
    if was != now:
        yield Kind.POSITIONAL_ORDER_CHANGED, f"({', '.join(was)}) → ({', '.join(now)})"


def _retyped(was: Typed, now: Typed) -> bool:
    """Another annotation, but for the ``| None`` a parameter loses when it is made required
    or gains when made optional (an entity's query option ``fk: bool | None`` becoming
    ``fk: bool``), which its change of requirement already says."""
    if was.required == now.required:
        return was.annotation != now.annotation
    return was.annotation.removesuffix(" | None") != now.annotation.removesuffix(" | None")


def _model_changes(old: Model | Enumeration, new: Model | Enumeration) -> Found:
    if _kind(old) != _kind(new):
        yield Kind.KIND_CHANGED, f"{_kind(old)} → {_kind(new)}"
    elif isinstance(old, Model) and isinstance(new, Model):
        yield from _field_changes(old, new)
    elif isinstance(old, Enumeration) and isinstance(new, Enumeration):
        yield from _member_changes(old, new)


def _kind(model: Model | Enumeration) -> str:
    if isinstance(model, Model):
        return "class"
    return "flags enumeration" if model.flags else "enumeration"


def _field_changes(old: Model, new: Model) -> Found:
    if old.base != new.base:
        yield Kind.BASE_CHANGED, f"{old.base or 'none'} → {new.base or 'none'}"
    yield from _typed_changes(old.fields, new.fields, _FIELD_KINDS)


def _member_changes(old: Enumeration, new: Enumeration) -> Found:
    before = dict(old.members)
    after = dict(new.members)
    for name, value in new.members:
        if name not in before:
            yield Kind.MEMBER_ADDED, f"{name} = {value!r}"
        elif before[name] != value:
            yield Kind.MEMBER_VALUE_CHANGED, f"{name}: {before[name]!r} → {value!r}"
    for name, value in old.members:
        if name not in after:
            yield Kind.MEMBER_REMOVED, f"{name} = {value!r}"


# --- Output -----------------------------------------------------------------------------

_HEADINGS = {
    Area.AGENT: "Agents",
    Area.SOAP: "SOAP client",
    Area.REST: "REST client",
    Area.ENTITY: "REST entity endpoints",
    Area.MODEL: "Models",
}


def to_markdown(log: Changelog) -> str:
    """The changelog for people: by agent, then by client and models, breaking ones marked."""
    if not log.rest:
        lines = [f"# Changes from {log.old.soap} to {log.new.soap}", ""]
    else:
        lines = [f"# Changes from {log.old.docs} to {log.new.docs}", "", f"{log.compared}.", ""]
    if not log.changes:
        return "\n".join([*lines, "No changes."]) + "\n"
    lines += [f"{len(log.changes)} change(s), {len(log.breaking)} breaking.", ""]
    agent_level = [c for c in log.changes if c.area is Area.AGENT]
    lines += _section("##", _HEADINGS[Area.AGENT], agent_level)
    for agent in sorted({c.agent for c in log.changes if c.area is not Area.AGENT}):
        lines += [f"## {agent}", ""]
        for area in [a for a in Area if a is not Area.AGENT]:
            found = [c for c in log.changes if c.agent == agent and c.area is area]
            lines += _section("###", _HEADINGS[area], found)
    return "\n".join(lines).rstrip() + "\n"


def _section(level: str, title: str, changes: Sequence[Change]) -> list[str]:
    """A heading and a list item per subject: its one change on its line, or several
    nested below it."""
    if not changes:
        return []
    lines = [f"{level} {title}", ""]
    for _, group in itertools.groupby(changes, key=lambda c: c.subject):
        first, *more = group
        if more:
            lines.append(f"- {_subject(first)}")
            lines += [f"  - {_change(c)}" for c in (first, *more)]
        else:
            lines.append(f"- {_subject(first)}: {_change(first)}")
    return [*lines, ""]


def _subject(change: Change) -> str:
    """``get_user`` (GetUser): the Python name, and the docs' where it differs."""
    subject = f"`{change.subject}`"
    if change.wire_name and change.wire_name != change.subject:
        subject += f" ({change.wire_name})"
    return subject


def _change(change: Change) -> str:
    detail = f": `{change.detail}`" if change.detail else ""
    breaking = " (**breaking**)" if change.breaking else ""
    return f"{change.kind}{detail}{breaking}"


def to_json(log: Changelog) -> str:
    """The changelog for tools: every change with its agent, area, kind and ``breaking``."""
    document = {
        "old": {"docs": log.old.docs, "version": log.old.version},
        "new": {"docs": log.new.docs, "version": log.new.version},
        "rest": log.rest,
        "agents": list(log.agents),
        "breaking": len(log.breaking),
        "changes": [
            {
                "agent": c.agent,
                "area": c.area,
                "subject": c.subject,
                "wire_name": c.wire_name,
                "kind": c.kind,
                "detail": c.detail,
                "breaking": c.breaking,
            }
            for c in log.changes
        ],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
