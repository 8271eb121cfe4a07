"""The runtimes as code: the modules of ``codegen/emit/soap/`` and ``codegen/emit/rest/``
imported from the source tree, no package generated; and the names the generator reads
from them (``codegen.emit.runtimes``) being the names they define."""

from __future__ import annotations

import datetime
import decimal
import enum
import importlib
import json
import math
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from math import inf
from pathlib import Path
from typing import cast

import httpx
import pytest
from emit_support import format_python
from lxml import etree  # type: ignore[import-untyped, unused-ignore]

import codegen
from codegen.emit import runtimes
from codegen.emit.rest import _json, _rest
from codegen.emit.soap import _enums, _errors, _http, _runtime, _soap_errors, _xml_values
from codegen.output import stamp

ENVELOPE = (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
    "<s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"
)
EVERY = (*runtimes.SOAP, *runtimes.REST, *runtimes.ENTITY)
INT32 = _json.integer(*_xml_values.INTEGER_RANGES["int"])


def _response(body: str, header: str = "") -> bytes:
    return ENVELOPE.format(header=header, body=body).encode()


@pytest.mark.parametrize("runtime", EVERY, ids=lambda r: r.module)
def test_the_generator_reads_the_names_the_module_defines(runtime: runtimes.Runtime) -> None:
    module = importlib.import_module(f"codegen.emit.{runtime.side}.{runtime.module}")
    assert runtime.exports == tuple(module.__all__)
    assert runtime.public == getattr(module, "PUBLIC", ())
    assert all(hasattr(module, name) for name in runtime.exports)


def test_the_generator_reads_the_integer_ranges_the_runtime_checks() -> None:
    assert runtimes.integer_ranges() == _xml_values.INTEGER_RANGES


def test_a_list_is_read_from_its_own_statement_however_it_is_laid_out() -> None:
    source = (
        '"""A module."""\n\n__all__ = [  # a comment\n    "a",\n    "b",\n]\n'
        'PUBLIC = ("a",)\nX = {"k": (1, 2)}\nY = 1\n'
    )
    assert runtimes._assigned(source, ("__all__", "PUBLIC", "X")) == {
        "__all__": ["a", "b"],
        "PUBLIC": ("a",),
        "X": {"k": (1, 2)},
    }


@pytest.mark.parametrize(
    "source",
    [
        '"""Use it so:\n\n__all__ = ["no"]\n"""\n__all__ = ["yes"]\n',
        '__all__ = ["yes"]\n"""Use it so:\n\n__all__ = ["no"]\n"""\n',
        '__all__ = ["yes"]; X = 1\n',
    ],
    ids=["a string before", "a string after", "two statements on a line"],
)
def test_where_its_line_is_no_plain_statement_the_whole_module_is_read(source: str) -> None:
    assert runtimes._assigned(source, ("__all__",)) == {"__all__": ["yes"]}


@pytest.mark.parametrize("runtime", EVERY, ids=lambda r: r.module)
def test_the_module_is_as_black_prints_it_at_its_default_width(runtime: runtimes.Runtime) -> None:
    """The package is checked with black's defaults (88 columns), this tree at 100."""
    assert format_python(runtime.text) == runtime.text


@pytest.mark.parametrize("side", [runtimes.SOAP, runtimes.REST, runtimes.ENTITY])
def test_each_name_comes_from_one_module(side: tuple[runtimes.Runtime, ...]) -> None:
    names = [name for runtime in side for name in runtime.exports]
    assert len(names) == len(set(names))


def test_the_generator_digest_covers_every_runtime_module() -> None:
    """Editing a runtime changes the digest, which drops the render cache and the stamp."""
    emit = Path(codegen.__file__).parent / "emit"
    covered = {path.resolve() for _, path in stamp._generator_files()}
    assert {(emit / r.side / r.file).resolve() for r in EVERY} <= covered


