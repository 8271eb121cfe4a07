"""The generated REST models and codec beside pydantic v2, attrs, msgspec and ``json``.

One process, one run, every side measured in interleaved rounds so that a noisy machine
slows them alike; figures are ops/s (median of the rounds) and ratios of ours to theirs
(the median of each round's ratio). The work, on the Services87 User agent:

- read a full ``GetUser`` answer (role, user group and other groups, person, credentials,
  licence owners, ticket categories, commands, custom fields; every carrier with its
  ``TableRight`` and two ``FieldProperties`` with masks) from bytes into typed objects;
- read a ``GetUserInfoList`` answer of 200 ``UserInfo`` rows: the User agent has no OData
  archive, so this is its list method with the most varied rows (integers, strings,
  booleans, an enum, a list of strings, a table right and field properties per row);
- write the ``SaveUser`` body from a full ``User`` object (the one each side read).

The sides:

- this project's package, generated here by ``python -m codegen generate`` (its
  ``rest.py`` on ``_rest.py`` and ``_json.py``), through the method's ``Operation``:
  ``read(200, body)`` and ``request((user,), None).content``, as a client call does;
- pydantic v2 models as datamodel-code-generator writes them (wire names as aliases,
  ``Optional`` fields, int32/int16 bounds), ``model_validate_json`` /
  ``model_dump_json(by_alias=True, exclude_none=True)``;
- attrs classes with ``from_dict`` / ``to_dict`` written the way openapi-python-client
  writes them (``UNSET``, ``additional_properties``), on ``json.loads`` / ``json.dumps``;
- msgspec ``Struct`` types with renamed fields, ``omit_defaults``, the same bounds: the
  practical floor for typed JSON in Python;
- ``json.loads`` / ``json.dumps`` alone, on plain dicts: no types at all.

The peers' modules are written out as source from the same view the generator uses (the
properties' wire names, Python names, annotations and integer bounds), flattened (a
carrier's ``TableRight`` and ``FieldProperties`` follow its own fields, as on the wire).
Enums are ``Enum`` classes of the wire names; flag sets (the masks) are plain strings in
every peer: none of them reads .NET's ``"Select, Update"``, which ours reads into
``IntFlag`` members. Date-times carry .NET's seven fractional digits, the seventh a 0
(msgspec rounds the seventh digit, ours and pydantic drop it).

Before timing, every side reads both answers into objects whose dicts (ours written by our
codec, pydantic's ``model_dump``, msgspec's ``to_builtins``, attrs' ``to_dict``) are equal,
and writes a ``SaveUser`` body equal as JSON to ours.

Memory: the peak RSS (``VmHWM``) of one fresh subprocess per side that sets up and then
reads the ``GetUser`` answer 2,000 times, and what a kept result adds; import time of the
generated ``rest`` module (and of each peer's module) in fresh processes, median of 5.

    python bench/rest_runtime.py [--rounds 21] [--seconds 0.05] [--check-goals]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib
import json
import subprocess
import sys
import tempfile
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from measuring import KEPT, Figures, first_difference, import_seconds, leaves, measure, peak_rss

from codegen.emit.layout import Call, Expr
from codegen.emit.rest.view import RestAgentView, build_rest_view
from codegen.load import load
from codegen.passes.names import assign_names
from codegen.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT.parent / "shared" / "superoffice-docs" / "api-reference"
PACKAGE = "so87"
ROWS = 200


# --- Setup: our package, and the shapes of its models -------------------------------------


def generate_ours(folder: Path) -> tuple[types.ModuleType, types.ModuleType]:
    """The Services87 User package, generated into ``folder`` as a user would, and its
    ``models`` and ``rest`` modules."""
    subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "--docs", str(DOCS), "--api-version",
         "87", "--agent", "User", "--out", str(folder), "--package", PACKAGE],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )  # fmt: skip
    sys.path.insert(0, str(folder))
    models = importlib.import_module(f"{PACKAGE}.user.models")
    return models, importlib.import_module(f"{PACKAGE}.user.rest")


@dataclasses.dataclass(frozen=True)
class Prop:
    """A model's property: its JSON name, Python name, annotation and integer bounds."""

    wire: str
    python: str
    hint: Any
    bounds: tuple[int, int] | None


