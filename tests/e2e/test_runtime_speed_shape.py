"""The fast shape of the generated SOAP code, and what it must not cost in correctness.

Readers take an element's children in one pass in schema order and in further passes
whatever came out of order; values are read in place (no setter per field, no reflection);
enum and flag texts are one dict lookup. These tests read the Services86 User package's
XML shuffled, padded with unknown elements and repeated, and check that the offline
``requests`` / ``responses`` are exactly what the client sends and reads.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from lxml import etree

from codegen.emit import render_sources, write_output
from codegen.ir import Agent
from codegen.load import load
from codegen.settings import Settings

PACKAGE = "fastshape"
TNS = "http://www.superoffice.net/ws/crm/NetServer/Services86"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@pytest.fixture(scope="module")
def user_agent(corpus: Path) -> Agent:
    (agent,) = load(Settings(docs=corpus, version=86, agents=("User",), rest=False)).agents
    return agent


@pytest.fixture(scope="module")
def package(user_agent: Agent, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("fastshape")
    write_output(render_sources([user_agent], PACKAGE), out)
    sys.path.insert(0, str(out))
    yield out / PACKAGE
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def models(package: Path) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.user.models")


@pytest.fixture(scope="module")
def soap(package: Path) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.user.soap")


def _element(xml: str) -> Any:
    return etree.fromstring(f'<a:X xmlns:a="{TNS}" xmlns:tns="{TNS}" xmlns:i="{XSI}">{xml}</a:X>')


def _response(operation: str, part: str) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP11}" xmlns:a="{TNS}" xmlns:i="{XSI}"><s:Body>'
        f"<a:{operation}Response>{part}</a:{operation}Response></s:Body></s:Envelope>"
    ).encode()


ROLE = "<a:Id>7</a:Id><a:Value>Sales</a:Value><a:Tooltip>Sells</a:Tooltip>"


def test_children_out_of_schema_order_read_as_in_order(models: ModuleType) -> None:
    in_order = models.read_role(_element(ROLE))
    shuffled = "<a:Tooltip>Sells</a:Tooltip><a:Id>7</a:Id><a:Value>Sales</a:Value>"
    assert models.read_role(_element(shuffled)) == in_order
    assert in_order == models.Role(id_=7, value="Sales", tooltip="Sells")


def test_unknown_children_are_skipped_and_the_rest_still_read(models: ModuleType) -> None:
    padded = (
        "<a:Newer>1</a:Newer><a:Id>7</a:Id><a:FromTheFuture><a:Id>9</a:Id></a:FromTheFuture>"
        '<Value xmlns="urn:other">x</Value><a:Value>Sales</a:Value><!-- c -->'
        "<a:Tooltip>Sells</a:Tooltip><a:Last/>"
    )
    assert models.read_role(_element(padded)) == models.read_role(_element(ROLE))


def test_a_repeated_element_keeps_the_last_value(models: ModuleType) -> None:
    twice = "<a:Id>1</a:Id><a:Value>a</a:Value><a:Id>2</a:Id>"
    assert models.read_role(_element(twice)) == models.Role(id_=2, value="a")


def test_an_element_with_no_children_reads_as_a_new_object(models: ModuleType) -> None:
    assert models.read_role(_element("")) == models.Role()


def test_nil_empty_and_present_values(models: ModuleType) -> None:
    role = models.read_role(_element('<a:Id i:nil="true"/><a:Value/><a:Tooltip i:nil="true"/>'))
    # A value type is never None: a nil int reads as .NET's default, as if left out.
    assert role == models.Role(id_=0, value="", tooltip=None)
    user = models.read_user(_element('<a:Role i:nil="true"/><a:UserGroup/>'))
    assert user.role is None and user.user_group == models.UserGroup()


def test_array_items_keep_their_order_and_leave_out_nil_items(models: ModuleType) -> None:
    """No documented sample shows a nil ``UserGroup`` item: the list is ``list[UserGroup]``,
    and a nil item is left out, with a ``SoapWarning`` that says so."""
    answer = _element(
        "<a:UserGroup><a:Id>1</a:Id></a:UserGroup><a:Other/>"
        '<a:UserGroup i:nil="true"/><a:UserGroup><a:Id>3</a:Id></a:UserGroup>'
    )
    warning = importlib.import_module(f"{PACKAGE}.user").SoapWarning
    with pytest.warns(warning, match="^a nil UserGroup item left out of the list$"):
        groups = models.read_array_of_user_group(answer)
    assert groups == [models.UserGroup(id_=1), models.UserGroup(id_=3)]


def test_enum_text_padded_with_white_space_is_read(models: ModuleType) -> None:
    user = models.read_user(_element("<a:Type> InternalAssociate\n</a:Type>"))
    assert user.type_ is models.UserType.INTERNAL_ASSOCIATE


def test_flag_texts_are_worked_out_once_and_never_unbounded(
    models: ModuleType, package: Path
) -> None:
    values = importlib.import_module(f"{PACKAGE}._xml_values")
    table = models.ETableRight

    def read(text: str) -> Any:
        return models.read_table_right(_element(f"<a:Mask>{text}</a:Mask>")).mask

    assert read("Select Update") == table.SELECT | table.UPDATE
    assert read("Select UndefinedValue256") == table.SELECT | 256
    assert read("") == table(0)
    assert read("Select FULL") == table.SELECT | table("FULL")
    with pytest.raises(values.MalformedResponse, match="1x"):
        read("Select 1x")
    reader = values.FlagReader(table, {"Select": table.SELECT})
    for bit in range(4000):
        assert reader[f"Select UndefinedValue{1 << (bit % 60 + 8)} " + " " * bit] & table.SELECT
    assert len(reader) <= 1024


def test_escaping_keeps_every_character(models: ModuleType) -> None:
    text = "Smith & Sons <AS> \"quoted\" 'single' \r\n tab\t ]]> ü €"
    out: list[str] = []
    models.write_role(out, models.Role(value=text))
    assert models.read_role(_element("".join(out))).value == text


def test_an_offline_request_is_what_the_client_posts(models: ModuleType, soap: ModuleType) -> None:
    posted: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        posted.append(request.content)
        return httpx.Response(
            200, content=_response("SaveUser", f"<a:Response>{ROLE}</a:Response>")
        )

    user = models.User(
        associate_id=12,
        role=models.Role(id_=3, value="Admin & co"),
        other_groups=[models.UserGroup(id_=1)],
        type_=models.UserType.EXTERNAL_ASSOCIATE,
    )
    options: dict[str, Any] = {"ticket": "7T:abc", "application_token": "tok"}
    with httpx.Client(base_url="https://host/", transport=httpx.MockTransport(handler)) as http:
        client = soap.UserAgent(http, **options)
        returned = client.save_user(user=user)
    assert posted == [client.requests.save_user(user=user)]
    assert returned == models.User(tooltip="Sells")


def test_an_offline_response_reads_what_an_offline_request_wrote(
    models: ModuleType, soap: ModuleType
) -> None:
    user = models.User(
        associate_id=5,
        name="",
        person=models.Person(firstname="Ann", retired=0),
        credentials=[models.Credential(value="x", type_=models.CredentialType(type_="pw"))],
        field_properties={"a": models.FieldProperty(field_length=3), "b": None},
    )
    client = soap.UserAgent(httpx.Client(base_url="https://host/"))
    request = etree.fromstring(client.requests.save_user(user=user))
    written = request.find(f".//{{{TNS}}}User")
    written.tag = f"{{{TNS}}}Response"
    response = _response("GetUser", etree.tostring(written).decode())
    assert client.responses.get_user(response) == user


def test_readers_dispatch_on_tag_constants_without_reflection(package: Path) -> None:
    source = (package / "user" / "models.py").read_text(encoding="utf-8")
    for generic in ("setattr(", "getattr(", "__dataclass_fields__", "_NS_TNS + "):
        assert generic not in source.split("\n_T_", 1)[1].split("\ndef ", 1)[1]
    assert "_T_ASSOCIATE_ID = _NS_TNS + " in source
    assert "if tag == _T_ASSOCIATE_ID:" in source
