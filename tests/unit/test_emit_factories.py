"""The emitter on small agents built from IR factories: the corners the corpus does not reach
(hostile doc text, polymorphism, anyType, required fields), literals and docstrings, and the
renderer's own rules."""

from __future__ import annotations

import datetime
import hashlib
import inspect
import textwrap
import tomllib
from pathlib import Path, PurePosixPath

import httpx
import pytest
from conftest import ROOT
from emit_support import (
    HOSTILE,
    TNS,
    Generated,
    agent_of,
    field,
    format_python,
    generate_package,
    make_importable,
    operation,
    q,
    round_trip,
    xs,
)
from http_support import TLS
from hypothesis import given, settings
from hypothesis import strategies as st
from soap_support import Reply, loopback

import codegen
from codegen.emit import render_sources, write_output
from codegen.emit.docs import google_doc
from codegen.emit.literals import _wrap, docstring, literal
from codegen.emit.render import DEPENDENCIES, EXTRAS, REQUIRES_PYTHON, _toml_string, render_project
from codegen.emit.rest.view import method_doc
from codegen.emit.soap.samples import SoapSampler
from codegen.ir import (
    UNBOUNDED,
    XSI,
    ArrayType,
    ComplexType,
    DictionaryType,
    EnumType,
    EnumValue,
    Field,
    Operation,
    RestEndpoint,
)
from codegen.templates import flavour_template_dirs, shipped_templates, template_dir


@pytest.mark.parametrize(
    "text",
    [HOSTILE, '"', '"""', 'ends with a quote"', "\\", "tab\tand\u2028line", "日本語 ü", "x " * 80],
)
def test_docstrings_read_back_as_the_text(text: str) -> None:
    for indent in (0, 4, 8):
        source = docstring(text, indent)
        value = eval(source)
        assert " ".join(value.split()) == " ".join(text.split())
        assert all(len(line) <= 88 for line in source.splitlines() if " " in line.strip())


def test_docstrings_keep_paragraphs_and_list_items() -> None:
    source = docstring("First.\n\nItems:\n- one\n- two", 4)
    assert source == '"""First.\n\n    Items:\n    - one\n    - two\n    """'


_DOC_TEXT = st.lists(
    st.sampled_from(["a", "bcd", "-", " ", "  ", "\t", "\n", "\xa0", "\u2028", "日"])
).map("".join)
"""Doc text of short and long words, hyphens and whitespace of every kind."""


