"""The REST page reader: every corpus page, the seed, the page forms, and broken pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.ir import BodyKind, Diagnostic, Level, RestPage
from codegen.sources.docs_root import DocsRoot
from codegen.sources.rest_page import read_rest_page

SEED = "restful/agent/User_Agent/v1UserAgent_CreateExternalUser.md"
AGENTS = "restful/agent"


def _read(path: Path) -> tuple[RestPage, list[Diagnostic]]:
    page, diagnostics = read_rest_page(str(path), path.read_text(encoding="utf-8"))
    assert page is not None, diagnostics
    return page, diagnostics


def _errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.ERROR]


@pytest.fixture(scope="module")
def corpus_pages(corpus: Path) -> dict[Path, tuple[RestPage | None, list[Diagnostic]]]:
    """Every REST method page of the corpus, read once for all the tests below."""
    root = DocsRoot(corpus)
    paths = [p for agent in root.rest_agent_names() for p in root.rest_pages(agent)]
    return {p: read_rest_page(str(p), p.read_text(encoding="utf-8")) for p in paths}


@pytest.fixture(scope="module")
def seed_text(specs: Path) -> str:
    return (specs / SEED).read_text(encoding="utf-8")


# --- The whole corpus ----------------------------------------------------------------


def test_every_corpus_page_reads_without_errors(
    corpus_pages: dict[Path, tuple[RestPage | None, list[Diagnostic]]],
) -> None:
    assert len(corpus_pages) == 1688
    assert len({p.parent for p in corpus_pages}) == 54
    for path, (page, diagnostics) in corpus_pages.items():
        assert not _errors(diagnostics), diagnostics
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
    }
    no_content = [e for e in endpoints if e.response_kind == "none"]
    assert len(no_content) == 317
    assert all(e.statuses == ((204, "No Content"),) for e in no_content)
    assert all(e.sample_request is None and e.sample_response is None for e in no_content)
    assert sum(e.response_kind == "binary" for e in endpoints) == 38
    assert sum(e.select for e in endpoints) == 1464


# --- The seed and chosen pages -------------------------------------------------------


def test_seed_create_external_user(specs: Path) -> None:
    page, diagnostics = _read(specs / SEED)
    assert diagnostics == []
    assert (page.agent, page.method) == ("User", "CreateExternalUser")
    assert page.online_restricted.startswith("The User agent is not available in Online")
    endpoint = page.endpoint
    assert (endpoint.method, endpoint.path, endpoint.line) == (
        "POST",
        "/api/v1/Agents/User/CreateExternalUser",
        8,
    )
    assert endpoint.doc == "Creates an associate of type external user."
    assert endpoint.query == () and endpoint.select
    assert (endpoint.body_kind, endpoint.body_name) == (BodyKind.REQUEST, "request")
    assert [(f.name, f.type) for f in endpoint.body] == [
        ("PersonId", "int32"),
        ("UserName", "string"),
        ("Password", "string"),
        ("RoleId", "int32"),
        ("IsActive", "bool"),
    ]
    assert (endpoint.response_kind, endpoint.response_type) == ("int32", "")
    assert endpoint.statuses == ((200, "OK"),)
    assert endpoint.sample_request is not None
    sample = json.loads(endpoint.sample_request)
    assert list(sample) == ["PersonId", "UserName", "Password", "RoleId", "IsActive"]
    assert endpoint.sample_response == "851"


def test_get_user(corpus: Path) -> None:
    page, _ = _read(corpus / AGENTS / "User_Agent/v1UserAgent_GetUser.md")
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
    page, _ = _read(corpus / AGENTS / "Sale_Agent/v1SaleAgent_SaveSaleEntity.md")
    endpoint = page.endpoint
    assert (endpoint.body_kind, endpoint.body_name) == (BodyKind.ENTITY, "entity")
    types = {f.name: f.type for f in endpoint.body}
    assert types["SaleId"] == "int32" and types["Appointment"] == ""
    assert types["Saledate"] == "date-time" and types["Amount"] == "double"
    assert endpoint.response_kind == "object"


def test_raw_array_body(corpus: Path) -> None:
    page, _ = _read(corpus / AGENTS / "Contact_Agent/v1ContactAgent_GetContactList.md")
    endpoint = page.endpoint
    assert (endpoint.body_kind, endpoint.body_name) == (BodyKind.ARRAY, "contactIds")
    assert endpoint.body == ()
    assert endpoint.sample_request is None
    assert endpoint.response_kind == "array"
    assert endpoint.response_fields[0].name == "ContactId"


def test_no_content(corpus: Path) -> None:
    page, _ = _read(corpus / AGENTS / "Sale_Agent/v1SaleAgent_DeleteSaleEntity.md")
    endpoint = page.endpoint
    assert endpoint.response_kind == "none"
    assert endpoint.statuses == ((204, "No Content"),)
    assert [(f.name, f.required) for f in endpoint.query] == [("SaleEntityId", True)]
    assert not endpoint.select
    assert (endpoint.sample_request, endpoint.sample_response) == (None, None)


def test_binary_response(corpus: Path) -> None:
    path = corpus / AGENTS / "List_Agent/v1ListAgent_GetDocumentTemplateStreamFromId.md"
    endpoint = _read(path)[0].endpoint
    assert endpoint.response_kind == "binary"
    assert endpoint.response_fields == ()
    assert endpoint.sample_response == "GIF89....File contents as raw bytes..."
    assert endpoint.sample_request is not None
    assert json.loads(endpoint.sample_request)["DocumentTemplateId"] == 886


def test_date_time_response(corpus: Path) -> None:
    endpoint = _read(corpus / AGENTS / "Sale_Agent/v1SaleAgent_GetNextDueDate.md")[0].endpoint
    assert endpoint.response_kind == "date-time"
    assert endpoint.sample_response is not None
    assert json.loads(endpoint.sample_response).startswith("2015-06-25T")


def test_description_keeps_sub_sections_and_code(corpus: Path) -> None:
    path = corpus / AGENTS / "Find_Agent/v1FindAgent_FindFromRestrictions2.md"
    doc = _read(path)[0].endpoint.doc
    assert doc.startswith("Execute a Find operation and return a page of results.\n\n")
    assert "\n\nBrackets and or\n\n" in doc
    assert '"category = 3"\n"category in (2,3,4)"' in doc
    assert "```" not in doc and "##" not in doc


# --- Other forms and broken pages ----------------------------------------------------


def test_untagged_sample_fences_in_two_sections(seed_text: str) -> None:
    text = seed_text.replace("```http!\n", "```\n").replace("```http_\n", "```\n")
    page, diagnostics = read_rest_page("Seed.md", text)
    assert page is not None and diagnostics == []
    assert page.endpoint.sample_response == "851"
    assert page.endpoint.sample_request is not None
    assert json.loads(page.endpoint.sample_request)["RoleId"] == 459


def test_untagged_sample_fences_in_one_section(seed_text: str) -> None:
    text = seed_text.replace("## Sample response\n", "").replace("```http_\n", "```\n")
    page, _ = read_rest_page("Seed.md", text.replace("```http!\n", "```\n"))
    assert page is not None
    assert page.endpoint.sample_response == "851"


def test_agent_from_the_folder_when_the_path_has_none(seed_text: str) -> None:
    text = seed_text.replace("POST /api/v1/Agents/User/CreateExternalUser\n```", "POST /x\n```")
    page, _ = read_rest_page("restful/agent/User_Agent/v1UserAgent_X.md", text)
    assert page is not None
    assert (page.agent, page.method, page.endpoint.path) == ("User", "x", "/x")


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_missing_endpoint(seed_text: str) -> None:
    text = seed_text.replace("```http\nPOST /api/v1/Agents/User/CreateExternalUser\n```", "")
    page, diagnostics = read_rest_page("Bad.md", text)
    assert page is None
    assert [(d.file, d.line, d.level) for d in diagnostics] == [("Bad.md", 1, Level.ERROR)]
    assert "endpoint" in diagnostics[0].message


def test_endpoint_line_that_is_no_endpoint(seed_text: str) -> None:
    text = seed_text.replace("POST /api/v1/Agents/User/CreateExternalUser\n```", "hello\n```", 1)
    page, diagnostics = read_rest_page("Bad.md", text)
    assert page is None
    assert [(d.line, d.level) for d in diagnostics] == [(9, Level.ERROR)]


def test_unclosed_fence(seed_text: str) -> None:
    text = seed_text.removesuffix("```")
    page, diagnostics = read_rest_page("Bad.md", text)
    assert page is not None
    assert [(d.line, d.level) for d in _errors(diagnostics)] == [
        (_line_of(text, "```http_"), Level.ERROR)
    ]
    assert "unclosed" in diagnostics[0].message


def test_row_with_an_extra_cell(seed_text: str) -> None:
    text = seed_text.replace("| RoleId | int32 |  |", "| RoleId | int32 | x | y |")
    page, diagnostics = read_rest_page("Bad.md", text)
    assert page is not None
    assert [(d.line, d.level) for d in diagnostics] == [(_line_of(text, "| RoleId"), Level.ERROR)]
    assert "4 cells" in diagnostics[0].message


def test_row_with_a_missing_cell(seed_text: str) -> None:
    text = seed_text.replace("| 200 | OK |", "| 200 |")
    _, diagnostics = read_rest_page("Bad.md", text)
    assert [(d.line, d.level) for d in diagnostics] == [(_line_of(text, "| 200 |"), Level.ERROR)]


def test_table_markdown_cannot_read(seed_text: str) -> None:
    """A delimiter row with fewer cells than the header leaves a paragraph, not a table."""
    text = seed_text.replace(
        "| Property Name | Type |  Description |\n|----------------|------|--------------|",
        "| Property Name | Type |  Description |\n|----------------|------|",
    )
    page, diagnostics = read_rest_page("Bad.md", text)
    assert page is not None and page.endpoint.body == ()
    assert [(d.line, d.level) for d in diagnostics] == [
        (_line_of(text, "| Property Name"), Level.ERROR)
    ]


def test_unexpected_columns(seed_text: str) -> None:
    text = seed_text.replace("| Property Name | Type |", "| Name | Type |")
    _, diagnostics = read_rest_page("Bad.md", text)
    assert [(d.line, d.level) for d in diagnostics] == [(_line_of(text, "| Name |"), Level.ERROR)]


@pytest.mark.parametrize("heading", ["## Request Body: things", "## Request Body"])
def test_unknown_body_heading(seed_text: str, heading: str) -> None:
    text = seed_text.replace("## Request Body: request", heading)
    page, diagnostics = read_rest_page("Bad.md", text)
    assert page is not None and page.endpoint.body_kind is BodyKind.NONE
    assert [(d.line, d.level) for d in diagnostics] == [(_line_of(text, heading), Level.ERROR)]


def test_page_without_front_matter_keeps_its_lines(seed_text: str) -> None:
    text = seed_text.split("---\n", 2)[2]
    page, diagnostics = read_rest_page("Seed.md", text)
    assert page is not None and diagnostics == []
    assert page.endpoint.line == _line_of(text, "```http\n")


def test_crlf_and_bom_read_like_lf(seed_text: str) -> None:
    crlf = "\ufeff" + seed_text.replace("\n", "\r\n")
    assert read_rest_page("Seed.md", crlf) == read_rest_page("Seed.md", seed_text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_never_raises_on_damaged_pages(seed_text: str, data: st.DataObject) -> None:
    """Cut lines out of the seed, or splice in noise: a result or diagnostics, no exception."""
    lines = seed_text.split("\n")
    start = data.draw(st.integers(0, len(lines)))
    stop = data.draw(st.integers(start, len(lines)))
    noise = data.draw(st.text(alphabet="|-#`*:\n abc!_0", max_size=40))
    text = "\n".join(lines[:start]) + noise + "\n".join(lines[stop:])
    page, diagnostics = read_rest_page("Fuzz.md", text)
    assert page is not None or _errors(diagnostics)
    assert all(d.file == "Fuzz.md" and d.line >= 1 for d in diagnostics)
