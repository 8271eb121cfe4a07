"""Render agents into the files of a package, in memory: ``{relative path: text}``.

Each agent's folder holds its ``__init__.py`` and ``README.md``, rendered from the views of
every flavour, and the files of each client flavour in ``FLAVOURS`` (``codegen.emit.flavour``
says what a flavour is). Nothing here touches the disk; ``codegen.emit.write_output`` or
``codegen.output.write.sync`` does, at the edge, and a ``Memo`` from the caller
(``codegen.output.cache``) may keep rendered files between runs. The templates are
black-stable by construction: nothing formats their output.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import Any

import jinja2

from codegen import __version__
from codegen.emit import layout, runtimes
from codegen.emit.entity.flavour import ENTITY
from codegen.emit.flavour import Files, Flavour, Memo, Rendering, afresh
from codegen.emit.imports import all_key, isort_key
from codegen.emit.literals import docstring, literal
from codegen.emit.rest.flavour import REST
from codegen.emit.soap.flavour import SOAP
from codegen.ir import Agent
from codegen.naming import is_package_name
from codegen.passes.names import assign_names, client_name, module_names
from codegen.templates import Overrides, TemplateError, environment

FLAVOURS: tuple[Flavour[Any], ...] = (SOAP, REST, ENTITY)
"""The client flavours every agent is rendered in, each from its folder of ``codegen.emit``."""
REQUIRES_PYTHON = ">=3.11"
"""The oldest Python the generated package is tested on (the generator's own)."""
DEPENDENCIES = ("httpx>=0.27", "lxml>=5.0")
"""What every generated package imports beyond the standard library, at the oldest
versions the generator's tests allow."""
EXTRAS = {"online": ("cryptography>=42", "PyJWT>=2.8")}
"""The generated project's optional dependencies, by extra: ``online`` for the Online
system user (``SystemUser`` signs with cryptography and checks the JWT with PyJWT)."""


def render_sources(
    agents: Sequence[Agent], package: str, memo: Memo = afresh, templates: Overrides = ()
) -> dict[PurePosixPath, str]:
    """Every file of ``package`` for ``agents``: the package's own files and each agent's,
    as final text (the templates are black-stable; nothing formats it afterwards), with the
    override ``templates`` in place of the shipped ones of their names."""
    modules = module_names(a.name for a in agents)
    files = render_package(sorted(modules.values()), package, templates)
    for agent in agents:
        files.update(render_agent(agent, modules[agent.name], package, memo, templates))
    return dict(sorted(files.items()))


def render_package(
    modules: Sequence[str], package: str, templates: Overrides = ()
) -> dict[PurePosixPath, str]:
    """The files of ``package`` itself, for agents in the subpackages ``modules``.

    With ``render_agent``, this lets each agent be rendered in a process of its own
    (``codegen.generate`` does, for ``--agent all``); ``module_names`` assigns ``modules``.
    """
    env = _environment(package, templates)
    root = PurePosixPath(package)
    files = {
        root / "__init__.py": env.get_template("package_init.py.jinja").render(modules=modules),
        root / "py.typed": "",
    }
    for runtime in (*runtimes.SOAP, *runtimes.REST, *runtimes.ENTITY):
        files[root / runtime.file] = runtime.text
    return files


def render_agent(
    agent: Agent, module: str, package: str, memo: Memo = afresh, templates: Overrides = ()
) -> dict[PurePosixPath, str]:
    """The files of one agent's subpackage ``<package>.<module>``."""
    env = _environment(package, templates)
    names = assign_names(agent)
    views = {flavour.context: flavour.view(agent, names, module) for flavour in FLAVOURS}
    files: Files = {
        "__init__.py": env.get_template("agent_init.py.jinja").render(**views),
        "py.typed": "",
        "README.md": env.get_template("agent_readme.md.jinja").render(**views, package=package),
    }
    rendering = Rendering(env, memo)
    for flavour in FLAVOURS:
        view = views[flavour.context]
        if view is not None:
            files |= flavour.files(rendering, view, agent)
    folder = PurePosixPath(package) / module
    return {folder / path: text for path, text in distinct_under_case(files).items()}


def distinct_under_case(files: Files) -> Files:
    """``files`` with no two paths equal but for case, which a case-insensitive disk (macOS,
    Windows) would write as one file: the first in sorted order keeps its path, the others
    get ``_2``, ``_3``... after their name's first part (``GetUrl_2.request.json`` beside
    ``GetURL.request.json``). Only sample files can meet: modules and folders are named by
    ``codegen.naming``, in lower case."""
    taken: set[str] = set()
    distinct: Files = {}
    for path in sorted(files):
        head, slash, name = path.rpartition("/")
        stem, dot, suffixes = name.partition(".")
        target, number = path, 1
        while target.casefold() in taken:
            number += 1
            target = f"{head}{slash}{stem}_{number}{dot}{suffixes}"
        taken.add(target.casefold())
        distinct[target] = files[path]
    return distinct


def render_project(
    agents: Sequence[str], package: str, api_version: int | None, templates: Overrides = ()
) -> dict[PurePosixPath, str]:
    """The files that make the output folder a project ``pip install`` takes: its
    ``pyproject.toml`` and ``README.md``, beside ``package`` for ``agents`` (their names)
    of the API version ``api_version``."""
    env = _environment(package, templates)
    modules = module_names(agents)
    context = {
        "package": package,
        "version": project_version(api_version),
        "api_version": api_version,
        "generator_version": __version__,
        "requires_python": REQUIRES_PYTHON,
        "dependencies": DEPENDENCIES,
        "extras": EXTRAS,
        "agents": [(name, modules[name], client_name(name)) for name in sorted(agents)],
    }
    return {
        PurePosixPath("pyproject.toml"): env.get_template("pyproject.toml.jinja").render(context),
        PurePosixPath("README.md"): env.get_template("project_readme.md.jinja").render(context),
    }


def project_version(api_version: int | None) -> str:
    """The generated project's version: the API version, then the generator's
    (``87.0.1.0`` is Services87 by superoffice-codegen 0.1.0; ``0.`` first when the docs
    name no version). A release version, so that an index takes it, which orders by the
    API first and the generator second."""
    return f"{api_version or 0}.{__version__}"


def check_templates(templates: Overrides) -> None:
    """Compile each override template: ``TemplateError`` names the first that does not
    compile, with its line, before anything is rendered."""
    env = _environment("package", templates)
    for name, _ in templates:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{name}:{error.lineno}: {error.message}") from None


@functools.cache
def _environment(package: str, templates: Overrides) -> jinja2.Environment:
    """One environment per process and overrides: templates are compiled once, however
    many agents."""
    if not is_package_name(package):
        raise ValueError(f"not a Python package name: {package!r}")
    filters: dict[str, Callable[..., Any]] = {
        # Every method is rendered twice (blocking and asyncio) and doc text recurs: half
        # the docstrings of Services87 were made before, in the last few thousand.
        "docstring": functools.lru_cache(maxsize=4096)(docstring),
        "literal": literal,
        "code": _code,
        "toml": _toml_string,
    }
    env = environment(filters, templates)
    env.filters["table_cell"] = _table_cell
    env.filters["import_order"] = lambda names: sorted(names, key=isort_key)
    env.filters["all_order"] = lambda names: sorted(names, key=all_key)
    env.filters["format_code"] = lambda name: f"``{name}``"
    env.filters["markdown_code"] = lambda name: f"`{name}`"
    env.globals.update(layout.TEMPLATE_GLOBALS, runtime_public=runtimes.public)
    for flavour in FLAVOURS:
        env.globals.update(flavour.template_globals)
    return env


def _code(lines: list[str], indent: int) -> str:
    """Generated statements, indented to sit inside a block of the template."""
    pad = " " * indent
    return "\n".join(pad + line for line in lines)


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    return '"' + "".join(f"\\u{ord(c):04x}" if c in _TOML_ESCAPED else c for c in text) + '"'


_TOML_ESCAPED = frozenset('"\\\x7f' + "".join(map(chr, range(0x20))))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _table_cell(text: str) -> str:
    """Text that stays inside one Markdown table cell, control characters dropped."""
    text = " ".join(_CONTROL.sub("", text).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")