def test_the_packages_re_export_the_errors_and_auth() -> None:
    assert runtimes.public(["soap", "rest"]) == {
        "_auth": ["AsyncBearerSource", "AsyncCredentials", "Auth", "BearerSource", "Credentials"],
        "_errors": ["RedirectRefused", "SuperOfficeError", "TransportError"],
        "_json": ["RestWarning"],
        "_online": ["AsyncSystemUser", "LoginError", "SystemUser"],
        "_rest": [
            "Conflict",
            "MalformedRestResponse",
            "NotFound",
            "PreconditionFailed",
            "RestError",
        ],
        "_soap_errors": ["ExceptionInfo", "MalformedResponse", "SoapError", "SoapWarning"],
    }


# --- Reading answers ---------------------------------------------------------------------


def _read(chunks: Iterable[bytes], encoding: str = "", limit: int = 10) -> bytes:
    """The body ``_http.send`` reads from an answer sent in ``chunks``, raw."""

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": encoding} if encoding else {}
        return httpx.Response(200, headers=headers, content=iter(list(chunks)))

    client = httpx.Client(transport=httpx.MockTransport(answer), base_url="http://so.test/")
    status, content = _http.send(
        client, "POST", "x", content=b"", headers={}, limit=limit, malformed=_runtime.malformed
    )
    assert status == 200
    return content


def _compressed(data: bytes, wbits: int) -> bytes:
    deflate = zlib.compressobj(9, wbits=wbits)
    return deflate.compress(data) + deflate.flush()


@pytest.mark.parametrize(("encoding", "wbits"), [("", 0), ("gzip", 31), ("deflate", 15)])
def test_a_body_is_read_to_its_limit_and_refused_one_byte_past_it(
    encoding: str, wbits: int
) -> None:
    def encoded(data: bytes) -> list[bytes]:
        return [_compressed(data, wbits) if wbits else data]

    assert _read(encoded(b"0123456789"), encoding) == b"0123456789"
    with pytest.raises(_soap_errors.MalformedResponse, match="over the 10 bytes read, decoded"):
        _read(encoded(b"0123456789A"), encoding)


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_deflate_is_read_as_zlib_or_raw_in_chunks_of_any_size(wbits: int) -> None:
    """Which one is told by the first two bytes, even when they come one by one."""
    data = _compressed(b"<x>deflated</x>", wbits)
    one_by_one = [data[i : i + 1] for i in range(len(data))]
    assert _read(one_by_one, "deflate", limit=100) == b"<x>deflated</x>"


def test_an_empty_compressed_body_is_empty() -> None:
    assert _read([], "gzip") == b""


def test_a_response_made_in_memory_is_read_within_the_limit() -> None:
    """``httpx.MockTransport`` answers are read and decoded whole before they are returned."""

    def send(body: bytes) -> tuple[int, bytes]:
        answer = httpx.Response(200, content=body)
        client = httpx.Client(transport=httpx.MockTransport(lambda request: answer))
        return _http.send(
            client,
            "GET",
            "http://so.test/",
            content=None,
            headers={},
            limit=12,
            malformed=_runtime.malformed,
        )

    assert send(b"<x>whole</x>") == (200, b"<x>whole</x>")
    with pytest.raises(_soap_errors.MalformedResponse, match="over the 12 bytes"):
        send(b"<x>too long</x>")


def test_a_failed_connection_raises_the_packages_transport_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(refuse), base_url="http://so.test/")
    with pytest.raises(_errors.TransportError, match="refused") as raised:
        _http.send(
            client, "GET", "x", content=None, headers={}, limit=1, malformed=_runtime.malformed
        )
    assert isinstance(raised.value.__cause__, httpx.ConnectError)


# --- SOAP -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>',
        b"<x><y></x>",
        b"not xml at all",
    ],
)
def test_parse_xml_refuses_document_types_and_malformed_xml(data: bytes) -> None:
    with pytest.raises(_soap_errors.MalformedResponse):
        _runtime.parse_xml(data)