@dataclasses.dataclass(frozen=True)
class Shapes:
    """Every model class's properties in wire order, and the enums' wire names."""

    classes: dict[type, tuple[Prop, ...]]
    enums: dict[type, tuple[tuple[str, str], ...]]
    """``(wire name, member name)`` of each enum and flag set."""
    flags: frozenset[type]


def shapes(models: types.ModuleType) -> Shapes:
    """The properties of the models as the generator's REST view has them."""
    (agent,) = load(Settings(docs=DOCS, version=87, agents=("User",))).agents
    view: RestAgentView = build_rest_view(agent, assign_names(agent))
    own = {m.class_name: m for m in view.models}
    classes: dict[type, tuple[Prop, ...]] = {}

    def props(name: str) -> tuple[Prop, ...]:
        model = own[name]
        cls = getattr(models, name)
        hints = typing.get_type_hints(cls, vars(models))
        mine = tuple(
            Prop(p.wire_name, p.python_name, hints[p.python_name], _bounds(p.type.codec))
            for p in model.properties
        )
        return mine + (props(model.base) if model.base else ())

    for name in own:
        classes[getattr(models, name)] = props(name)
    enums = {getattr(models, e.class_name): e.members for e in view.enums}
    flags = frozenset(getattr(models, e.class_name) for e in view.enums if e.flags)
    return Shapes(classes, enums, flags)


def _bounds(codec: Expr) -> tuple[int, int] | None:
    if not isinstance(codec, Call):
        return None
    if codec.head == "_json.integer":
        low, high = codec.arguments
        return int(str(low)), int(str(high))
    return next(filter(None, (_bounds(a) for a in codec.arguments)), None)


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """``X | None`` -> ``(X, True)``."""
    args = typing.get_args(hint)
    if type(hint) is types.UnionType and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return inner, True
    return hint, False


# --- The answers ---------------------------------------------------------------------------


class Filler:
    """Every property of a model filled with a distinct value of its type (text with JSON
    escapes now and then, numbers within bounds, listed enum names, flag names as .NET
    writes them); arrays and dictionaries of two; a class nested in itself stops there."""

    def __init__(self, shapes: Shapes) -> None:
        self.shapes = shapes
        self.count = 0
        self.stack: list[type] = []

    def model(self, cls: type) -> dict[str, Any]:
        self.stack.append(cls)
        data = {p.wire: self.value(p.hint, p.wire, p.bounds) for p in self.shapes.classes[cls]}
        self.stack.pop()
        return data

    def value(self, hint: Any, wire: str, bounds: tuple[int, int] | None) -> Any:
        hint, _ = _unwrap(hint)
        self.count += 1
        n = self.count
        origin = typing.get_origin(hint)
        if origin is list:
            (item,) = typing.get_args(hint)
            if _unwrap(item)[0] in self.stack:
                return []
            return [self.value(item, wire, bounds) for _ in range(2)]
        if origin is dict:
            _, item = typing.get_args(hint)
            return {f"field{n}{i}": self.value(item, wire, bounds) for i in range(2)}
        if hint in self.shapes.classes:
            return self.model(hint)
        if hint in self.shapes.enums:
            return self.enum(hint, n)
        if hint is str:
            return f"{wire} {n}" + (' & "Ødegård"\n' if n % 7 == 0 else "")
        if hint is bool:
            return n % 2 == 0
        if hint is int:
            assert bounds is not None and bounds[0] <= n <= bounds[1]
            return n
        if hint is datetime.datetime:
            return f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}T10:{n % 60:02d}:05.4364110+02:00"
        raise TypeError(f"no filler for {hint}")

    def enum(self, kind: type, n: int) -> str:
        members = self.shapes.enums[kind]
        if kind not in self.shapes.flags:
            return members[n % len(members)][0]
        bits = [w for w, m in members if _single_bit(int(getattr(kind, m)))]
        return ", ".join(bits[: 1 + n % 3])


def _single_bit(number: int) -> bool:
    return number > 0 and number & (number - 1) == 0


def answers(shapes: Shapes, models: types.ModuleType) -> dict[str, bytes]:
    """The GetUser answer and the 200-row GetUserInfoList answer, as the WebAPI writes them
    (compact, UTF-8)."""
    filler = Filler(shapes)
    user = filler.model(models.User)
    rows = [filler.model(models.UserInfo) for _ in range(ROWS)]
    return {"GetUser": _compact(user), "GetUserInfoList": _compact(rows)}


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


