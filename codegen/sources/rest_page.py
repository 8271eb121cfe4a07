"""Read one WebAPI (REST) method page into a ``RestPage``.

A page (``restful/agent/User_Agent/v1UserAgent_GetUser.md``) names its endpoint in an
```` ```http ```` fence under the title, describes the method, then documents it in
``##`` sections: ``Online Restricted``, ``Query String Parameters``, ``Request Headers``,
``Request Body: <name>``, ``Response[: <kind>]`` and ``Sample Request``. This module owns
that layout, read from the sections of paragraphs, fences and tables that
``codegen.sources.rest_sections`` folds the page's markdown into.

Bad input never raises: what cannot be read becomes a ``Diagnostic`` with its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from codegen.ir import BodyKind, Diagnostic, Level, RestEndpoint, RestField, RestPage
from codegen.sources.nesting import MAX_SAMPLE_DEPTH, too_deep_json
from codegen.sources.rest_sections import Block, Fence, Row, Section, Table, Text, page_sections
from codegen.sources.text import clean_doc
from codegen.sources.xml_input import is_xml_name

_ENDPOINT = re.compile(r"([A-Z]+)[ \t]+(/\S*)")
_AGENT_PATH = re.compile(r"/Agents/([^/?]+)/[^/?]+$")
_AGENT_FOLDER = re.compile(r"(?:^|[/\\])([^/\\]+)_Agent[/\\][^/\\]*$")
_CARRIER = re.compile(r"^Carrier object for ([\w.`]+)\.", re.MULTILINE)
# The line that names the response's JSON kind (``Response body: object``) again: no prose.
_BODY_WORD = re.compile(r"\s*Response body:", re.IGNORECASE)
_REQUIRED = re.compile(r"\*\*Required\*\*")
# Headers end at the first blank line; the body, if any, follows it.
_HEADERS_END = re.compile(r"\n[ \t]*\n")

_QUERY_COLUMNS = ("Parameter Name", "Type", "Description")
_PROPERTY_COLUMNS = ("Property Name", "Type", "Description")
_STATUS_COLUMNS = ("Response", "Description")
_SELECT = "$select"
_ONLINE_RESTRICTED = "online restricted"
# The corpus has ``## Sample Request`` (both fences); the seed ``## Sample request`` and
# ``## Sample response``. Section titles are matched in lower case.
_SAMPLES = ("sample request", "sample response")
_SAMPLE_TAGS = {"http!": "request", "http_": "response"}


# --- Reading the sections ----------------------------------------------------------


@dataclass
class _Reader:
    """What one page is being read into, and the findings so far."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, level: Level, line: int, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(self.file, line, level, message, hint))


def read_rest_page(file: str, text: str) -> tuple[RestPage | None, list[Diagnostic]]:
    """Read one REST method page; ``None`` when it names no endpoint to hang the rest on."""
    reader = _Reader(file)
    return _read(reader, text), reader.diagnostics


def _read(reader: _Reader, text: str) -> RestPage | None:
    sections = page_sections(text)
    _report_unclosed_fences(reader, sections)
    found = _endpoint_fence(sections)
    if found is None:
        reader.report(Level.ERROR, 1, "no ```http endpoint fence", "expected `POST /api/v1/...`")
        return None
    first, fence = found
    endpoint_line = fence.content.split("\n", 1)[0].strip()
    match = _ENDPOINT.fullmatch(endpoint_line)
    if match is None:
        # An empty fence at the end of the page has no line of its own: point at the fence.
        line = fence.line + 1 if fence.content else fence.line
        reader.report(Level.ERROR, line, f"not an endpoint: {endpoint_line!r}")
        return None
    http_method, path = match.group(1), match.group(2).split("?", 1)[0]
    method = path.rstrip("/").rsplit("/", 1)[-1]
    if not is_xml_name(method):
        # The method names a Python method, and files of samples: never ``..`` or ``a b``.
        reader.report(Level.ERROR, fence.line + 1, f"{method!r} is not a method name")
        return None
    endpoint = RestEndpoint(http_method, path, reader.file, fence.line)
    endpoint = _checked(reader, _read_sections(reader, sections[first:], fence, endpoint))
    return RestPage(
        file=reader.file,
        agent=_agent_name(reader, path, fence.line),
        method=method,
        endpoint=_with_samples(reader, sections, endpoint),
        online_restricted=_online_restricted(sections),
    )


def _checked(reader: _Reader, endpoint: RestEndpoint) -> RestEndpoint:
    """A name in both the query and the body would make two parameters of one name."""
    in_query = {row.name for row in endpoint.query}
    for row in endpoint.body:
        if row.name in in_query:
            message = f"{row.name!r} is both a query parameter and a body property"
            reader.report(Level.ERROR, endpoint.line, message)
    return endpoint


