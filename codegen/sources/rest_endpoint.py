"""What every WebAPI page says about its endpoint, read the same way on agent pages
(``codegen.sources.rest_page``) and entity pages (``codegen.sources.entity_page``).

A page names its endpoint in an ```` ```http ```` fence under the title, describes it,
then documents it in ``##`` sections: ``Query String Parameters``, ``Request Headers``,
``Request Body: <name>``, ``Response[: <kind>]`` and ``Sample Request``. This module owns
those sections, read from the paragraphs, fences and tables that
``codegen.sources.rest_sections`` folds the page's markdown into; each page kind adds what
is its own (the agent, the method's name, the request body's meaning).

Bad input never raises: what cannot be read becomes a ``Diagnostic`` with its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from codegen.ir import Diagnostic, Level, RestEndpoint, RestField
from codegen.sources.nesting import MAX_SAMPLE_DEPTH, too_deep_json
from codegen.sources.rest_sections import Block, Fence, Row, Section, Table, Text, page_sections
from codegen.sources.text import clean_doc

_ENDPOINT = re.compile(r"([A-Z]+)[ \t]+(/\S*)")
_CARRIER = re.compile(r"^Carrier object for ([\w.`]+)\.", re.MULTILINE)
# The line that names the response's JSON kind (``Response body: object``) again: no prose.
_BODY_WORD = re.compile(r"\s*Response body:", re.IGNORECASE)
_REQUIRED = re.compile(r"\*\*Required\*\*")
# Headers end at the first blank line; the body, if any, follows it.
_HEADERS_END = re.compile(r"\n[ \t]*\n")

QUERY_COLUMNS = ("Parameter Name", "Type", "Description")
PROPERTY_COLUMNS = ("Property Name", "Type", "Description")
_STATUS_COLUMNS = ("Response", "Description")
_SELECT = "$select"
ONLINE_RESTRICTED = "online restricted"
# The corpus has ``## Sample Request`` (both fences); the seed ``## Sample request`` and
# ``## Sample response``. Section titles are matched in lower case.
_SAMPLES = ("sample request", "sample response")
_SAMPLE_TAGS = {"http!": "request", "http_": "response"}


@dataclass
class PageReader:
    """What one page is being read into, and the findings so far."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, level: Level, line: int, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(self.file, line, level, message, hint))


SectionReader = Callable[[PageReader, Section, RestEndpoint], RestEndpoint]


def endpoint_page(
    reader: PageReader, text: str
) -> tuple[list[Section], int, Fence, str, str] | None:
    """The page's sections (an unclosed fence reported), the one its endpoint fence is in,
    the fence, and the HTTP method and path it names; None, reported, when it names none."""
    sections = page_sections(text)
    _report_unclosed_fences(reader, sections)
    found = endpoint_at(reader, sections)
    return None if found is None else (sections, *found)


def _report_unclosed_fences(reader: PageReader, sections: list[Section]) -> None:
    for section in sections:
        for fence in section.fences():
            if not fence.closed:
                hint = "it runs on to the end of the page or over the next fence"
                reader.report(Level.ERROR, fence.line, "unclosed ``` fence", hint)


def endpoint_at(reader: PageReader, sections: list[Section]) -> tuple[int, Fence, str, str] | None:
    """The section the endpoint fence is in, the fence, and the HTTP method and path it
    names (without a query string); None, reported, when the page names none."""
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
    return first, fence, match.group(1), match.group(2).split("?", 1)[0]


def _endpoint_fence(sections: list[Section]) -> tuple[int, Fence] | None:
    """The first ```http fence, which the title is followed by on every page."""
    for number, section in enumerate(sections):
        for fence in section.fences():
            if fence.info == "http":
                return number, fence
        if section.title and section.title.lower().startswith(_KNOWN_SECTIONS):
            return None
    return None


def checked(
    reader: PageReader, endpoint: RestEndpoint, places: Sequence[tuple[str, Iterable[str]]]
) -> RestEndpoint:
    """A name in two of the ``places`` (``(what, names)``: the path parts, the query, the
    body's parameters) would make two parameters of one name."""
    seen: dict[str, str] = {}
    for place, names in places:
        for name in names:
            first = seen.setdefault(name, place)
            if first != place:
                message = f"{name!r} is both a {first} and a {place}"
                reader.report(Level.ERROR, endpoint.line, message)
    return endpoint


