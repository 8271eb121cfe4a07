"""The REST page reader on the real corpus: every page, and chosen pages for their forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from build_support import Services86, pages_as_built, read_afresh
from reader_support import errors, read_rest

from codegen.ir import BodyKind, Diagnostic, RestPage
from codegen.load import cycle_collector_paused, rest_page_reader
from codegen.sources.docs_root import DocsRoot

AGENTS = "restful/agent"


@pytest.fixture(scope="module")
def corpus_pages(
    corpus: Path, services86: Services86
) -> dict[Path, tuple[RestPage | None, list[Diagnostic]]]:
    """Every REST method page of the corpus, as the run's ``generate --agent all`` of
    Services86 read them (the reader the loader uses, on the same text): it read every one."""
    root = DocsRoot(corpus)
    paths = [p for agent in root.rest_agent_names() for p in root.rest_pages(agent)]
    read = pages_as_built([services86.out])
    with cycle_collector_paused():
        pages = {p: read(rest_page_reader, str(p), p.read_text(encoding="utf-8")) for p in paths}
    assert read_afresh(read) == [], "pages no build read"
    return pages


def test_every_corpus_page_reads_without_errors(
    corpus_pages: dict[Path, tuple[RestPage | None, list[Diagnostic]]],
) -> None:
    assert len(corpus_pages) == 1688
    assert len({p.parent for p in corpus_pages}) == 54
    for path, (page, diagnostics) in corpus_pages.items():
        assert not errors(diagnostics), diagnostics
        assert page is not None
        assert f"{page.agent}_Agent" == path.parent.name
        assert path.stem == f"v1{page.agent}Agent_{page.method}"
        assert page.endpoint.path == f"/api/v1/Agents/{page.agent}/{page.method}"
        assert page.endpoint.method == "POST"
        assert page.endpoint.statuses, path


def test_user_agent_has_91_pages(
    corpus_pages: dict[Path, tuple[RestPage | None, list[Diagnostic]]],
) -> None:
    users = [p for p, (page, _) in corpus_pages.items() if page and page.agent == "User"]
    assert len(users) == 91


def test_samples_that_look_like_json_parse(
    corpus_pages: dict[Path, tuple[RestPage | None, list[Diagnostic]]],
) -> None:
    """Every sample body is JSON, except the raw bytes shown for a binary response."""
    not_json: list[tuple[str, str]] = []
    for page, _ in corpus_pages.values():
        assert page is not None
        endpoint = page.endpoint
        for direction, body in (
            ("request", endpoint.sample_request),
            ("response", endpoint.sample_response),
        ):
            if body is None:
                continue
            try:
                json.loads(body)
            except ValueError:
                not_json.append((direction, endpoint.response_kind))
    assert not_json == [("response", "binary")] * 38


def test_body_and_response_forms_cover_the_corpus(
    corpus_pages: dict[Path, tuple[RestPage | None, list[Diagnostic]]],
) -> None:
    endpoints = [page.endpoint for page, _ in corpus_pages.values() if page]
    bodies = {kind: sum(e.body_kind is kind for e in endpoints) for kind in BodyKind}
    assert bodies == {
        BodyKind.NONE: 426,
        BodyKind.REQUEST: 1142,
        BodyKind.ENTITY: 75,
        BodyKind.ARRAY: 45,
        BodyKind.BINARY: 0,
    }
    no_content = [e for e in endpoints if e.response_kind == "none"]
    assert len(no_content) == 317
    assert all(e.statuses == ((204, "No Content"),) for e in no_content)
    assert all(e.sample_request is None and e.sample_response is None for e in no_content)
    assert sum(e.response_kind == "binary" for e in endpoints) == 38
    assert sum(e.select for e in endpoints) == 1464


def test_get_user(corpus: Path) -> None:
    page, _ = read_rest(corpus / AGENTS / "User_Agent/v1UserAgent_GetUser.md")
    endpoint = page.endpoint
    assert [(f.name, f.type, f.required, f.doc) for f in endpoint.query] == [
        ("userId", "int32", True, "The primary key.")
    ]
    assert endpoint.select
    assert endpoint.body_kind is BodyKind.NONE and endpoint.body == ()
    assert (endpoint.response_kind, endpoint.response_type) == ("object", "User")
    fields = {f.name: f for f in endpoint.response_fields}
    assert {"AssociateId", "Name", "TableRight"} <= set(fields)
    assert (fields["AssociateId"].type, fields["Role"].type) == ("int32", "")
    assert fields["UserGroup"].doc == (
        "The main user group that this user belongs to.\n\n"
        'Use MDO List name "usergroup" to get list items.'
    )
    assert endpoint.sample_request is None
    assert endpoint.sample_response is not None
    assert json.loads(endpoint.sample_response)["AssociateId"] == 204
    assert endpoint.doc == "Gets a User object."
    assert "Online" not in endpoint.doc


def test_entity_body(corpus: Path) -> None:
    page, _ = read_rest(corpus / AGENTS / "Sale_Agent/v1SaleAgent_SaveSaleEntity.md")
    endpoint = page.endpoint
    assert (endpoint.body_kind, endpoint.body_name) == (BodyKind.ENTITY, "entity")
    types = {f.name: f.type for f in endpoint.body}
    assert types["SaleId"] == "int32" and types["Appointment"] == ""
    assert types["Saledate"] == "date-time" and types["Amount"] == "double"
    assert endpoint.response_kind == "object"


def test_raw_array_body(corpus: Path) -> None:
    page, _ = read_rest(corpus / AGENTS / "Contact_Agent/v1ContactAgent_GetContactList.md")
    endpoint = page.endpoint
    assert (endpoint.body_kind, endpoint.body_name) == (BodyKind.ARRAY, "contactIds")
    assert endpoint.body == ()
    assert endpoint.sample_request is None
    assert endpoint.response_kind == "array"
    assert endpoint.response_fields[0].name == "ContactId"


def test_no_content(corpus: Path) -> None:
    page, _ = read_rest(corpus / AGENTS / "Sale_Agent/v1SaleAgent_DeleteSaleEntity.md")
    endpoint = page.endpoint
    assert endpoint.response_kind == "none"
    assert endpoint.statuses == ((204, "No Content"),)
    assert [(f.name, f.required) for f in endpoint.query] == [("SaleEntityId", True)]
    assert not endpoint.select
    assert (endpoint.sample_request, endpoint.sample_response) == (None, None)


def test_binary_response(corpus: Path) -> None:
    path = corpus / AGENTS / "List_Agent/v1ListAgent_GetDocumentTemplateStreamFromId.md"
    endpoint = read_rest(path)[0].endpoint
    assert endpoint.response_kind == "binary"
    assert endpoint.response_fields == ()
    assert endpoint.sample_response == "GIF89....File contents as raw bytes..."
    assert endpoint.sample_request is not None
    assert json.loads(endpoint.sample_request)["DocumentTemplateId"] == 886


def test_date_time_response(corpus: Path) -> None:
    endpoint = read_rest(corpus / AGENTS / "Sale_Agent/v1SaleAgent_GetNextDueDate.md")[0].endpoint
    assert endpoint.response_kind == "date-time"
    assert endpoint.sample_response is not None
    assert json.loads(endpoint.sample_response).startswith("2015-06-25T")


def test_description_keeps_sub_sections_and_code(corpus: Path) -> None:
    path = corpus / AGENTS / "Find_Agent/v1FindAgent_FindFromRestrictions2.md"
    doc = read_rest(path)[0].endpoint.doc
    assert doc.startswith("Execute a Find operation and return a page of results.\n\n")
    assert "\n\nBrackets and or\n\n" in doc
    assert '"category = 3"\n"category in (2,3,4)"' in doc
    assert "```" not in doc and "##" not in doc