def test_parse_xml_refuses_a_response_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_runtime, "MAX_RESPONSE_BYTES", 10)
    with pytest.raises(_soap_errors.MalformedResponse, match="over the 10 read"):
        _runtime.parse_xml(b"<x>0123456789</x>")


def test_read_result_gives_what_the_reader_makes_of_the_wrapper() -> None:
    data = _response("<GetResponse><Value>7</Value></GetResponse>")
    assert _runtime.read_result(200, data, "GetResponse", _read_int32) == 7


def test_read_result_reports_a_reader_slip_as_malformed() -> None:
    data = _response("<GetResponse><Value>seven</Value></GetResponse>")
    with pytest.raises(_soap_errors.MalformedResponse, match="cannot read GetResponse") as raised:
        _runtime.read_result(200, data, "GetResponse", _read_int32)
    assert raised.value.http_status == 200
    assert "Value: 'seven' is not an integer" in str(raised.value)


def _read_int32(wrapper: _xml_values.Element) -> int:
    return _xml_values.read_int(next(iter(wrapper)), *_xml_values.INTEGER_RANGES["int"])


def _element(text: str, xsi_type: str = "") -> _xml_values.Element:
    typed = f' xmlns:i="{_xml_values.XSI}" xmlns:x="{_xml_values.XSD}" i:type="{xsi_type}"'
    markup = f'<t:Rank xmlns:t="urn:t"{typed if xsi_type else ""}>{text}</t:Rank>'
    return cast(_xml_values.Element, etree.fromstring(markup.encode()))


_NOT_DIGITS = ["1_0", "\uff11\uff12", "\u0661\u0662", "\u00b2", "1e3", "1.0", "0x1", "", " ", "+"]
"""Text Python's ``int``, ``float`` or ``Decimal`` take (some of it) but XSD does not: an
underscore, fullwidth, Arabic-Indic and superscript digits, the wrong notation, nothing."""


def test_read_datetime_says_an_empty_element_is_no_date_time() -> None:
    """As the other readers say it, so that ``verify`` lists an empty ``dateTime`` of the
    docs (``<Key xsi:type="xsd:dateTime"></Key>``) as a documentation defect."""
    with pytest.raises(ValueError, match=r"^Rank: None is not a date-time$"):
        _xml_values.read_datetime(_element(""))