@settings(max_examples=400, derandomize=True, deadline=None)
@given(
    st.one_of(_DOC_TEXT, _DOC_TEXT.map(lambda text: "- " + text)),
    st.integers(1, 12),
    st.sampled_from(["", "  ", "    "]),
)
def test_docstring_lines_are_filled_as_textwrap_fills_them(
    text: str, width: int, hang: str
) -> None:
    expected = textwrap.wrap(
        " ".join(text.split()),
        width=width,
        subsequent_indent=hang or ("  " if text.startswith("- ") else ""),
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert _wrap(text, width, hang) == expected


def test_google_sections_hang_their_entries_continuation_lines() -> None:
    text = google_doc(
        ["Gets a user.", ""], [("user_id", "The key. " * 12), ("skip", "")], "The user.", ()
    )
    assert text.startswith("Gets a user.\n\nArgs:\n    user_id: The key.")
    assert "skip" not in text and "Raises" not in text
    source = docstring(text, 8)
    lines = source.splitlines()
    assert lines[2] == "        Args:" and lines[3].startswith("            user_id: The key.")
    assert lines[4].startswith("                The key.") and max(map(len, lines)) <= 88
    assert lines[-4:] == ["", "        Returns:", "            The user.", '        """']


def test_a_rest_method_is_documented_from_its_rest_page_not_the_soap_page() -> None:
    endpoint = RestEndpoint(
        "POST",
        "/api/v1/Agents/User/GetUser",
        "GetUser.md",
        1,
        doc="REST text.",
        response_doc="The REST user.\n\nCarrier object for User.",
    )
    op = Operation("GetUser", doc="SOAP text.", returns_doc="SOAP user.", rest=endpoint)
    text = method_doc(op, endpoint, ())
    assert text.startswith("REST text.\n\n``POST Agents/User/GetUser``\n\nReturns:\n")
    assert "The REST user." in text and "SOAP" not in text and "Carrier" not in text


def test_literals_are_plain_python_values() -> None:
    assert literal("<tns:Name>") == '"<tns:Name>"'
    assert literal('say "x"') == "'say \"x\"'"
    assert literal(("A", "B")) == '("A", "B")'
    assert literal(("A",)) == '("A",)'
    with pytest.raises(TypeError):
        literal(object())


def test_hostile_doc_text_stays_data(importable: list[Generated], tmp_path: Path) -> None:
    color = EnumType(q("Color"), (EnumValue("Red", doc=HOSTILE), EnumValue("Green")))
    thing = ComplexType(
        q("Thing"),
        (field("Label", xs("string"), doc=HOSTILE), field("Color", q("Color"))),
        doc=HOSTILE,
    )
    op = operation("GetThing", parts=(field("Response", q("Thing")),), doc=HOSTILE)
    generated = make_importable(
        generate_package([agent_of((color, thing), (op,))], "hostile", tmp_path), importable
    )
    for path, text in generated.files.items():
        if path.suffix == ".py":
            compile(text, str(path), "exec")
            assert format_python(text) == text, f"{path} is not black-formatted"
    models = generated.module("thing.models")
    soap = generated.module("thing.soap")
    expected = " ".join(HOSTILE.split())
    assert " ".join(inspect.cleandoc(models.Thing.__doc__).split()) == expected
    assert expected in " ".join(soap.ThingAgent.get_thing.__doc__.split())
    assert expected in " ".join(soap.ThingAgent.__doc__.split())
    readme = generated.files[PurePosixPath("hostile/thing/README.md")]
    assert "{{ x }}" in readme and "\x00" not in readme


def test_polymorphic_fields_use_xsi_type(importable: list[Generated], tmp_path: Path) -> None:
    base = ComplexType(q("FieldInfoBase"), (field("Name", xs("string")),))
    text = ComplexType(q("TextFieldInfo"), (field("Length", xs("int")),), base=q("FieldInfoBase"))
    items = ArrayType(
        q("ArrayOfFieldInfoBase"),
        Field("FieldInfoBase", TNS, q("FieldInfoBase"), True, 0, UNBOUNDED),
        nil_items=True,
    )
    holder = ComplexType(
        q("Holder"),
        (field("One", q("FieldInfoBase")), field("Many", q("ArrayOfFieldInfoBase"))),
    )
    agent = agent_of((base, text, items, holder), (operation("Noop"),))
    generated = make_importable(generate_package([agent], "poly", tmp_path), importable)
    models = generated.module("thing.models")
    value = models.Holder(
        one=models.TextFieldInfo(name="n", length=3),
        many=[models.FieldInfoBase(name="b"), models.TextFieldInfo(length=1), None],
    )
    out: list[str] = []
    models.write_holder(out, value)
    assert '<tns:One xsi:type="tns:TextFieldInfo">' in "".join(out)
    back = round_trip(generated, "thing", "holder", value)
    assert back == value
    assert type(back.one) is models.TextFieldInfo
    assert type(back.many[0]) is models.FieldInfoBase


def test_any_type_values_follow_xsi_type(importable: list[Generated], tmp_path: Path) -> None:
    point = ComplexType(q("Point"), (field("X", xs("int")),))
    bag = DictionaryType(
        q("StringObjectDictionary"),
        "StringObjectDictionaryKeyValuePair",
        Field("Key", TNS, xs("string"), nillable=True, min_occurs=1),
        Field("Value", TNS, xs("anyType"), nillable=True, min_occurs=1),
    )
    holder = ComplexType(q("Holder"), (field("Bag", q("StringObjectDictionary")),))
    agent = agent_of((point, bag, holder), (operation("Noop"),))
    generated = make_importable(generate_package([agent], "anytype", tmp_path), importable)
    models = generated.module("thing.models")
    values = {
        "int": 5,
        "text": "x < y",
        "flag": True,
        "when": datetime.datetime(2024, 1, 2, 3, 4, 5),
        "span": datetime.timedelta(hours=1),
        "raw": b"\x00\x01",
        "point": models.Point(x=2),
        "none": None,
    }
    back = round_trip(generated, "thing", "holder", models.Holder(bag=values))
    assert back.bag == values


def test_required_fields_get_real_defaults(importable: list[Generated], tmp_path: Path) -> None:
    required = {"nillable": False, "min_occurs": 1}
    zeta = ComplexType(q("Zeta"), (field("Note", xs("string")),))
    mood = EnumType(q("Mood"), (EnumValue("Calm", 4), EnumValue("Angry", 9)))
    rights = EnumType(q("Rights"), (EnumValue("Read"), EnumValue("Write")), flags=True)
    alpha = ComplexType(
        q("Alpha"),
        (
            field("Count", xs("int"), **required),
            field("Label", xs("string"), **required),
            field("Mood", q("Mood"), **required),
            field("Rights", q("Rights"), **required),
            field("Zeta", q("Zeta"), **required),
            field("When", xs("dateTime"), **required),
            field("Maybe", xs("int"), nillable=True, min_occurs=1),
        ),
    )
    agent = agent_of((alpha, zeta, mood, rights), (operation("Noop"),))
    generated = make_importable(generate_package([agent], "required", tmp_path), importable)
    models = generated.module("thing.models")
    value = models.Alpha()
    assert (value.count, value.label, value.mood, value.zeta) == (
        0,
        "",
        models.Mood.CALM,
        models.Zeta(),
    )
    assert value.rights == models.Rights(0) and models.Rights.WRITE == 2
    out: list[str] = []
    models.write_alpha(out, value)
    assert "".join(out) == (
        "<tns:Count>0</tns:Count><tns:Label></tns:Label><tns:Mood>Calm</tns:Mood>"
        "<tns:Rights></tns:Rights><tns:Zeta></tns:Zeta>"
        '<tns:When>0001-01-01T00:00:00</tns:When><tns:Maybe xsi:nil="true"/>'
    )
    assert round_trip(generated, "thing", "alpha", value) == value


def test_a_sample_closes_a_required_cycle_with_an_empty_element() -> None:
    """A dictionary's entries are required, so a required value that holds its own
    dictionary again has no finite sample: the element where the cycle closes is empty."""
    required = {"nillable": False, "min_occurs": 1}
    alpha = ComplexType(q("Alpha"), (field("Bag", q("Bag"), **required),))
    bag = DictionaryType(
        q("Bag"),
        "BagEntry",
        key=field("Key", xs("string"), **required),
        value=field("Value", q("Alpha"), **required),
    )
    op = operation("GetAlpha", parts=(field("Response", q("Alpha"), **required),))
    agent = agent_of((alpha, bag), (op,))

    assert op.soap is not None
    envelopes = SoapSampler(agent.types, [("tns", TNS), ("xsi", XSI)]).envelopes(op.name, op.soap)

    (response,) = envelopes["GetAlpha.response.xml"].body.children
    (entry,) = response.children[0].children
    assert [(n.name, n.text, n.children) for n in entry.children] == [
        ("tns:Key", "example", ()),
        ("tns:Value", None, ()),
    ]


def test_templates_are_found_in_the_checkout_each_flavours_in_its_folder() -> None:
    assert template_dir() == ROOT / "templates"
    assert {p.name for p in template_dir().iterdir()} >= {"agent_init.py.jinja"}
    sides = ("entity", "rest", "soap")
    assert flavour_template_dirs() == tuple(ROOT / "codegen/emit" / s / "templates" for s in sides)
    assert {"models.py.jinja", "soap.py.jinja", "envelope.xml.jinja"} <= set(shipped_templates())


def test_no_two_shipped_templates_share_a_name() -> None:
    """An override replaces the template of its name: the name must say which."""
    folders = (template_dir(), *flavour_template_dirs())
    names = [p.name for folder in folders for p in folder.iterdir() if p.suffix == ".jinja"]
    assert len(names) == len(set(names)) == len(shipped_templates())


def test_package_name_must_be_an_identifier() -> None:
    with pytest.raises(ValueError, match="package"):
        render_sources([], "not-a-name")


def test_write_output_writes_below_the_folder(tmp_path: Path) -> None:
    write_output({PurePosixPath("pkg/sub/a.py"): "x = 1\n"}, tmp_path)
    assert (tmp_path / "pkg/sub/a.py").read_text(encoding="utf-8") == "x = 1\n"
    digest = hashlib.sha256((tmp_path / "pkg/sub/a.py").read_bytes()).hexdigest()
    assert digest == hashlib.sha256(b"x = 1\n").hexdigest()


def test_sample_files_of_names_equal_but_for_case_stay_apart() -> None:
    """``GetURL`` and ``GetUrl`` are two methods, and two pairs of sample files even on a
    disk that ignores case (macOS, Windows): the second in sorted order takes ``_2``."""
    agent = agent_of((), (operation("GetUrl"), operation("GetURL")))
    files = render_sources([agent], "cased")
    samples = sorted(str(p.name) for p in files if "samples" in p.parts)
    assert samples == [
        "GetURL.request.xml",
        "GetURL.response.xml",
        "GetUrl_2.request.xml",
        "GetUrl_2.response.xml",
    ]
    assert len({str(p).casefold() for p in files}) == len(files)
    renamed = files[PurePosixPath("cased/thing/samples/soap/GetUrl_2.request.xml")]
    assert "<tns:GetUrl/>" in renamed


def test_a_non_ascii_operation_is_called_with_its_action_as_a_uri(
    importable: list[Generated], tmp_path: Path
) -> None:
    """An HTTP header carries ASCII only: the ``SOAPAction`` of ``SkapaAnvändargrupp`` is
    its IRI percent-encoded as UTF-8, and the call goes out (it raised
    ``UnicodeEncodeError`` in httpx)."""
    op = operation("SkapaAnvändargrupp")
    generated = make_importable(
        generate_package([agent_of((), (op,))], "unicode_action", tmp_path), importable
    )
    soap = generated.module("thing.soap")
    answer = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<SkapaAnv\xc3\xa4ndargruppResponse xmlns="' + TNS.encode() + b'"/>'
        b"</s:Body></s:Envelope>"
    )
    with loopback() as server, httpx.Client(verify=TLS, base_url=server.base_url) as http:
        server.reply = Reply(answer)
        soap.ThingAgent(http, ticket="7T:x").skapa_användargrupp()
    (request,) = server.requests
    action = f'"{TNS}/Agent/SkapaAnv%C3%A4ndargrupp"'
    assert request.headers["SOAPAction"] == action


