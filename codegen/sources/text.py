"""Turn the docs' description markup into clean, readable plain text.

Descriptions mix XML doc-comment tags (``<see cref="..."/>``, ``<para/>``), the same tags
escaped (``&lt;see cref=...&gt;``), HTML (``<b>``, ``<br/>``, ``<p/>``), entities and
``{SuperOffice.X.Y}`` references. This module is the one place that knows them all; the
result holds no markup and is safe to quote, though never yet safe to paste into code.
"""

from __future__ import annotations

import html
import re

# Every pattern runs in time linear in the text, however it is damaged (the timing tests
# in tests/unit/test_linear_time.py hold them to it): a quantifier that could hand back what
# it took is possessive, and the text of a <see> stops at the next <see, so that each
# unclosed tag scans only up to the next one instead of to the end of the text.
_SEE = re.compile(
    r"""<see\s++(?:cref|langword|href)\s*+=\s*+["']([^"']*+)["']\s*+"""
    r"""(?:/>|>((?:(?!<see\b|</see\s*+>).)*+)</see\s*+>)""",
    re.DOTALL | re.IGNORECASE,
)
_BREAK = re.compile(r"<\s*+/?\s*+(?:para|p|br)\s*+/?\s*+>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*+(?:\s[^<>]*+)?/?>")
_REFERENCE = re.compile(r"\{(?:SuperOffice|System)\.(?:[\w`]*+\.)*+([\w`]++)\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _see_target(match: re.Match[str]) -> str:
    """``<see cref="M:SuperOffice.X.IUserAgent.GetUser">`` reads as its text, else ``GetUser``."""
    inner = match.group(2)
    if inner and inner.strip():
        return inner.strip()
    target = match.group(1).split(":", 1)[-1]
    return target.rstrip(".").rsplit(".", 1)[-1].lstrip("!")


def clean_doc(text: str) -> str:
    """Return ``text`` as plain paragraphs: tags resolved, entities decoded, spaces folded."""
    if "&" in text:
        # Decode first so that escaped tags (&lt;see cref=...&gt;) are handled like real ones.
        text = html.unescape(text)
    text = _SEE.sub(_see_target, text)
    text = _BREAK.sub("\n\n", text)
    text = _TAG.sub("", text)
    text = _REFERENCE.sub(r"\1", text)
    text = _CONTROL.sub("", text)
    paragraphs = (" ".join(part.split()) for part in _BLANK_LINES.split(text))
    return "\n\n".join(p for p in paragraphs if p)
