"""The markdown of a REST method page, folded into sections of prose, fences and tables.

This module owns how the page's markdown is parsed: the YAML front matter is blanked (its
lines kept, so that every line keeps its number), markdown-it parses the rest once, and the
top-level tokens are folded into one ``Section`` per heading, holding its paragraphs,
fences (and whether each is closed) and tables (with each row's source line, to count the
cells it was written with). What the sections mean is ``codegen.sources.rest_page``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Only the block structure is needed: prose is cleaned from its raw inline source by
# clean_doc, so the inline rules (most of markdown-it's time) are switched off.
_MARKDOWN = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
# A line that opens a fence with an info string (```` ```http! ````): it can never close one.
_FENCE_OPENING = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*[^\s`~]", re.MULTILINE)
# A pipe that separates cells, as markdown-it splits rows: not escaped by a backslash.
_CELL_PIPE = re.compile(r"(?<!\\)\|")


def page_sections(text: str) -> list[Section]:
    """The page's sections, in order; the text before any heading has the title ""."""
    body = _blank_front_matter(text)
    return _sections(_MARKDOWN.parse(body), body.split("\n"))


@dataclass(frozen=True)
class Text:
    """A paragraph, an HTML block or a sub-heading: prose, as written."""

    line: int
    content: str


@dataclass(frozen=True)
class Fence:
    line: int
    info: str
    content: str
    closed: bool


@dataclass(frozen=True)
class Row:
    line: int
    cells: tuple[str, ...]
    source: str

    def written_cells(self) -> int:
        """How many cells the source line holds; markdown-it pads or cuts to the header's."""
        row = self.source.strip()
        ends = row.startswith("|") + (row.endswith("|") and not row.endswith("\\|"))
        return len(_CELL_PIPE.findall(row)) + 1 - ends


@dataclass(frozen=True)
class Table:
    line: int
    header: tuple[str, ...]
    rows: tuple[Row, ...]


Block = Text | Fence | Table


@dataclass
class Section:
    """A ``#``/``##`` heading and the blocks up to the next one."""

    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)

    def texts(self) -> Iterator[Text]:
        return (b for b in self.blocks if isinstance(b, Text))

    def fences(self) -> Iterator[Fence]:
        return (b for b in self.blocks if isinstance(b, Fence))

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks if isinstance(b, Table))


def _blank_front_matter(text: str) -> str:
    """Drop the YAML front matter but keep its line breaks, so lines keep their numbers."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text
    return "\n" * match.group(0).count("\n") + text[match.end() :]


def _sections(tokens: list[Token], lines: list[str]) -> list[Section]:
    """Fold the top-level tokens into sections; the text before any heading has title ""."""
    sections = [Section("", 1)]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = token.map[0] + 1 if token.map else 0
        if token.type == "heading_open":
            sections.append(Section(tokens[index + 1].content.strip(), line))
            index += 3
        elif token.type == "table_open":
            table, index = _table(tokens, index, lines)
            sections[-1].blocks.append(table)
        elif token.type == "paragraph_open":
            sections[-1].blocks.append(Text(line, tokens[index + 1].content))
            index += 3
        elif token.type == "fence":
            closed = _fence_closed(token, lines)
            sections[-1].blocks.append(Fence(line, token.info.strip(), token.content, closed))
            index += 1
        else:
            if token.type == "html_block":
                sections[-1].blocks.append(Text(line, token.content))
            index += 1
    return sections


def _fence_closed(token: Token, lines: list[str]) -> bool:
    """markdown-it runs an unclosed fence to the end of the page, or to the closing line of
    the next fence (whose opening line, with its info string, it takes as content): tell
    both apart from a closed fence."""
    assert token.map is not None
    start, end = token.map
    last = lines[end - 1].strip() if end - 1 < len(lines) else ""
    closed = end - start >= 2 and last.startswith(token.markup) and not last.strip(token.markup)
    return closed and _FENCE_OPENING.search(token.content) is None


def _table(tokens: list[Token], index: int, lines: list[str]) -> tuple[Table, int]:
    """Read the table opened at ``tokens[index]``; return it and the index after it."""
    opening = tokens[index]
    rows: list[Row] = []
    cells: list[str] = []
    row_line = 0
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            cells = []
            row_line = token.map[0] + 1 if token.map else 0
        elif token.type == "inline":
            cells.append(token.content)
        elif token.type == "tr_close":
            rows.append(Row(row_line, tuple(cells), lines[row_line - 1]))
        index += 1
    line = opening.map[0] + 1 if opening.map else 0
    header = rows[0].cells if rows else ()
    return Table(line, header, tuple(rows[1:])), index + 1