# --- The peers' modules, written out as their generators write them -------------------------


PYDANTIC_HEAD = """\
from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field
"""
MSGSPEC_HEAD = """\
from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated, Optional

import msgspec
from msgspec import Meta
"""
ATTRS_HEAD = """\
from __future__ import annotations

import datetime
from enum import Enum
from typing import Any, Union

from attrs import define as _attrs_define
from attrs import field as _attrs_field


class Unset:
    def __bool__(self) -> bool:
        return False


UNSET = Unset()
"""


class PeerSource:
    """The source of one peer's module for the models in ``shapes``."""

    def __init__(self, shapes: Shapes) -> None:
        self.shapes = shapes

    def annotation(self, hint: Any, bounds: tuple[int, int] | None) -> str:
        hint, optional = _unwrap(hint)
        origin = typing.get_origin(hint)
        if origin is list:
            (item,) = typing.get_args(hint)
            text = f"list[{self.annotation(item, bounds)}]"
        elif origin is dict:
            key, item = typing.get_args(hint)
            text = f"dict[{self.annotation(key, None)}, {self.annotation(item, bounds)}]"
        elif hint in self.shapes.flags:
            text = "str"
        elif hint is int and bounds is not None:
            text = self.integer(*bounds)
        elif hint is datetime.datetime:
            text = "datetime.datetime"
        else:
            text = hint.__name__
        return f"Optional[{text}]" if optional else text

    def integer(self, low: int, high: int) -> str:
        return "int"

    def module(self) -> str:
        raise NotImplementedError

    def enums(self, base: str) -> Iterator[str]:
        for kind, members in self.shapes.enums.items():
            if kind in self.shapes.flags:
                continue
            yield f"\n\nclass {kind.__name__}({base}):\n"
            yield "".join(f"    {m} = {w!r}\n" for w, m in members)


class PydanticSource(PeerSource):
    def integer(self, low: int, high: int) -> str:
        return f"Annotated[int, Field(ge={low}, le={high})]"

    def module(self) -> str:
        parts = [PYDANTIC_HEAD, *self.enums("Enum")]
        for cls, props in self.shapes.classes.items():
            parts.append(f"\n\nclass {cls.__name__}(BaseModel):\n")
            parts.append("    model_config = ConfigDict(populate_by_name=True)\n\n")
            for p in props:
                annotation = self.annotation(p.hint, p.bounds)
                parts.append(f"    {p.python}: {annotation} = Field(None, alias={p.wire!r})\n")
        parts.append("\n\n")
        parts += [f"{cls.__name__}.model_rebuild()\n" for cls in self.shapes.classes]
        return "".join(parts)


class MsgspecSource(PeerSource):
    def integer(self, low: int, high: int) -> str:
        return f"Annotated[int, Meta(ge={low}, le={high})]"

    def module(self) -> str:
        parts = [MSGSPEC_HEAD, *self.enums("Enum")]
        for cls, props in self.shapes.classes.items():
            parts.append(
                f"\n\nclass {cls.__name__}(msgspec.Struct, kw_only=True, omit_defaults=True):\n"
            )
            for p in props:
                annotation = self.annotation(p.hint, p.bounds)
                field = f"msgspec.field(default=None, name={p.wire!r})"
                parts.append(f"    {p.python}: {annotation} = {field}\n")
        return "".join(parts)


