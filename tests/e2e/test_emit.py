"""The emitter: the generated package imports, type-checks, talks SOAP and reads it back.

The tests share one package generated from the Services86 User WSDL page (generating and
type-checking it is the slow part, done once per module); small agents built from IR
factories reach the corners the corpus does not in ``tests/unit/test_emit_factories.py``
and ``tests/golden/test_emit_collisions.py``.
"""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import datetime
import enum
import inspect
import os
import subprocess
import sys
import threading
import typing
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any

import httpx
import pytest
from build_support import Services86, mypy_strict
from conftest import ROOT
from emit_support import (
    Generated,
    forget,
    generate_package,
    round_trip,
    wrap,
)
from http_support import TLS
from lxml import etree
from soap_support import wsdl_schema

from codegen.emit import render_sources, runtimes
from codegen.emit.soap.build import build_view
from codegen.ir import (
    Agent,
)
from codegen.passes.names import assign_names
from codegen.sources.soap_page import read_soap_page
from codegen.sources.wsdl import read_wsdl_page

USER_PAGE = "soap/Services86/Services86-User.md"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SUPEROFFICE = "http://www.superoffice.net/ws/crm/NetServer/Services86"


@pytest.fixture(scope="module")
def user_wsdl(corpus: Path) -> Agent:
    page = corpus / USER_PAGE
    agent, diagnostics = read_wsdl_page(str(page), page.read_text(encoding="utf-8"))
    assert agent is not None, diagnostics
    return agent


