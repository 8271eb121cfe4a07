"""Read one WebAPI entity endpoint page into an ``EntityPage``.

An entity page (``restful/rest/User/v1User_GetUser.md``) documents one endpoint of an
entity, ``GET /api/v1/User/{id}``, in the sections every WebAPI page has
(``codegen.sources.rest_endpoint``), and adds what is its own:

- its id in the file name, ``v1<Entity>_<Method>.md``, and its folder (``User``,
  ``List_ReasonSold``);
- a ``| Path Part | Type | Description |`` table of the path's ``{parts}``, in the
  description or under the Online Restricted heading;
- an Online Restricted heading that runs on into the description when the page had no
  blank line after it (``## Online Restricted: ## The CRMScript agent is not available in
  Online by default. ... Calls the CRMScript agent service DeleteTriggerScriptEntity.``):
  the restriction is its leading sentences, the rest is description, and so are the blocks
  under it (the PATCH pages' JSON Patch and Merge Patch examples);
- a request body named after the method's parameter (``entity``, ``newEntity``,
  ``entities``, ``changes string``, ``image binary``): one object its table describes, an
  array of them when the sample sends an array, an array with no table, or raw bytes;
- the agent, method and archive it names (``codegen.sources.entity_names``).

Bad input never raises: what cannot be read becomes a ``Diagnostic`` with its line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePath

from codegen.ir import (
    BodyKind,
    Diagnostic,
    EntityEndpoint,
    EntityPage,
    Level,
    RestEndpoint,
    RestField,
)
from codegen.sources.entity_names import PAGE_ID, archive, called_method, named_agents
from codegen.sources.rest_endpoint import (
    ONLINE_RESTRICTED,
    PROPERTY_COLUMNS,
    PageReader,
    check_rows,
    checked,
    endpoint_page,
    read_sections,
    section_readers,
    table_row,
    tables,
    with_samples,
)
from codegen.sources.rest_sections import Section, Table, Text
from codegen.sources.text import clean_doc
from codegen.sources.xml_input import is_xml_name

_PATH_PART_COLUMNS = ("Path Part", "Type", "Description")
_PATH_PART = re.compile(r"\{([^{}]*)\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_BINARY = "binary"
# What an entity's answer is, in its response prose: "User entity with API _Links added."
_LINKED_ENTITY = re.compile(r"^(\w+) entity with API _Links added\.", re.MULTILINE)


def read_entity_page(file: str, text: str) -> tuple[EntityPage | None, list[Diagnostic]]:
    """Read one entity endpoint page; ``None`` when it names no endpoint, or its file name
    no entity and method, to hang the rest on."""
    reader = PageReader(file)
    return _read(reader, text), reader.diagnostics


def _read(reader: PageReader, text: str) -> EntityPage | None:
    page_id = PAGE_ID.fullmatch(PurePath(reader.file).name)
    if page_id is None or not is_xml_name(page_id.group(2)):
        reader.report(Level.ERROR, 1, "not an entity page name", "expected v1<Entity>_<Method>.md")
        return None
    found = endpoint_page(reader, text)
    if found is None:
        return None
    sections, first, fence, http_method, path = found
    sections, restriction = _restriction_as_description(sections)
    parts = _path_parts(reader, sections[first:], path, fence.line)
    endpoint = RestEndpoint(http_method, path, reader.file, fence.line, path_parts=parts)
    endpoint = read_sections(reader, sections[first:], fence, endpoint, _SECTION_READERS)
    endpoint = _body_shape(with_samples(reader, sections, _checked(reader, endpoint)))
    linked = _LINKED_ENTITY.search(endpoint.response_doc)
    if linked and not endpoint.response_type:
        endpoint = replace(endpoint, response_type=linked.group(1))
    return EntityPage(
        file=reader.file,
        agent=_agent(reader, text, fence.line),
        endpoint=EntityEndpoint(
            folder=PurePath(reader.file).parent.name,
            entity=page_id.group(1),
            name=page_id.group(2),
            rest=endpoint,
            calls=called_method(text),
            archive=archive(text),
            online_restricted=restriction,
        ),
    )


def _checked(reader: PageReader, endpoint: RestEndpoint) -> RestEndpoint:
    """The parameters are the path parts, the query's and the body (one, by its name)."""
    parts = (row.name for row in endpoint.path_parts)
    query = (row.name for row in endpoint.query)
    body = [endpoint.body_name] if endpoint.body_name else []
    places = (("path part", parts), ("query parameter", query), ("request body", body))
    return checked(reader, endpoint, places)


