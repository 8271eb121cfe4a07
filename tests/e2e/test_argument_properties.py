"""Arguments drawn by Hypothesis for every method of the Services86 User agent.

Every parameter of every method gets values of its declared type (integers across and far
beyond every XSD integer range, text of any code point, C0 controls, U+FFFE and lone
surrogates and markup included, bools, datetimes naive and with any offset Python allows,
enum and flag members, lists, dictionaries, models with their fields drawn the same way)
and values of other types (text for an int, an int for a bool or an enum, floats, Decimals
NaN and huge, bytes, dicts, lists, models of another class, None where an item may not be
None). The client's ``requests`` helper (which sends nothing) must then either

- raise ``TypeError`` or ``ValueError`` saying ``method(): field ...``, the public method
  and a field given a value (for a ``TypeError``, a value of another type), and holding
  none of the values given; or
- return an envelope that is well-formed, valid against the WSDL's schema, and whose
  parameters read back, through the view's slots as the package reads them, equal to the
  arguments.

"Equal" holds with the normalisations the XSD implies: an aware datetime reads back with
a fixed offset (``datetime.timezone``), which compares equal as the same instant; an
integer subclass (an enum member given for an int) reads back as the plain int. Parameters
and fields left None are left out, so they are not compared. Fields documented for REST
only are never on the SOAP wire and are not drawn; nor are enum names the schema does not
list (``EFieldRight("FULL")``), which a client only ever gets from a server and writes back
as it got them. User has no Decimal, float, duration or bytes field: those types are drawn
as the wrong values only.

``HYPOTHESIS_EXPLORE=1`` draws many more, at random.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from build_support import Services86
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from mutation_support import EXPLORE
from soap_support import (
    ViewIndex,
    envelope_parts,
    evaluation_names,
    imported,
    read_slot,
    schema_errors,
    wsdl_schema,
)

from codegen.emit.soap.build import build_view
from codegen.emit.soap.slots import Kind, Slot
from codegen.emit.soap.view import AgentView, ArrayView, ClassView, DictView, OperationView
from codegen.passes.names import assign_names, module_names

AGENT = "User"
DEPTH = 2
"""Models nest this deep at most, so that an example stays small (the User model alone has
31 fields, most of them models)."""

SETTINGS = settings(
    max_examples=5000 if EXPLORE else 500,
    derandomize=not EXPLORE,
    database=None,
    deadline=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- Values ------------------------------------------------------------------------------

_POWERS = [2**n for n in (7, 8, 15, 16, 31, 32, 63, 64)]
INTEGERS = st.one_of(
    st.integers(-(2**31), 2**31 - 1),
    st.integers(),
    st.sampled_from(
        sorted(
            {sign * power + step for power in _POWERS for sign in (1, -1) for step in (-1, 0, 1)}
        )
    ),
    st.just(5000).map(lambda digits: -(10**digits)),  # drawn: its repr would raise
)
"""Across and beyond every XSD integer range, up to a number ``str`` refuses to print."""
MARKUP = ["</x><y>", "<![CDATA[", "]]>", "&amp;", "&#0;", "<!--", "\r\n", "\r", '"', "'"]
NOT_XML = ["\x00", "\x01", "\x0b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"]
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs", "Cc"])),
    st.lists(
        st.one_of(
            st.text(st.characters(exclude_categories=())),
            st.sampled_from(MARKUP + NOT_XML),
        )
    ).map("".join),
)
"""Text without control characters, and text with markup and any code point, lone
surrogates included."""
_DAY_BUT_A_MINUTE = datetime.timedelta(hours=23, minutes=59)
OFFSETS = st.one_of(
    st.integers(-14 * 60, 14 * 60).map(lambda minutes: datetime.timedelta(minutes=minutes)),
    st.timedeltas(-_DAY_BUT_A_MINUTE, _DAY_BUT_A_MINUTE),
).map(datetime.timezone)
"""Whole minutes within XSD's ±14:00, and any offset Python allows."""
DECIMALS = st.one_of(
    st.decimals(),
    st.sampled_from(["NaN", "sNaN", "-Infinity", "1E+1000000", "1E-1000000", "9" * 60]).map(
        decimal.Decimal
    ),
)
SCALARS: dict[str, st.SearchStrategy[object]] = {
    "int": INTEGERS,
    "str": TEXT,
    "bool": st.booleans(),
    "datetime.datetime": st.datetimes(timezones=st.one_of(st.none(), OFFSETS)),
}
"""The built-in types User declares, by annotation."""


@dataclass(frozen=True)
class Leaf:
    """A value given to a field; an item, key or value of a container is named so, as its
    writer names it."""

    name: str
    value: object
    other_type: bool


@dataclass(frozen=True)
class Drawn:
    """A drawn value, whether it is of another type than declared, and the leaves below."""

    value: object
    other_type: bool = False
    leaves: tuple[Leaf, ...] = ()