@pytest.fixture(scope="module")
def user(user_wsdl: Agent, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    """Services86 User, generated and formatted once for the whole module."""
    generated = generate_package([user_wsdl], "so86user", tmp_path_factory.mktemp("user"))
    sys.path.insert(0, str(generated.out))
    yield generated
    forget([generated])


@pytest.fixture(scope="module")
def user_schema(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> etree.XMLSchema:
    """The schemas the User WSDL page embeds (its WSDL taken out of the page's fence)."""
    folder = tmp_path_factory.mktemp("schema")
    text = (corpus / USER_PAGE).read_text(encoding="utf-8")
    wsdl = folder / "User.wsdl"
    wsdl.write_text(text.split("```xml\n", 1)[1].split("```", 1)[0], encoding="utf-8")
    return wsdl_schema(wsdl, folder)


def _invalid_parts(schema: etree.XMLSchema, envelope: bytes) -> list[str]:
    """Every header and body element of ``envelope`` that the schema rejects."""
    root = etree.fromstring(envelope)
    errors = []
    for part in root:
        for element in part:
            if not schema.validate(element):
                errors.append(f"{etree.QName(element).localname}: {schema.error_log.last_error}")
    return errors


# --- Literals ----------------------------------------------------------------------------


# --- The Services86 User package ----------------------------------------------------------


def test_user_package_layout(user: Generated, user_wsdl: Agent) -> None:
    paths = {str(p) for p in user.files}
    folder = "so86user/user"
    expected = {
        "so86user/__init__.py",
        "so86user/_runtime.py",
        f"{folder}/__init__.py",
        f"{folder}/py.typed",
        f"{folder}/models.py",
        f"{folder}/soap.py",
        f"{folder}/README.md",
    }
    assert expected <= paths
    samples = {p for p in paths if p.startswith(f"{folder}/samples/soap/")}
    operations = [op.name for op in user_wsdl.operations]
    assert len(operations) == 79
    assert samples == {
        f"{folder}/samples/soap/{op}.{direction}.xml"
        for op in operations
        for direction in ("request", "response")
    }
    assert all((user.out / p).is_file() for p in paths)


def _public_annotations(tree: ast.Module) -> Iterator[tuple[str, ast.expr]]:
    """The annotations of a module's public names: its variables, and the parameters and
    returns of its public functions and of the public methods of its public classes."""

    def function(
        node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str
    ) -> Iterator[tuple[str, ast.expr]]:
        arguments = node.args
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if argument.annotation is not None:
                yield f"{owner}{node.name}({argument.arg})", argument.annotation
        if node.returns is not None:
            yield f"{owner}{node.name}()", node.returns

    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if not node.target.id.startswith("_"):
                yield node.target.id, node.annotation
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not node.name.startswith("_"):
                yield from function(node, "")
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    if not member.name.startswith("_") or member.name == "__init__":
                        yield from function(member, f"{node.name}.")
                elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                    yield f"{node.name}.{member.target.id}", member.annotation


SURFACE_AGENTS = ("ai", "quote", "sentry", "so_principal", "user", "webhook")
"""The agents whose public names are read for ``Any``: the templates are the same for all,
so these cover what differs between agents: WebAPI only (AI), anyType (Webhook), the
longest names (SoPrincipal), flags (Sentry), many operations (Quote). Parsing all 34 MB
of Services86 takes 15 s."""


def test_no_any_in_the_public_surface(services86: Services86) -> None:
    """A user's ``mypy --strict`` sees every public name of the package typed: no ``Any``
    in what a module, a client or a model offers, SOAP or REST (the private runtimes may
    use it)."""
    package = services86.out / services86.package
    paths = [
        package / "__init__.py",
        *(p for a in SURFACE_AGENTS for p in (package / a).glob("*.py")),
    ]
    assert len(paths) > 2 * len(SURFACE_AGENTS)
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for where, annotation in _public_annotations(ast.parse(text)):
            if "Any" in ast.unparse(annotation):
                found.append(f"{path}: {where}: {ast.unparse(annotation)}")
    assert found == []


def test_generated_code_never_imports_codegen(user: Generated) -> None:
    for path, text in user.files.items():
        if path.suffix == ".py":
            assert "codegen" not in text.replace("superoffice-codegen", ""), path


def test_clients_have_every_operation(user: Generated, user_wsdl: Agent) -> None:
    user_package = user.module("user")
    sync, asynchronous = user_package.UserAgent, user_package.AsyncUserAgent

    def methods(cls: type) -> set[str]:
        return {name for name, _ in inspect.getmembers(cls, inspect.isfunction)}

    public = {name for name in methods(sync) if not name.startswith("_")}
    assert len(public) == 79
    assert public == {n for n in methods(asynchronous) if not n.startswith("_")}
    assert public == set(methods(user_package.soap.UserAgentRequests)) - {"__init__"}
    assert public == set(methods(user_package.soap.UserAgentResponses))
    assert all(inspect.iscoroutinefunction(getattr(asynchronous, n)) for n in public)
    assert {op.python_name for op in user_package.OPERATIONS.values()} == public
    assert "is_password_valid_with_reason" in public
    assert "get_user_info_list" in public


def test_method_signatures_are_keyword_only_and_typed(user: Generated) -> None:
    agent = user.module("user").UserAgent
    signature = inspect.signature(agent.create_external_user)
    parameters = list(signature.parameters.values())[1:]
    assert [p.name for p in parameters] == [
        "person_id",
        "user_name",
        "password",
        "role_id",
        "is_active",
    ]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    # A value type left out is its default, sent: .NET's default(T) (0, False).
    assert [p.default for p in parameters] == [0, None, None, 0, False]
    assert [p.annotation for p in parameters] == ["int", "str | None", "str | None", "int", "bool"]
    assert signature.return_annotation == "int"
    assert inspect.signature(agent.get_user).return_annotation == "User | None"
    assert inspect.signature(agent.delete_user).return_annotation == "None"


def test_generated_package_passes_mypy_strict(user: Generated, warm_mypy: Path) -> None:
    result = mypy_strict(user.package, user.out, warm_mypy)
    assert result.returncode == 0, result.stdout + result.stderr


_USER_SCRIPT = """\
import httpx

from superoffice.user import rest, soap
from superoffice.user.models import UserGroup


def run(http: httpx.Client) -> int:
    soap_users = soap.UserAgent(http, ticket="7T:...")
    rest_users = rest.UserAgent(http)
    new_id = soap_users.create_external_user(person_id=5, user_name="jdoe")
    same_id = rest_users.create_external_user(person_id=5, is_active=True)
    group = soap_users.create_user_group()
    rank = group.rank if group is not None else 0
    return new_id + same_id + rank + UserGroup(id_=1).deleted
"""


def test_a_user_script_needs_no_none_check_the_api_does_not(
    tmp_path: Path, warm_mypy: Path
) -> None:
    """Over both clients of the committed package, the numbers returned, passed and held in
    a model are used as they are under ``mypy --strict``: only what may be None on the wire
    (a whole object answered nil) is checked for it."""
    script = tmp_path / "user_script.py"
    script.write_text(_USER_SCRIPT, encoding="utf-8")
    result = mypy_strict(str(script), ROOT / "generated", warm_mypy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_package_passes_ruff(user: Generated) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", user.package],
        cwd=user.out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_model_constructs_with_no_arguments(user: Generated) -> None:
    models = user.module("user.models")
    classes = [
        cls
        for _, cls in inspect.getmembers(models, inspect.isclass)
        if cls.__module__ == models.__name__ and dataclasses.is_dataclass(cls)
    ]
    assert len(classes) > 30
    for cls in classes:
        instance = cls()
        assert repr(instance).startswith(cls.__name__)
        assert round_trip(user, "user", _snake_id(cls.__name__), instance) == instance


def _snake_id(class_name: str) -> str:
    from codegen.naming import snake_case

    return snake_case(class_name)


def test_inheritance_is_kept(user: Generated) -> None:
    models = user.module("user.models")
    assert issubclass(models.User, models.Carrier)
    assert [f.name for f in dataclasses.fields(models.User)][:2] == [
        "table_right",
        "field_properties",
    ]


def test_user_round_trips_through_xml(user: Generated) -> None:
    models = user.module("user.models")
    original = models.User(
        associate_id=7,
        name="Ærlig <&> \"quoted\" 'single'\r\nline",
        user_name="",
        deleted=False,
        lastlogin=datetime.datetime(2021, 11, 30, 13, 23, 6, 120000, tzinfo=datetime.UTC),
        lastlogout=datetime.datetime(1, 1, 1),
        type_=models.UserType.EXTERNAL_ASSOCIATE,
        role=models.Role(id_=3, value="Admin", tooltip=None),
        other_groups=[models.UserGroup(id_=1, value="A"), models.UserGroup()],
        table_right=models.TableRight(
            mask=models.ETableRight.SELECT | models.ETableRight.UPDATE, reason=""
        ),
        field_properties={
            "name": models.FieldProperty(
                field_right=models.FieldRight(mask=models.EFieldRight(0)), field_length=40
            ),
            "empty": None,
        },
        credentials=[models.Credential(value="secret", display_value="shown")],
    )
    assert round_trip(user, "user", "user", original) == original


def test_empty_elements_are_empty_strings_and_nil_is_none(user: Generated) -> None:
    models = user.module("user.models")
    runtime = user.module("_runtime")
    xml = wrap(
        models,
        "Value",
        ["<tns:Name></tns:Name>", '<tns:Tooltip xsi:nil="true"/>', "<tns:UserName/>"],
    )
    parsed = models.read_user(runtime.parse_xml(xml))
    assert parsed.name == ""
    assert parsed.user_name == ""
    assert parsed.tooltip is None
    assert parsed.role is None


def test_value_types_are_never_none_and_nil_or_absent_reads_their_default(
    user: Generated,
) -> None:
    models = user.module("user.models")
    runtime = user.module("_runtime")
    hints = typing.get_type_hints(models.User, vars(models))
    assert hints["associate_id"] is int and hints["lastlogin"] is datetime.datetime
    assert hints["type_"] is models.UserType and hints["name"] == str | None
    empty = models.User()
    assert (empty.associate_id, empty.deleted, empty.lastlogin) == (0, False, datetime.datetime.min)
    assert empty.type_ == models.UserType(0)
    assert models.FieldRight().mask is models.NO_E_FIELD_RIGHT == models.EFieldRight(0)
    pieces = ['<tns:AssociateId xsi:nil="true"/>', "<tns:Deleted>true</tns:Deleted>"]
    parsed = models.read_user(runtime.parse_xml(wrap(models, "Value", pieces)))
    assert parsed == models.User(deleted=True)
    out: list[str] = []
    models.write_user(out, models.User())
    assert "<tns:AssociateId>0</tns:AssociateId>" in out
    assert "<tns:Lastlogin>0001-01-01T00:00:00</tns:Lastlogin>" in "".join(out)
    assert "<tns:Name>" not in "".join(out)


def test_a_nil_item_no_document_shows_is_left_out(user: Generated) -> None:
    models = user.module("user.models")
    runtime = user.module("_runtime")
    hints = typing.get_type_hints(models.User, vars(models))
    assert hints["other_groups"] == list[models.UserGroup] | None
    items = ['<tns:UserGroup xsi:nil="true"/>', "<tns:UserGroup><tns:Id>1</tns:Id></tns:UserGroup>"]
    xml = wrap(models, "Value", ["<tns:OtherGroups>", *items, "</tns:OtherGroups>"])
    with pytest.warns(user.module("user").SoapWarning, match="^a nil UserGroup item left out"):
        parsed = models.read_user(runtime.parse_xml(xml))
    assert parsed.other_groups == [models.UserGroup(id_=1)]


def test_a_nil_value_type_response_is_its_default(user: Generated) -> None:
    reply = _CREATE_EXTERNAL_USER_RESPONSE.replace(
        b"<Response>4711</Response>", f'<Response xmlns:i="{XSI}" i:nil="true"/>'.encode()
    )
    agent, _ = _mock_agent(user, httpx.Response(200, content=reply))
    assert agent.create_external_user() == 0


def test_enums_keep_numbers_and_wire_names(user: Generated) -> None:
    models = user.module("user.models")
    assert issubclass(models.UserType, enum.IntEnum)
    assert models.UserType.SYSTEM_ASSOCIATE == 5
    assert models.format_user_type(models.UserType.SYSTEM_ASSOCIATE) == "SystemAssociate"
    assert issubclass(models.EFieldRight, enum.IntFlag)
    assert models.EFieldRight.UI_HINT_MANDATORY == 64
    assert models.EFieldRight.UNDEFINED_VALUE256 == 256
    value = models.EFieldRight.READ | models.EFieldRight.UI_HINT_READ_ONLY
    assert models.format_e_field_right(value) == "Read UIHintReadOnly"
    assert models.format_e_field_right(models.EFieldRight(0)) == ""


def test_flag_tokens_the_schema_does_not_list(user: Generated) -> None:
    models = user.module("user.models")
    runtime = user.module("_runtime")

    def mask(text: str) -> Any:
        xml = wrap(models, "FieldRight", [f"<tns:Mask>{text}</tns:Mask>"])
        return models.read_field_right(runtime.parse_xml(xml)).mask

    kept = mask("Read UndefinedValue512")
    assert isinstance(kept, models.EFieldRight)
    assert int(kept) == 1 | 512
    assert models.format_e_field_right(kept) == "Read UndefinedValue512"
    full = mask("Read FULL")
    assert isinstance(full, models.EFieldRight) and models.EFieldRight("FULL") in full
    assert models.format_e_field_right(full) == "Read FULL"
    with pytest.raises(runtime.MalformedResponse, match="1x"):
        mask("Read 1x")


def test_an_enum_name_the_schema_does_not_list_is_kept_and_text_no_name_is_malformed(
    user: Generated,
) -> None:
    models = user.module("user.models")
    runtime = user.module("_runtime")
    xml = wrap(models, "Associate", ["<tns:Type>Martian</tns:Type>"])
    martian = models.read_associate(runtime.parse_xml(xml)).type_
    assert isinstance(martian, models.UserType) and martian.name == "Martian"
    assert models.format_user_type(martian) == "Martian"
    xml = wrap(models, "Associate", ["<tns:Type>no name</tns:Type>"])
    with pytest.raises(runtime.MalformedResponse, match="no name"):
        models.read_associate(runtime.parse_xml(xml))


def test_secrets_stay_out_of_repr(user: Generated) -> None:
    models = user.module("user.models")
    user_package = user.module("user")
    assert "s3cret" not in repr(models.SoCredentials(ticket="s3cret"))
    assert "s3cret" not in repr(models.ServiceAuth(password="s3cret"))
    with httpx.Client(base_url="https://host/Cust1/") as client:
        agent = user_package.UserAgent(client, ticket="s3cret", application_token="t0ken")
        assert "s3cret" not in repr(agent) and "t0ken" not in repr(agent)
        assert "s3cret" not in repr(agent._session)


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2021, 11, 30, 13, 23, 6),
        datetime.datetime(2021, 11, 30, 13, 23, 6, 500000),
        datetime.datetime(2021, 11, 30, 13, 23, 6, tzinfo=datetime.UTC),
        datetime.datetime(
            1, 1, 1, 0, 0, 0, 1, tzinfo=datetime.timezone(-datetime.timedelta(hours=5))
        ),
    ],
)
def test_datetimes_round_trip_the_dotnet_way(user: Generated, value: datetime.datetime) -> None:
    values = user.module("_xml_values")
    text = values.format_datetime(value)
    assert values.read_datetime(etree.fromstring(f"<d>{text}</d>")) == value
    assert "+00:00" not in text and not text.endswith("0Z")


