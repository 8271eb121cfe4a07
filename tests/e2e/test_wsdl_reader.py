"""The WSDL reader: the real Services84-87 WSDLs, and small hand-written ones for edge cases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
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
from codegen.sources.wsdl import WSDL, looks_like_wsdl, read_wsdl, read_wsdl_page

NS86 = "http://www.superoffice.net/ws/crm/NetServer/Services86"
VERSIONS = (84, 85, 86, 87)
OPERATION_TOTALS = {84: 1355, 85: 1385, 86: 1461, 87: 1513}


def _errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.ERROR]


def _read_page(path: Path) -> tuple[Agent, list[Diagnostic]]:
    agent, diagnostics = read_wsdl_page(str(path), path.read_text(encoding="utf-8-sig"))
    assert agent is not None, diagnostics
    return agent, diagnostics


@pytest.fixture(scope="module")
def wrapper_pages(corpus: Path) -> dict[int, dict[str, tuple[Agent, list[Diagnostic]]]]:
    """Every ``ServicesNN-<Agent>.md`` page of the corpus, read once for the module."""
    pages: dict[int, dict[str, tuple[Agent, list[Diagnostic]]]] = {}
    for version in VERSIONS:
        folder = corpus / "soap" / f"Services{version}"
        prefix = f"Services{version}-"
        pages[version] = {
            path.stem[len(prefix) :]: _read_page(path)
            for path in sorted(folder.glob(f"{prefix}*.md"))
        }
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

SMALL_WSDL = """\
<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions targetNamespace="urn:s/Services90"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:s/Services90"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="urn:s/Services90"
        xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:element name="Ping">
        <xs:complexType>
          <xs:sequence>
            <xs:element minOccurs="0" name="Id" type="q1:guid"
                xmlns:q1="http://schemas.microsoft.com/2003/10/Serialization/" />
            <xs:element name="Rights" type="tns:Rights" />
            <xs:element name="Thing" nillable="true" type="tns:Derived" />
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="PingResponse">
        <xs:complexType>
          <xs:sequence>
            <xs:element name="Response" type="tns:Missing" />
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="Token" type="xs:string" />
      <xs:simpleType name="Right">
        <xs:restriction base="xs:string">
          <xs:enumeration value="Read" />
          <xs:enumeration value="Write" />
        </xs:restriction>
      </xs:simpleType>
      <xs:simpleType name="Rights">
        <xs:list itemType="tns:Right" />
      </xs:simpleType>
      <xs:complexType name="Base" abstract="true">
        <xs:sequence>
          <xs:element minOccurs="0" maxOccurs="3" name="Letter" type="q2:char"
              xmlns:q2="http://schemas.microsoft.com/2003/10/Serialization/" />
        </xs:sequence>
      </xs:complexType>
      <xs:complexType name="Derived">
        <xs:complexContent mixed="false">
          <xs:extension base="tns:Base">
            <xs:sequence>
              <xs:element name="Children" type="tns:ArrayOfDerived" />
            </xs:sequence>
          </xs:extension>
        </xs:complexContent>
      </xs:complexType>
      <xs:complexType name="ArrayOfDerived">
        <xs:sequence>
          <xs:element maxOccurs="unbounded" name="Item" type="tns:Derived" />
        </xs:sequence>
      </xs:complexType>
    </xs:schema>
    <xs:schema targetNamespace="http://schemas.microsoft.com/2003/10/Serialization/"
        xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:simpleType name="char"><xs:restriction base="xs:int" /></xs:simpleType>
      <xs:simpleType name="guid"><xs:restriction base="xs:string" /></xs:simpleType>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="PingRequest"><wsdl:part name="parameters" element="tns:Ping" />
  </wsdl:message>
  <wsdl:message name="PingResponse"><wsdl:part name="parameters" element="tns:PingResponse" />
  </wsdl:message>
  <wsdl:message name="PingHeaders"><wsdl:part name="Token" element="tns:Token" />
  </wsdl:message>
  <wsdl:portType name="Small">
    <wsdl:operation name="Ping">
      <wsdl:input message="tns:PingRequest" />
      <wsdl:output message="tns:PingResponse" />
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding_Small" type="tns:Small">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    <wsdl:operation name="Ping">
      <soap:operation soapAction="urn:ping" style="document" />
      <wsdl:input>
        <soap:header message="tns:PingHeaders" part="Token" use="literal" />
        <soap:body use="literal" />
      </wsdl:input>
      <wsdl:output><soap:body use="literal" /></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="SmallService">
    <wsdl:port name="Binding_Small" binding="tns:Binding_Small">
      <soap:address location="https://example.com/Root/Remote/Services90/Small.svc" />
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"""


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_small_wsdl_reads_every_construct() -> None:
    agent, diagnostics = read_wsdl("small.xml", SMALL_WSDL.encode())
    assert agent is not None
    assert (agent.name, agent.version, agent.service_path) == (
        "Small",
        90,
        "Remote/Services90/Small.svc",
    )
    types = agent.type_map()
    ns = "urn:s/Services90"
    assert types[QName(SERIALIZATION, "guid")] == Primitive(QName(SERIALIZATION, "guid"), "string")
    assert types[QName(SERIALIZATION, "char")] == Primitive(QName(SERIALIZATION, "char"), "int")
    rights = types[QName(ns, "Rights")]
    assert isinstance(rights, EnumType) and rights.flags
    assert [v.name for v in rights.values] == ["Read", "Write"]
    base = types[QName(ns, "Base")]
    assert isinstance(base, ComplexType) and base.abstract
    assert base.fields[0].max_occurs == 3 and base.fields[0].repeated
    derived = types[QName(ns, "Derived")]
    assert isinstance(derived, ComplexType) and derived.base == base.name
    assert isinstance(types[QName(ns, "ArrayOfDerived")], ArrayType)
    soap = agent.operation("Ping").soap
    assert soap is not None and soap.action == "urn:ping"
    assert [h.wire_name for h in soap.input.headers] == ["Token"]
    assert soap.output.headers == ()
    # The response names a type nobody declares: one error, at the line that names it.
    assert diagnostics == [
        Diagnostic(
            "small.xml",
            _line_of(SMALL_WSDL, 'type="tns:Missing"'),
            Level.ERROR,
            "unknown type {urn:s/Services90}Missing",
        )
    ]


def test_malformed_xml_on_a_wrapper_page_points_at_the_page_line() -> None:
    broken = SMALL_WSDL.replace('type="xs:string" />', "type=xs:string />")
    page = f"---\ntitle: x\n---\n\n# Small WSDL\n\n```xml\n{broken}```\n"
    agent, diagnostics = read_wsdl_page("page.md", page)
    assert agent is None
    assert [(d.file, d.line, d.level) for d in diagnostics] == [
        ("page.md", _line_of(page, "type=xs:string"), Level.ERROR)
    ]
    # The message keeps the column but not lxml's line inside the fence, which would mislead.
    assert diagnostics[0].message.startswith("malformed XML: ")
    assert "column" in diagnostics[0].message and "line" not in diagnostics[0].message


def test_malformed_raw_xml_points_at_its_line() -> None:
    agent, diagnostics = read_wsdl("raw.xml", b"<?xml version='1.0'?>\n<a>\n<b>\n</a>\n")
    assert agent is None
    assert [(d.file, d.line, d.level) for d in diagnostics] == [("raw.xml", 4, Level.ERROR)]


@pytest.mark.parametrize(
    ("page", "line", "message"),
    [
        ("# No fence\n\nJust text.\n", 1, "no ```xml fence"),
        ("# Open\n\n```xml\n<a/>\n", 3, "never closed"),
    ],
)
def test_missing_or_unclosed_fence(page: str, line: int, message: str) -> None:
    agent, diagnostics = read_wsdl_page("page.md", page)
    assert agent is None
    assert [(d.file, d.line, d.level) for d in diagnostics] == [("page.md", line, Level.ERROR)]
    assert message in diagnostics[0].message


def test_lone_surrogate_on_a_page_is_an_error_at_its_line() -> None:
    agent, diagnostics = read_wsdl_page("page.md", "# W\n```xml\n<a>\n\udcff</a>\n```\n")
    assert agent is None
    assert [(d.line, d.level) for d in diagnostics] == [(4, Level.ERROR)]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff garbage",
        b"<Envelope/>",
        b'<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>',
        SMALL_WSDL.replace("xmlns:tns", "xmlns:other").encode(),
        SMALL_WSDL.replace('minOccurs="0" maxOccurs="3"', 'minOccurs="x"').encode(),
        SMALL_WSDL.replace("<xs:sequence>", "<xs:choice>")
        .replace("</xs:sequence>", "</xs:choice>")
        .encode(),
    ],
)
def test_bad_input_gives_errors_never_exceptions(data: bytes) -> None:
    _, diagnostics = read_wsdl("bad.xml", data)
    assert diagnostics
    assert all(d.file == "bad.xml" and d.line >= 1 for d in diagnostics)


def test_removing_any_element_never_raises() -> None:
    root = etree.fromstring(SMALL_WSDL.encode())
    for index, element in enumerate(list(root.iter())[1:]):
        copy = etree.fromstring(SMALL_WSDL.encode())
        victim = list(copy.iter())[index + 1]
        victim.getparent().remove(victim)
        read_wsdl(f"cut-{element.tag}.xml", etree.tostring(copy))


def test_looks_like_wsdl(raw_wsdls: Path, corpus: Path) -> None:
    assert looks_like_wsdl((raw_wsdls / "WSDL-Services86-User.xml").read_bytes())
    assert looks_like_wsdl(
        b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- made by hand -->\n"
        b'<d:definitions xmlns:d="http://schemas.xmlsoap.org/wsdl/"/>'
    )
    page = corpus / "soap" / "Services86" / "Services86-User.md"
    assert not looks_like_wsdl(page.read_bytes())
    envelope = (
        b'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
        b"<soap:Body/></soap:Envelope>"
    )
    assert not looks_like_wsdl(envelope)
    assert not looks_like_wsdl(b'<wsdl:definitions xmlns:wsdl="urn:not-wsdl"/>')
    assert not looks_like_wsdl(b"")