def _agent(reader: PageReader, text: str, line: int) -> str:
    named = named_agents(text)
    if len(named) > 1:
        message = f"the page names the agents {', '.join(named)}: {named[0]} is taken"
        reader.report(Level.WARNING, line, message)
    return named[0] if named else ""


def _restriction_as_description(sections: list[Section]) -> tuple[list[Section], str]:
    """The sections with the Online Restricted one made description, and the restriction.

    The restriction is the heading's leading sentences; the description it swallowed starts
    at the first sentence that names the call (``Calls the ...``) or introduces what follows
    (ends in a colon: ``... can be done either as a JSON PATCH:``).
    """
    for number, section in enumerate(sections):
        if section.title.lower().startswith(ONLINE_RESTRICTED):
            heading = clean_doc(section.title.partition(":")[2].strip().lstrip("#"))
            sentences = _SENTENCE_END.split(heading) if heading else []
            cut = next(
                (
                    i
                    for i, s in enumerate(sentences)
                    if s.startswith("Calls the") or s.endswith(":")
                ),
                len(sentences),
            )
            swallowed = Text(section.line, " ".join(sentences[cut:]))
            described = Section("", section.line, [swallowed, *section.blocks])
            return [*sections[:number], described, *sections[number + 1 :]], " ".join(
                sentences[:cut]
            )
    return sections, ""


def _path_parts(
    reader: PageReader, sections: list[Section], path: str, line: int
) -> tuple[RestField, ...]:
    """The Path Part table's rows, taken out of the description, in the order the path
    names them; a part the table lacks is text, a row the path lacks is left out, each
    reported."""
    rows: dict[str, RestField] = {}
    for section in sections:
        found = [
            b for b in section.blocks if isinstance(b, Table) and b.header == _PATH_PART_COLUMNS
        ]
        for table in found:
            check_rows(reader, table)
            rows.update((row.name, row) for row in map(table_row, table.rows))
        section.blocks = [b for b in section.blocks if b not in found]
    in_path = list(dict.fromkeys(_PATH_PART.findall(path)))
    for name in in_path:
        if name not in rows:
            reader.report(
                Level.WARNING, line, f"path part {{{name}}} is not in the Path Part table"
            )
    for name in rows.keys() - set(in_path):
        reader.report(Level.WARNING, line, f"path part {name!r} of the table is not in the path")
    return tuple(rows.get(name) or RestField(name, "string", required=True) for name in in_path)


def _request_body(reader: PageReader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    """``Request Body: <parameter> [<type>]``: the object its table describes, raw bytes
    for the type ``binary``, else (no table) an array."""
    words = section.title.partition(":")[2].split()
    if not words:
        reader.report(Level.ERROR, section.line, f"request body without a name: {section.title!r}")
        return endpoint
    name = words[0]
    if words[1:] == [_BINARY]:
        return replace(endpoint, body_kind=BodyKind.BINARY, body_name=name)
    if not any(True for _ in section.tables()):
        return replace(endpoint, body_kind=BodyKind.ARRAY, body_name=name)
    rows = tuple(
        table_row(row) for table in tables(reader, section, PROPERTY_COLUMNS) for row in table.rows
    )
    return replace(endpoint, body_kind=BodyKind.ENTITY, body_name=name, body=rows)


def _body_shape(endpoint: RestEndpoint) -> RestEndpoint:
    """A described body the sample sends as an array (``entities``, a JSON Patch's
    ``changes``) is an array of the objects the table describes."""
    sample = (endpoint.sample_request or "").lstrip()
    if endpoint.body_kind is BodyKind.ENTITY and sample.startswith("["):
        return replace(endpoint, body_kind=BodyKind.ARRAY)
    return endpoint


_SECTION_READERS = section_readers(_request_body)