def test_dotnet_datetime_forms_are_read(user: Generated) -> None:
    values = user.module("_xml_values")
    element = etree.fromstring("<d>2021-11-30T13:23:06.1234567+01:00</d>")
    value = values.read_datetime(element)
    assert value.microsecond == 123456 and value.utcoffset() == datetime.timedelta(hours=1)
    assert values.format_datetime(datetime.datetime(2021, 1, 2, 3, 4, 5)) == "2021-01-02T03:04:05"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("PT0S", datetime.timedelta(0)),
        ("P1DT2H3M4.5S", datetime.timedelta(days=1, hours=2, minutes=3, seconds=4.5)),
        ("-PT1H", -datetime.timedelta(hours=1)),
        ("PT0.0000001S", datetime.timedelta(0)),
        ("P10675199DT2H48M5.477580S", datetime.timedelta(days=10675199, seconds=10085.47758)),
    ],
)
def test_durations(user: Generated, text: str, value: datetime.timedelta) -> None:
    values = user.module("_xml_values")
    assert values.read_duration(etree.fromstring(f"<d>{text}</d>")) == value
    again = values.format_duration(value)
    assert values.read_duration(etree.fromstring(f"<d>{again}</d>")) == value


def test_doubles_use_the_xml_schema_forms(user: Generated) -> None:
    values = user.module("_xml_values")
    assert [values.format_float(v) for v in (1.5, float("inf"), -float("inf"))] == [
        "1.5",
        "INF",
        "-INF",
    ]
    assert values.format_float(float("nan")) == "NaN"


