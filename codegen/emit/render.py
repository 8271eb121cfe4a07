"""Render agents into the files of a package, in memory: ``{relative path: text}``.

Python modules come out of the templates, then get exactly the imports their code uses
(found outside strings and comments, so words in docstrings never count). Nothing here touches
the disk; ``codegen.emit.write_output`` or ``codegen.write.sync`` does, at the edge, and a
``Memo`` from the caller (``codegen.cache``) may keep rendered files between runs: each module
and each method's samples are rendered through it under a digest of what they are made from.
The templates are black-stable by construction: nothing formats their output.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

import jinja2

from codegen.emit import layout
from codegen.emit.literals import docstring, literal
from codegen.emit.rest.samples import RestSampler
from codegen.emit.rest.view import RestAgentView, RestMethod, build_rest_view
from codegen.emit.soap.build import build_view
from codegen.emit.soap.samples import SoapSampler
from codegen.emit.soap.slots import NEXT_CHILD
from codegen.emit.soap.view import AgentView, OperationView
from codegen.ir import Agent, Operation
from codegen.naming import is_package_name
from codegen.passes.names import Names, assign_names, module_names
from codegen.templates import environment

_IMPORTS = "# <imports>"
_RUNTIME_NAMES = (
    "BOOLEANS",
    "END",
    "Element",
    "FlagReader",
    "Lookup",
    "Writers",
    "OperationInfo",
    "Session",
    "SoapVersion",
    "escape",
    "format_any_simple",
    "format_bool",
    "format_bytes",
    "format_datetime",
    "format_decimal",
    "format_duration",
    "format_flags",
    "format_float",
    "is_nil",
    "read_any_simple",
    "read_bool",
    "read_bytes",
    "read_datetime",
    "read_decimal",
    "read_duration",
    "read_float",
    "read_int",
    "read_nothing",
    "read_result",
    "read_str",
    "read_str_or_none",
    "subtype_entry",
    "xsi_type",
)
"""What the generated modules may take from ``_runtime``, each imported as ``_<name>``."""
_STANDARD = (
    ("datetime", "import datetime"),
    ("decimal", "import decimal"),
    ("enum", "import enum"),
    ("typing", "import typing"),
    ("Callable", "from collections.abc import Callable"),
    ("dataclass", "from dataclasses import dataclass"),
    ("Any", "from typing import Any"),
)
"""Standard-library imports, in isort order, by the name whose use needs them."""

Files = dict[str, str]
"""Rendered texts by name: files by their path in the agent's folder, or the parts of one
operation's code in a client module."""
Memo = Callable[[str, Callable[[], Files]], Files]
"""``memo(key, render)``: the files ``render`` makes, or the files it made in an earlier run
under ``key``, which digests everything ``render`` reads (``codegen.cache.Cache.rendered``
keeps them between runs)."""


def afresh(key: str, render: Callable[[], Files]) -> Files:
    """The ``Memo`` that remembers nothing."""
    return render()


def render_sources(
    agents: Sequence[Agent], package: str, memo: Memo = afresh
) -> dict[PurePosixPath, str]:
    """Every file of ``package`` for ``agents``: the package's own files and each agent's,
    as final text (the templates are black-stable; nothing formats it afterwards)."""
    modules = module_names(a.name for a in agents)
    files = render_package(sorted(modules.values()), package)
    for agent in agents:
        files.update(render_agent(agent, modules[agent.name], package, memo))
    return dict(sorted(files.items()))


def render_package(modules: Sequence[str], package: str) -> dict[PurePosixPath, str]:
    """The files of ``package`` itself, for agents in the subpackages ``modules``.

    With ``render_agent``, this lets each agent be rendered in a process of its own
    (``codegen.generate`` does, for ``--agent all``); ``module_names`` assigns ``modules``.
    """
    env = _environment(package)
    root = PurePosixPath(package)
    return {
        root / "__init__.py": env.get_template("package_init.py.jinja").render(modules=modules),
        root / "_runtime.py": env.get_template("runtime.py.jinja").render(),
        root / "_rest.py": env.get_template("rest_runtime.py.jinja").render(),
    }


def render_agent(
    agent: Agent, module: str, package: str, memo: Memo = afresh
) -> dict[PurePosixPath, str]:
    """The files of one agent's subpackage ``<package>.<module>``."""
    env = _environment(package)
    folder = PurePosixPath(package) / module
    names = assign_names(agent)
    files = _agent_files(env, build_view(agent, names, module), names, agent, package, memo)
    return {folder / path: text for path, text in files.items()}


