"""Read one SOAP method page (``soap/ServicesNN/<Agent>/<Method>.md``) into a ``SoapPage``.

This module owns the page's layout: the YAML front matter and the H1 that name the agent,
the ``## <Method>`` section (description, ``<b>Online Restricted:</b>``, parameter bullets,
``**Returns:**``), the endpoint named in the preamble, and the sample envelopes in the xml
fences under ``## <Method> Request`` and ``## <Method> Response``. Markdown goes through
markdown-it once per page, each envelope through lxml once; every problem becomes a
``Diagnostic`` with the page line it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from lxml import etree  # type: ignore[import-untyped]
from markdown_it import MarkdownIt
from markdown_it.token import Token

from codegen.ir import XSI, Diagnostic, Level, QName, Sample, SampleNode, SoapPage
from codegen.sources.nesting import MAX_SAMPLE_DEPTH
from codegen.sources.text import clean_doc
from codegen.sources.xml_input import is_xml_name
from codegen.sources.xml_parser import Element, NotParsed, parse

# Only the block structure is needed: descriptions are cleaned from their raw inline source
# by clean_doc, so the inline rules (the bulk of markdown-it's time) are switched off.
_MARKDOWN: Final = MarkdownIt("commonmark").disable(["inline", "text_join"])

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_FRONT_MATTER_ENTRY = re.compile(r"^([\w-]+)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_TITLE = re.compile(r"^Services(\d+)\.(\w+?)Agent\.(\w+)")
_H1 = re.compile(r"^Services(\d+) (\w+) (\w+)")
_PATH = re.compile(r"Services(\d+)[/\\](\w+)[/\\](\w+)\.md$")
_SERVICE_PATH = re.compile(r"\*\*([\w./-]+\.svc)\*\*")
_BULLET = re.compile(r"\*\*(.+?):\*\*[ \t]*(.*)", re.DOTALL)
_RETURNS = re.compile(r"\*\*Returns:\*\*[ \t]*(.*)", re.DOTALL)
_TRAILER = "[WSDL file for"
_ONLINE_RESTRICTED = re.compile(
    r"(?:<|&lt;)b(?:>|&gt;)\s*Online Restricted:\s*(?:<|&lt;)/b(?:>|&gt;)",
    re.IGNORECASE,
)
_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*$")
_NAME_HINT = "an XML name: letters, digits, '_', '-' and '.', not starting with a digit"

_SOAP_VERSIONS: Final = {
    "http://www.w3.org/2003/05/soap-envelope": "1.2",
    "http://schemas.xmlsoap.org/soap/envelope/": "1.1",
}
_XSI_TYPE: Final = f"{{{XSI}}}type"
_XSI_NIL: Final = f"{{{XSI}}}nil"


# --- Markdown blocks -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """A top-level markdown block, reduced to what the page layout needs.

    ``kind`` is ``heading``, ``paragraph``, ``html``, ``list`` or ``fence``; ``text`` the
    raw source (heading text, inline source, fence content); ``items`` a list's items,
    each the raw sources of its paragraphs.
    """

    kind: str
    line: int
    text: str = ""
    tag: str = ""
    items: tuple[tuple[str, ...], ...] = ()
    closed: bool = True


@dataclass
class _Section:
    """The blocks below one H2 heading (or above the first, with an empty title)."""

    title: str
    line: int
    blocks: list[_Block] = field(default_factory=list)


def _blocks(tokens: Sequence[Token], lines: Sequence[str], offset: int) -> Iterator[_Block]:
    """The top-level blocks; ``offset`` is how many page lines precede the parsed text."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = offset + (token.map[0] + 1 if token.map else 0)
        if token.type == "heading_open":
            yield _Block("heading", line, tokens[index + 1].content.strip(), token.tag)
        elif token.type == "paragraph_open":
            yield _Block("paragraph", line, tokens[index + 1].content)
        elif token.type == "html_block":
            yield _Block("html", line, token.content)
        elif token.type == "fence":
            language = token.info.split(maxsplit=1)[0] if token.info.strip() else ""
            yield _Block("fence", line, token.content, language, closed=_closed(token, lines))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            end = _matching_close(tokens, index)
            yield _Block("list", line, items=_list_items(tokens[index + 1 : end]))
            index = end
        index += 1


