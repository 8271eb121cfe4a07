"""The checks on names and namespaces read from input, before any of them reach generated code.

WSDLs are saved from live servers and sample envelopes are edited by hand, so neither is
trusted. They are parsed safely by ``codegen.sources.xml_parser``; this module owns two
checks on what the parse gives, and imports no lxml (``codegen.load`` checks agent names
with it before any page is read):

- a name that becomes a method, a class, a file name and an XML tag must be an XML name
  (``NCName``): letters, digits, ``_``, ``-`` and ``.``, not starting with a digit, so
  ``../x``, ``Get User`` and ``2fa`` never get that far;
- a namespace that the generated code writes into an ``xmlns`` attribute, a Clark name
  (``{ns}name``) or a ``SOAPAction`` header must hold no quote, brace, space or control
  character.
"""

from __future__ import annotations

import re

_XML_NAME = re.compile(r"[^\W\d][\w.-]*")
_URI_UNSAFE = re.compile(r'[\s"<>\\{}^`|\x00-\x1f\x7f]')


def is_xml_name(name: str) -> bool:
    """True for an XML name without a prefix (``CreateUserGroup``, ``Get.User``, ``Hämta``)."""
    return _XML_NAME.fullmatch(name) is not None


def is_safe_uri(value: str) -> bool:
    """True when ``value`` can sit in a quoted attribute, a Clark name and an HTTP header."""
    return _URI_UNSAFE.search(value) is None