class AttrsSource(PeerSource):
    """openapi-python-client's shape: ``from_dict`` pops each property with ``UNSET`` for
    absent, builds nested models, parses date-times and enums; ``to_dict`` the reverse;
    properties it does not know are kept in ``additional_properties``."""

    def module(self) -> str:
        parts = [ATTRS_HEAD, *self.enums("str, Enum")]
        for cls, props in self.shapes.classes.items():
            name = cls.__name__
            parts.append(f"\n\n@_attrs_define\nclass {name}:\n")
            for p in props:
                parts.append(f"    {p.python}: Union[Unset, Any] = UNSET\n")
            parts.append(
                "    additional_properties: dict[str, Any] = "
                "_attrs_field(init=False, factory=dict)\n"
            )
            parts.append("\n    def to_dict(self) -> dict[str, Any]:\n")
            parts.append("        field_dict: dict[str, Any] = {}\n")
            parts.append("        field_dict.update(self.additional_properties)\n")
            for p in props:
                parts.append(f"        if not isinstance(self.{p.python}, Unset):\n")
                written = self.write(p.hint, f"self.{p.python}", 1)
                parts.append(f"            field_dict[{p.wire!r}] = {written}\n")
            parts.append("        return field_dict\n")
            parts.append("\n    @classmethod\n")
            parts.append(f"    def from_dict(cls, src_dict: dict[str, Any]) -> {name}:\n")
            parts.append("        d = src_dict.copy()\n")
            for p in props:
                parts.append(f"        _{p.python} = d.pop({p.wire!r}, UNSET)\n")
                read = self.read(p.hint, f"_{p.python}", 1)
                parts.append(
                    f"        {p.python} = _{p.python} if isinstance(_{p.python}, Unset) "
                    f"else {read}\n"
                )
            arguments = ", ".join(f"{p.python}={p.python}" for p in props)
            parts.append(f"        obj = cls({arguments})\n")
            parts.append("        obj.additional_properties = d\n        return obj\n")
        return "".join(parts)

    def read(self, hint: Any, value: str, depth: int) -> str:
        hint, optional = _unwrap(hint)
        origin = typing.get_origin(hint)
        item = f"v{depth}"
        if origin is list:
            inner = self.read(typing.get_args(hint)[0], item, depth + 1)
            text = f"[{inner} for {item} in {value}]"
        elif origin is dict:
            inner = self.read(typing.get_args(hint)[1], item, depth + 1)
            text = f"{{k{depth}: {inner} for k{depth}, {item} in {value}.items()}}"
        elif hint in self.shapes.classes:
            text = f"{hint.__name__}.from_dict({value})"
        elif hint in self.shapes.enums and hint not in self.shapes.flags:
            text = f"{hint.__name__}({value})"
        elif hint is datetime.datetime:
            text = f"datetime.datetime.fromisoformat({value})"
        else:
            return value
        return f"(None if {value} is None else {text})" if optional else text

    def write(self, hint: Any, value: str, depth: int) -> str:
        hint, optional = _unwrap(hint)
        origin = typing.get_origin(hint)
        item = f"v{depth}"
        if origin is list:
            inner = self.write(typing.get_args(hint)[0], item, depth + 1)
            text = f"[{inner} for {item} in {value}]"
        elif origin is dict:
            inner = self.write(typing.get_args(hint)[1], item, depth + 1)
            text = f"{{k{depth}: {inner} for k{depth}, {item} in {value}.items()}}"
        elif hint in self.shapes.classes:
            text = f"{value}.to_dict()"
        elif hint in self.shapes.enums and hint not in self.shapes.flags:
            text = f"{value}.value"
        elif hint is datetime.datetime:
            text = f"{value}.isoformat()"
        else:
            return value
        return f"(None if {value} is None else {text})" if optional else text


def write_peers(shapes: Shapes, folder: Path) -> dict[str, types.ModuleType]:
    """The three peers' modules, written into ``folder`` and imported."""
    sources = {
        "peer_pydantic": PydanticSource(shapes),
        "peer_attrs": AttrsSource(shapes),
        "peer_msgspec": MsgspecSource(shapes),
    }
    for name, source in sources.items():
        (folder / f"{name}.py").write_text(source.module(), encoding="utf-8")
    return {name: importlib.import_module(name) for name in sources}


# --- Each side's work ----------------------------------------------------------------------


@dataclasses.dataclass
class Side:
    name: str
    read_user: Callable[[], Any]
    read_list: Callable[[], Any]
    write_user: Callable[[], bytes]
    as_dict: Callable[[Any], Any] | None
    """A read object as plain JSON values, for the equivalence check; None for ``json``
    alone, whose dicts keep the answer's text (seven fractional digits)."""


def ours(rest: types.ModuleType, data: dict[str, bytes]) -> Side:
    get_user, get_list = rest.OPERATIONS["GetUser"], rest.OPERATIONS["GetUserInfoList"]
    save_user = rest.OPERATIONS["SaveUser"]
    user_answer, list_answer = data["GetUser"], data["GetUserInfoList"]
    user = get_user.read(200, user_answer)
    return Side(
        "generated",
        lambda: get_user.read(200, user_answer),
        lambda: get_list.read(200, list_answer),
        lambda: save_user.request((user,), None).content,
        rest._MODELS.to_json,
    )