def _report_unclosed_fences(reader: _Reader, sections: list[Section]) -> None:
    for section in sections:
        for fence in section.fences():
            if not fence.closed:
                hint = "it runs on to the end of the page or over the next fence"
                reader.report(Level.ERROR, fence.line, "unclosed ``` fence", hint)


def _endpoint_fence(sections: list[Section]) -> tuple[int, Fence] | None:
    """The first ```http fence, which the title is followed by on every page."""
    for number, section in enumerate(sections):
        for fence in section.fences():
            if fence.info == "http":
                return number, fence
        if section.title and _section_reader(section.title) is not None:
            return None
    return None


def _agent_name(reader: _Reader, path: str, line: int) -> str:
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


_SectionReader = Callable[[_Reader, Section, RestEndpoint], RestEndpoint]


def _read_sections(
    reader: _Reader, sections: list[Section], fence: Fence, endpoint: RestEndpoint
) -> RestEndpoint:
    """The description runs up to the first known section; each known one is then read."""
    description: list[Section] = []
    described = False
    for section in sections:
        section_reader = _section_reader(section.title)
        if section_reader is not None:
            described = True
            endpoint = section_reader(reader, section, endpoint)
        elif not described:
            description.append(section)
        else:
            reader.report(Level.WARNING, section.line, f"unknown section {section.title!r}")
    return _with_doc(endpoint, description, fence)


def _with_doc(endpoint: RestEndpoint, sections: list[Section], fence: Fence) -> RestEndpoint:
    """The description: the title's blocks but the endpoint fence, then any sub-sections."""
    paragraphs: list[str] = []
    for number, section in enumerate(sections):
        if number:
            paragraphs.append(clean_doc(section.title))
        for block in section.blocks:
            if block is not fence:
                paragraphs.append(_block_doc(block))
    doc = "\n\n".join(p for p in paragraphs if p)
    return replace(endpoint, doc=doc)


def _block_doc(block: Block) -> str:
    if isinstance(block, Text):
        return clean_doc(block.content)
    if isinstance(block, Fence):
        # A code sample keeps its lines; each is cleaned like prose.
        return "\n".join(c for c in map(clean_doc, block.content.split("\n")) if c)
    return ""


def _section_reader(title: str) -> _SectionReader | None:
    lowered = title.lower()
    for prefix, section_reader in _SECTION_READERS:
        if lowered.startswith(prefix):
            return section_reader
    return None


def _online_restricted(sections: list[Section]) -> str:
    # The heading repeats its own marker: ``## Online Restricted: ## The User agent...``.
    for section in sections:
        if section.title.lower().startswith(_ONLINE_RESTRICTED):
            return clean_doc(section.title.partition(":")[2].strip().lstrip("#"))
    return ""


