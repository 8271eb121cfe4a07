"""How deep a documented sample nests, found in one pass without recursion.

Everything downstream of a reader walks a sample recursively (the merge pass learning
types from it, the sample writers, ``verify``, the agent inferred from envelopes), and
``json.loads`` itself recurses: a legal sample a few hundred levels deep would end in a
``RecursionError``. The readers measure each sample where they read it and drop one deeper than
``MAX_SAMPLE_DEPTH`` with a warning, so that no walk after them meets one: the REST page
reader with ``too_deep_json`` (no lxml here, so that reading a REST page never loads it),
the SOAP page reader counting the parsed envelope's levels.
"""

from __future__ import annotations

import re

MAX_SAMPLE_DEPTH = 64
"""Far above the docs (SOAP envelopes nest 7 deep, JSON samples 9), far below what a
recursive walk of Python's default stack survives."""

# A string (to its closing quote, or the end of the text when it has none) or a bracket.
# Possessive, and a string with no closing quote ends the scan: linear in the text.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"?|[\[\]{}]')
_OPENING = frozenset("[{")


def too_deep_json(text: str) -> int | None:
    """The offset in ``text`` of the first bracket past ``MAX_SAMPLE_DEPTH``, if any.
    Text that is no JSON is measured the same way: a bracket is a bracket."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark in _OPENING:
            depth += 1
            if depth > MAX_SAMPLE_DEPTH:
                return token.start()
        elif mark in "]}":
            depth = max(depth - 1, 0)
    return None
