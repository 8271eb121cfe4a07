"""The one settings object of a run: what to read, what to make of it and where it goes.

Every command builds its ``Settings`` in ``settings_for``, from the flags first, then the
configuration (``codegen.config``), then the defaults; the loader, the stamp, the cache and
the writer all take it as it is. Library callers (tests, benchmarks) build one directly.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from codegen.config import Config
from codegen.ir import Diagnostic, Level
from codegen.output.write import DEFAULT_LOCK_TIMEOUT

T = TypeVar("T")
ALL = "all"
DEFAULT_DOCS = Path("specs")
DEFAULT_OUT = Path("generated")
DEFAULT_PACKAGE = "superoffice"
DEFAULT_AGENT = "User"


@dataclass(frozen=True)
class Settings:
    """A docs root and/or raw WSDLs, one version, some agents (or all), whether warnings
    fail the run, and for ``generate`` the package name, the output folder and whether to
    only compare."""

    docs: Path | None
    wsdls: tuple[Path, ...] = ()
    version: int | None = None
    agents: tuple[str, ...] = (ALL,)
    rest: bool = True
    """Read the REST pages too; the version diff leaves them out, being unversioned."""
    package: str = DEFAULT_PACKAGE
    out: Path = DEFAULT_OUT
    check: bool = False
    strict: bool = False
    """Warnings fail the run as errors do (``--strict``)."""
    templates: Path | None = None
    """A folder of templates that replace the shipped ones of their names (``--templates``)."""
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    """Seconds to wait for another run holding the output's lock (``--lock-timeout``)."""
    project: bool = True
    """Make the output an installable project: ``pyproject.toml`` and ``README.md`` beside
    the package (``--no-project`` for an output inside a project of the user's own)."""

    def refuses(self, diagnostics: Sequence[Diagnostic]) -> bool:
        """Whether ``diagnostics`` stop the run: any error, or under ``strict`` any at all."""
        return any(self.strict or d.level is Level.ERROR for d in diagnostics)


def settings_for(
    args: argparse.Namespace, config: Config, default_agents: tuple[str, ...]
) -> Settings:
    """The settings of one command: a flag given wins over the configuration, which wins
    over the defaults. A command without a flag (``ir`` has no ``--out``) takes the rest."""
    wsdls = tuple(args.wsdl) or config.wsdl
    docs = args.docs or config.docs
    if docs is None and not wsdls:
        docs = DEFAULT_DOCS
    return Settings(
        docs=docs,
        wsdls=wsdls,
        version=getattr(args, "api_version", None) or config.version,
        agents=tuple(args.agent or config.agents or default_agents),
        package=getattr(args, "package", None) or config.package or DEFAULT_PACKAGE,
        out=getattr(args, "out", None) or config.out or DEFAULT_OUT,
        check=getattr(args, "check", False),
        strict=args.strict,
        templates=getattr(args, "templates", None) or config.templates,
        lock_timeout=_first(
            getattr(args, "lock_timeout", None), config.lock_timeout, DEFAULT_LOCK_TIMEOUT
        ),
        project=_first(getattr(args, "project", None), config.project, True),
    )


def _first(flag: T | None, configured: T | None, default: T) -> T:
    """The flag if given, else the configured value, else ``default``. A flag of 0 or
    ``False`` is a flag given: ``--lock-timeout 0`` fails at once, ``--no-project`` wins
    over ``project = true``."""
    if flag is not None:
        return flag
    return default if configured is None else configured