def pydantic_side(module: types.ModuleType, data: dict[str, bytes]) -> Side:
    from pydantic import TypeAdapter

    user_answer, list_answer = data["GetUser"], data["GetUserInfoList"]
    read_user = module.User.model_validate_json
    rows = TypeAdapter(_rows(module))
    user = read_user(user_answer)

    def as_dict(value: Any) -> Any:
        if isinstance(value, list):
            return rows.dump_python(value, mode="json", by_alias=True, exclude_none=True)
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)

    return Side(
        "pydantic v2",
        lambda: read_user(user_answer),
        lambda: rows.validate_json(list_answer),
        lambda: user.model_dump_json(by_alias=True, exclude_none=True).encode(),
        as_dict,
    )


def attrs_side(module: types.ModuleType, data: dict[str, bytes]) -> Side:
    user_answer, list_answer = data["GetUser"], data["GetUserInfoList"]
    from_dict, row_from_dict = module.User.from_dict, module.UserInfo.from_dict
    user = from_dict(json.loads(user_answer))

    def as_dict(value: Any) -> Any:
        if isinstance(value, list):
            return [row.to_dict() for row in value]
        return value.to_dict()

    return Side(
        "attrs",
        lambda: from_dict(json.loads(user_answer)),
        lambda: [row_from_dict(row) for row in json.loads(list_answer)],
        lambda: _compact(user.to_dict()),
        as_dict,
    )


def msgspec_side(module: types.ModuleType, data: dict[str, bytes]) -> Side:
    import msgspec

    user_answer, list_answer = data["GetUser"], data["GetUserInfoList"]
    user_decoder = msgspec.json.Decoder(module.User)
    list_decoder = msgspec.json.Decoder(_rows(module))
    encode = msgspec.json.Encoder().encode
    user = user_decoder.decode(user_answer)
    return Side(
        "msgspec",
        lambda: user_decoder.decode(user_answer),
        lambda: list_decoder.decode(list_answer),
        lambda: encode(user),
        msgspec.to_builtins,
    )


def json_side(data: dict[str, bytes], body: bytes) -> Side:
    """Plain ``json``: the answers read into dicts, the body written from the dict that
    ours writes (date-times as Python writes them)."""
    user_answer, list_answer = data["GetUser"], data["GetUserInfoList"]
    user = json.loads(body)
    return Side(
        "json alone",
        lambda: json.loads(user_answer),
        lambda: json.loads(list_answer),
        lambda: _compact(user),
        None,
    )


def _rows(module: types.ModuleType) -> Any:
    """``list[UserInfo | None]`` of the peer's ``module``."""
    row: Any = module.UserInfo
    return list[row | None]


# --- Equivalence -----------------------------------------------------------------------------


def check_equivalent(sides: list[Side]) -> dict[str, int]:
    """Fail loudly unless every side reads the same objects and writes the same body; the
    number of values compared, by answer."""
    first, *others = sides
    assert first.as_dict is not None
    expected = {
        "read_user": first.as_dict(first.read_user()),
        "read_list": first.as_dict(first.read_list()),
        "write_user": json.loads(first.write_user()),
    }
    for other in others:
        found = {"write_user": json.loads(other.write_user())}
        if other.as_dict is not None:
            found["read_user"] = other.as_dict(other.read_user())
            found["read_list"] = other.as_dict(other.read_list())
        for case, value in found.items():
            if expected[case] != value:
                difference = first_difference(repr(expected[case]), repr(value))
                raise AssertionError(f"{case}: {other.name} differs\n{difference}")
    return {case: leaves(value) for case, value in expected.items()}


# --- Timing ----------------------------------------------------------------------------------


CASES = (
    ("read_user", "read GetUser answer (full User)"),
    ("read_list", f"read GetUserInfoList answer ({ROWS} rows)"),
    ("write_user", "write SaveUser body (full User)"),
)
GOALS = {"pydantic v2": 1.0, "msgspec": 0.5}
"""Ours / theirs at least: as fast as pydantic v2, within 2x of msgspec, on each work item."""


def report(title: str, figures: Figures) -> None:
    print(f"\n{title}")
    for name, value in figures.ops.items():
        relation = f"ours {figures.ratios[name]:5.2f}x" if name != "generated" else ""
        print(f"  {name:<12} {value:>10,.0f} ops/s  {relation}")


