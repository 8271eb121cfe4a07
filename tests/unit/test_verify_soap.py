"""The rules by which ``verify`` compares a documented SOAP body with what the client
sends or writes back (``codegen.verify_soap``): each documented difference between the
docs' samples and the wire is allowed, and nothing else."""

from __future__ import annotations

import pytest
from lxml import etree  # type: ignore[import-untyped, unused-ignore]

from codegen.ir import XSI, QName, SampleNode
from codegen.verify_soap import differences, element, same_text

NS = "urn:so"
DOC = f'xmlns:User="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
DOC += ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
OURS = f'xmlns:tns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
OURS += ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"'


def _found(documented: str, ours: str, whole: bool = True) -> list[str]:
    doc = etree.fromstring(f"<User:Save {DOC}>{documented}</User:Save>")
    sent = etree.fromstring(f"<tns:Save {OURS}>{ours}</tns:Save>")
    return list(differences(doc, sent, "", whole))


@pytest.mark.parametrize(
    ("documented", "ours"),
    [
        ('<User:Id xsi:type="xsd:int">7</User:Id>', "<tns:Id>7</tns:Id>"),
        (
            '<User:When xsi:type="xsd:dateTime">2024-01-01T00:00:00.0000000</User:When>',
            "<tns:When>2024-01-01T00:00:00</tns:When>",
        ),
        ("<User:Span>P0D</User:Span>", "<tns:Span>PT0S</tns:Span>"),
        ("<User:Amount>1.0</User:Amount>", "<tns:Amount>1</tns:Amount>"),
        ('<User:Next xsi:nil="true"/>', ""),
        ("", '<tns:TableRight xsi:nil="true"/>'),
        (
            '<User:Value xsi:type="xsd:anyType">x</User:Value>',
            '<tns:Value xsi:type="xsd:string">x</tns:Value>',
        ),
    ],
    ids=["prefix-and-type", "date-time", "duration", "number", "nil-cut", "nil-sent", "any"],
)
def test_what_the_docs_spell_apart_is_the_same(documented: str, ours: str) -> None:
    assert _found(documented, ours) == []


@pytest.mark.parametrize(
    ("documented", "ours", "found"),
    [
        ("<User:Id>7</User:Id>", "<tns:Id>8</tns:Id>", "/Save/Id: '7' sent as '8'"),
        ("<User:Id>7</User:Id>", "", "/Save/Id: lost"),
        ("", "<tns:Id>7</tns:Id>", "/Save/Id: sent, not in the sample"),
        ('<User:Id xsi:nil="true"/>', "<tns:Id>7</tns:Id>", "/Save/Id: xsi:nil sent as '7'"),
        (
            '<User:P xsi:type="User:Person"/>',
            '<tns:P xsi:type="tns:Contact"/>',
            "/Save/P: xsi:type {urn:so}Person sent as {urn:so}Contact",
        ),
    ],
)
def test_a_value_changed_lost_or_added_is_found(documented: str, ours: str, found: str) -> None:
    assert _found(documented, ours) == [found]


def test_a_value_written_back_may_hold_more_than_the_sample() -> None:
    assert _found("<User:Id>7</User:Id>", "<tns:Rank>0</tns:Rank><tns:Id>7</tns:Id>", False) == []


def test_a_sample_node_becomes_xml_with_its_types_resolved_and_layout_dropped() -> None:
    node = SampleNode(
        QName(NS, "Save"),
        children=(
            SampleNode(QName(NS, "Id"), xsi_type=QName(NS, "Key"), text="7", line=3),
            SampleNode(QName(NS, "Empty"), text="\n   ", line=4),
        ),
    )
    built = element(node)
    key, empty = list(built)
    prefix, _, local = key.get("{http://www.w3.org/2001/XMLSchema-instance}type").partition(":")
    assert (built.nsmap[prefix], local, key.text, key.sourceline) == (NS, "Key", "7", 3)
    assert empty.text is None


def test_other_text_differs_even_where_it_is_no_number() -> None:
    assert not same_text("abc", "abd") and not same_text("NaN", "NaN ")


def test_a_nil_value_type_matches_its_default_and_nothing_else() -> None:
    """The docs' recursion cut puts ``xsi:nil`` on value types, which read as their default:
    the default written back is the same value; any other value is not."""
    documented = etree.fromstring(f'<Id xmlns:xsi="{XSI}" xsi:nil="true"/>')
    defaults = {"Id": frozenset({"0"})}
    assert list(differences(documented, etree.fromstring("<Id>0</Id>"), "", True, defaults)) == []
    assert list(differences(documented, etree.fromstring("<Id>7</Id>"), "", True, defaults)) == [
        "/Id: xsi:nil sent as '7'"
    ]
