"""Where the Jinja templates are, installed or not, and the one environment that renders them.

An installed wheel carries them at ``codegen/templates/`` (pyproject force-includes the
repository's top-level ``templates/`` there); a checkout has them at ``templates/`` beside
the ``codegen`` package.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

_PACKAGE = Path(__file__).resolve().parent


def template_dir() -> Path:
    """The installed templates if there are any, else the checkout's."""
    installed = _PACKAGE / "templates"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"


def environment(filters: dict[str, Callable[..., Any]]) -> jinja2.Environment:
    """A strict environment: an undefined name is an error, never an empty string.

    XML templates (``*.xml.jinja``) escape every value; Python templates escape nothing
    themselves and receive text only through the ``docstring`` and ``literal`` filters.
    """
    import jinja2  # here, so that finding the templates (``codegen.output.stamp``) needs no jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
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
