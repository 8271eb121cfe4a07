"""``[tool.superoffice-codegen]`` in the user's ``pyproject.toml``: defaults for every flag.

A bare ``superoffice-codegen generate`` reads the nearest ``pyproject.toml`` at or above
the working directory; relative paths in it are taken from that file's folder, and flags
given on the command line override it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from codegen.bounded import read_bounded

SECTION = "superoffice-codegen"
_MAX_BYTES = 4 * 1024 * 1024
"""A pyproject.toml is a few kilobytes; a larger one (or a link to ``/dev/zero``) is refused."""
_KEYS = frozenset(
    {
        "docs",
        "wsdl",
        "api-version",
        "agents",
        "out",
        "package",
        "lock-timeout",
        "templates",
        "project",
    }
)


class ConfigError(Exception):
    """The configuration is unusable; the message names the file."""


@dataclass(frozen=True)
class Config:
    docs: Path | None = None
    wsdl: tuple[Path, ...] = ()
    version: int | None = None
    agents: tuple[str, ...] = ()
    out: Path | None = None
    package: str | None = None
    templates: Path | None = None
    lock_timeout: float | None = None
    project: bool | None = None
    source: Path | None = field(default=None, compare=False)
    deprecations: tuple[str, ...] = field(default=(), compare=False)
    """Old spellings the file uses, each with its new one."""


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> Config:
    """The section of the nearest pyproject.toml, or an empty Config when there is none."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Config()
    try:
        document = tomllib.loads(read_bounded(pyproject, _MAX_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject}: {error}") from None
    section = document.get("tool", {}).get(SECTION)
    if section is None:
        return Config()
    return _parse(section, pyproject)


def _parse(section: object, pyproject: Path) -> Config:
    where = f"{pyproject}: [tool.{SECTION}]"
    if not isinstance(section, dict):
        raise ConfigError(f"{where} is not a table")
    unknown = sorted(set(section) - _KEYS - {"version"})
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    deprecations = []
    if "version" in section:
        deprecations.append(f"{where}: version is deprecated: write api-version")
        if "api-version" in section:
            raise ConfigError(f"{where}: api-version and version: keep api-version only")
    base = pyproject.parent

    def path(key: str) -> Path | None:
        value = section.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be a string")
        return base / value

    def strings(key: str) -> tuple[str, ...]:
        value = section.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        return tuple(value)

    version = section.get("api-version", section.get("version"))
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ConfigError(f"{where}: api-version must be a number such as 86")
    package = section.get("package")
    if package is not None and not isinstance(package, str):
        raise ConfigError(f"{where}: package must be a string")
    timeout = section.get("lock-timeout")
    if timeout is not None and (
        not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout < 0
    ):
        raise ConfigError(f"{where}: lock-timeout must be a number of seconds, such as 60")
    project = section.get("project")
    if project is not None and not isinstance(project, bool):
        raise ConfigError(f"{where}: project must be true or false")
    return Config(
        lock_timeout=timeout,
        project=project,
        docs=path("docs"),
        wsdl=tuple(base / p for p in strings("wsdl")),
        version=version,
        agents=strings("agents"),
        out=path("out"),
        package=package,
        templates=path("templates"),
        source=pyproject,
        deprecations=tuple(deprecations),
    )