# --- Samples ---------------------------------------------------------------------------


def test_every_sample_envelope_is_valid(user: Generated, user_schema: etree.XMLSchema) -> None:
    samples = [p for p in user.files if p.suffix == ".xml"]
    assert len(samples) == 158
    errors = []
    for path in samples:
        root = etree.fromstring(user.files[path].encode())
        assert root.tag == f"{{{SOAP11}}}Envelope", path
        assert [etree.QName(part).localname for part in root] == ["Header", "Body"], path
        errors += [f"{path.name}: {e}" for e in _invalid_parts(user_schema, etree.tostring(root))]
    assert not errors, "\n".join(errors[:20])


def test_response_samples_carry_the_response_headers(user: Generated) -> None:
    text = user.files[PurePosixPath("so86user/user/samples/soap/GetUser.response.xml")]
    assert '<tns:ExceptionInfo xsi:nil="true"/>' in text
    assert "<tns:Succeeded>true</tns:Succeeded>" in text


def test_sample_values_come_from_the_doc_sample(
    corpus: Path, user_wsdl: Agent, tmp_path: Path, user_schema: etree.XMLSchema
) -> None:
    page_path = corpus / "soap/Services86/User/CreateExternalUser.md"
    page, _ = read_soap_page(str(page_path), page_path.read_text(encoding="utf-8"))
    assert page is not None and page.request is not None
    op = user_wsdl.operation("CreateExternalUser")
    assert op.soap is not None
    with_sample = dataclasses.replace(
        op,
        soap=dataclasses.replace(
            op.soap, request_sample=page.request, response_sample=page.response
        ),
    )
    agent = dataclasses.replace(user_wsdl, operations=(with_sample,))
    files = render_sources([agent], "withsample")
    request = files[PurePosixPath("withsample/user/samples/soap/CreateExternalUser.request.xml")]
    assert "<tns:ApplicationToken>1234567-1234-9876</tns:ApplicationToken>" in request
    assert "<tns:Ticket>7T:1234abcxyzExample==</tns:Ticket>" in request
    assert "<tns:IsActive>false</tns:IsActive>" in request
    assert "<tns:TimeZone>" in request
    assert not _invalid_parts(user_schema, request.encode())