def missed_goals(results: dict[str, Figures]) -> list[str]:
    return [
        f"{case}: ours {figures.ratios[peer]:.2f}x {peer}, goal >= {goal:.2f}x"
        for case, figures in results.items()
        for peer, goal in GOALS.items()
        if figures.ratios[peer] < goal
    ]


# --- Memory and import time (fresh subprocesses) ---------------------------------------------


_CHILD_SETUP = {
    "generated": (
        f"from {PACKAGE}.user.rest import OPERATIONS\n"
        "op = OPERATIONS['GetUser']\n"
        "work = lambda: op.read(200, data)\n"
    ),
    "pydantic v2": "from peer_pydantic import User\nwork = lambda: User.model_validate_json(data)\n",
    "attrs": (
        "import json\nfrom peer_attrs import User\n"
        "work = lambda: User.from_dict(json.loads(data))\n"
    ),
    "msgspec": (
        "import msgspec\nfrom peer_msgspec import User\n"
        "decode = msgspec.json.Decoder(User).decode\nwork = lambda: decode(data)\n"
    ),
    "json alone": "import json\nwork = lambda: json.loads(data)\n",
}
"""Each side's read of the GetUser answer, set up in a fresh interpreter of its own."""
# --- Main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=0.05, help="per round and side")
    parser.add_argument("--check-goals", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-rest-") as temp:
        folder = Path(temp)
        models, rest = generate_ours(folder)
        model_shapes = shapes(models)
        data = answers(model_shapes, models)
        peers = write_peers(model_shapes, folder)
        generated = ours(rest, data)
        sides = [
            generated,
            pydantic_side(peers["peer_pydantic"], data),
            attrs_side(peers["peer_attrs"], data),
            msgspec_side(peers["peer_msgspec"], data),
            json_side(data, generated.write_user()),
        ]
        compared = check_equivalent(sides)
        _describe(data, sides[0].write_user(), compared)
        results = _time_everything(sides, args.rounds, args.seconds)
        _measure_memory(folder, data["GetUser"])
        _measure_imports(folder)
    missed = missed_goals(results)
    print("\ngoals: " + ("all met" if not missed else "missed:\n  " + "\n  ".join(missed)))
    return 1 if args.check_goals and missed else 0


def _describe(data: dict[str, bytes], body: bytes, compared: dict[str, int]) -> None:
    for name, content in data.items():
        print(f"{name} answer: {len(content):,} bytes")
    print(f"SaveUser body: {len(body):,} bytes")
    print(
        "every side reads equal objects and writes an equal body "
        f"({compared['read_user']} values of GetUser, {compared['read_list']} of "
        f"GetUserInfoList, {compared['write_user']} of SaveUser)"
    )


def _time_everything(sides: list[Side], rounds: int, seconds: float) -> dict[str, Figures]:
    print(
        f"\nmedians of {rounds} rounds of ~{seconds}s per side, the sides taking turns; "
        "ratios are the medians of each round's ours / theirs"
    )
    results = {}
    for case, title in CASES:
        results[case] = measure({side.name: getattr(side, case) for side in sides}, rounds, seconds)
        report(title, results[case])
    return results


def _measure_memory(folder: Path, answer: bytes) -> None:
    data_file = folder / "get_user.json"
    data_file.write_bytes(answer)
    print(
        "\npeak RSS of a fresh process per side: set up -> after 2,000 GetUser reads (MiB);"
        f" and what each result adds when {KEPT:,} are kept"
    )
    for side, setup in _CHILD_SETUP.items():
        ready, parsed, each = peak_rss(setup, (folder,), data_file)
        print(f"  {side:<12} {ready:6.1f} -> {parsed:6.1f} MiB   {each:6.1f} KiB a result")


def _measure_imports(folder: Path) -> None:
    print(
        "\nimport time, fresh process, bytecode cached (median of 5); the agent's package"
        " imports its SOAP client and models, so importing ``rest`` does too"
    )
    statements = {
        "generated rest module": f"import {PACKAGE}.user.rest",
        "  its agent package alone": f"import {PACKAGE}.user",
        "  httpx alone": "import httpx",
        "pydantic models": "import peer_pydantic",
        "attrs classes": "import peer_attrs",
        "msgspec structs": "import peer_msgspec",
    }
    for label, statement in statements.items():
        print(f"  {label:<24} {import_seconds(statement, folder) * 1000:7.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