def test_the_project_files_name_the_package_its_versions_and_dependencies() -> None:
    files = render_project(["SoPrincipal", "User"], "crm", 87)
    metadata = tomllib.loads(files[PurePosixPath("pyproject.toml")])
    assert metadata["project"]["name"] == "crm"
    assert metadata["project"]["version"] == f"87.{codegen.__version__}"
    assert metadata["project"]["requires-python"] == REQUIRES_PYTHON
    assert metadata["project"]["dependencies"] == list(DEPENDENCIES)
    extras = {name: list(requirements) for name, requirements in EXTRAS.items()}
    assert metadata["project"]["optional-dependencies"] == extras
    assert "pip install 'path/to/this/folder[online]'" in files[PurePosixPath("README.md")]
    assert metadata["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["crm"]
    readme = files[PurePosixPath("README.md")]
    assert "from crm.so_principal import SoPrincipalAgent" in readme
    assert "[User](crm/user/README.md)" in readme
    unversioned = tomllib.loads(
        render_project(["User"], "crm", None)[PurePosixPath("pyproject.toml")]
    )
    assert unversioned["project"]["version"] == f"0.{codegen.__version__}"


@pytest.mark.parametrize("text", ['a "quoted" \\ path', "tab\there\nnew\x7f\x00", "société 🙂"])
def test_the_toml_filter_writes_any_text_as_a_toml_string(text: str) -> None:
    assert tomllib.loads(f"value = {_toml_string(text)}")["value"] == text