def _canonical(element: etree._Element) -> bytes:
    """Exclusive C14N without nil elements or whitespace between elements.

    A nil element is dropped on both sides: None in an optional slot is omitted when sent.
    """
    copy = etree.fromstring(etree.tostring(element))
    for nil in copy.xpath("//*[@xsi:nil='true']", namespaces={"xsi": XSI}):
        nil.getparent().remove(nil)
    for node in copy.iter():
        if len(node):
            node.text = None
        node.tail = None
    return etree.tostring(copy, method="c14n", exclusive=True)


def _evaluator(user: Generated) -> dict[str, Any]:
    """The names generated expressions use: the models and the runtime's, aliased."""
    runtime = {k: v for r in runtimes.SOAP for k, v in vars(user.module(r.module)).items()}
    aliased = {f"_{name}": value for name, value in runtime.items()}
    return {**runtime, **aliased, **vars(user.module("user.models"))}


def test_request_samples_read_back_into_arguments_that_rebuild_them(
    user: Generated, user_wsdl: Agent
) -> None:
    """Sample body -> keyword arguments (generated readers) -> client -> the same body."""
    names = _evaluator(user)
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500, content=b"<x/>")

    client = httpx.Client(base_url="https://host/", transport=httpx.MockTransport(handler))
    agent = user.module("user").UserAgent(client, ticket="t")
    for op in build_view(user_wsdl, assign_names(user_wsdl)).operations:
        sample = user.files[PurePosixPath(f"so86user/user/samples/soap/{op.wire_name}.request.xml")]
        body = etree.fromstring(sample.encode())[-1][0]
        arguments = {
            p.python_name: eval(p.read("element"), names, {"element": element})
            for p in op.parameters
            for element in body
            if element.tag == p.tag
        }
        with pytest.raises(user.module("_runtime").MalformedResponse):
            getattr(agent, op.python_name)(**arguments)
        request = etree.fromstring(sent[-1].content)[-1][0]
        assert _canonical(request) == _canonical(body), op.wire_name