@functools.cache
def _environment(package: str) -> jinja2.Environment:
    """One environment per process: templates are compiled once, however many agents."""
    if not is_package_name(package):
        raise ValueError(f"not a Python package name: {package!r}")
    env = environment({"docstring": docstring, "literal": literal, "code": _code})
    env.filters["table_cell"] = _table_cell
    env.filters["import_order"] = lambda names: sorted(names, key=isort_key)
    env.filters["all_order"] = lambda names: sorted(names, key=all_key)
    env.filters["format_code"] = lambda name: f"``{name}``"
    env.globals.update(layout.TEMPLATE_GLOBALS, NEXT_CHILD=NEXT_CHILD)
    return env


def _agent_files(
    env: jinja2.Environment,
    view: AgentView,
    names: Names,
    agent: Agent,
    package: str,
    memo: Memo,
) -> Files:
    """Each module is rendered from its view, each method's part of a client module from
    that method's view, and each method's samples from the method and the agent's types:
    after one page changed, ``memo`` has most of them from the last run."""
    rest = build_rest_view(agent, names) if any(op.rest for op in agent.operations) else None
    models = view.for_models()
    files = {
        "__init__.py": env.get_template("agent_init.py.jinja").render(agent=view, rest=rest),
        "py.typed": "",
        "README.md": env.get_template("agent_readme.md.jinja").render(
            agent=view, rest=rest, package=package
        ),
        "soap.py": _soap_module(env, view, memo),
        **memo(
            _key("models.py", models),
            lambda: {"models.py": _with_imports(_render(env, "models.py.jinja", models), ())},
        ),
    }
    if rest is not None:
        files["rest.py"] = _rest_module(env, rest, memo)
    samples = _Samples(env, SoapSampler(agent, view.prefixes), RestSampler(agent))
    # Everything of the agent a method's samples see, besides the method itself.
    context = _key(dataclasses.replace(agent, operations=()), view.prefixes)
    for op in agent.operations:
        files |= memo(_key("samples", context, op), functools.partial(samples.of, op))
    return files


def _render(env: jinja2.Environment, template: str, view: AgentView, **context: object) -> str:
    return env.get_template(template).render(agent=view, imports=_IMPORTS, **context)


_NO_SOAP_PART = dict.fromkeys(("functions", "info", "method", "async_method"), "")


def _soap_module(env: jinja2.Environment, view: AgentView, memo: Memo) -> str:
    """``soap.py``: the module around each operation's parts, with the imports they use."""
    macros = env.get_template("soap_operation.py.jinja").module
    parts = [
        memo(_key("soap.py", op), functools.partial(_soap_parts, macros, op))
        for op in view.operations
    ]
    # The names the code uses, for its imports: the module's own (found in it rendered
    # without the parts, which is cheap) and each part's (kept with the part).
    skeleton = _render(env, "soap.py.jinja", view, parts=[_NO_SOAP_PART] * len(parts))
    used = _names_used(skeleton).union(*(part["names"].split() for part in parts))
    return _with_imports(_render(env, "soap.py.jinja", view, parts=parts), view.public_names, used)


def _soap_parts(macros: Any, op: OperationView) -> Files:
    """An operation's code in ``soap.py``, and the names it uses (for the imports)."""
    parts = {
        "functions": str(macros.functions(op)),
        "info": str(macros.info(op)),
        "method": str(macros.method(op, False)),
        "async_method": str(macros.method(op, True)),
    }
    parts["names"] = " ".join(sorted(set().union(*map(_names_used, parts.values()))))
    return parts


def _rest_module(env: jinja2.Environment, rest: RestAgentView, memo: Memo) -> str:
    """``rest.py``: the module around each method's parts."""
    macros = env.get_template("rest_operation.py.jinja").module
    parts = [
        memo(_key("rest.py", op), functools.partial(_rest_parts, macros, op)) for op in rest.methods
    ]
    return env.get_template("rest.py.jinja").render(rest=rest, parts=parts)


def _rest_parts(macros: Any, op: RestMethod) -> Files:
    """A WebAPI method's code in ``rest.py``."""
    return {
        "definition": str(macros.definition(op)),
        "method": str(macros.method(op, False)),
        "async_method": str(macros.method(op, True)),
    }


