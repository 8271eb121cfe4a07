"""Read one WebAPI (REST) agent method page into a ``RestPage``.

A page (``restful/agent/User_Agent/v1UserAgent_GetUser.md``) documents one method of an
agent, ``POST /api/v1/Agents/User/GetUser``, in the sections every WebAPI page has
(``codegen.sources.rest_endpoint``), and adds what is an agent page's own: the agent and the
method, named by the path (and the folder), an ``Online Restricted`` line, and a request
body that is a ``request`` object of the method's parameters, an ``entity`` or a raw array.

Bad input never raises: what cannot be read becomes a ``Diagnostic`` with its line.
"""

from __future__ import annotations

import re
from dataclasses import replace

from codegen.ir import BodyKind, Diagnostic, Level, RestEndpoint, RestPage
from codegen.sources.rest_endpoint import (
    ONLINE_RESTRICTED,
    PROPERTY_COLUMNS,
    PageReader,
    checked,
    endpoint_page,
    read_sections,
    section_readers,
    table_row,
    tables,
    with_samples,
)
from codegen.sources.rest_sections import Section
from codegen.sources.text import clean_doc
from codegen.sources.xml_input import is_xml_name

_AGENT_PATH = re.compile(r"/Agents/([^/?]+)/[^/?]+$")
_AGENT_FOLDER = re.compile(r"(?:^|[/\\])([^/\\]+)_Agent[/\\][^/\\]*$")


def read_rest_page(file: str, text: str) -> tuple[RestPage | None, list[Diagnostic]]:
    """Read one REST method page; ``None`` when it names no endpoint to hang the rest on."""
    reader = PageReader(file)
    return _read(reader, text), reader.diagnostics


def _read(reader: PageReader, text: str) -> RestPage | None:
    found = endpoint_page(reader, text)
    if found is None:
        return None
    sections, first, fence, http_method, path = found
    method = path.rstrip("/").rsplit("/", 1)[-1]
    if not is_xml_name(method):
        # The method names a Python method, and files of samples: never ``..`` or ``a b``.
        reader.report(Level.ERROR, fence.line + 1, f"{method!r} is not a method name")
        return None
    endpoint = RestEndpoint(http_method, path, reader.file, fence.line)
    endpoint = read_sections(reader, sections[first:], fence, endpoint, _SECTION_READERS)
    return RestPage(
        file=reader.file,
        agent=_agent_name(reader, path, fence.line),
        method=method,
        endpoint=with_samples(reader, sections, _checked(reader, endpoint)),
        online_restricted=_online_restricted(sections),
    )


def _checked(reader: PageReader, endpoint: RestEndpoint) -> RestEndpoint:
    query = (row.name for row in endpoint.query)
    body = (row.name for row in endpoint.body)
    return checked(reader, endpoint, (("query parameter", query), ("body property", body)))


def _agent_name(reader: PageReader, path: str, line: int) -> str:
    """The agent as the endpoint path names it, cross-checked with the page's folder."""
    in_path = _AGENT_PATH.search(path)
    in_folder = _AGENT_FOLDER.search(reader.file)
    from_path = in_path.group(1) if in_path else ""
    from_folder = in_folder.group(1) if in_folder else ""
    if from_path and from_folder and from_path != from_folder:
        reader.report(
            Level.WARNING,
            line,
            f"endpoint agent {from_path} is in folder {from_folder}_Agent",
        )
    if not (from_path or from_folder):
        reader.report(Level.WARNING, line, f"cannot tell the agent of {path}")
    return from_path or from_folder


def _online_restricted(sections: list[Section]) -> str:
    # The heading repeats its own marker: ``## Online Restricted: ## The User agent...``.
    for section in sections:
        if section.title.lower().startswith(ONLINE_RESTRICTED):
            return clean_doc(section.title.partition(":")[2].strip().lstrip("#"))
    return ""


def _request_body(reader: PageReader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    _, colon, word = section.title.partition(":")
    name = word.strip()
    has_table = any(True for _ in section.tables())
    if not colon or not name:
        reader.report(Level.ERROR, section.line, f"request body without a name: {section.title!r}")
        return endpoint
    if name in (BodyKind.REQUEST.value, BodyKind.ENTITY.value):
        fields = tuple(
            table_row(row)
            for table in tables(reader, section, PROPERTY_COLUMNS)
            for row in table.rows
        )
        return replace(endpoint, body_kind=BodyKind(name), body_name=name, body=fields)
    if has_table:
        reader.report(
            Level.ERROR,
            section.line,
            f"unknown request body {name!r} with a table",
            "expected `request` or `entity` with a table, or a raw array without one",
        )
        return endpoint
    return replace(endpoint, body_kind=BodyKind.ARRAY, body_name=name)


_SECTION_READERS = section_readers(_request_body)
