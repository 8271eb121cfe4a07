"""The entity endpoint page reader, on small inline pages shaped as the corpus' are."""

from __future__ import annotations

import json

from codegen.ir import BodyKind, Level
from codegen.sources.entity_page import read_entity_page

FILE = "restful/rest/User/v1User_PatchUser.md"
HEADERS = """## Request Headers

| Parameter Name | Description |
|----------------|-------------|
| Authorization  | Supports 'Basic'. |
"""
PATCH = (
    """---
title: PATCH User/{id}
id: v1User_PatchUser
---

# PATCH User/{id}

```http
PATCH /api/v1/User/{id}
```

Update a User with changes.

## Online Restricted: ## The User agent is not available in Online by default. User management is not allowed for partner apps. Update the Department field to "foo" can be done either as a JSON PATCH:

```js
[ { "op": "replace", "path": "/Department", "value": "foo" } ]
```

Calls the {SuperOffice.CRM.Services.IUserAgent} service SaveUser.

| Path Part | Type | Description |
|-----------|------|-------------|
| id | int32 | The User id to update. **Required** |

## Query String Parameters

| Parameter Name | Type |  Description |
|----------------|------|--------------|
| $select | string |  Optional list of properties. |

"""
    + HEADERS
    + """
## Request Body: changes string

JSON-Patch array of operations.

| Property Name | Type |  Description |
|----------------|------|--------------|
| op | string | "add", "replace" |
| path | string | The property names to modify. |
| value | object | New value. |

## Response: object

SuperOffice User.

User entity with API _Links added.

| Response | Description |
|----------------|-------------|
| 200 | User updated. |
| 409 | Update blocked. |
| 412 | Update aborted. |

Response body: object

| Property Name | Type |  Description |
|----------------|------|--------------|
| AssociateId | int32 | Primary key |

## Sample Request

```http!
PATCH /api/v1/User/{id}
Authorization: Basic dGplMDpUamUw
Content-Type: application/json; charset=utf-8

[
  {"op": "add", "path": "Name", "value": {}}
]
```

```http_
HTTP/1.1 200 User updated.
Content-Type: application/json; charset=utf-8

{"AssociateId": 7}
```"""
)


def _page(text: str, file: str = FILE):  # type: ignore[no-untyped-def]
    page, diagnostics = read_entity_page(file, text)
    return page, [(d.level, d.line, d.message) for d in diagnostics]


def test_a_patch_page_reads_every_section() -> None:
    page, diagnostics = _page(PATCH)
    assert diagnostics == []
    assert page is not None and page.agent == "User"
    endpoint = page.endpoint
    assert (endpoint.folder, endpoint.entity, endpoint.name) == ("User", "User", "PatchUser")
    assert (endpoint.calls, endpoint.archive, endpoint.odata) == ("SaveUser", "", False)
    assert endpoint.online_restricted == (
        "The User agent is not available in Online by default."
        " User management is not allowed for partner apps."
    )
    rest = endpoint.rest
    assert (rest.method, rest.path, rest.line) == ("PATCH", "/api/v1/User/{id}", 8)
    assert [(p.name, p.type, p.required) for p in rest.path_parts] == [("id", "int32", True)]
    assert rest.query == () and rest.select
    assert (rest.body_kind, rest.body_name) == (BodyKind.ARRAY, "changes")
    assert [f.name for f in rest.body] == ["op", "path", "value"]
    assert (rest.response_kind, rest.response_type) == ("object", "User")
    assert [code for code, _ in rest.statuses] == [200, 409, 412]
    assert [f.name for f in rest.response_fields] == ["AssociateId"]
    assert rest.sample_request_line == "PATCH /api/v1/User/{id}"
    assert ("Content-Type", "application/json; charset=utf-8") in rest.sample_request_headers
    assert json.loads(rest.sample_request or "")[0]["op"] == "add"
    assert json.loads(rest.sample_response or "") == {"AssociateId": 7}
    # The heading's swallowed sentence, the JSON Patch example and the call stay described.
    assert rest.doc.split("\n\n") == [
        "Update a User with changes.",
        'Update the Department field to "foo" can be done either as a JSON PATCH:',
        '[ { "op": "replace", "path": "/Department", "value": "foo" } ]',
        "Calls the IUserAgent service SaveUser.",
    ]


ODATA = """# GET User

```http
GET /api/v1/User
```

OData list of all User.

Calls the Archive service using the "AllUsers" archive.

## Filter Operators: ##

ints: eq =, ne

## Query String Parameters

| Parameter Name | Type |  Description |
|----------------|------|--------------|
| $top | int32 |  Number of rows |
| $mode | Enum: Slim, Wide, Full |  FULL or SLIM |

## Response: object

| Response | Description |
|----------------|-------------|
| 200 | OK |
"""


