"""Damaged inputs for the property tests: Hypothesis strategies that edit page text, WSDL
bytes and XML trees the way hand edits and bad downloads do, the settings the reader
properties run under, and the seed pages they start from.

Runs are derandomized (the same examples every time, as CI needs); set
``HYPOTHESIS_EXPLORE=1`` to draw new ones and many more of them.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from conftest import SPECS
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from lxml import etree  # type: ignore[import-untyped]

_LINE_BREAK = re.compile(r"\r\n?|\n")

EXPLORE = os.environ.get("HYPOTHESIS_EXPLORE") == "1"
READER_SETTINGS = settings(
    max_examples=600 if EXPLORE else 60,
    derandomize=not EXPLORE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEED_PAGES = sorted((SPECS / "soap/Services86/User").glob("*.md"))
SEED_REST = sorted((SPECS / "restful/agent/User_Agent").glob("*.md"))

# What hand edits and broken saves put into a page: fences, headings, bullets, table rows,
# tags, entities and declarations, quotes, template syntax, odd characters.
SNIPPETS = (
    "```",
    "```xml\n",
    "\n```\n",
    "\n## ",
    "\n## Sample Request\n",
    "\n# ",
    "\n* **personId:** ",
    "\n**Returns:** ",
    "| a | b |\n|---|---|\n",
    "|",
    "<",
    ">",
    "</",
    "/>",
    "<x>",
    "</User:Response>",
    ' xsi:type="xsd:int"',
    ' xsi:type="nope:Thing"',
    ' xsi:nil="true"',
    "&",
    "&amp;",
    "&undefined;",
    '<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "<![CDATA[",
    "<!--",
    "---\n",
    '"""',
    "'''",
    "\\",
    "{{ 7*7 }}",
    "{% raw %}",
    "\x00",
    "\x1b",
    "\ufeff",
    "\r",
    "\u2028",
    "ü",
    "0",
    " ",
    "\n",
)


# --- Mutations ---------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` after one to four edits of the kinds listed in the module docstring."""
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(_EDITS))
        text = edit(draw, text)
    return text


def _position(draw: st.DrawFn, text: str) -> int:
    return draw(st.integers(0, len(text)))


def _delete_span(draw: st.DrawFn, text: str) -> str:
    start = _position(draw, text)
    return text[:start] + text[start + draw(st.integers(1, 64)) :]


def _delete_lines(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[:start] + lines[start + draw(st.integers(1, 8)) :])


def _insert(draw: st.DrawFn, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at:]


def _insert_text(draw: st.DrawFn, text: str) -> str:
    at = _position(draw, text)
    return text[:at] + draw(st.text(max_size=12)) + text[at:]


def _truncate(draw: st.DrawFn, text: str) -> str:
    return text[: _position(draw, text)]


def _swap_sections(draw: st.DrawFn, text: str) -> str:
    sections = text.split("\n## ")
    if len(sections) < 3:
        return text
    first, second = sorted(
        draw(st.lists(st.integers(1, len(sections) - 1), min_size=2, max_size=2))
    )
    sections[first], sections[second] = sections[second], sections[first]
    return "\n## ".join(sections)


def _duplicate_lines(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    end = start + draw(st.integers(1, 12))
    return "\n".join(lines[:end] + lines[start:end] + lines[end:])


_EDITS: tuple[Callable[[st.DrawFn, str], str], ...] = (
    _delete_span,
    _delete_lines,
    _insert,
    _insert,
    _insert_text,
    _truncate,
    _swap_sections,
    _duplicate_lines,
)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """Byte-level damage on top of the text edits: stray bytes that are not UTF-8."""
    raw = draw(mutated(data.decode("utf-8"))).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw


# Values an edited attribute takes: names that exist, names that do not, odd text.
_ATTRIBUTE_VALUES = (
    "",
    "0",
    "unbounded",
    "-1",
    "true",
    "tns:Missing",
    "nope:Thing",
    "xs:int",
    "xs:anyType",
    "tns:UserGroup",
    "tns:SoExceptionInfo",
    "class",
    "None",
    "Über",
    'a"b',
    "{x}",
    "..",
)


_XML_TEXT = tuple(
    text
    for text in SNIPPETS + _ATTRIBUTE_VALUES
    if all(char in "\t\n\r" or char >= " " for char in text)
)
"""What lxml accepts as element text: no control characters but tab and line ends."""


@st.composite
def mutated_tree(draw: st.DrawFn, data: bytes) -> bytes:
    """A well-formed WSDL with one to four structural edits: elements removed, duplicated or
    swapped, attributes and text replaced. It stays XML, so the reading goes deep."""
    root = etree.fromstring(data)
    for _ in range(draw(st.integers(1, 4))):
        elements = list(root.iter(etree.Element))[1:]
        element = draw(st.sampled_from(elements))
        parent = element.getparent()
        action = draw(st.sampled_from(("remove", "duplicate", "swap", "attribute", "text")))
        if action == "remove":
            parent.remove(element)
        elif action == "duplicate":
            element.addnext(copy.deepcopy(element))
        elif action == "swap" and element.getnext() is not None:
            element.getnext().addnext(element)
        elif action == "attribute" and element.attrib:
            name = draw(st.sampled_from(sorted(element.attrib)))
            element.set(name, draw(st.sampled_from(_ATTRIBUTE_VALUES)))
        elif action == "text":
            element.text = draw(st.sampled_from(_XML_TEXT))
    return bytes(etree.tostring(root))


# --- The inputs --------------------------------------------------------------------------


@cache
def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")
