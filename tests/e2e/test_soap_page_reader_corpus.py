"""The SOAP page reader on the real corpus: chosen pages for their corners, then every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from build_support import Services86, generated_version, pages_as_built, read_afresh
from conftest import ROOT
from reader_support import NS86, read_soap, sample_children

from codegen.ir import ARRAYS, SERIALIZATION, XSD, Level, QName, SampleNode, SoapPage
from codegen.load import cycle_collector_paused, soap_page_reader

OTHERS = (84, 85, 87)
"""The versions built besides Services86."""
MARKUP = re.compile(r"<see|&lt;|&gt;|<para|</?b>|<br")


def _page_texts(page: SoapPage) -> list[str]:
    return [page.doc, page.online_restricted, page.returns_doc] + [
        text for _, text in page.parameters
    ]


def _descendants(node: SampleNode) -> list[SampleNode]:
    found = [node]
    for child in node.children:
        found += _descendants(child)
    return found


def test_both_front_matter_styles_give_the_same_page(specs: Path, corpus: Path) -> None:
    seed = read_soap(specs / "soap" / "Services86" / "User" / "CreateExternalUser.md")
    real = read_soap(corpus / "soap" / "Services86" / "User" / "CreateExternalUser.md")
    assert (seed.agent, seed.version, seed.method, seed.parameters) == (
        real.agent,
        real.version,
        real.method,
        real.parameters,
    )
    assert seed.request is not None and real.request is not None
    assert seed.request.body == real.request.body
    assert seed.request.line == real.request.line == 35


def test_arrays_prefix_is_resolved_through_xmlns(corpus: Path) -> None:
    soap = corpus / "soap" / "Services86"
    prefix_863 = read_soap(soap / "License" / "AssignThirdPartyLicenses.md").request
    prefix_862 = read_soap(soap / "Appointment" / "GetAppointmentList.md").request
    assert prefix_863 is not None and prefix_862 is not None
    names = sample_children(prefix_863.body)[2]
    ids = sample_children(prefix_862.body)[0]
    assert names[:2] == ("ModuleLicenseNames", QName(ARRAYS, "ArrayOfstring"))
    assert ids[:2] == ("AppointmentIds", QName(ARRAYS, "ArrayOfint"))
    assert prefix_863.body is not None and prefix_862.body is not None
    item_863 = prefix_863.body.children[2].children[0]
    item_862 = prefix_862.body.children[0].children[0]
    assert item_863.name == QName(ARRAYS, "string")
    assert item_862.name == QName(ARRAYS, "int")


def test_multi_part_response(corpus: Path) -> None:
    page = read_soap(corpus / "soap" / "Services86" / "BlobManager" / "ReadBlob.md")
    assert page.response is not None
    assert sample_children(page.response.body) == [
        ("Length", QName(XSD, "int"), "0"),
        ("Response", QName(XSD, "string"), ""),
    ]


def test_bullets_and_returns_run_over_paragraphs(corpus: Path) -> None:
    page = read_soap(corpus / "soap" / "Services86" / "Preference" / "GetPreferences.md")
    ((name, text),) = page.parameters
    assert name == "specifications"
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Array of preference specifications.")
    assert paragraphs[2].startswith("You can also have askerisk as the section name.")
    assert page.returns_doc.endswith("but have no set value anywhere.")
    assert "\n" not in page.returns_doc  # one paragraph over two lines
    assert page.doc == (
        "Get one or more preferences based on a set of specifications.\n\n"
        "The prefDisplayvalue and prefDisplaytooltip are blank (faster processing relative "
        "to GetPreferencesWithDisplayValues)"
    )


def test_nil_and_dictionary_entries(corpus: Path) -> None:
    page = read_soap(corpus / "soap" / "Services86" / "Appointment" / "AssignTo.md")
    assert page.response is not None and page.response.body is not None
    (entity,) = page.response.body.children
    fields = {c.name.name: c for c in entity.children}
    user_fields = fields["UserDefinedFields"]
    assert user_fields.xsi_type == QName(NS86, "StringDictionary")
    (entry,) = user_fields.children
    assert (entry.name.name, entry.xsi_type) == ("StringKeyValuePair", None)
    assert [c.name.name for c in entry.children] == ["Key", "Value"]


def test_serialization_types_and_nil(corpus: Path) -> None:
    page = read_soap(corpus / "soap" / "Services86" / "Appointment" / "AssignTo.md")
    assert page.response is not None and page.response.body is not None
    (entity,) = page.response.body.children
    fields = {c.name.name: c for c in entity.children}
    assert fields["AlarmLeadTime"].xsi_type == QName(SERIALIZATION, "duration")
    assert not any(node.nil for node in _descendants(entity))


def test_recursion_is_cut_with_nil(corpus: Path) -> None:
    page = read_soap(corpus / "soap" / "Services86" / "Find" / "CreateRestrictionGroup.md")
    assert page.response is not None and page.response.body is not None
    nil = {node.line: node for node in _descendants(page.response.body) if node.nil}
    assert nil[132].name == QName(NS86, "Values")
    assert nil[132].xsi_type is None and nil[132].text == "" and nil[132].children == ()


@pytest.fixture(scope="module")
def corpus_pages(
    corpus: Path, services86: Services86, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[Path, SoapPage | None, list[str]]]:
    """Every SOAP method page of Services84-87: all but each agent's index.md, as the run's
    ``generate --agent all`` of each version read them (the reader the loader uses, on the
    same text): they read every one."""
    others = [generated_version(corpus, ROOT, v, tmp_path_factory) for v in OTHERS]
    read = pages_as_built([services86.out, *others])
    pages = []
    with cycle_collector_paused():
        for path in sorted((corpus / "soap").glob("Services8[4-7]/*/*.md")):
            if path.name != "index.md":
                page, diagnostics = read(
                    soap_page_reader, str(path), path.read_text(encoding="utf-8")
                )
                errors = [str(d) for d in diagnostics if d.level is Level.ERROR]
                pages.append((path, page, errors))
    assert read_afresh(read) == [], "pages no build read"
    return pages


@pytest.mark.build(*OTHERS)
def test_every_corpus_page_reads_without_errors(
    corpus_pages: list[tuple[Path, SoapPage | None, list[str]]],
) -> None:
    assert len(corpus_pages) > 5000
    assert [errors for _, _, errors in corpus_pages if errors] == []
    for path, page, _ in corpus_pages:
        assert page is not None
        assert (f"Services{page.version}", page.agent, page.method) == (
            path.parent.parent.name,
            path.parent.name,
            path.stem,
        )
        assert page.service_path == f"Remote/Services{page.version}/{page.agent}.svc"
        assert page.request is not None and page.request.body is not None
        assert page.response is not None and page.response.body is not None


@pytest.mark.build(*OTHERS)
def test_no_markup_survives_in_corpus_text(
    corpus_pages: list[tuple[Path, SoapPage | None, list[str]]],
) -> None:
    leftovers = [
        (path.name, text)
        for path, page, _ in corpus_pages
        if page is not None
        for text in _page_texts(page)
        if MARKUP.search(text)
    ]
    assert leftovers == []
    restricted = [page for _, page, _ in corpus_pages if page and page.online_restricted]
    assert len(restricted) > 400
    assert not any("Online Restricted" in page.doc for page in restricted)
