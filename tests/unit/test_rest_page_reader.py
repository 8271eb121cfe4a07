"""The REST page reader: the seed, the page forms, and broken pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reader_support import errors, read_rest

from codegen.ir import BodyKind, Level
from codegen.sources.rest_page import read_rest_page

SEED = "restful/agent/User_Agent/v1UserAgent_CreateExternalUser.md"


@pytest.fixture(scope="module")
def seed_text(specs: Path) -> str:
    return (specs / SEED).read_text(encoding="utf-8")


# --- The seed and chosen pages -------------------------------------------------------


def test_seed_create_external_user(specs: Path) -> None:
    page, diagnostics = read_rest(specs / SEED)
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
    assert endpoint.sample_request_line == "POST /api/v1/Agents/User/CreateExternalUser"
    assert endpoint.sample_request_headers == (
        ("Authorization", "Basic dGplMDpUamUw"),
        ("Accept", "application/json; charset=utf-8"),
        ("Accept-Language", "*"),
        ("Content-Type", "application/json; charset=utf-8"),
    )


def test_the_response_prose_is_kept_but_the_body_kind_line(seed_text: str) -> None:
    text = seed_text.replace("## Response: int32", "## Response: int32\n\nThe <b>new</b> id.")
    page, _ = read_rest_page("x.md", text)
    assert page is not None and page.endpoint.response_doc == "The new id."


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
    assert [(d.line, d.level) for d in errors(diagnostics)] == [
        (_line_of(text, "```http_"), Level.ERROR)
    ]
    assert "unclosed" in diagnostics[0].message


@pytest.mark.parametrize("levels", [65, 5000])
def test_a_sample_nested_past_the_limit_is_dropped_with_a_warning(
    seed_text: str, levels: int
) -> None:
    deep = '{"PersonId": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"
    text = seed_text.replace('"PersonId": 926,', f'"Deep": {deep},')
    page, diagnostics = read_rest_page("Deep.md", text)
    assert page is not None and page.endpoint.sample_request is None
    assert page.endpoint.sample_response is not None
    assert [(d.line, d.level, d.message) for d in diagnostics] == [
        (
            _line_of(text, '"Deep"'),
            Level.WARNING,
            "the sample nests deeper than 64 levels: not used",
        )
    ]


def test_brackets_in_strings_do_not_count_and_64_levels_are_read(seed_text: str) -> None:
    within = '"Deep": ' + "[" * 63 + '"]]]\\"[[{"' + "]" * 63 + ","
    text = seed_text.replace('"PersonId": 926,', within)
    page, diagnostics = read_rest_page("Deep.md", text)
    assert diagnostics == [] and page is not None
    assert page.endpoint.sample_request is not None and within in page.endpoint.sample_request


def test_an_unclosed_example_fence_is_reported_not_run_over_the_samples(seed_text: str) -> None:
    """A fence left open runs to the closing line of the next one (markdown cannot close it
    with a line that opens a fence): the samples it swallowed were dropped in silence."""
    example = "```\nGET /api/v1/x?$select=name\n\n"
    text = seed_text.replace("## Sample request", example + "## Sample request")
    _, diagnostics = read_rest_page("Bad.md", text)
    assert [(d.line, d.level, d.message) for d in errors(diagnostics)] == [
        (_line_of(text, "```\nGET /api/v1/x"), Level.ERROR, "unclosed ``` fence")
    ]


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
    assert page is not None or errors(diagnostics)
    assert all(d.file == "Fuzz.md" and d.line >= 1 for d in diagnostics)