def test_an_odata_list_names_its_archive_and_no_agent() -> None:
    page, diagnostics = _page(ODATA, "restful/rest/User/v1User_GetAll.md")
    assert diagnostics == []
    assert page is not None and page.agent == ""
    assert (page.endpoint.archive, page.endpoint.odata, page.endpoint.calls) == (
        "AllUsers",
        True,
        "",
    )
    assert [(q.name, q.type) for q in page.endpoint.rest.query] == [
        ("$top", "int32"),
        ("$mode", "Enum: Slim, Wide, Full"),
    ]
    assert "Filter Operators" in page.endpoint.rest.doc


def _simple(path: str, parts: str = "", body: str = "", description: str = "") -> str:
    table = f"| Path Part | Type | Description |\n|---|---|---|\n{parts}\n" if parts else ""
    return (
        f"# T\n\n```http\nPOST {path}\n```\n\n{description}\n\n{table}\n{HEADERS}\n{body}\n"
        "## Response\n\n| Response | Description |\n|---|---|\n| 204 | No Content |\n"
    )


def test_a_path_part_the_table_lacks_is_text_and_a_row_the_path_lacks_is_dropped() -> None:
    page, diagnostics = _page(
        _simple("/api/v1/X/{id}/{name}", "| id | int32 | The id |\n| gone | int32 | x |")
    )
    assert page is not None
    assert [(p.name, p.type) for p in page.endpoint.rest.path_parts] == [
        ("id", "int32"),
        ("name", "string"),
    ]
    assert diagnostics == [
        (Level.WARNING, 3, "path part {name} is not in the Path Part table"),
        (Level.WARNING, 3, "path part 'gone' of the table is not in the path"),
    ]


def test_a_name_in_two_places_is_an_error() -> None:
    query = "## Query String Parameters\n\n| Parameter Name | Type | Description |\n|---|---|---|\n| id | int32 | x |\n"
    page, diagnostics = _page(_simple("/api/v1/X/{id}", "| id | int32 | The id |", query))
    assert page is not None
    assert diagnostics == [(Level.ERROR, 3, "'id' is both a path part and a query parameter")]
    body = "## Request Body: id\n\nThe ids.\n"
    _, diagnostics = _page(_simple("/api/v1/X/{id}", "| id | int32 | The id |", body))
    assert diagnostics == [(Level.ERROR, 3, "'id' is both a path part and a request body")]


def test_bodies_without_a_table_are_a_raw_array_or_bytes() -> None:
    page, _ = _page(_simple("/api/v1/X", body="## Request Body: ids\n\nIds.\n"))
    assert page is not None
    assert (page.endpoint.rest.body_kind, page.endpoint.rest.body_name) == (BodyKind.ARRAY, "ids")
    page, _ = _page(_simple("/api/v1/X", body="## Request Body: image binary\n\nA bitmap.\n"))
    assert page is not None
    assert (page.endpoint.rest.body_kind, page.endpoint.rest.body_name) == (
        BodyKind.BINARY,
        "image",
    )
    _, diagnostics = _page(_simple("/api/v1/X", body="## Request Body:\n\nNothing.\n"))
    assert (Level.ERROR, 16, "request body without a name: 'Request Body:'") in diagnostics


def test_the_restriction_alone_names_the_agent() -> None:
    restricted = "## Online Restricted: ## The CRMScript agent is not available in Online by default. Calls the CRMScript agent service DeleteTriggerScriptEntity.\n"
    page, diagnostics = _page(
        _simple("/api/v1/TriggerScript/{id}", "| id | int32 | x |", description=restricted),
        "rest/TriggerScript/v1TriggerScriptEntity_Delete.md",
    )
    assert diagnostics == []
    assert page is not None and page.agent == "CRMScript"
    endpoint = page.endpoint
    assert (
        endpoint.online_restricted == "The CRMScript agent is not available in Online by default."
    )
    assert endpoint.calls == "DeleteTriggerScriptEntity"
    assert endpoint.rest.doc == "Calls the CRMScript agent service DeleteTriggerScriptEntity."


def test_two_agents_named_is_a_warning_and_the_first_is_taken() -> None:
    both = "Calls the Sale agent service GetSale.\n\nCalls the Quote agent service GetQuote.\n"
    page, diagnostics = _page(_simple("/api/v1/X", description=both))
    assert page is not None and page.agent == "Sale"
    assert diagnostics == [
        (Level.WARNING, 3, "the page names the agents Sale, Quote: Sale is taken")
    ]


def test_bad_pages_are_reported_never_raised() -> None:
    assert _page(PATCH, "restful/rest/User/index.md") == (
        None,
        [(Level.ERROR, 1, "not an entity page name")],
    )
    assert _page("# T\n\nNo endpoint.\n") == (None, [(Level.ERROR, 1, "no ```http endpoint fence")])
    page, diagnostics = _page(_simple("/api/v1/X") + "\n```http!\nPOST /api/v1/X\n")
    assert page is not None and (Level.ERROR, 23, "unclosed ``` fence") in diagnostics
