"""The XML Schema reader on its own: schemas with no WSDL around them, read from their roots."""

from __future__ import annotations

from codegen.ir import UNBOUNDED, XSD, ArrayType, ComplexType, EnumType, Level, Primitive, QName
from codegen.sources.xml_parser import parse
from codegen.sources.xsd import SchemaReader

SCHEMAS = b"""<types xmlns:xs="http://www.w3.org/2001/XMLSchema">
 <xs:schema targetNamespace="urn:t" xmlns:t="urn:t" elementFormDefault="qualified">
  <xs:complexType name="User">
   <xs:sequence>
    <xs:element name="Name" type="xs:string" nillable="true" minOccurs="0"/>
    <xs:element name="Kind" type="t:Kind"/>
    <xs:element name="Tags" type="t:ArrayOfTag"/>
   </xs:sequence>
  </xs:complexType>
  <xs:simpleType name="Kind">
   <xs:restriction base="xs:string">
    <xs:enumeration value="Internal"/>
    <xs:enumeration value="External"/>
   </xs:restriction>
  </xs:simpleType>
  <xs:complexType name="ArrayOfTag">
   <xs:sequence><xs:element name="Tag" type="xs:string" maxOccurs="unbounded"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="Unreached"><xs:sequence/></xs:complexType>
 </xs:schema>
</types>
"""


def _read(*roots: QName) -> tuple[dict[QName, object], SchemaReader]:
    reader = SchemaReader("t.xsd", 0)
    reader.index_schemas(parse(SCHEMAS))
    return {t.name: t for t in reader.reachable_types(roots)}, reader


def test_only_what_the_roots_reach_is_read() -> None:
    types, reader = _read(QName("urn:t", "User"))
    assert reader.diagnostics == []
    assert sorted(name.name for name in types) == ["ArrayOfTag", "Kind", "User", "string"]
    user = types[QName("urn:t", "User")]
    assert isinstance(user, ComplexType)
    assert [(f.wire_name, f.namespace, f.nillable, f.min_occurs) for f in user.fields] == [
        ("Name", "urn:t", True, 0),
        ("Kind", "urn:t", False, 1),
        ("Tags", "urn:t", False, 1),
    ]
    kind = types[QName("urn:t", "Kind")]
    assert isinstance(kind, EnumType) and [v.name for v in kind.values] == [
        "Internal",
        "External",
    ]
    tags = types[QName("urn:t", "ArrayOfTag")]
    assert isinstance(tags, ArrayType) and tags.item.max_occurs == UNBOUNDED
    assert types[QName(XSD, "string")] == Primitive(QName(XSD, "string"), "string")


def test_an_unknown_type_is_an_error_where_it_is_first_named() -> None:
    types, reader = _read(QName("urn:t", "Missing"))
    assert types == {}
    assert [(d.line, d.level, d.message) for d in reader.diagnostics] == [
        (1, Level.ERROR, "unknown type {urn:t}Missing")
    ]


REQUIRED_CYCLE = b"""<types xmlns:xs="http://www.w3.org/2001/XMLSchema">
 <xs:schema targetNamespace="urn:t" xmlns:t="urn:t" elementFormDefault="qualified">
  <xs:complexType name="Group">
   <xs:sequence><xs:element name="Owner" type="t:Owner"/></xs:sequence>
  </xs:complexType>
  <xs:complexType name="Owner">
   <xs:sequence>
    <xs:element name="Group" type="t:Group"/>
    <xs:element name="Name" type="xs:string"/>
   </xs:sequence>
  </xs:complexType>
 </xs:schema>
</types>
"""


def test_a_type_that_requires_itself_is_reported_and_read_as_optional() -> None:
    reader = SchemaReader("t.xsd", 10)
    reader.index_schemas(parse(REQUIRED_CYCLE))
    types = {t.name: t for t in reader.reachable_types([QName("urn:t", "Group")])}

    assert [(d.line, d.level, d.message) for d in reader.diagnostics] == [
        (
            13,
            Level.WARNING,
            "type Group requires itself through Group.Owner -> Owner.Group: read as optional",
        )
    ]
    group, owner = types[QName("urn:t", "Group")], types[QName("urn:t", "Owner")]
    assert isinstance(group, ComplexType) and isinstance(owner, ComplexType)
    assert [(f.wire_name, f.min_occurs) for f in group.fields] == [("Owner", 0)]
    assert [(f.wire_name, f.min_occurs) for f in owner.fields] == [("Group", 1), ("Name", 1)]