def _closed(fence: Token, lines: Sequence[str]) -> bool:
    """markdown-it runs an unclosed fence to the end of the page: look for its closing line."""
    assert fence.map is not None
    start, end = fence.map
    if end - start < 2 or end > len(lines):
        return False
    closing = _FENCE_CLOSE.match(lines[end - 1])
    return closing is not None and closing.group(1).startswith(fence.markup)


def _matching_close(tokens: Sequence[Token], start: int) -> int:
    level = tokens[start].level
    index = start + 1
    while not (tokens[index].nesting == -1 and tokens[index].level == level):
        index += 1
    return index


def _list_items(tokens: Sequence[Token]) -> tuple[tuple[str, ...], ...]:
    """Each item's paragraphs, nested ones included, as raw inline source."""
    items: list[list[str]] = []
    for token in tokens:
        if token.type == "list_item_open" and token.level == 1:
            items.append([])
        elif token.type == "inline" and items:
            items[-1].append(token.content)
    return tuple(tuple(item) for item in items)


def _sections(blocks: Iterator[_Block]) -> list[_Section]:
    sections = [_Section("", 1)]
    for block in blocks:
        if block.kind == "heading" and block.tag == "h2":
            sections.append(_Section(block.text, block.line))
        else:
            sections[-1].blocks.append(block)
    return sections


# --- The page ------------------------------------------------------------------------------


@dataclass
class _MethodText:
    """What the ``## <Method>`` section says, still as raw markup."""

    description: list[str] = field(default_factory=list)
    bullets: list[tuple[str, list[str]]] = field(default_factory=list)
    returns: list[str] = field(default_factory=list)


def read_soap_page(file: str, text: str) -> tuple[SoapPage | None, list[Diagnostic]]:
    """Read a SOAP method page; ``None`` when it has no ``## <Method>`` heading."""
    return _read_page(file, text)