def test_response_samples_lose_no_element(user: Generated, user_wsdl: Agent) -> None:
    """Sample response -> the method's value -> written again -> the same elements."""
    names = _evaluator(user)
    runtime = user.module("_runtime")
    for op in build_view(user_wsdl, assign_names(user_wsdl)).operations:
        if op.result is None:
            continue
        path = PurePosixPath(f"so86user/user/samples/soap/{op.wire_name}.response.xml")
        data = user.files[path].encode()
        reader = getattr(user.module("user.soap"), op.result_reader)
        value = runtime.read_result(200, data, op.response_tag, reader)
        out: list[str] = []
        exec("\n".join(op.result.write("value")), names, {"out": out, "value": value})  # noqa: S102
        wrapper = etree.fromstring(data)[-1][0]
        written = etree.fromstring(wrap(user.module("user.models"), wrapper.tag.split("}")[1], out))
        assert _canonical(written) == _canonical(wrapper), op.wire_name


# --- Over HTTP -----------------------------------------------------------------------------

_CREATE_EXTERNAL_USER_RESPONSE = f"""<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="{SOAP11}">
  <s:Header>
    <ExceptionInfo xmlns="{SUPEROFFICE}" xmlns:i="{XSI}" i:nil="true"/>
    <Succeeded xmlns="{SUPEROFFICE}">true</Succeeded>
  </s:Header>
  <s:Body>
    <CreateExternalUserResponse xmlns="{SUPEROFFICE}">
      <Response>4711</Response>
    </CreateExternalUserResponse>
  </s:Body>
</s:Envelope>""".encode()