@pytest.mark.parametrize("text", [*_NOT_DIGITS, "99999999999999999999", "2147483648"])
def test_read_int_takes_ascii_digits_within_the_types_range_only(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Rank: .* is not an integer from -2147483648 to"):
        _xml_values.read_int(_element(text), *_xml_values.INTEGER_RANGES["int"])


def test_read_int_takes_the_xsd_lexical_space_and_the_bounds_of_each_type() -> None:
    ranges = _xml_values.INTEGER_RANGES
    texts = (" +12\n", "-2147483648", "0012")
    assert [_xml_values.read_int(_element(t), *ranges["int"]) for t in texts] == [12, -(2**31), 12]
    assert _xml_values.read_int(_element("65535"), *ranges["unsignedShort"]) == 65535
    for xsd, text in (("short", "32768"), ("unsignedByte", "-1"), ("long", str(2**63))):
        with pytest.raises(ValueError, match="is not an integer from"):
            _xml_values.read_int(_element(text), *ranges[xsd])
    with pytest.raises(ValueError, match="'1111111111111111111111111111111111111111...'"):
        _xml_values.read_int(_element("1" * 100_000), *ranges["integer"])


@pytest.mark.parametrize(
    "text", [*_NOT_DIGITS[:4], "NaN", "sNaN", "Infinity", "-Infinity", "1E+999999999", "1E5"]
)
def test_read_decimal_takes_digits_and_a_point_only(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Rank: '.*' is not a decimal"):
        _xml_values.read_decimal(_element(text))


def test_read_decimal_keeps_the_digits_within_its_bound() -> None:
    texts = (" 12.50 ", "-.5", "+3.", "0.000")
    values = [_xml_values.read_decimal(_element(t)) for t in texts]
    assert values == [decimal.Decimal(d) for d in ("12.50", "-0.5", "3", "0.000")]
    assert str(values[0]) == "12.50"
    bound = _xml_values.MAX_DECIMAL_EXPONENT
    assert _xml_values.read_decimal(_element("9" * (bound + 1))).adjusted() == bound
    for text in ("9" * (bound + 2), "0." + "0" * bound + "1"):
        with pytest.raises(ValueError, match=f"is not a decimal within 1E{bound} either way"):
            _xml_values.read_decimal(_element(text))


@pytest.mark.parametrize(
    "text", [*_NOT_DIGITS[:4], "nan", "inf", "-inf", "Infinity", "+INF", "1e999", "0x1p3"]
)
def test_read_float_takes_the_xsd_double_lexical_space_only(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Rank: '.*' is not a double"):
        _xml_values.read_float(_element(text))


def test_read_float_takes_numbers_and_the_three_special_spellings() -> None:
    texts = (" 1.5E3 ", "-2", ".5", "INF", "-INF")
    assert [_xml_values.read_float(_element(t)) for t in texts] == [1500, -2, 0.5, inf, -inf]
    assert math.isnan(_xml_values.read_float(_element("NaN")))


def test_an_any_type_integer_is_read_within_its_xsi_type() -> None:
    short = f"{{{_xml_values.XSD}}}short"
    assert _xml_values.read_any_simple(_element("-7", "x:short"), short) == -7
    for text in ("32768", "\u0667"):
        with pytest.raises(ValueError, match="is not an integer from -32768 to 32767"):
            _xml_values.read_any_simple(_element(text, "x:short"), short)


def test_read_response_raises_the_fault_with_its_code() -> None:
    fault = "<s:Fault><faultcode>s:Client</faultcode><faultstring>No</faultstring></s:Fault>"
    with pytest.raises(_soap_errors.SoapError, match="No") as raised:
        _runtime.read_response(500, _response(fault), "GetResponse")
    assert (raised.value.fault_code, raised.value.http_status) == ("s:Client", 500)


def test_read_response_refuses_succeeded_false_and_the_wrong_wrapper() -> None:
    with pytest.raises(_soap_errors.SoapError, match="Succeeded=false"):
        _runtime.read_response(200, _response("<R/>", "<Succeeded>false</Succeeded>"), "R")
    with pytest.raises(_soap_errors.MalformedResponse, match="expected R in the body, found Other"):
        _runtime.read_response(200, _response("<Other/>"), "R")


def test_lookup_strips_padding_and_refuses_what_it_does_not_hold() -> None:
    assert _xml_values.BOOLEANS[" true\n"] is True
    assert _xml_values.BOOLEANS["0"] is False
    with pytest.raises(_soap_errors.MalformedResponse, match="'yes' is not a value of boolean"):
        _xml_values.BOOLEANS["yes"]


class Right(enum.IntFlag):
    READ = 1
    WRITE = 2


def test_flag_reader_keeps_undefined_bits_and_refuses_unknown_names() -> None:
    flags = _xml_values.FlagReader(Right, {"Read": Right.READ, "Write": Right.WRITE})
    assert flags["Read UndefinedValue8"] == Right.READ | 8
    with pytest.raises(_soap_errors.MalformedResponse, match="'Delete' is not a value of Right"):
        flags["Read Delete"]
    names = ((1, "Read"), (2, "Write"))
    assert (
        _xml_values.format_flags(Right.WRITE | 16, names, Right, "rights")
        == "Write UndefinedValue16"
    )


class Rights(_enums.Flags):
    READ = 1
    WRITE = 2


class Color(_enums.Enumeration):
    BLUE = 1


def test_names_the_schema_does_not_list_are_kept_and_written_back_over_soap() -> None:
    flags = _xml_values.FlagReader(Rights, {"Read": Rights.READ, "Write": Rights.WRITE})
    full = flags["Read FULL"]
    assert Rights.READ in full and Rights("FULL") in full
    assert _xml_values.format_flags(full, ((1, "Read"), (2, "Write")), Rights, "m") == "Read FULL"
    assert Rights("FULL") is Rights("FULL") and Rights("FULL").name == "FULL"
    with pytest.raises(_soap_errors.MalformedResponse, match="'1x' is not a value"):
        flags["Read 1x"]
    colors = _enums.EnumReader(Color, {"Blue": Color.BLUE})
    assert colors[" Blue "] is Color.BLUE
    alt = colors["BlueAlt1"]
    assert isinstance(alt, Color) and alt.name == "BlueAlt1" and alt != Color.BLUE
    with pytest.raises(_soap_errors.MalformedResponse, match="None is not a value of Color"):
        colors[None]


def test_names_the_schema_does_not_list_are_kept_and_written_back_over_rest() -> None:
    rights = _json.Models().flags(Rights, {"Read": Rights.READ, "Write": Rights.WRITE})
    assert rights.write(rights.read("Write, FULL")) == "Write, FULL"
    assert rights.read("FULL") is Rights("FULL")
    colors = _json.Models().enumeration(Color, {"Blue": Color.BLUE})
    assert colors.read("BlueAlt1") is Color("BlueAlt1")
    assert colors.write(colors.read("BlueAlt1")) == "BlueAlt1"
    with pytest.raises(_json.UnknownName):
        colors.read("no name")


def test_escape_makes_character_data() -> None:
    assert _xml_values.escape("a<b>&c\r\n") == "a&lt;b&gt;&amp;c&#13;\n"
    assert _xml_values.format_any_simple("<x>") == ("xsd:string", "&lt;x&gt;")


def test_values_are_written_as_dotnet_writes_them() -> None:
    utc = datetime.datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=datetime.UTC)
    assert _xml_values.format_datetime(utc) == "2024-05-06T07:08:09.5Z"
    span = datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)
    assert _xml_values.format_duration(span) == "P1DT2H3M4.5S"
    assert _xml_values.format_duration(datetime.timedelta(0)) == "PT0S"
    assert _xml_values.format_float(float("-inf")) == "-INF"


@pytest.mark.parametrize("xsd", sorted(_xml_values.INTEGER_RANGES))
def test_format_int_writes_each_xsd_integer_types_range_and_nothing_beyond(xsd: str) -> None:
    low, high = _xml_values.INTEGER_RANGES[xsd]
    assert _xml_values.format_int(low, "rank", low, high) == str(low)
    assert _xml_values.format_int(high, "rank", low, high) == str(high)
    for beyond in (low - 1, high + 1):
        with pytest.raises(ValueError, match=f"^rank must be from {low} to {high}"):
            _xml_values.format_int(beyond, "rank", low, high)
    for wrong in ("1", True, 1.0, decimal.Decimal(1), None):
        with pytest.raises(TypeError, match="^rank must be an int, not "):
            _xml_values.format_int(wrong, "rank", low, high)


class Level(enum.IntEnum):
    HIGH = 3


def test_format_int_writes_an_int_subclass_as_its_number() -> None:
    assert _xml_values.format_int(Level.HIGH, "level", 0, 255) == "3"


def test_format_decimal_writes_digits_within_its_bound_and_nothing_else() -> None:
    bound = _xml_values.MAX_DECIMAL_EXPONENT
    largest = decimal.Decimal("9" * (bound + 1))
    assert _xml_values.format_decimal(largest) == "9" * (bound + 1)
    assert _xml_values.format_decimal(decimal.Decimal("1E-3")) == "0.001"
    assert _xml_values.format_decimal(decimal.Decimal("-1.50")) == "-1.50"
    assert _xml_values.format_decimal(decimal.Decimal(f"1E-{bound}")) == f"0.{'0' * (bound - 1)}1"
    for beyond in (
        largest + 1,
        decimal.Decimal(f"1E-{bound + 1}"),
        decimal.Decimal("1E+999999999"),
    ):
        with pytest.raises(ValueError, match=f"^price is beyond 1E{bound} either way"):
            _xml_values.format_decimal(beyond, "price")
    for special in ("NaN", "sNaN", "Infinity", "-Infinity"):
        with pytest.raises(ValueError, match="^price must be a finite Decimal"):
            _xml_values.format_decimal(decimal.Decimal(special), "price")
    for wrong in (1.5, 1, "1.5"):
        with pytest.raises(TypeError, match="^price must be a Decimal, not "):
            _xml_values.format_decimal(wrong, "price")


def test_a_number_refused_is_not_shown() -> None:
    """The value may be a secret, and an int too long for ``str`` made a message that did
    not name the field (found by ``tests/e2e/test_argument_properties.py``)."""
    with pytest.raises(ValueError, match=r"^rank must be from -32768 to 32767$"):
        _xml_values.format_int(-(10**5000), "rank", -32768, 32767)
    with pytest.raises(ValueError, match=r"^amount must be a finite Decimal$"):
        _xml_values.format_decimal(decimal.Decimal("-Infinity"), "amount")


@pytest.mark.parametrize(
    ("hours", "minutes", "seconds"), [(0, 0, 0.000001), (0, 0, 30), (-14, -1, 0), (14, 0, 30)]
)
def test_a_datetime_offset_xsd_cannot_carry_is_refused(
    hours: int, minutes: int, seconds: float
) -> None:
    """It was rounded to a whole minute (a microsecond became ``Z``), naming another
    instant; beyond 14 hours it made a request the schema refuses."""
    offset = datetime.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    when = datetime.datetime(2024, 5, 6, tzinfo=datetime.timezone(offset))
    with pytest.raises(ValueError, match=r"^since must be offset from UTC by whole minutes"):
        _xml_values.format_datetime(when, "since")


def test_a_datetime_offset_is_written_to_the_minute_up_to_14_hours() -> None:
    def at(offset: datetime.timedelta) -> str:
        when = datetime.datetime(2024, 5, 6, tzinfo=datetime.timezone(offset))
        return _xml_values.format_datetime(when)

    assert at(datetime.timedelta(hours=14)) == "2024-05-06T00:00:00+14:00"
    assert at(datetime.timedelta(hours=-14)) == "2024-05-06T00:00:00-14:00"
    assert at(datetime.timedelta(minutes=-30)) == "2024-05-06T00:00:00-00:30"


def test_session_sends_the_headers_an_operation_declares_and_that_are_set() -> None:
    session = _runtime.Session("1.1", ' xmlns:t="urn:t"', {"Ticket": "<t:Ticket>secret</t:Ticket>"})
    envelope = session.envelope(("Ticket", "TimeZone"), "<t:Get/>").decode()
    assert envelope == (
        f'<s:Envelope xmlns:s="{_runtime.SOAP11}" xmlns:t="urn:t">'
        "<s:Header><t:Ticket>secret</t:Ticket></s:Header>"
        "<s:Body><t:Get/></s:Body></s:Envelope>"
    )
    assert "<s:Header>" not in session.envelope(("TimeZone",), "<t:Get/>").decode()
    assert "secret" not in repr(session)


def test_session_headers_follow_the_soap_version() -> None:
    assert _runtime.Session("1.1", "", {}).http_headers("urn:Get") == {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": '"urn:Get"',
    }
    assert _runtime.Session("1.2", "", {}).http_headers("urn:Get") == {
        "Content-Type": 'application/soap+xml; charset=utf-8; action="urn:Get"',
    }
    with pytest.raises(ValueError, match="soap_version"):
        _runtime.Session("1.3", "", {})  # type: ignore[arg-type]


# --- REST -------------------------------------------------------------------------------


class Kind(enum.IntEnum):
    INTERNAL = 1
    EXTERNAL = 3


@dataclass
class Contact:
    contact_id: int | None = None
    name: str | None = None
    kind: Kind | None = None


def _models() -> _json.Models:
    models = _json.Models()
    kind = _json.nullable(
        models.enumeration(Kind, {"Internal": Kind.INTERNAL, "External": Kind.EXTERNAL})
    )
    models.define(
        Contact,
        _json.Property("ContactId", "contact_id", _json.nullable(INT32)),
        _json.Property("Name", "name", _json.nullable(_json.STR)),
        _json.Property("Kind", "kind", kind),
    )
    return models


def test_primitive_codecs_are_lenient_as_the_server_is_and_no_further() -> None:
    assert [INT32.read(v) for v in (5, 5.0, " 5 ", True)] == [5, 5, 5, 1]
    assert _json.BOOL.read("False") is False
    for codec, value in (
        (INT32, 5.5),
        (INT32, None),
        (_json.STR, True),
        (_json.BYTES, "%"),
    ):
        with pytest.raises(ValueError):
            codec.read(value)


def test_durations_travel_as_dotnet_time_spans() -> None:
    span = datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=500000)
    assert _json.DURATION.write(span) == "1.02:03:04.5000000"
    assert _json.DURATION.read("1.02:03:04.5") == span
    assert _json.DURATION.read("P1DT2H3M4.5S") == span


