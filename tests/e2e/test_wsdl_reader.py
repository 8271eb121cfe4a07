"""The WSDL reader on the real Services84-87 WSDLs (small hand-written ones are in
``tests/unit/test_wsdl_reader_small.py``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from build_support import Services86, generated_version, pages_as_built, read_afresh
from conftest import ROOT
from lxml import etree

from codegen.ir import (
    ARRAYS,
    SERIALIZATION,
    UNBOUNDED,
    XSD,
    Agent,
    ArrayType,
    ComplexType,
    Diagnostic,
    DictionaryType,
    EnumType,
    Level,
    Primitive,
    QName,
    TypeDef,
)
from codegen.load import cycle_collector_paused, wsdl_page_reader
from codegen.sources.wsdl import WSDL, looks_like_wsdl, read_wsdl

NS86 = "http://www.superoffice.net/ws/crm/NetServer/Services86"
VERSIONS = (84, 85, 86, 87)
OPERATION_TOTALS = {84: 1355, 85: 1385, 86: 1461, 87: 1513}
pytestmark = pytest.mark.build(*VERSIONS)
"""The wrapper pages come from the builds of every version."""


def _errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.ERROR]


@pytest.fixture(scope="module")
def wrapper_pages(
    corpus: Path, services86: Services86, tmp_path_factory: pytest.TempPathFactory
) -> dict[int, dict[str, tuple[Agent, list[Diagnostic]]]]:
    """Every ``ServicesNN-<Agent>.md`` page of the corpus, as the run's ``generate --agent
    all`` of each version read them (the reader the loader uses, on the same text): they
    read every one."""
    outs = [generated_version(corpus, ROOT, v, tmp_path_factory) for v in VERSIONS if v != 86]
    read = pages_as_built([services86.out, *outs])
    pages: dict[int, dict[str, tuple[Agent, list[Diagnostic]]]] = {}
    with cycle_collector_paused():
        for version in VERSIONS:
            folder = corpus / "soap" / f"Services{version}"
            prefix = f"Services{version}-"
            pages[version] = {}
            for path in sorted(folder.glob(f"{prefix}*.md")):
                text = path.read_text(encoding="utf-8-sig")
                agent, diagnostics = read(wsdl_page_reader, str(path), text)
                assert agent is not None, diagnostics
                pages[version][path.stem[len(prefix) :]] = agent, diagnostics
    assert read_afresh(read) == [], "pages no build read"
    return pages


@pytest.fixture(scope="module")
def user(wrapper_pages: dict[int, dict[str, tuple[Agent, list[Diagnostic]]]]) -> Agent:
    return wrapper_pages[86]["User"][0]


@pytest.fixture(scope="module")
def appointment(
    wrapper_pages: dict[int, dict[str, tuple[Agent, list[Diagnostic]]]],
) -> Agent:
    return wrapper_pages[86]["Appointment"][0]


def _type(agent: Agent, name: str, namespace: str = NS86) -> TypeDef:
    return agent.type_map()[QName(namespace, name)]


# --- Services86 User, read from its wrapper page ------------------------------------------


def test_user_agent_names_its_service(user: Agent) -> None:
    assert user.name == "User"
    assert user.version == 86
    assert user.namespace == NS86
    assert user.service_path == "Remote/Services86/User.svc"
    assert user.doc == "Declaration of Wcf web services for User"


def test_user_operations_are_all_there_and_sorted(user: Agent) -> None:
    names = [op.name for op in user.operations]
    assert len(names) == 79
    assert names == sorted(names)
    assert user.operation("CreateDefaultServiceAuth").doc.startswith("Loading default values")


def test_create_external_user_parameters_in_schema_order(user: Agent) -> None:
    soap = user.operation("CreateExternalUser").soap
    assert soap is not None
    assert soap.action == f"{NS86}/User/CreateExternalUser"
    assert soap.input.element == QName(NS86, "CreateExternalUser")
    fields = soap.input.fields
    assert [f.wire_name for f in fields] == [
        "PersonId",
        "UserName",
        "Password",
        "RoleId",
        "IsActive",
    ]
    assert [f.type for f in fields] == [
        QName(XSD, "int"),
        QName(XSD, "string"),
        QName(XSD, "string"),
        QName(XSD, "int"),
        QName(XSD, "boolean"),
    ]
    assert all(f.namespace == NS86 and f.optional for f in fields)
    assert [f.nillable for f in fields] == [False, True, True, False, False]
    assert soap.output.element == QName(NS86, "CreateExternalUserResponse")
    assert [(f.wire_name, f.type) for f in soap.output.fields] == [("Response", QName(XSD, "int"))]


def test_headers_come_from_the_binding_in_order(user: Agent) -> None:
    soap = user.operation("CreateExternalUser").soap
    assert soap is not None
    assert [(h.wire_name, h.type) for h in soap.input.headers] == [
        ("ApplicationToken", QName(XSD, "string")),
        ("Credentials", QName(NS86, "SoCredentials")),
        ("TimeZone", QName(NS86, "SoTimeZone")),
    ]
    assert [(h.wire_name, h.nillable) for h in soap.output.headers] == [
        ("ExceptionInfo", True),
        ("ExtraInfo", True),
        ("Succeeded", False),
        ("TimeZone", True),
    ]
    assert all(h.namespace == NS86 and not h.optional for h in soap.output.headers)


def test_get_user_returns_a_user_derived_from_carrier(user: Agent) -> None:
    soap = user.operation("GetUser").soap
    assert soap is not None
    assert [f.type for f in soap.output.fields] == [QName(NS86, "User")]
    user_type = _type(user, "User")
    assert isinstance(user_type, ComplexType)
    assert user_type.base == QName(NS86, "Carrier")
    assert "OtherGroups" in [f.wire_name for f in user_type.fields]
    carrier = _type(user, "Carrier")
    assert isinstance(carrier, ComplexType)
    assert [f.wire_name for f in carrier.fields] == ["TableRight", "FieldProperties"]


def test_flag_enums_are_lists_of_enumerations(user: Agent) -> None:
    for name in ("ETableRight", "EFieldRight", "ExternalUserInfoModification"):
        flags = _type(user, name)
        assert isinstance(flags, EnumType) and flags.flags, name
    table_right = _type(user, "ETableRight")
    assert isinstance(table_right, EnumType)
    assert [v.name for v in table_right.values] == [
        "Select",
        "Update",
        "Insert",
        "Delete",
        "Filtering",
        "RestrictedUpdate",
    ]
    role_type = _type(user, "RoleType")
    assert isinstance(role_type, EnumType) and not role_type.flags
    assert role_type.actual_type == "short"


def test_dictionary_holds_key_and_value(user: Agent) -> None:
    dictionary = _type(user, "FieldPropertyDictionary")
    assert isinstance(dictionary, DictionaryType)
    assert dictionary.entry_name == "FieldPropertyDictionaryKeyValuePair"
    assert (dictionary.key.wire_name, dictionary.key.type) == (
        "Key",
        QName(XSD, "string"),
    )
    assert (dictionary.value.wire_name, dictionary.value.type) == (
        "Value",
        QName(NS86, "FieldProperty"),
    )


def test_arrays_in_both_namespaces(user: Agent) -> None:
    strings = _type(user, "ArrayOfstring", ARRAYS)
    assert isinstance(strings, ArrayType)
    assert strings.item.wire_name == "string"
    assert strings.item.namespace == ARRAYS
    assert strings.item.type == QName(XSD, "string")
    assert strings.item.max_occurs == UNBOUNDED
    groups = _type(user, "ArrayOfUserGroup")
    assert isinstance(groups, ArrayType)
    assert groups.item.type == QName(NS86, "UserGroup")


def test_recursive_type_refers_to_itself(user: Agent) -> None:
    info = _type(user, "SoExceptionInfo")
    assert isinstance(info, ComplexType)
    inner = {f.wire_name: f.type for f in info.fields}["InnerException"]
    assert inner == info.name


def test_builtins_are_primitives(user: Agent) -> None:
    assert _type(user, "int", XSD) == Primitive(QName(XSD, "int"), xsd="int")


def test_enumeration_values_and_actual_type(appointment: Agent) -> None:
    address = _type(appointment, "AddressType")
    assert isinstance(address, EnumType)
    assert address.actual_type == "short"
    assert [(v.name, v.value) for v in address.values][2:] == [
        ("ContactStreetAddress", None),
        ("PersonPrivateAddress", 16387),
        ("QuoteBillingAddress", 8196),
        ("QuoteShippingAddress", 8197),
    ]
    pattern = _type(appointment, "RecurrenceMonthlyPattern")
    assert isinstance(pattern, EnumType) and pattern.actual_type == "int"
    duration = _type(appointment, "duration", SERIALIZATION)
    assert duration == Primitive(QName(SERIALIZATION, "duration"), xsd="duration")


# --- The whole corpus -----------------------------------------------------------------------


def _referenced(agent: Agent) -> Iterator[QName]:
    for operation in agent.operations:
        assert operation.soap is not None
        for message in (operation.soap.input, operation.soap.output):
            yield from (f.type for f in message.fields + message.headers)
    for definition in agent.types:
        if isinstance(definition, ComplexType):
            yield from (f.type for f in definition.fields)
            yield from [definition.base] if definition.base else []
        elif isinstance(definition, ArrayType):
            yield definition.item.type
        elif isinstance(definition, DictionaryType):
            yield from (definition.key.type, definition.value.type)


def test_every_referenced_type_is_defined(
    wrapper_pages: dict[int, dict[str, tuple[Agent, list[Diagnostic]]]],
) -> None:
    for agents in wrapper_pages.values():
        for agent, _ in agents.values():
            missing = set(_referenced(agent)) - set(agent.type_map())
            assert not missing, (agent.name, agent.version, missing)
            assert [t.name for t in agent.types] == sorted(agent.type_map())


@pytest.mark.parametrize("version", VERSIONS)
def test_operation_totals_and_no_errors(
    wrapper_pages: dict[int, dict[str, tuple[Agent, list[Diagnostic]]]], version: int
) -> None:
    agents = wrapper_pages[version]
    assert sum(len(agent.operations) for agent, _ in agents.values()) == OPERATION_TOTALS[version]
    assert [d for _, found in agents.values() for d in _errors(found)] == []
    assert {agent.version for agent, _ in agents.values()} == {version}


def test_raw_wsdls_equal_their_wrapper_pages(
    corpus: Path,
    raw_wsdls: Path,
    wrapper_pages: dict[int, dict[str, tuple[Agent, list[Diagnostic]]]],
) -> None:
    raw_files = sorted(raw_wsdls.glob("WSDL-Services*-*.xml"))
    assert len(raw_files) == sum(len(agents) for agents in wrapper_pages.values())
    reordered = 0
    for path in raw_files:
        _, services, name = path.stem.split("-", 2)
        data = path.read_bytes()
        assert looks_like_wsdl(data), path
        agent, diagnostics = read_wsdl(str(path), data)
        assert _errors(diagnostics) == [], path
        version = int(services.removeprefix("Services"))
        assert agent == wrapper_pages[version][name][0], path
        page = corpus / "soap" / services / f"{services}-{name}.md"
        reordered += _operation_order(data) != _operation_order(page.read_bytes())
    assert reordered > 0, "every raw file orders operations like its page: order untested"


def _operation_order(document: bytes) -> list[bytes]:
    return re.findall(rb'<wsdl:operation name="(\w+)"', document)


def test_output_does_not_depend_on_input_order(raw_wsdls: Path, user: Agent) -> None:
    # Messages and operations only: lxml moves nodes by re-declaring prefixes, which would
    # break the QName values inside the schemas. Type order differs between the corpus'
    # raw files and pages anyway, so the equality test above covers it.
    root = etree.fromstring((raw_wsdls / "WSDL-Services86-User.xml").read_bytes())
    port_type = root.find(f"{{{WSDL}}}portType")
    for message in root.findall(f"{{{WSDL}}}message"):
        port_type.addprevious(message)
        port_type = message
    for parent in (root.find(f"{{{WSDL}}}portType"), root.find(f"{{{WSDL}}}binding")):
        for operation in reversed(parent.findall(f"{{{WSDL}}}operation")):
            parent.append(operation)
    agent, diagnostics = read_wsdl("reversed.xml", etree.tostring(root))
    assert _errors(diagnostics) == []
    assert agent == user


# --- Bad input ----------------------------------------------------------------------------


def test_looks_like_wsdl_tells_a_raw_wsdl_from_its_page(raw_wsdls: Path, corpus: Path) -> None:
    assert looks_like_wsdl((raw_wsdls / "WSDL-Services86-User.xml").read_bytes())
    page = corpus / "soap" / "Services86" / "Services86-User.md"
    assert not looks_like_wsdl(page.read_bytes())
