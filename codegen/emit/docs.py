"""Method docstrings in Google style (``Args:``, ``Returns:``, ``Raises:``): the style IDEs,
Sphinx (napoleon) and mkdocstrings render. Both client flavours build theirs here; the
``docstring`` filter then wraps the entries, hanging their continuation lines."""

from __future__ import annotations

from collections.abc import Iterable

from codegen.emit.literals import INDENT

CALL_RAISES = (
    ("TransportError", "No answer came back: the connection failed or timed out."),
    ("TypeError", "An argument is not of its annotated type."),
    ("ValueError", "An argument's value cannot be sent (a number out of range)."),
)
"""What a call of either flavour raises besides the flavour's own error."""


def google_doc(
    description: Iterable[str],
    args: Iterable[tuple[str, str]] = (),
    returns: str = "",
    raises: Iterable[tuple[str, str]] = (),
) -> str:
    """The docstring text: the ``description`` paragraphs (the first the summary), then a
    section for the documented ``args`` (name, text), ``returns`` and ``raises`` (the
    exception's name, when it is raised)."""
    parts = [paragraph.strip() for paragraph in description if paragraph.strip()]
    parts.append(_section("Args", args))
    if returns.strip():
        parts.append(f"Returns:\n{INDENT}{_line(returns)}")
    parts.append(_section("Raises", raises))
    return "\n\n".join(part for part in parts if part)


def _section(title: str, entries: Iterable[tuple[str, str]]) -> str:
    lines = [f"{INDENT}{name}: {_line(text)}" for name, text in entries if text.strip()]
    return f"{title}:\n" + "\n".join(lines) if lines else ""


def _line(text: str) -> str:
    """An entry's text on one line, which the filter wraps: its paragraphs run together."""
    return " ".join(text.split())
