"""The one place the readers parse XML they did not write, and the settings that make it safe.

WSDLs are saved from live servers and sample envelopes are edited by hand, so neither is
trusted. Every lxml parser the readers use is made here: it expands no entity, loads no DTD,
fetches nothing over the network, and keeps lxml's default limits (256 levels deep, no huge
text nodes). A document type declaration is refused outright: no WSDL or envelope needs one,
and it is how entity bombs and external entities (a local file, a URL) arrive.

The checks on names and namespaces are in ``codegen.sources.xml_input``, which imports no
lxml: ``codegen.load`` uses them without loading the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from lxml import etree  # type: ignore[import-untyped]

DOCTYPE_REFUSED = (
    "a document type declaration (<!DOCTYPE>) is refused: "
    "it is how entity bombs and external entities arrive"
)

Element = Any
"""An lxml element: lxml ships no type information, so the name only documents intent."""

_SAFE: Final = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
_PARSER: Final = etree.XMLParser(**_SAFE, remove_comments=True, remove_pis=True)

# The prolog: an optional BOM, an XML declaration, comments and processing instructions,
# then the declaration. Only UTF-8 (or ASCII) prologs are recognised here; any document
# lxml parses is checked again through its docinfo.
_PROLOG_DOCTYPE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL
)
_POSITION = re.compile(r", line \d+, column (\d+)$")


@dataclass(frozen=True)
class NotParsed:
    """Why a document gave no element: the line of the document it concerns, and what."""

    line: int
    message: str


def parse(data: bytes, what: str = "XML") -> Element | NotParsed:
    """The root element of ``data``, comments and processing instructions left out.

    A document type declaration is refused; XML that does not parse is "malformed ``what``",
    with lxml's message and column but not its line, which the caller shifts to the page's.
    """
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        doctype = _doctype_line(data)
        if doctype is not None:
            return NotParsed(doctype, DOCTYPE_REFUSED)
        message = _POSITION.sub(r" (column \1)", str(error.msg))
        return NotParsed(max(error.lineno or 1, 1), f"malformed {what}: {message}")
    except etree.LxmlError as error:
        return NotParsed(1, f"unreadable {what}: {error}")
    if root.getroottree().docinfo.doctype:
        return NotParsed(_doctype_line(data) or 1, DOCTYPE_REFUSED)
    return root


def root_tag(data: bytes) -> str | None:
    """The Clark name of the root element that ``data`` (maybe only a document's start) opens.

    The root's prefix is resolved through its namespace declarations, past a BOM, the XML
    declaration and comments. Errors further on are the reader's to report, with their
    line, so this parser recovers from them.
    """
    sniffer = etree.XMLPullParser(events=("start",), recover=True, **_SAFE)
    try:
        sniffer.feed(data)
        for _event, root in sniffer.read_events():
            return str(root.tag)
    except etree.LxmlError:
        return None
    return None


def _doctype_line(data: bytes) -> int | None:
    """The line of the document type declaration in ``data``'s prolog, if it has one."""
    match = _PROLOG_DOCTYPE.match(data)
    return None if match is None else data.count(b"\n", 0, match.end()) + 1