def _key(*parts: object) -> str:
    """A digest of ``parts``: views and IR are frozen dataclasses of plain values, whose
    ``repr`` spells out every field, the same in every process."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class _Samples:
    env: jinja2.Environment
    soap: SoapSampler
    rest: RestSampler

    def of(self, op: Operation) -> Files:
        """The SOAP envelopes and the JSON samples of one method."""
        envelope = self.env.get_template("envelope.xml.jinja")
        files = {
            f"samples/soap/{name}": envelope.render(envelope=document)
            for name, document in self.soap.envelopes(op).items()
        }
        files |= {f"samples/rest/{name}": text for name, text in self.rest.samples(op).items()}
        return files


def _with_imports(source: str, models: Iterable[str], used: set[str] | None = None) -> str:
    """``source`` with its import marker replaced by the imports its code uses, isort-style.

    ``used`` are the names the code uses, when the caller knows them (see ``_names_used``).
    """
    used = _names_used(source) if used is None else used
    standard = [statement for name, statement in _STANDARD if name in used]
    if "field" in used:
        standard = [
            "from dataclasses import dataclass, field" if "dataclass" in line else line
            for line in standard
        ]
    sections = [["from __future__ import annotations"], standard]
    local = [
        f"from .._runtime import {name} as _{name}"
        for name in sorted(_RUNTIME_NAMES, key=isort_key)
        if f"_{name}" in used
    ]
    from_models = sorted((name for name in models if name in used), key=isort_key)
    if from_models:
        local += ["from .models import (", *(f"    {name}," for name in from_models), ")"]
    sections.append(local)
    # httpx only annotates (the caller brings the client): importing it would cost more than
    # the whole generated module.
    sections.append(["if typing.TYPE_CHECKING:", "    import httpx"] if "httpx" in used else [])
    return source.replace(_IMPORTS, "\n\n".join("\n".join(s) for s in sections if s), 1)


def isort_key(name: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    """isort's order of imported names: CONSTANTS, Classes, the rest; natural, any case."""
    return _casing(name), _natural(name.lower())


def all_key(name: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    """ruff's order for ``__all__``: grouped like isort, then natural and case-sensitive."""
    return _casing(name), _natural(name)


def _natural(name: str) -> tuple[tuple[int, str], ...]:
    """Digit runs compare as numbers (``Post2`` before ``Post10``)."""
    return tuple(
        (int(run), "") if run.isdigit() else (-1, run) for run in re.findall(r"\d+|\D+", name)
    )


def _casing(name: str) -> int:
    if name.isupper() and len(name) > 1:
        return 0
    return 1 if name[:1].isupper() else 2


_FIELD = re.compile(r"\{([^{}]+)\}")
"""A replacement field of an f-string (Python 3.11 tokenizes an f-string as one string)."""
_NOT_NAMES = re.compile(
    r"""
    (?=[rRbBuUfF'"\#.])
    (?:
      (?P<prefix>[rRbBuUfF]{0,2})
      (?:'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
        |\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
        |'[^'\\\n]*(?:\\.[^'\\\n]*)*'
        |"[^"\\\n]*(?:\\.[^"\\\n]*)*")
      |\#[^\n]*
      |\.(?:\s|\\\n)*[^\W\d]\w*
    )
    """,
    re.VERBOSE | re.DOTALL,
)
"""What holds no name the code refers to: a string literal (any prefix; an f-string is
searched for its replacement fields), a comment, an attribute after its dot."""
_NAME = re.compile(r"\b[^\W\d]\w*")


def _names_used(source: str) -> set[str]:
    """Every name the code refers to: no attribute names, nothing inside strings but the
    replacement fields of f-strings (less their format specs).

    Two regular expressions rather than the tokenizer, which took half of the rendering
    time; the generated modules of all of Services86 come out the same either way.
    """
    used: set[str] = set()

    def skip(match: re.Match[str]) -> str:
        if "f" in (match.group("prefix") or "").lower():
            for expression in _FIELD.findall(match.group()):
                used.update(_names_used(expression.partition("!")[0]))
        return " "

    used.update(_NAME.findall(_NOT_NAMES.sub(skip, source)))
    return used


def _code(lines: list[str], indent: int) -> str:
    """Generated statements, indented to sit inside a block of the template."""
    pad = " " * indent
    return "\n".join(pad + line for line in lines)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _table_cell(text: str) -> str:
    """Text that stays inside one Markdown table cell, control characters dropped."""
    text = " ".join(_CONTROL.sub("", text).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")
