"""What the readers check in XML they did not write, before any of it reaches generated code.

WSDLs are saved from live servers and sample envelopes are edited by hand, so neither is
trusted. Both are parsed without entity expansion, DTD loading or network access, within
lxml's default limits (256 levels deep, no huge text nodes). On top of that, this module
owns three checks:

- a document type declaration is refused outright: no WSDL or envelope needs one, and it
  is how entity bombs and external entities (a local file, a URL) arrive;
- a name that becomes a method, a class, a file name and an XML tag must be an XML name
  (``NCName``): letters, digits, ``_``, ``-`` and ``.``, not starting with a digit, so
  ``../x``, ``Get User`` and ``2fa`` never get that far;
- a namespace that the generated code writes into an ``xmlns`` attribute, a Clark name
  (``{ns}name``) or a ``SOAPAction`` header must hold no quote, brace, space or control
  character.
"""

from __future__ import annotations

import re

DOCTYPE_REFUSED = (
    "a document type declaration (<!DOCTYPE>) is refused: "
    "it is how entity bombs and external entities arrive"
)

# The prolog: an optional BOM, an XML declaration, comments and processing instructions,
# then the declaration. Only UTF-8 (or ASCII) prologs are recognised here; any document
# lxml parses is checked again through its docinfo.
_PROLOG_DOCTYPE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.DOTALL
)
_XML_NAME = re.compile(r"[^\W\d][\w.-]*")
_URI_UNSAFE = re.compile(r'[\s"<>\\{}^`|\x00-\x1f\x7f]')


def doctype_line(data: bytes) -> int | None:
    """The line of the document type declaration in ``data``'s prolog, if it has one."""
    match = _PROLOG_DOCTYPE.match(data)
    return None if match is None else data.count(b"\n", 0, match.end()) + 1


def is_xml_name(name: str) -> bool:
    """True for an XML name without a prefix (``CreateUserGroup``, ``Get.User``, ``Hämta``)."""
    return _XML_NAME.fullmatch(name) is not None


def is_safe_uri(value: str) -> bool:
    """True when ``value`` can sit in a quoted attribute, a Clark name and an HTTP header."""
    return _URI_UNSAFE.search(value) is None