def _query(reader: _Reader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    query: list[RestField] = []
    select = False
    for table in _tables(reader, section, _QUERY_COLUMNS):
        for row in table.rows:
            if row.cells[0] == _SELECT:
                select = True
            else:
                query.append(_field(row))
    return replace(endpoint, query=tuple(query), select=select)


def _read_elsewhere(reader: _Reader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    """A section read at the page level, or not at all: the request headers are the same
    standard set on every page, which the client sets itself."""
    return endpoint


def _request_body(reader: _Reader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    _, colon, word = section.title.partition(":")
    name = word.strip()
    has_table = any(True for _ in section.tables())
    if not colon or not name:
        reader.report(Level.ERROR, section.line, f"request body without a name: {section.title!r}")
        return endpoint
    if name in (BodyKind.REQUEST.value, BodyKind.ENTITY.value):
        fields = tuple(
            _field(row)
            for table in _tables(reader, section, _PROPERTY_COLUMNS)
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


def _response(reader: _Reader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    _, colon, word = section.title.partition(":")
    # ``## Response`` alone is 204 No Content; an empty word is a binary stream.
    kind = (word.strip() or "binary") if colon else "none"
    carrier = next((m.group(1) for t in section.texts() if (m := _CARRIER.search(t.content))), "")
    statuses: list[tuple[int, str]] = []
    fields: list[RestField] = []
    for table in section.tables():
        if table.header == _STATUS_COLUMNS:
            statuses += _statuses(reader, table)
        elif table.header == _PROPERTY_COLUMNS:
            _check_rows(reader, table)
            fields += (_field(row) for row in table.rows)
        else:
            _unexpected_columns(reader, table, _PROPERTY_COLUMNS)
    if not statuses:
        reader.report(Level.WARNING, section.line, "response without a status table")
    # Prose but the body kind line and a status's description repeated (the seed's "OK").
    said = {description for _, description in statuses}
    prose = (clean_doc(t.content) for t in section.texts() if not _BODY_WORD.match(t.content))
    return replace(
        endpoint,
        response_kind=kind,
        response_type=carrier,
        response_doc="\n\n".join(p for p in prose if p and p not in said),
        response_fields=tuple(fields),
        statuses=tuple(statuses),
    )


def _statuses(reader: _Reader, table: Table) -> list[tuple[int, str]]:
    _check_rows(reader, table)
    statuses: list[tuple[int, str]] = []
    for row in table.rows:
        code, text = row.cells[0].strip(), row.cells[1].strip()
        if code.isdigit():
            statuses.append((int(code), text))
        else:
            reader.report(Level.WARNING, row.line, f"not a status code: {code!r}")
    return statuses


def _with_samples(reader: _Reader, sections: list[Section], endpoint: RestEndpoint) -> RestEndpoint:
    """``http!`` is the request, ``http_`` the response. An untagged fence is the request
    unless one came before it or it sits under ``## Sample response``."""
    samples: dict[str, Fence] = {}
    for section in sections:
        if not section.title.lower().startswith(_SAMPLES):
            continue
        under_response = "response" in section.title.lower()
        for fence in section.fences():
            direction = _SAMPLE_TAGS.get(fence.info) or (
                "response" if under_response or "request" in samples else "request"
            )
            if direction in samples:
                reader.report(Level.WARNING, fence.line, f"a second {direction} sample")
            else:
                samples[direction] = fence
    request, response = samples.get("request"), samples.get("response")
    line, headers = _message_head(request) if request else ("", ())
    return replace(
        endpoint,
        sample_request=_message_body(reader, request) if request else None,
        sample_response=_message_body(reader, response) if response else None,
        sample_request_line=line,
        sample_request_headers=headers,
    )


def _message_head(fence: Fence) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The first line and the ``Name: value`` headers of an HTTP message as the page shows
    it: what comes before the blank line."""
    match = _HEADERS_END.search(fence.content)
    head = fence.content[: match.start()] if match else fence.content
    first, *rest = [line.strip() for line in head.strip("\n").split("\n")] or [""]
    fields = (line.partition(":") for line in rest)
    return first, tuple((name.strip(), value.strip()) for name, colon, value in fields if colon)


def _message_body(reader: _Reader, fence: Fence) -> str | None:
    """The body of an HTTP message as the page shows it: what follows the blank line. One
    nested too deep for the walks after the reader is left out, with a warning."""
    match = _HEADERS_END.search(fence.content)
    if match is None:
        return None
    body = fence.content[match.end() :].rstrip()
    too_deep = too_deep_json(body)
    if too_deep is not None:
        line = fence.line + 1 + fence.content.count("\n", 0, match.end() + too_deep)
        message = f"the sample nests deeper than {MAX_SAMPLE_DEPTH} levels: not used"
        reader.report(Level.WARNING, line, message, "the docs' samples nest 9 deep")
        return None
    return body.strip("\n") or None


_SECTION_READERS: tuple[tuple[str, _SectionReader], ...] = (
    (_ONLINE_RESTRICTED, _read_elsewhere),
    ("query string parameters", _query),
    ("request headers", _read_elsewhere),
    ("request body", _request_body),
    ("response", _response),
    (_SAMPLES[0], _read_elsewhere),
    (_SAMPLES[1], _read_elsewhere),
)


# --- Tables ------------------------------------------------------------------------


def _tables(reader: _Reader, section: Section, columns: tuple[str, ...]) -> list[Table]:
    """The section's tables with these columns; anything else is reported."""
    found: list[Table] = []
    for table in section.tables():
        if table.header == columns:
            _check_rows(reader, table)
            found.append(table)
        else:
            _unexpected_columns(reader, table, columns)
    unreadable = [t for t in section.texts() if t.content.lstrip().startswith("|")]
    for text in unreadable:
        reader.report(
            Level.ERROR,
            text.line,
            "a table markdown cannot read",
            "the header and the |---| row must have the same number of cells",
        )
    if not unreadable and not any(True for _ in section.tables()):
        reader.report(Level.ERROR, section.line, f"no table with columns {' | '.join(columns)}")
    return found


def _check_rows(reader: _Reader, table: Table) -> None:
    """Every row has the header's cells, and a name (or status) no other row has."""
    lines: dict[str, int] = {}
    for row in table.rows:
        written = row.written_cells()
        if written != len(table.header):
            reader.report(
                Level.ERROR,
                row.line,
                f"table row has {written} cells, the header {len(table.header)}",
            )
        name = row.cells[0].strip() if row.cells else ""
        if name in lines:
            message = f"{name!r} is already in the table, at line {lines[name]}"
            reader.report(Level.ERROR, row.line, message)
        elif name:
            lines[name] = row.line


def _unexpected_columns(reader: _Reader, table: Table, expected: tuple[str, ...]) -> None:
    reader.report(
        Level.ERROR,
        table.line,
        f"unexpected table columns {' | '.join(table.header)}",
        f"expected {' | '.join(expected)}",
    )


def _field(row: Row) -> RestField:
    name, type_, description = row.cells
    required = "**Required**" in description
    if required:
        description = _REQUIRED.sub("", description)
    return RestField(name.strip(), type_.strip(), clean_doc(description), required)