def read_sections(
    reader: PageReader,
    sections: list[Section],
    fence: Fence,
    endpoint: RestEndpoint,
    readers: Sequence[tuple[str, SectionReader]],
) -> RestEndpoint:
    """The description runs up to the first known section; each known one is then read
    by its reader among ``readers`` (``section_readers``)."""
    description: list[Section] = []
    described = False
    for section in sections:
        found = section_reader(section.title, readers)
        if found is not None:
            described = True
            endpoint = found(reader, section, endpoint)
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


def section_reader(
    title: str, readers: Sequence[tuple[str, SectionReader]]
) -> SectionReader | None:
    lowered = title.lower()
    for prefix, found in readers:
        if lowered.startswith(prefix):
            return found
    return None


def _query(reader: PageReader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    query: list[RestField] = []
    select = False
    for table in tables(reader, section, QUERY_COLUMNS):
        for row in table.rows:
            if row.cells[0] == _SELECT:
                select = True
            else:
                query.append(table_row(row))
    return replace(endpoint, query=tuple(query), select=select)


def read_elsewhere(reader: PageReader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    """A section read at the page level, or not at all: the request headers are the same
    standard set on every page, which the client sets itself."""
    return endpoint


def _response(reader: PageReader, section: Section, endpoint: RestEndpoint) -> RestEndpoint:
    _, colon, word = section.title.partition(":")
    # ``## Response`` alone is 204 No Content; an empty word is a binary stream.
    kind = (word.strip() or "binary") if colon else "none"
    carrier = next((m.group(1) for t in section.texts() if (m := _CARRIER.search(t.content))), "")
    statuses: list[tuple[int, str]] = []
    fields: list[RestField] = []
    for table in section.tables():
        if table.header == _STATUS_COLUMNS:
            statuses += _statuses(reader, table)
        elif table.header == PROPERTY_COLUMNS:
            check_rows(reader, table)
            fields += (table_row(row) for row in table.rows)
        else:
            _unexpected_columns(reader, table, PROPERTY_COLUMNS)
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


def _statuses(reader: PageReader, table: Table) -> list[tuple[int, str]]:
    check_rows(reader, table)
    statuses: list[tuple[int, str]] = []
    for row in table.rows:
        code, text = row.cells[0].strip(), row.cells[1].strip()
        if code.isdigit():
            statuses.append((int(code), text))
        else:
            reader.report(Level.WARNING, row.line, f"not a status code: {code!r}")
    return statuses


def with_samples(
    reader: PageReader, sections: list[Section], endpoint: RestEndpoint
) -> RestEndpoint:
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


def _message_body(reader: PageReader, fence: Fence) -> str | None:
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


_KNOWN_SECTIONS = (
    ONLINE_RESTRICTED,
    "query string parameters",
    "request headers",
    "request body",
    "response",
    *_SAMPLES,
)


def section_readers(request_body: SectionReader) -> tuple[tuple[str, SectionReader], ...]:
    """The known sections, by the start of their title in lower case, each with its
    reader; the request body's meaning is each page kind's own (``request_body``)."""
    readers = {
        "query string parameters": _query,
        "request body": request_body,
        "response": _response,
    }
    return tuple((title, readers.get(title, read_elsewhere)) for title in _KNOWN_SECTIONS)


# --- Tables ------------------------------------------------------------------------


def tables(reader: PageReader, section: Section, columns: tuple[str, ...]) -> list[Table]:
    """The section's tables with these columns; anything else is reported."""
    found: list[Table] = []
    for table in section.tables():
        if table.header == columns:
            check_rows(reader, table)
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


def check_rows(reader: PageReader, table: Table) -> None:
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


def _unexpected_columns(reader: PageReader, table: Table, expected: tuple[str, ...]) -> None:
    reader.report(
        Level.ERROR,
        table.line,
        f"unexpected table columns {' | '.join(table.header)}",
        f"expected {' | '.join(expected)}",
    )


def table_row(row: Row) -> RestField:
    name, type_, description = row.cells
    required = "**Required**" in description
    if required:
        description = _REQUIRED.sub("", description)
    return RestField(name.strip(), type_.strip(), clean_doc(description), required)