def _read_page(file: str, text: str) -> tuple[SoapPage | None, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    text = text.removeprefix("\ufeff")
    front_matter, offset = _front_matter(text)
    body = text[len(front_matter) :] if front_matter else text
    lines = body.split("\n")
    sections = _sections(_blocks(_MARKDOWN.parse(body), lines, offset))
    preamble = sections[0]
    method_section = next((s for s in sections[1:] if not _is_sample_heading(s.title)), None)
    if method_section is None:
        heading = next((b for b in preamble.blocks if b.kind == "heading"), None)
        line = heading.line if heading else 1
        diagnostics.append(_error(file, line, "no '## <Method>' heading: not a SOAP method page"))
        return None, diagnostics
    method = method_section.title
    if not is_xml_name(method):
        diagnostics.append(
            _error(file, method_section.line, f"{method!r} is not a method name", _NAME_HINT)
        )
        return None, diagnostics
    version, agent = _identity(
        file, front_matter, preamble, method, method_section.line, diagnostics
    )
    method_text = _method_text(file, method_section, diagnostics)
    doc, online_restricted = _split_online_restricted("\n\n".join(method_text.description))
    page = SoapPage(
        file=file,
        agent=agent,
        version=version,
        method=method,
        doc=doc,
        online_restricted=online_restricted,
        parameters=tuple(
            (name, clean_doc("\n\n".join(parts))) for name, parts in method_text.bullets
        ),
        returns_doc=clean_doc("\n\n".join(method_text.returns)),
        request=_sample(file, sections, method_section, "Request", diagnostics),
        response=_sample(file, sections, method_section, "Response", diagnostics),
        service_path=_service_path(preamble),
    )
    return page, diagnostics


def _front_matter(text: str) -> tuple[str, int]:
    """The front matter block as written and the number of lines it spans."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return "", 0
    return match.group(0), match.group(0).count("\n")


def _is_sample_heading(title: str) -> bool:
    return title.endswith((" Request", " Response"))


def _identity(
    file: str,
    front_matter: str,
    preamble: _Section,
    method: str,
    method_line: int,
    diagnostics: list[Diagnostic],
) -> tuple[int | None, str]:
    """Version and agent from the H1, else the front-matter title, else the file path."""
    h1 = next((b.text for b in preamble.blocks if b.kind == "heading" and b.tag == "h1"), "")
    entries = dict(_FRONT_MATTER_ENTRY.findall(front_matter))
    title = next((v for k, v in entries.items() if k.lower() == "title"), "")
    match = _H1.match(h1) or _TITLE.match(title) or _PATH.search(file.replace("\\", "/"))
    if match is None:
        diagnostics.append(
            _warning(
                file,
                1,
                "the page names no agent",
                "expected an H1 like 'Services86 User X'",
            )
        )
        return None, ""
    if match.group(3) != method:
        diagnostics.append(
            _warning(file, method_line, f"heading {method!r} differs from {match.group(3)!r}")
        )
    return int(match.group(1)), match.group(2)


def _service_path(preamble: _Section) -> str:
    for block in preamble.blocks:
        match = _SERVICE_PATH.search(block.text) if block.kind == "paragraph" else None
        if match:
            return match.group(1)
    return ""


def _method_text(file: str, section: _Section, diagnostics: list[Diagnostic]) -> _MethodText:
    """Sort the section's blocks into description, bullets and returns.

    Paragraphs after the bullets continue the last bullet (markdown ends a list at an
    unindented paragraph), paragraphs after ``**Returns:**`` continue it, and the
    boilerplate from ``[WSDL file for ...]`` on is not the method's text.
    """
    text = _MethodText()
    current = text.description
    for block in section.blocks:
        if block.kind == "paragraph" and block.text.startswith(_TRAILER):
            break
        returns = _RETURNS.match(block.text) if block.kind == "paragraph" else None
        if returns:
            current = text.returns
            current.append(returns.group(1))
        elif block.kind == "list":
            current = _add_bullets(file, block, text.bullets, diagnostics) or current
        elif block.kind in ("paragraph", "html"):
            current.append(block.text)
    return text


def _add_bullets(
    file: str,
    block: _Block,
    bullets: list[tuple[str, list[str]]],
    diagnostics: list[Diagnostic],
) -> list[str] | None:
    """Add the list's parameter bullets; return the text list that later paragraphs continue."""
    for item in block.items:
        match = _BULLET.match(item[0]) if item else None
        if match is None:
            diagnostics.append(_warning(file, block.line, "a bullet that names no parameter"))
            continue
        bullets.append((match.group(1).strip(), [match.group(2), *item[1:]]))
    return bullets[-1][1] if bullets else None


def _split_online_restricted(description: str) -> tuple[str, str]:
    parts = _ONLINE_RESTRICTED.split(description, maxsplit=1)
    restricted = clean_doc(parts[1]) if len(parts) > 1 else ""
    return clean_doc(parts[0]), restricted


# --- Sample envelopes ----------------------------------------------------------------------


def _sample(
    file: str,
    sections: Sequence[_Section],
    method_section: _Section,
    direction: str,
    diagnostics: list[Diagnostic],
) -> Sample | None:
    title = f"{method_section.title} {direction}"
    section = next((s for s in sections if s.title.endswith(f" {direction}")), None)
    if section is None:
        diagnostics.append(
            _warning(
                file,
                method_section.line,
                f"no '## {title}' heading: no sample envelope",
            )
        )
        return None
    fence = next((b for b in section.blocks if b.kind == "fence" and b.tag in ("xml", "")), None)
    if fence is None:
        diagnostics.append(_warning(file, section.line, f"no xml fence below '## {title}'"))
        return None
    if not fence.closed:
        diagnostics.append(_error(file, fence.line, "the xml fence is never closed"))
    return _read_envelope(file, fence.text, fence.line + 1, diagnostics)


def _read_envelope(
    file: str, xml: str, first_line: int, diagnostics: list[Diagnostic]
) -> Sample | None:
    """Parse one fence; ``first_line`` is the page line of its first XML line."""
    data = xml.encode("utf-8")
    root = parse(data, "XML in the sample")
    if isinstance(root, NotParsed):
        diagnostics.append(_error(file, first_line + root.line - 1, root.message))
        return None
    too_deep = _too_deep(root)
    if too_deep is not None:
        line = first_line + too_deep - 1
        message = f"the sample nests deeper than {MAX_SAMPLE_DEPTH} levels: not used"
        diagnostics.append(_warning(file, line, message, "the docs' samples nest 7 deep"))
        return None
    envelope = etree.QName(root)
    soap_version = _SOAP_VERSIONS.get(envelope.namespace or "")
    if soap_version is None or envelope.localname != "Envelope":
        line = first_line + _start_tag_line(xml, root) - 1
        diagnostics.append(_error(file, line, "the sample is not a SOAP envelope"))
        return None
    nodes = _NodeReader(file, first_line - 1, diagnostics)
    headers: list[SampleNode] = []
    body: SampleNode | None = None
    for child in _elements(root):
        name = etree.QName(child)
        if name.namespace != envelope.namespace:
            headers.append(nodes.read(child))
        elif name.localname == "Header":
            headers.extend(nodes.read(header) for header in _elements(child))
        elif name.localname == "Body":
            body = next((nodes.read(wrapper) for wrapper in _elements(child)), None)
    return Sample(file, first_line, tuple(headers), body, soap_version)


def _too_deep(root: Element) -> int | None:
    """The source line of the first element past ``MAX_SAMPLE_DEPTH``, if any; counted
    without recursion, so that no walk of the sample after this one meets it."""
    depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_SAMPLE_DEPTH:
            return int(element.sourceline or 1)
    return None


def _start_tag_line(xml: str, element: Element) -> int:
    """The line where ``element``'s start tag begins; lxml gives the line where it ends."""
    prefix = f"{element.prefix}:" if element.prefix else ""
    opening = f"<{prefix}{etree.QName(element).localname}"
    lines = xml.split("\n")[: element.sourceline]
    for number in range(len(lines), 0, -1):
        if opening in lines[number - 1]:
            return number
    return int(element.sourceline)


def _elements(element: Element) -> Iterator[Element]:
    return (child for child in element if isinstance(child.tag, str))


class _NodeReader:
    """Turn lxml elements into ``SampleNode``s, resolving every prefix through ``nsmap``."""

    def __init__(self, file: str, line_offset: int, diagnostics: list[Diagnostic]) -> None:
        self._file = file
        self._line_offset = line_offset
        self._diagnostics = diagnostics
        self._names: dict[str, QName] = {}

    def read(self, element: Element) -> SampleNode:
        children = tuple([self.read(child) for child in _elements(element)])
        text = element.text or ""
        xsi_type = element.get(_XSI_TYPE)
        line = self._line_offset + (element.sourceline or 0)
        return SampleNode(
            name=self._name(element.tag),
            xsi_type=(None if xsi_type is None else self._type_name(xsi_type, element, line)),
            nil=element.get(_XSI_NIL) in ("true", "1"),
            text=text.strip() if children else text,
            children=children,
            line=line,
        )

    def _name(self, tag: str) -> QName:
        name = self._names.get(tag)
        if name is None:
            namespace, _, local = tag[1:].rpartition("}") if tag[:1] == "{" else ("", "", tag)
            name = self._names[tag] = QName(namespace, local)
        return name

    def _type_name(self, value: str, element: Element, line: int) -> QName | None:
        prefix, _, local = value.strip().rpartition(":")
        if not is_xml_name(local):
            self._diagnostics.append(
                _error(self._file, line, f"xsi:type {value!r} is not a type name", _NAME_HINT)
            )
            return None
        namespace = element.nsmap.get(prefix or None)
        if namespace is None:
            if prefix:
                self._diagnostics.append(
                    _warning(
                        self._file,
                        line,
                        f"xsi:type {value!r} uses an undeclared prefix",
                    )
                )
            namespace = ""
        return QName(namespace, local)


def _error(file: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, Level.ERROR, message, hint)


def _warning(file: str, line: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, Level.WARNING, message, hint)