def _named(drawn: Drawn, name: str, may_be_none: bool) -> Drawn:
    """``drawn`` given to the field ``name``: a leaf, unless None where None leaves it out."""
    if drawn.value is None and may_be_none:
        return Drawn(None)
    other_type = drawn.other_type or drawn.value is None
    return Drawn(drawn.value, other_type, (Leaf(name, drawn.value, other_type), *drawn.leaves))


def _holding(value: object, parts: Iterable[Drawn]) -> Drawn:
    """A container or model ``value`` made of ``parts``, with their leaves."""
    return Drawn(value, leaves=tuple(leaf for part in parts for leaf in part.leaves))


def _dictionary(entries: list[tuple[Drawn, Drawn]]) -> Drawn:
    """A dict of the entries whose keys can be dict keys (a later key replaces one equal)."""
    kept = {key.value: (key, value) for key, value in entries if _hashable(key.value)}
    parts = [part for pair in kept.values() for part in pair]
    return _holding({k: value.value for k, (_, value) in kept.items()}, parts)


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class Values:
    """Strategies for values of the view's types, each built once and kept.

    ``others`` strategies put a value of another type at any place where one fits; the
    others do not. Models nest ``DEPTH`` deep at most.
    """

    def __init__(self, index: ViewIndex, names: dict[str, Any]) -> None:
        self.index = index
        self.names = names
        self.enums = {e.class_name: e for e in index.view.enums}
        self.kept: dict[tuple[str, int, bool], st.SearchStrategy[Drawn]] = {}
        models = [names[c.class_name]() for c in index.view.classes if not c.result]
        members = [names[e.class_name](m.value) for e in self.enums.values() for m in e.members]
        self.other = st.one_of(
            st.none(),
            TEXT,
            INTEGERS,
            st.booleans(),
            st.floats(),
            DECIMALS,
            st.binary(max_size=4),
            st.dates(),
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
            st.lists(st.integers(), max_size=2),
            st.tuples(st.text(max_size=3)),
            st.sampled_from(models),
            st.sampled_from(members),
        ).map(lambda value: Drawn(value, other_type=True))

    def arguments(self, op: OperationView, others: bool) -> st.SearchStrategy[dict[str, Drawn]]:
        """Every required parameter, and any of the optional ones."""
        slots = {p.python_name: self.slot(p, DEPTH, others) for p in op.parameters}
        required = {p.python_name for p in op.parameters if not p.optional}
        return st.fixed_dictionaries(
            {name: slots[name] for name in sorted(required)},
            optional={name: s for name, s in slots.items() if name not in required},
        )

    def slot(
        self, slot: Slot, depth: int, others: bool, name: str = ""
    ) -> st.SearchStrategy[Drawn]:
        """Values for ``slot``, given to a field ``name`` (the slot's own by default)."""
        assert not slot.repeated, "User has no repeated element outside arrays"
        typed = self.typed(slot, depth, others)
        if slot.may_be_none:
            typed = st.one_of(st.just(Drawn(None)), typed)
        values = st.one_of(typed, self.other) if others else typed
        field = name or slot.python_name
        return values.map(lambda drawn: _named(drawn, field, slot.may_be_none))

    def typed(self, slot: Slot, depth: int, others: bool) -> st.SearchStrategy[Drawn]:
        """Values of the slot's declared type, kept by type."""
        key = (slot.codec.reader, depth, others)
        if key not in self.kept:
            self.kept[key] = st.deferred(lambda: self._typed(slot, depth, others))
        return self.kept[key]

    def _typed(self, slot: Slot, depth: int, others: bool) -> st.SearchStrategy[Drawn]:
        codec = slot.codec
        if codec.kind is Kind.TEXT:
            scalar = SCALARS.get(codec.annotation)
            return (self.enum(codec.annotation) if scalar is None else scalar).map(Drawn)
        assert codec.kind is Kind.NESTED, "User has no anyType or subtype on the SOAP wire"
        target = self.index.by_reader[codec.reader]
        if isinstance(target, ArrayView):
            items = st.lists(self.slot(target.item, depth, others, "item"), max_size=3)
            return items.map(lambda drawn: _holding([d.value for d in drawn], drawn))
        if isinstance(target, DictView):
            key = self.slot(target.key, depth, others, "key")
            value = self.slot(target.value, depth, others, "value")
            return st.lists(st.tuples(key, value), max_size=3).map(_dictionary)
        return self.model(target, depth, others)

    def enum(self, class_name: str) -> st.SearchStrategy[object]:
        """The members the schema lists; for flags, any combination of them."""
        view = self.enums[class_name]
        cls = self.names[class_name]
        members = [cls(m.value) for m in view.first_by_value]
        if not view.flags:
            return st.sampled_from(members)
        return st.sets(st.sampled_from(members)).map(lambda chosen: cls(sum(map(int, chosen))))

    def model(self, view: ClassView, depth: int, others: bool) -> st.SearchStrategy[Drawn]:
        if depth == 0:
            return self.other if others else st.just(Drawn(None))
        cls = self.names[view.class_name]
        slots = {s.python_name: self.slot(s, depth - 1, others) for s in view.wire_slots}
        chosen = st.fixed_dictionaries({}, optional=slots)
        return chosen.map(
            lambda drawn: _holding(cls(**{k: d.value for k, d in drawn.items()}), drawn.values())
        )


