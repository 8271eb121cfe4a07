"""The WSDL reader on small hand-written WSDLs: every construct, bad input, damaged trees."""

from __future__ import annotations

import pytest
from lxml import etree

from codegen.ir import (
    SERIALIZATION,
    ArrayType,
    ComplexType,
    Diagnostic,
    EnumType,
    Level,
    Primitive,
    QName,
)
from codegen.sources.wsdl import looks_like_wsdl, read_wsdl, read_wsdl_page

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
    # The response names a type nobody declares: one error, at the line that names it. An
    # array whose every item (at least one) holds the array again has no finite value.
    assert diagnostics == [
        Diagnostic(
            "small.xml",
            _line_of(SMALL_WSDL, 'type="tns:Missing"'),
            Level.ERROR,
            "unknown type {urn:s/Services90}Missing",
        ),
        Diagnostic(
            "small.xml",
            _line_of(SMALL_WSDL, 'name="ArrayOfDerived"'),
            Level.WARNING,
            "type ArrayOfDerived requires itself through ArrayOfDerived.Item -> Derived.Children:"
            " read as optional",
        ),
    ]
    item = types[QName(ns, "ArrayOfDerived")]
    assert isinstance(item, ArrayType) and item.item.min_occurs == 0


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


def test_looks_like_wsdl() -> None:
    assert looks_like_wsdl(SMALL_WSDL.encode())
    assert looks_like_wsdl(
        b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- made by hand -->\n"
        b'<d:definitions xmlns:d="http://schemas.xmlsoap.org/wsdl/"/>'
    )
    envelope = (
        b'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
        b"<soap:Body/></soap:Envelope>"
    )
    assert not looks_like_wsdl(envelope)
    assert not looks_like_wsdl(b'<wsdl:definitions xmlns:wsdl="urn:not-wsdl"/>')
    assert not looks_like_wsdl(b"")
