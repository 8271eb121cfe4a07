"""Text that becomes Python source: docstrings and literals, escaped so nothing can break out.

Doc text comes from the reference docs and may hold anything: ``\"\"\"``, backslashes, Jinja
delimiters, control characters, NUL bytes, any script. It reaches generated code only
through ``docstring`` (a string literal that reads as the text) or ``literal`` (``repr``).
"""

from __future__ import annotations

import re

WIDTH = 88
"""Docstring lines are wrapped to black's default line length, indentation included."""

_UNSAFE = re.compile(r'\\|"(?="|$)|[^\n\S ]|[^\w\s!-\[\]-~]', re.ASCII)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in '\\"':
        return "\\" + char
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escape(text: str) -> str:
    """Backslashes and quotes escaped, every unprintable character written as an escape."""
    return _UNSAFE.sub(_escape_char, text)


_LIST_ITEM = re.compile(r"\n\s*(?=- )")
_INDENTED = re.compile(r"\n(?=    \S)")
"""Where a line indented four spaces starts: an entry of a Google-style section (``Args:``)."""
INDENT = "    "


def _wrap(text: str, width: int, hang: str = "") -> list[str]:
    """One paragraph or list item, its whitespace folded, wrapped at ``width``; the lines
    after the first indented by ``hang`` (a list item's by two spaces).

    The lines ``textwrap.wrap`` makes of the folded text (no long word broken, nor at a
    hyphen), filled as it fills them: once folded, the text is words and single spaces, so
    each line takes words while they fit and a word too long for any line stands alone.
    textwrap's general chunking took most of the docstrings' time.
    """
    indent = hang or ("  " if text.startswith("- ") else "")
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) <= width:
            line += " " + word
            continue
        if line:
            lines.append(line)
        line = (indent if lines else "") + word
    if line:
        lines.append(line)
    return lines


def first_sentence(text: str) -> str:
    """The first sentence of the first paragraph of ``text``, on one line."""
    paragraph = text.strip().split("\n\n", 1)[0]
    head, dot, _ = paragraph.partition(". ")
    return " ".join((head + dot).split()).strip()


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted literal reading as ``text``, wrapped to fit at ``indent`` spaces.

    Paragraphs (separated by blank lines) are kept, and so are ``- `` list items at the
    start of a line and lines indented four spaces (the entries of a Google-style
    section such as ``Args:``, whose continuation lines hang four spaces further); the
    closing quotes go on their own line when the text runs over several lines, as black
    would put them.
    """
    width = max(WIDTH - indent, 40) - 3
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    if not paragraphs:
        return '""""""'
    lines: list[str] = []
    for paragraph in paragraphs:
        if lines:
            lines.append("")
        for block in _INDENTED.split(paragraph):
            if block.startswith(INDENT):
                entry = _wrap(block, width - len(INDENT), hang=INDENT)
                lines.extend(INDENT + _escape(line) for line in entry)
                continue
            for item in _LIST_ITEM.split(block):
                lines.extend(_escape(line) for line in _wrap(item, width))
    lines = _as_black_keeps(lines)
    pad = " " * indent
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    body = "\n".join(pad + line if line else "" for line in lines[1:])
    return f'"""{lines[0]}\n{body}\n{pad}"""'


def _as_black_keeps(lines: list[str]) -> list[str]:
    """The docstring's lines as black would leave them.

    black takes the indentation the lines after the first share as the docstring's own,
    and pads a quote that would touch the opening or (on one line) the closing quotes.
    """
    shared = min((len(line) - len(line.lstrip(" ")) for line in lines[1:] if line), default=0)
    lines = [lines[0], *(line[shared:] for line in lines[1:])]
    if lines[0].startswith('"'):
        lines[0] = " " + lines[0]
    if len(lines) == 1 and lines[0].endswith('"'):
        lines[0] += " "
    return lines


_LITERAL_TYPES = (str, int, float, bool, type(None), tuple)


def literal(value: object) -> str:
    """A Python literal for ``value``: ``repr``, which escapes whatever a string holds.

    Only plain values qualify, so that a template's mistake (an undefined name, an
    object) fails the rendering instead of printing its ``repr`` into the module.
    """
    if not isinstance(value, _LITERAL_TYPES):
        raise TypeError(f"no Python literal for a {type(value).__name__}: {value!r}")
    if isinstance(value, tuple):
        items = ", ".join(literal(item) for item in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    text = repr(value)
    if isinstance(value, str) and text[0] == "'" and '"' not in value:
        # black prefers double quotes; without any quote inside, swapping them is exact.
        return f'"{text[1:-1]}"'
    return text