# --- The property --------------------------------------------------------------------------


class UserAgent:
    """The User agent of the shared package, its schema and the strategies of its values.

    A plain class with a short repr: Hypothesis shows it with every failing example.
    """

    def __init__(
        self, view: AgentView, names: dict[str, Any], client: Any, schema: etree.XMLSchema
    ) -> None:
        self.operations = {op.wire_name: op for op in view.operations}
        """By wire name, which is what a failing example shows."""
        self.names = names
        self.client = client
        self.schema = schema
        self.values = Values(ViewIndex(view), names)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _nothing_sent(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"the requests helper sent {request.url}")


@pytest.fixture(scope="module")
def user(
    services86: Services86, raw_wsdls: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[UserAgent]:
    result, package = services86.result, services86.package
    agent = next(a for a in result.agents if a.name == AGENT)
    folder = module_names(a.name for a in result.agents)[AGENT]
    view = build_view(agent, assign_names(agent), folder)
    schema = wsdl_schema(raw_wsdls / f"WSDL-Services86-{AGENT}.xml", tmp_path_factory.mktemp("xsd"))
    with imported(services86.out, package):
        models = importlib.import_module(f"{package}.{folder}.models")
        soap = importlib.import_module(f"{package}.{folder}.soap")
        names = evaluation_names(package, models)
        http = httpx.Client(base_url="https://host/", transport=httpx.MockTransport(_nothing_sent))
        client = getattr(soap, view.class_name)(http, ticket="7T:abc", application_token="app")
        yield UserAgent(view, names, client, schema)


@SETTINGS
@given(st.data())
def test_arguments_are_refused_by_name_or_sent_valid_and_read_back(
    user: UserAgent, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(user.operations)), label="operation")
    op = user.operations[name]
    others = data.draw(st.booleans(), label="values of other types")
    drawn = data.draw(user.values.arguments(op, others), label="arguments")
    arguments = {name: d.value for name, d in drawn.items()}
    leaves = [leaf for d in drawn.values() for leaf in d.leaves]
    try:
        envelope = getattr(user.client.requests, op.python_name)(**arguments)
    except (TypeError, ValueError) as error:
        event(f"refused: {type(error).__name__}")
        _assert_refused_by_name(op, error, leaves)
        return
    event("sent")
    headers, body = envelope_parts(etree.fromstring(envelope))
    assert body.tag == op.request.tag
    assert not schema_errors(user.schema, [*headers, body])
    read_back = {
        p.python_name: read_slot(p, element, user.names)
        for p in op.parameters
        for element in body
        if element.tag == p.tag
    }
    # A value type left out is sent as its default, which the server takes it for.
    defaults = {
        p.python_name: eval(p.default_value, user.names)
        for p in op.parameters
        if p.optional and not p.may_be_none
    }
    given = defaults | {name: value for name, value in arguments.items() if value is not None}
    assert read_back == given, _differences(read_back, given)


def _assert_refused_by_name(op: OperationView, error: Exception, leaves: list[Leaf]) -> None:
    """The error starts ``method(): field``, a field given a value (of another type, for a
    ``TypeError``), and shows none of the values given."""
    message = str(error)
    said = re.match(rf"{op.python_name}\(\): (\w+) ", message)
    assert said, message
    culprits = {leaf.name for leaf in leaves if leaf.other_type or isinstance(error, ValueError)}
    assert said.group(1) in culprits, message
    own_text = _RANGE.sub("", message)  # The bounds are the type's, even where a value is one.
    for leaf in leaves:
        assert not _shows(own_text, leaf.value), (message, leaf)


_RANGE = re.compile(r"from -?\d+ to -?\d+")


def _shows(message: str, value: object) -> bool:
    """Whether ``message`` holds ``value`` (one short enough to be there by chance aside)."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        if not 10**4 <= abs(value) < 10**4000:
            return False
        return re.search(rf"(?<![\d-]){value}(?!\d)", message) is not None
    if isinstance(value, (str, float, decimal.Decimal, datetime.date, bytes)):
        text = value if isinstance(value, str) else str(value)
        return len(text) >= 5 and text in message
    return False


def _differences(read: object, given: object, path: str = "") -> list[str]:
    """Where ``read`` and ``given`` differ, field by field, item by item."""
    if read == given:
        return []
    if is_dataclass(read) and type(read) is type(given):
        pairs = [(f.name, getattr(read, f.name), getattr(given, f.name)) for f in fields(read)]
    elif isinstance(read, dict) and isinstance(given, dict) and read.keys() == given.keys():
        pairs = [(repr(k), read[k], given[k]) for k in read]
    elif isinstance(read, list) and isinstance(given, list) and len(read) == len(given):
        pairs = [(str(i), r, g) for i, (r, g) in enumerate(zip(read, given))]
    else:
        return [f"{path}: read {read!r:.200}, given {given!r:.200}"]
    return [d for name, r, g in pairs for d in _differences(r, g, f"{path}/{name}")]
