"""Where the Jinja templates are, installed or not, the user's overrides of them, and the one
environment that renders them.

The templates every flavour shares (a package's and an agent's ``__init__.py``, the agent's
README) are in the repository's top-level ``templates/``; an installed wheel carries them at
``codegen/templates/`` (pyproject force-includes them there). A client flavour's templates
are in its own folder, ``codegen/emit/<flavour>/templates/``, installed or not.

A user's folder of overrides (``--templates DIR``) comes first: a file there replaces the
shipped template of the same name. Every name is unique across the folders, so the name
alone says which template a file replaces.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

_PACKAGE = Path(__file__).resolve().parent
SUFFIX = ".jinja"
OVERRIDE_LIMIT = 1 << 20
"""The largest override template read, in bytes: a template is a page of text."""


class TemplateError(Exception):
    """An override folder that cannot be used; the message names the folder or the file."""


def template_dir() -> Path:
    """The shared templates: the installed ones if there are any, else the checkout's."""
    installed = _PACKAGE / "templates"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"


def flavour_template_dirs() -> tuple[Path, ...]:
    """The template folder of each client flavour, ``codegen/emit/<flavour>/templates``."""
    return tuple(sorted(path for path in (_PACKAGE / "emit").glob("*/templates") if path.is_dir()))


def shipped_templates() -> dict[str, Path]:
    """Every shipped template, by its name."""
    return {
        path.name: path
        for folder in (template_dir(), *flavour_template_dirs())
        for path in sorted(folder.iterdir())
        if path.name.endswith(SUFFIX)
    }


Overrides = tuple[tuple[str, str], ...]
"""Override templates as ``(name, text)`` pairs, by name: hashable, so that one environment
serves every agent rendered with them."""


def overrides(folder: Path | None) -> Overrides:
    """The templates of the override ``folder`` by name (none without one), each checked to
    replace a shipped template and read once, within a size bound and never through a link.

    Raises ``TemplateError`` for a missing folder, a file that replaces nothing (a misspelt
    name would otherwise be ignored without a word), a link, a file too large or not UTF-8."""
    if folder is None:
        return ()
    if not folder.is_dir():
        raise TemplateError(f"{folder}: templates folder does not exist")
    shipped = shipped_templates()
    found: list[tuple[str, str]] = []
    for path in sorted(folder.iterdir()):
        if not path.name.endswith(SUFFIX):
            continue
        if path.name not in shipped:
            known = ", ".join(sorted(shipped))
            raise TemplateError(f"{path}: replaces no shipped template (they are: {known})")
        if path.is_symlink() or not path.is_file():
            raise TemplateError(f"{path}: not a regular file (links are not followed)")
        with path.open("rb") as file:
            text = file.read(OVERRIDE_LIMIT + 1)
        if len(text) > OVERRIDE_LIMIT:
            raise TemplateError(f"{path}: larger than {OVERRIDE_LIMIT} bytes")
        try:
            found.append((path.name, text.decode("utf-8")))
        except UnicodeDecodeError as error:
            raise TemplateError(f"{path}: not UTF-8 ({error.reason})") from None
    return tuple(found)


def overrides_digest(templates: Overrides) -> str:
    """One digest of the override templates, empty when there are none: what the stamp and
    the render cache add to the generator's own digest."""
    if not templates:
        return ""
    sha = hashlib.sha256()
    for name, text in templates:
        sha.update(name.encode() + b"\0" + text.encode() + b"\0")
    return sha.hexdigest()


def environment(
    filters: dict[str, Callable[..., Any]], templates: Overrides = ()
) -> jinja2.Environment:
    """A strict environment over the shipped templates, ``templates`` (overrides, by name)
    first: an undefined name is an error, never an empty string.

    XML templates (``*.xml.jinja``) escape every value; Python templates escape nothing
    themselves and receive text only through the ``docstring`` and ``literal`` filters.
    """
    import jinja2  # here, so that finding the templates (``codegen.output.stamp``) needs no jinja2

    shipped: Sequence[Path] = (template_dir(), *flavour_template_dirs())
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.DictLoader(dict(templates)), jinja2.FileSystemLoader(list(shipped))]
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=jinja2.select_autoescape(enabled_extensions=("xml.jinja",), default=False),
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(filters)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, as Python keeps ``.pyc`` files: compiling the
    templates costs more than rendering a small agent. Jinja keys each entry by the
    template's source, so an edited template is compiled afresh. None where jinja finds no
    private cache folder (it refuses a shared one)."""
    import jinja2

    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None
