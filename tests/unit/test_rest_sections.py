"""A REST page's markdown folded into sections, on its own: lines, tables, fences."""

from __future__ import annotations

from codegen.sources.rest_sections import Fence, Table, Text, page_sections

PAGE = """\
---
title: GetUser
---

# GetUser

```http
GET /api/v1/Agents/User/GetUser
```

Gets a user.

## Query String Parameters

| Parameter Name | Type | Description |
|----------------|------|-------------|
| id | int32 | The id. |
| extra | string | Too many | cells |

## Sample Request

```http!
GET /api/v1/Agents/User/GetUser
"""


def test_front_matter_is_blanked_and_every_block_keeps_its_page_line() -> None:
    title, heading, query, sample = page_sections(PAGE)
    assert (title.title, heading.title, query.title, sample.title) == (
        "",
        "GetUser",
        "Query String Parameters",
        "Sample Request",
    )
    assert title.blocks == []
    assert heading.line == 5
    assert list(heading.fences()) == [
        Fence(7, "http", "GET /api/v1/Agents/User/GetUser\n", closed=True)
    ]
    assert list(heading.texts()) == [Text(11, "Gets a user.")]


def test_a_table_keeps_each_row_as_written() -> None:
    (table,) = page_sections(PAGE)[2].tables()
    assert isinstance(table, Table) and table.line == 15
    assert table.header == ("Parameter Name", "Type", "Description")
    assert [(row.line, row.cells[0], row.written_cells()) for row in table.rows] == [
        (17, "id", 3),
        (18, "extra", 4),
    ]


def test_a_fence_run_to_the_end_of_the_page_is_not_closed() -> None:
    (fence,) = page_sections(PAGE)[3].fences()
    assert (fence.line, fence.info, fence.closed) == (22, "http!", False)
