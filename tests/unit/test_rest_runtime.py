"""The generated REST runtime on its own: codecs, models, requests, errors, auth; and
the view's layout of declarations, which must be what black would print.

``_json.py`` and ``_rest.py`` are rendered (no agent needed) and imported once for the
module, their names in one namespace; the model classes the tests register are small
dataclasses made here.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import enum
import importlib
import json
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from emit_support import format_python
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.emit import runtimes, write_output
from codegen.emit.layout import Call, lines, store
from codegen.emit.literals import literal
from codegen.emit.render import render_package
from codegen.emit.rest.view import relative_path

PACKAGE = "restruntime"


@pytest.fixture(scope="module")
def rest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("runtime")
    write_output(render_package([], PACKAGE), out)
    sys.path.insert(0, str(out))
    try:
        runtime = ModuleType(f"{PACKAGE} REST runtime")
        for module in runtimes.REST:
            vars(runtime).update(vars(importlib.import_module(f"{PACKAGE}.{module.module}")))
        yield runtime
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _int32(rest: ModuleType) -> Any:
    return rest.integer(-(2**31), 2**31 - 1)


class Right(enum.IntFlag):
    READ = 1
    WRITE = 2
    MANDATORY = 64
    UNDEFINED_VALUE256 = 256


class Kind(enum.IntEnum):
    INTERNAL = 1
    EXTERNAL = 3


@dataclass(slots=True, kw_only=True)
class Base:
    rank: int | None = None


@dataclass(slots=True, kw_only=True)
class Thing(Base):
    name: str | None = None
    kind: Kind | None = None
    children: list[Thing | None] | None = None
    secret: str | None = None


@dataclass(slots=True, kw_only=True)
class Special(Thing):
    extra: bool | None = None


@pytest.fixture(scope="module")
def models(rest: ModuleType) -> Any:
    registry = rest.Models()
    kinds = registry.enumeration(Kind, {"Internal": Kind.INTERNAL, "External": Kind.EXTERNAL})
    registry.define(Base, rest.Property("Rank", "rank", rest.nullable(_int32(rest))))
    registry.define(
        Thing,
        rest.Property("Name", "name", rest.nullable(rest.STR)),
        rest.Property("Kind", "kind", rest.nullable(kinds)),
        rest.Property(
            "Children", "children", rest.nullable(rest.array(rest.nullable(registry.codec(Thing))))
        ),
        base=Base,
    )
    registry.define(Special, rest.Property("Extra", "extra", rest.nullable(rest.BOOL)), base=Thing)
    return registry


# --- Values ----------------------------------------------------------------------------------


def test_primitives_read_as_the_server_writes_them_and_never_guess(rest: ModuleType) -> None:
    assert [_int32(rest).read(v) for v in (5, True, 7.0, " 12 ", "-3")] == [5, 1, 7, 12, -3]
    assert [rest.BOOL.read(v) for v in (True, 0, "false", "1")] == [True, False, False, True]
    assert rest.FLOAT.read("1.5") == 1.5 and rest.FLOAT.read(2) == 2.0
    assert rest.DECIMAL.read(1.1) == decimal.Decimal("1.1")
    assert rest.DECIMAL.read(" 12.50 ") == decimal.Decimal("12.50")
    assert rest.DECIMAL.read("1E5") == decimal.Decimal("1E5")
    for codec, bad in ((_int32(rest), "many"), (_int32(rest), 1.5), (rest.STR, {})):
        with pytest.raises(ValueError):
            codec.read(bad)
    with pytest.raises(ValueError, match="expected a boolean, found a string"):
        rest.BOOL.read("yes")
    with pytest.raises(ValueError, match="expected an integer, found an array"):
        _int32(rest).read([1])


@pytest.mark.parametrize("number", [12, 1.5, 0])
def test_a_number_is_no_string(rest: ModuleType, number: float) -> None:
    """A JSON number where the type says string was read as its text: ``'12'``."""
    with pytest.raises(ValueError, match="^expected a string, found a number$"):
        rest.STR.read(number)


_NOT_DIGITS = ["1_0", "\uff11\uff12", "\u0661\u0662", "\u00b2", "0x1", "", " ", "+", "1 2"]
"""Strings Python's ``int``, ``float`` or ``Decimal`` take (some of them) but no JSON number
is: an underscore, fullwidth, Arabic-Indic and superscript digits, hexadecimal, nothing."""


@pytest.mark.parametrize("text", [*_NOT_DIGITS, "1e3", "1.0"])
def test_an_integer_in_a_string_is_ascii_digits(rest: ModuleType, text: str) -> None:
    with pytest.raises(ValueError, match="^expected an integer, found a string of something"):
        _int32(rest).read(text)


@pytest.mark.parametrize(
    ("low", "high", "value"),
    [
        (-(2**31), 2**31 - 1, 2**31),
        (-(2**31), 2**31 - 1, "99999999999999999999"),
        (-(2**31), 2**31 - 1, 1e300),
        (-(2**15), 2**15 - 1, 40000),
        (-(2**15), 2**15 - 1, "-32769"),
        (0, 255, -1),
        (-(2**63), 2**63 - 1, 2**63),
    ],
)
def test_an_integer_is_within_its_types_range(
    rest: ModuleType, low: int, high: int, value: object
) -> None:
    assert rest.integer(low, high).read(low) == low and rest.integer(low, high).read(high) == high
    with pytest.raises(ValueError, match=f"^expected an integer from {low} to {high}, found"):
        rest.integer(low, high).read(value)


@pytest.mark.parametrize(
    "text", [*_NOT_DIGITS, "NaN", "nan", "sNaN", "inf", "Infinity", "-Infinity", "INF"]
)
def test_a_decimal_or_float_in_a_string_is_a_json_number(rest: ModuleType, text: str) -> None:
    for codec in (rest.DECIMAL, rest.FLOAT):
        with pytest.raises(ValueError, match="^expected a (decimal )?number, found a string of"):
            codec.read(text)


@pytest.mark.parametrize("value", ["1E+999999999", "-1e-999999999", "1" * 1002, 1e300])
def test_a_decimal_stays_within_its_bound(rest: ModuleType, value: object) -> None:
    """``Decimal('1E+999999999')`` is cheap to hold and a billion digits to write out."""
    bound = rest.MAX_DECIMAL_EXPONENT
    assert rest.DECIMAL.read("9" * (bound + 1)).adjusted() == bound
    if isinstance(value, float):
        assert rest.DECIMAL.read(value) == decimal.Decimal("1E300")
        return
    with pytest.raises(ValueError, match=f"^expected a decimal number within 1E{bound} either"):
        rest.DECIMAL.read(value)


@pytest.mark.parametrize("text", ["1e999", "-1E400", 1e308 * 10])
def test_a_float_too_large_is_refused_not_infinity(rest: ModuleType, text: object) -> None:
    with pytest.raises(ValueError, match="^expected a number, found one too large for a float"):
        rest.FLOAT.read(text)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_has_no_nan_or_infinity(rest: ModuleType, constant: str) -> None:
    """``json.loads`` takes these JavaScript constants; RFC 8259 has no such numbers."""
    with pytest.raises(ValueError, match=f"^{constant} is not JSON"):
        rest.read_json(rest.FLOAT, f'{{"x": [{constant}]}}'.encode())


def test_an_answer_names_the_json_path_of_a_value_it_cannot_read(
    rest: ModuleType, models: Any
) -> None:
    answer = b'{"Name": "a", "Children": [null, {"Children": [{"Name": 5}]}]}'
    path = r"\$\.Children\[1\]\.Children\[0\]\.Name"
    with pytest.raises(ValueError, match=f"^{path}: expected a string, found a number$"):
        rest.read_json(models.codec(Thing), answer)


def test_dates_times_spans_and_bytes(rest: ModuleType) -> None:
    moment = rest.DATETIME.read("2002-06-11T18:28:50.4364116+02:00")
    assert moment == datetime.datetime(
        2002, 6, 11, 18, 28, 50, 436411, datetime.timezone(datetime.timedelta(hours=2))
    )
    assert rest.DATETIME.read(rest.DATETIME.write(moment)) == moment
    spans = {
        "01:30:00": datetime.timedelta(hours=1, minutes=30),
        "1.02:03:04.5000000": datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5),
        "-00:00:01": datetime.timedelta(seconds=-1),
        "P1DT2H": datetime.timedelta(days=1, hours=2),
    }
    for text, span in spans.items():
        assert rest.DURATION.read(text) == span
        assert rest.DURATION.read(rest.DURATION.write(span)) == span
    assert rest.DURATION.write(datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)) == (
        "1.02:03:04.5000000"
    )
    for bad in ("P", "PT", "1:2", "soon"):
        with pytest.raises(ValueError):
            rest.DURATION.read(bad)
    assert rest.BYTES.read("U3VwZXJPZmZpY2U=") == b"SuperOffice"
    assert rest.BYTES.write(b"SuperOffice") == "U3VwZXJPZmZpY2U="
    with pytest.raises(ValueError):
        rest.BYTES.read("not base64!")


def test_enums_by_name_in_any_case_or_by_number(rest: ModuleType) -> None:
    kinds = rest.Models().enumeration(Kind, {"Internal": Kind.INTERNAL, "External": Kind.EXTERNAL})
    assert [kinds.read(v) for v in ("External", "internal", 3, "1")] == [
        Kind.EXTERNAL,
        Kind.INTERNAL,
        Kind.EXTERNAL,
        Kind.INTERNAL,
    ]
    assert kinds.write(Kind.EXTERNAL) == "External"
    for unknown in ("Anonymous", 2):
        with pytest.raises(rest.UnknownName):
            kinds.read(unknown)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert rest.nullable(kinds).read("Anonymous") is None
    assert [w.category for w in caught] == [rest.RestWarning]
    assert "'Anonymous' is not a value of Kind" in str(caught[0].message)


def test_flags_as_dotnet_writes_them(rest: ModuleType) -> None:
    names = {"Read": Right.READ, "Write": Right.WRITE, "UIHintMandatory": Right.MANDATORY}
    rights = rest.Models().flags(Right, names)
    assert rights.read("Read, Write") == Right.READ | Right.WRITE
    assert rights.read("read write") == Right.READ | Right.WRITE
    assert rights.read(66) == Right.WRITE | Right.MANDATORY
    assert rights.read("Read, UndefinedValue256") == Right.READ | Right.UNDEFINED_VALUE256
    assert rights.read("") == Right(0)
    assert rights.write(Right.READ | Right.MANDATORY) == "Read, UIHintMandatory"
    assert rights.write(Right.READ | Right.UNDEFINED_VALUE256) == 257
    assert rights.write(Right(0)) == 0
    with pytest.raises(rest.UnknownName):
        rights.read("FULL")
    zero = rest.Models().flags(Right, {"None": Right(0), "Read": Right.READ})
    assert zero.write(Right(0)) == "None"


def test_flag_texts_read_alike_past_what_the_codec_keeps(rest: ModuleType) -> None:
    """The codec keeps the reading of 256 mask texts; the 257th and later are read the same."""
    rights = rest.Models().flags(Right, {"Read": Right.READ, "Write": Right.WRITE})
    texts = [f"Read,{' ' * spaces}Write" for spaces in range(300)]
    for _ in range(2):
        assert {rights.read(text) for text in texts} == {Right.READ | Right.WRITE}
        assert rights.write(Right.READ | Right.WRITE) == "Read, Write"


def test_arrays_and_dictionaries_say_where_a_value_was_wrong(rest: ModuleType) -> None:
    numbers = rest.array(_int32(rest))
    assert numbers.read([1, "2"]) == [1, 2]
    with pytest.warns(rest.RestWarning, match="^1 null item\\(s\\) left out of a list$"):
        assert numbers.read([1, None, 3]) == [1, 3]  # a null item where none may be: left out
    with pytest.raises(ValueError, match=r"^\[2\]: expected an integer"):
        numbers.read([None, 1, "x"])
    assert rest.array(rest.nullable(_int32(rest))).read([1, None]) == [1, None]
    by_date = rest.dictionary(rest.DATETIME, rest.nullable(rest.STR))
    read = by_date.read({"2024-01-31T12:00:00": None})
    assert read == {datetime.datetime(2024, 1, 31, 12): None}
    assert by_date.write(read) == {"2024-01-31T12:00:00": None}
    with pytest.raises(ValueError, match=r"^\['fieldName'\]: Invalid isoformat"):
        by_date.read({"fieldName": "x"})


# --- Models ----------------------------------------------------------------------------------


def test_models_read_by_wire_name_and_skip_what_they_do_not_know(models: Any) -> None:
    codec = models.codec(Thing)
    thing = codec.read(
        {
            "Name": "Ann",
            "kind": "external",
            "Rank": 3,
            "Children": [{"Name": "Bo"}, None],
            "NewerProperty": {"x": 1},
        }
    )
    assert thing == Thing(name="Ann", kind=Kind.EXTERNAL, rank=3, children=[Thing(name="Bo"), None])
    assert codec.write(thing) == {
        "Name": "Ann",
        "Kind": "External",
        "Children": [{"Name": "Bo"}, None],
        "Rank": 3,
    }
    with pytest.raises(ValueError, match=r"^\.Children\[0\]\.Rank: expected an integer"):
        codec.read({"Children": [{"Rank": "high"}]})


@dataclass(slots=True, kw_only=True)
class Pinned:
    kind: Kind = Kind.INTERNAL
    name: str = "unnamed"


def test_a_name_an_enum_does_not_list_is_none_where_the_property_may_be_else_the_default(
    rest: ModuleType, models: Any
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thing = models.codec(Thing).read({"Kind": "Anonymous", "Name": "a"})
    assert thing == Thing(name="a", kind=None)
    assert [w.category for w in caught] == [rest.RestWarning]
    registry = rest.Models()
    kinds = registry.enumeration(Kind, {"Internal": Kind.INTERNAL, "External": Kind.EXTERNAL})
    registry.define(
        Pinned, rest.Property("Kind", "kind", kinds), rest.Property("Name", "name", rest.STR)
    )
    pinned = registry.codec(Pinned)
    assert pinned.read({"Kind": None, "Name": None}) == Pinned()
    with pytest.warns(rest.RestWarning, match="'Anonymous' is not a value of Kind; read as the"):
        assert pinned.read({"Kind": "Anonymous", "Name": "a"}) == Pinned(name="a")


def test_a_subclass_is_written_with_all_its_properties(models: Any) -> None:
    assert models.codec(Thing).write(Special(name="S", extra=True)) == {"Extra": True, "Name": "S"}
    assert models.any.write([Special(rank=1), Kind.INTERNAL]) == [{"Rank": 1}, "Internal"]


def test_any_values_travel_as_json(models: Any) -> None:
    value = {
        "when": datetime.datetime(2024, 1, 31, 12),
        "span": datetime.timedelta(minutes=5),
        "blob": b"\x00\x01",
        "kind": Kind.EXTERNAL,
        "thing": Thing(name="T"),
        "items": (1, "a", None),
        "price": decimal.Decimal("1.10"),
    }
    assert models.any.write(value) == {
        "when": "2024-01-31T12:00:00",
        "span": "00:05:00",
        "blob": "AAE=",
        "kind": "External",
        "thing": {"Name": "T"},
        "items": [1, "a", None],
        "price": "1.10",
    }
    assert models.any.read({"raw": [1, 2]}) == {"raw": [1, 2]}
    with pytest.raises(TypeError, match="no model of this agent"):
        models.any.write(object())


# --- Requests and answers --------------------------------------------------------------------


def _operation(rest: ModuleType, models: Any, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "name": "SaveThing",
        "python_name": "save_thing",
        "path": "Agents/Thing/SaveThing",
        "parameters": (
            rest.Parameter("thingId", "thing_id", "query", rest.nullable(_int32(rest))),
            rest.Parameter("Flag", "flag", "property", rest.nullable(rest.BOOL)),
            rest.Parameter("Name", "name", "property", rest.nullable(rest.STR)),
        ),
        "response": rest.json_response(rest.nullable(models.codec(Thing))),
        "json_body": True,
        "select": True,
    }
    return rest.Operation(**(arguments | overrides))


def test_parameters_go_where_the_page_says(rest: ModuleType, models: Any) -> None:
    operation = _operation(rest, models)
    request = operation.request((7, True, None), ["Name", "Rank"])
    assert (request.method, request.path) == ("POST", "Agents/Thing/SaveThing")
    assert request.params == (("thingId", "7"), ("$select", "Name,Rank"))
    assert json.loads(request.content) == {"Flag": True}
    assert request.headers == {
        "Accept": "application/json; charset=utf-8",
        "Content-Type": "application/json; charset=utf-8",
    }
    assert operation.request((None, None, None), "Name").params == (("$select", "Name"),)
    assert json.loads(operation.request((None, None, None), None).content) == {}


@pytest.mark.parametrize(
    ("codec", "value", "kind", "message"),
    [
        ("FLOAT", float("nan"), ValueError, "must be finite"),
        ("FLOAT", float("inf"), ValueError, "must be finite"),
        ("FLOAT", 10**400, ValueError, "is too large for a float"),
        ("FLOAT", "1.5", TypeError, "must be a float, not str"),
        ("DECIMAL", decimal.Decimal("NaN"), ValueError, "must be a finite Decimal"),
        ("DECIMAL", decimal.Decimal("1E+999999999"), ValueError, "must be a finite Decimal"),
        ("DECIMAL", 1.5, TypeError, "must be a Decimal, not float"),
        ("BOOL", "yes", TypeError, "must be a bool, not str"),
        ("BOOL", 1, TypeError, "must be a bool, not int"),
        ("STR", 5, TypeError, "must be a str, not int"),
        ("STR", "a\udc00", ValueError, "holds U\\+DC00, a lone surrogate"),
        ("DATETIME", "2024-01-01", TypeError, "must be a datetime, not str"),
        ("DURATION", 5, TypeError, "must be a timedelta, not int"),
        ("BYTES", "x", TypeError, "must be bytes, not str"),
    ],
)
def test_each_codec_checks_what_it_writes(
    rest: ModuleType, codec: str, value: object, kind: type, message: str
) -> None:
    with pytest.raises(kind, match=f"^{message}"):
        getattr(rest, codec).write(value)


def test_a_wrong_value_is_named_by_method_and_path_never_shown(
    rest: ModuleType, models: Any
) -> None:
    body = rest.Parameter("thing", "thing", "body", rest.nullable(models.codec(Thing)))
    operation = _operation(rest, models, parameters=(body,))
    bad = Thing(children=[Thing(), Thing(rank="SECRET")])
    with pytest.raises(
        TypeError, match=r"^save_thing\(\): thing\.children\[1\]\.rank must be an int, not str$"
    ):
        operation.request((bad,), None)
    with pytest.raises(TypeError, match=r"^save_thing\(\): thing\.kind must be a Kind, not str$"):
        operation.request((Thing(kind="External"),), None)


def test_any_values_are_checked_too(models: Any) -> None:
    with pytest.raises(ValueError, match="must be finite"):
        models.any.write([1, {"x": float("nan")}])
    with pytest.raises(ValueError, match="lone surrogate"):
        models.any.write({"x": "\ud800"})


def test_a_whole_body_and_no_body(rest: ModuleType, models: Any) -> None:
    entity = rest.Parameter("entity", "entity", "body", rest.nullable(models.codec(Thing)))
    saving = _operation(rest, models, parameters=(entity,), select=False)
    assert json.loads(saving.request((Thing(name="N"),), None).content) == {"Name": "N"}
    assert saving.request((None,), None).content == b"null"
    ids = rest.Parameter("ids", "ids", "body", rest.nullable(rest.array(_int32(rest))))
    listing = _operation(rest, models, parameters=(ids,), select=False)
    assert listing.request(([1, 2],), None).content == b"[1,2]"
    deleting = _operation(
        rest, models, parameters=(), response=rest.NO_CONTENT, json_body=False, select=False
    )
    request = deleting.request((), None)
    assert request.content is None and "Content-Type" not in request.headers
    assert deleting.read(204, b"") is None
    assert rest.BINARY.read(b"GIF89a") == b"GIF89a" and rest.BINARY.accept == "binary/octet-stream"


def test_answers_and_errors(rest: ModuleType, models: Any) -> None:
    operation = _operation(rest, models)
    assert operation.read(200, b'{"Name": "A"}') == Thing(name="A")
    assert operation.read(200, b"  ") is None
    with pytest.raises(rest.MalformedRestResponse) as malformed:
        operation.read(200, b'{"Name": [1]}')
    assert malformed.value.status == 200
    assert "cannot read the answer to SaveThing: $.Name: expected a string" in str(malformed.value)
    with pytest.raises(rest.RestError) as failed:
        operation.read(400, b'{"error": "Invalid", "error_description": "Name is too long"}')
    assert (failed.value.status, failed.value.message) == (400, "Invalid")
    assert repr(failed.value) == "RestError(status=400, message='Invalid')"
    assert failed.value.detail == "Name is too long"
    assert rest.RestError.from_answer(500, b'"plain JSON text"').message == "plain JSON text"
    bad_gateway = rest.RestError.from_answer(502, b"<html>Bad gateway</html>")
    assert bad_gateway.message == "<html>Bad gateway</html>"
    typed_only = rest.RestError.from_answer(500, b'{"ErrorType": "X"}')
    assert (typed_only.message, typed_only.error_type) == ('{"ErrorType": "X"}', "X")


def test_a_status_with_its_own_class_raises_it_from_every_operation(
    rest: ModuleType, models: Any
) -> None:
    """404, 409 and 412 raise ``NotFound``, ``Conflict`` and ``PreconditionFailed`` from
    an agent's WebAPI method as from an entity call (both read through ``Operation``),
    each a ``RestError`` read as one; every other status a ``RestError``."""
    operation = _operation(rest, models)
    kinds = {404: rest.NotFound, 409: rest.Conflict, 412: rest.PreconditionFailed}
    for status, kind in kinds.items():
        assert issubclass(kind, rest.RestError)
        with pytest.raises(kind) as raised:
            operation.read(status, b'{"Message": "Saved meanwhile"}')
        assert (raised.value.status, raised.value.message) == (status, "Saved meanwhile")
        assert repr(raised.value) == f"{kind.__name__}(status={status}, message='Saved meanwhile')"
    for status in (400, 401, 405, 410, 500):
        assert type(rest.RestError.from_answer(status, b"")) is rest.RestError


ASP_NET_ERROR = {
    "Message": "An error has occurred.",
    "ExceptionMessage": "Unknown user group 1",
    "ExceptionType": "SuperOffice.Data.SoDataException",
    "StackTrace": "   at SuperOffice...",
}
NOT_FOUND = {
    "Message": "No HTTP resource was found that matches the request URI.",
    "MessageDetail": "No action was found on the controller 'User' that matches the request.",
}


def test_a_rest_error_reads_the_servers_error_object(rest: ModuleType) -> None:
    """ASP.NET Web API's error (the WebAPI's): its exception's own message before the
    generic one, the type of the exception, the detail of a message."""
    failed = rest.RestError.from_answer(500, json.dumps(ASP_NET_ERROR).encode())
    assert (failed.message, failed.error_type, failed.detail) == (
        "Unknown user group 1",
        "SuperOffice.Data.SoDataException",
        "",
    )
    assert str(failed) == "HTTP 500: Unknown user group 1"
    missing = rest.RestError.from_answer(404, json.dumps(NOT_FOUND).encode())
    assert (missing.message, missing.detail) == (NOT_FOUND["Message"], NOT_FOUND["MessageDetail"])
    generic = rest.RestError.from_answer(500, b'{"Message": "An error has occurred."}')
    assert generic.message == "An error has occurred."
    problem = b'{"title": "Bad Request", "detail": "Name is required", "status": 400}'
    assert rest.RestError.from_answer(400, problem).detail == "Name is required"


def test_auth_and_headers_keep_secrets_out_of_reprs(rest: ModuleType) -> None:
    basic = rest.Auth.basic("tje0", "p@ss:word")
    assert basic.header == "Basic " + base64.b64encode(b"tje0:p@ss:word").decode()
    assert rest.Auth.so_ticket("7T:abc").header == "SoTicket 7T:abc"
    assert rest.Auth.bearer("jwt").header == "Bearer jwt"
    assert repr(basic) == "Auth(scheme='Basic')"
    headers = rest.client_headers(rest.Auth.bearer("jwt"), "app", None, "sv", None, "UTC")
    assert headers == {
        "Authorization": "Bearer jwt",
        "SO-AppToken": "app",
        "SO-Language": "sv",
        "SO-TimeZone": "UTC",
    }


def test_paths_are_relative_to_the_webapi_root() -> None:
    assert relative_path("/api/v1/Agents/User/GetUser") == "Agents/User/GetUser"
    assert relative_path("api/v12/Agents/X/Y") == "Agents/X/Y"
    assert relative_path("/Agents/X/Y") == "Agents/X/Y"


# --- Layout ----------------------------------------------------------------------------------

_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1)
_ATOMS = st.one_of(
    _NAMES.map(lambda name: f"x_{name}"[:40]),
    # Not both kinds of quote: ``literal`` then picks the quote black would not.
    st.text(st.characters(blacklist_characters="'"), max_size=30).map(literal),
    st.integers().map(str),
)
"""Atoms that fit on a line: one too long for any line is black's business, not layout's."""


def _calls(depth: int) -> st.SearchStrategy[Call]:
    arguments = _ATOMS if depth == 0 else st.one_of(_ATOMS, _calls(depth - 1))
    items = st.lists(arguments, max_size=4).map(tuple)
    calls = st.builds(Call, head=_NAMES.map(lambda name: f"f_{name}"[:30]), arguments=items)
    return st.one_of(
        calls, st.builds(Call, head=st.just(""), arguments=items, one_tuple=st.just(True))
    )


@settings(max_examples=150, deadline=None)
@given(target=_NAMES.map(lambda name: f"X_{name}"), value=_calls(3))
def test_declarations_are_laid_out_as_black_prints_them(target: str, value: Call) -> None:
    source = "\n".join(store(f"{target} = ", value)) + "\n"
    assert format_python(source) == source


@settings(max_examples=100, deadline=None)
@given(value=_calls(3))
def test_statements_in_a_method_are_laid_out_as_black_prints_them(value: Call) -> None:
    body = lines(Call("return self._call", (value, "x_select")), 8)
    source = "class C:\n    def f(self):\n" + "".join(f"        {line}\n" for line in body)
    assert format_python(source) == source