def test_models_read_names_in_any_case_and_write_wire_names() -> None:
    codec = _models().codec(Contact)
    contact = codec.read({"contactid": "12", "NAME": "Ann", "Kind": "external", "Extra": 1})
    assert contact == Contact(12, "Ann", Kind.EXTERNAL)
    assert codec.write(contact) == {"ContactId": 12, "Name": "Ann", "Kind": "External"}


def test_an_enum_name_the_models_lack_reads_as_none_with_a_warning() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        contact = _models().codec(Contact).read({"Kind": "Partner"})
    assert contact.kind is None
    assert [w.category for w in caught] == [_json.RestWarning]


def _find() -> _rest.Operation[list[str]]:
    return _rest.Operation(
        "Find",
        "find",
        "Agents/Contact/Find",
        (
            _rest.Parameter("q", "q", "query", _json.array(_json.STR)),
            _rest.Parameter("Name", "name", "property", _json.nullable(_json.STR)),
            _rest.Parameter("Limit", "limit", "property", _json.nullable(INT32)),
        ),
        _rest.json_response(_json.array(_json.STR)),
        json_body=True,
        select=True,
    )


def test_operation_request_puts_each_parameter_in_its_place() -> None:
    request = _find().request((["a", "b"], "Ann", None), ["Name", "Kind"])
    assert (request.method, request.path) == ("POST", "Agents/Contact/Find")
    assert request.params == (("q", "a"), ("q", "b"), ("$select", "Name,Kind"))
    assert json.loads(request.content or b"") == {"Name": "Ann"}
    assert request.headers == {
        "Accept": "application/json; charset=utf-8",
        "Content-Type": "application/json; charset=utf-8",
    }


def test_operation_read_raises_for_an_error_status_and_a_malformed_answer() -> None:
    find = _find()
    assert find.read(200, b'["x"]') == ["x"]
    with pytest.raises(_rest.RestError, match="HTTP 404: no such contact") as raised:
        find.read(404, b'{"Message": "no such contact"}')
    assert raised.value.status == 404
    with pytest.raises(_rest.MalformedRestResponse, match=r"cannot read the answer to Find"):
        find.read(200, b'{"not": "a list"}')


def test_auth_builds_the_header_and_never_shows_the_secret() -> None:
    auth = _rest.Auth.basic("ann", "pw")
    assert auth.header == "Basic YW5uOnB3"
    assert repr(auth) == "Auth(scheme='Basic')"
    headers = _rest.client_headers(_rest.Auth.so_ticket("7T:x"), "app", None, None, None, None)
    assert headers == {"Authorization": "SoTicket 7T:x", "SO-AppToken": "app"}