class _Server(ThreadingHTTPServer):
    requests: list[tuple[str, dict[str, str], bytes]]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(_CREATE_EXTERNAL_USER_RESPONSE)))
        self.end_headers()
        self.wfile.write(_CREATE_EXTERNAL_USER_RESPONSE)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the requests, not a log."""


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_loopback_sync_and_async(user: Generated, server: _Server) -> None:
    user_package = user.module("user")
    base_url = f"http://127.0.0.1:{server.server_address[1]}/Cust1/"
    arguments = {
        "person_id": 12,
        "user_name": "jo",
        "password": "pw",
        "role_id": 3,
        "is_active": True,
    }
    with httpx.Client(verify=TLS, base_url=base_url, trust_env=False) as client:
        agent = user_package.UserAgent(client, ticket="7T:abc", application_token="app")
        assert agent.create_external_user(**arguments) == 4711

    async def call() -> Any:
        async with httpx.AsyncClient(verify=TLS, base_url=base_url, trust_env=False) as client:
            agent = user_package.AsyncUserAgent(client, ticket="7T:abc")
            return await agent.create_external_user(**arguments)

    assert asyncio.run(call()) == 4711
    assert len(server.requests) == 2
    for path, headers, body in server.requests:
        assert path == "/Cust1/Remote/Services86/User.svc"
        assert headers["SOAPAction"] == f'"{SUPEROFFICE}/User/CreateExternalUser"'
        assert headers["Content-Type"] == "text/xml; charset=utf-8"
        envelope = etree.fromstring(body)
        assert envelope.tag == f"{{{SOAP11}}}Envelope"
        header, request = envelope
        assert [etree.QName(e).localname for e in header][-1] == "Credentials"
        assert [etree.QName(e).localname for e in request[0]] == [
            "PersonId",
            "UserName",
            "Password",
            "RoleId",
            "IsActive",
        ]
    assert b"<tns:ApplicationToken>app</tns:ApplicationToken>" in server.requests[0][2]
    assert b"ApplicationToken" not in server.requests[1][2]


def _mock_agent(user: Generated, reply: httpx.Response, **options: Any) -> tuple[Any, list[Any]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return reply

    client = httpx.Client(base_url="https://host/Cust1/", transport=httpx.MockTransport(handler))
    return user.module("user").UserAgent(client, **options), seen


def test_requests_validate_and_nil_is_declared(
    user: Generated, user_schema: etree.XMLSchema
) -> None:
    models = user.module("user.models")
    agent, seen = _mock_agent(user, httpx.Response(200, content=_CREATE_EXTERNAL_USER_RESPONSE))
    with pytest.raises(user.module("_runtime").MalformedResponse):
        agent.save_user(
            user=models.User(
                other_groups=[models.UserGroup(id_=1)],
                field_properties={"x": None},
                lastlogin=datetime.datetime(2024, 1, 2, 3, 4, 5),
            )
        )
    body = seen[0].content
    assert b'xsi:nil="true"' in body
    assert not _invalid_parts(user_schema, body)


def test_soap12_option(user: Generated) -> None:
    agent, seen = _mock_agent(
        user, httpx.Response(200, content=_CREATE_EXTERNAL_USER_RESPONSE), soap_version="1.2"
    )
    assert agent.create_external_user(person_id=1) == 4711
    content_type = seen[0].headers["Content-Type"]
    assert content_type.startswith("application/soap+xml; charset=utf-8; action=")
    assert f'action="{SUPEROFFICE}/User/CreateExternalUser"' in content_type
    assert "SOAPAction" not in seen[0].headers
    assert etree.fromstring(seen[0].content).tag == f"{{{SOAP12}}}Envelope"


def test_a_nil_response_is_none_and_an_empty_one_an_empty_object(user: Generated) -> None:
    models = user.module("user.models")
    for response, expected in (
        (f'<Response xmlns:i="{XSI}" i:nil="true"/>', None),
        ("<Response/>", models.User()),
        ("", None),
    ):
        reply = _CREATE_EXTERNAL_USER_RESPONSE.replace(b"CreateExternalUser", b"GetUser")
        reply = reply.replace(b"<Response>4711</Response>", response.encode())
        agent, _ = _mock_agent(user, httpx.Response(200, content=reply))
        assert agent.get_user(user_id=1) == expected


def test_soap12_responses_are_read(user: Generated) -> None:
    reply = _CREATE_EXTERNAL_USER_RESPONSE.replace(SOAP11.encode(), SOAP12.encode())
    agent, _ = _mock_agent(user, httpx.Response(200, content=reply))
    assert agent.create_external_user() == 4711


_FAULT11 = f"""<s:Envelope xmlns:s="{SOAP11}"><s:Body><s:Fault>
<faultcode>s:Server</faultcode><faultstring>Ticket expired</faultstring>
<detail><SoExceptionInfo xmlns="{SUPEROFFICE}">
<Message>Ticket expired</Message><StackTrace>at X</StackTrace>
<FriendlyText>Please log in again</FriendlyText><ExceptionType>SoSecurityException</ExceptionType>
<Source>NetServer</Source>
<InnerException><Message>inner</Message><ExceptionType>Inner</ExceptionType></InnerException>
<Parameters><SoExceptionInfoParametersKeyValuePair><Key>who</Key><Value>jo</Value>
</SoExceptionInfoParametersKeyValuePair></Parameters>
</SoExceptionInfo></detail></s:Fault></s:Body></s:Envelope>"""

_FAULT12 = f"""<e:Envelope xmlns:e="{SOAP12}"><e:Body><e:Fault>
<e:Code><e:Value>e:Receiver</e:Value></e:Code>
<e:Reason><e:Text xml:lang="en">Something broke</e:Text></e:Reason>
</e:Fault></e:Body></e:Envelope>"""

_REFUSED = f"""<s:Envelope xmlns:s="{SOAP11}"><s:Header>
<ExceptionInfo xmlns="{SUPEROFFICE}"><Message>No such person</Message>
<ExceptionType>ArgumentException</ExceptionType></ExceptionInfo>
<Succeeded xmlns="{SUPEROFFICE}">false</Succeeded>
</s:Header><s:Body><CreateExternalUserResponse xmlns="{SUPEROFFICE}"/></s:Body></s:Envelope>"""

_NOT_SUCCEEDED = _REFUSED.replace(
    "<Message>No such person</Message>\n<ExceptionType>ArgumentException</ExceptionType>", ""
).replace("<ExceptionInfo", '<ExceptionInfo xmlns:i="' + XSI + '" i:nil="true"')


def test_a_soap11_fault_raises_soap_error_with_the_exception_info(user: Generated) -> None:
    agent, _ = _mock_agent(user, httpx.Response(500, content=_FAULT11.encode()))
    with pytest.raises(user.module("_runtime").SoapError) as raised:
        agent.create_external_user(person_id=1)
    error = raised.value
    assert str(error) == "Ticket expired"
    assert error.http_status == 500 and error.fault_code == "s:Server"
    assert error.exception_type == "SoSecurityException"
    assert error.friendly_text == "Please log in again"
    assert error.inner_exception.message == "inner"
    assert error.parameters == {"who": "jo"}
    assert "at X" not in repr(error)
    assert isinstance(error, user.module("_runtime").SoapError)
    assert user.module("user").SoapError is type(error)


def test_a_soap12_fault_raises_soap_error(user: Generated) -> None:
    agent, _ = _mock_agent(user, httpx.Response(500, content=_FAULT12.encode()))
    with pytest.raises(user.module("_runtime").SoapError, match="Something broke") as raised:
        agent.create_external_user()
    assert raised.value.fault_code == "e:Receiver"


@pytest.mark.parametrize(
    ("reply", "message"), [(_REFUSED, "No such person"), (_NOT_SUCCEEDED, "Succeeded=false")]
)
def test_exception_info_or_succeeded_false_raise(user: Generated, reply: str, message: str) -> None:
    agent, _ = _mock_agent(user, httpx.Response(200, content=reply.encode()))
    with pytest.raises(user.module("_runtime").SoapError, match=message) as raised:
        agent.create_external_user()
    assert type(raised.value) is user.module("_runtime").SoapError


_BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&lol2;</s:Body></s:Envelope>"""
_EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "http://127.0.0.1:9/evil">]>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&ext;</s:Body></s:Envelope>"""


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html>Bad gateway</html>",
        _CREATE_EXTERNAL_USER_RESPONSE[:-40],
        _CREATE_EXTERNAL_USER_RESPONSE.replace(b">4711<", b">many<"),
        _CREATE_EXTERNAL_USER_RESPONSE.replace(b"CreateExternalUserResponse", b"Other"),
        _BILLION_LAUGHS,
        _EXTERNAL,
    ],
    ids=["empty", "html", "truncated", "not-an-int", "wrong-wrapper", "entities", "external"],
)
def test_unreadable_responses_raise_malformed_response(user: Generated, content: bytes) -> None:
    agent, _ = _mock_agent(user, httpx.Response(200, content=content))
    with pytest.raises(user.module("_runtime").MalformedResponse) as raised:
        agent.create_external_user()
    assert raised.value.http_status == 200


def test_multi_part_responses_return_a_result_dataclass(corpus: Path, tmp_path: Path) -> None:
    page = corpus / "soap/Services86/Services86-SoPrincipal.md"
    agent, _ = read_wsdl_page(str(page), page.read_text(encoding="utf-8"))
    assert agent is not None
    multi = [op for op in agent.operations if op.soap and len(op.soap.output.fields) > 1]
    assert multi
    files = render_sources([agent], "principal")
    soap = files[PurePosixPath("principal/so_principal/soap.py")]
    for op in multi:
        assert f"-> {op.name}Result:" in soap
    models = files[PurePosixPath("principal/so_principal/models.py")]
    assert "class AuthenticateGenericResult:" in models
    assert "    authentication_succeeded: bool = False" in models


# --- Factories: corners the corpus does not reach ---------------------------------------


def test_output_is_byte_identical_across_hash_seeds(corpus: Path) -> None:
    script = (
        "import hashlib, sys; from pathlib import Path\n"
        "from codegen.emit import render_sources\n"
        "from codegen.sources.wsdl import read_wsdl_page\n"
        "page = Path(sys.argv[1])\n"
        "agent, _ = read_wsdl_page(str(page), page.read_text(encoding='utf-8'))\n"
        "files = render_sources([agent], 'pkg')\n"
        "digest = hashlib.sha256()\n"
        "for path, text in sorted(files.items()):\n"
        "    digest.update(str(path).encode() + b'\\0' + text.encode() + b'\\0')\n"
        "print(digest.hexdigest())\n"
    )
    page = corpus / USER_PAGE
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script, str(page)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1
