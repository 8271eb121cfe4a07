"""One page through a reader, for the reader tests of every tier: the record it gives, the
findings checked, and the parts of a sample a test compares."""

from __future__ import annotations

from pathlib import Path

from codegen.ir import Diagnostic, Level, QName, RestPage, SampleNode, SoapPage
from codegen.sources.rest_page import read_rest_page
from codegen.sources.soap_page import read_soap_page

NS86 = "http://www.superoffice.net/ws/crm/NetServer/Services86"


def errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.ERROR]


def read_soap(path: Path) -> SoapPage:
    """The SOAP page at ``path``, which must read without a single finding."""
    page, diagnostics = read_soap_page(str(path), path.read_text(encoding="utf-8"))
    assert page is not None, [str(d) for d in diagnostics]
    assert not diagnostics, [str(d) for d in diagnostics]
    return page


def read_rest(path: Path) -> tuple[RestPage, list[Diagnostic]]:
    page, diagnostics = read_rest_page(str(path), path.read_text(encoding="utf-8"))
    assert page is not None, diagnostics
    return page, diagnostics


def sample_children(node: SampleNode | None) -> list[tuple[str, QName | None, str]]:
    """Name, ``xsi:type`` and text of each child of a sample element."""
    assert node is not None
    return [(c.name.name, c.xsi_type, c.text) for c in node.children]
