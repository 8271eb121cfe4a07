"""Find the pages of a docs root: which versions and agents it holds, and where their files are.

A docs root is a folder laid out like the SuperOffice reference docs: ``soap/ServicesNN/...``
and/or ``restful/agent/...`` below it. A checkout of the docs repository (with
``docs/api-reference/`` or ``api-reference/`` inside) is accepted too. Every listing is
sorted, so nothing downstream depends on the order the file system returns.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from codegen.output.within import Within

_SERVICES = re.compile(r"Services(\d+)")
_NESTED_ROOTS = ("", "api-reference", "docs/api-reference")


def find_root(path: Path) -> Path | None:
    """The folder below ``path`` that holds ``soap/`` or ``restful/``, if there is one."""
    for nested in _NESTED_ROOTS:
        candidate = path / nested if nested else path
        if (candidate / "soap").is_dir() or (candidate / "restful").is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class DocsRoot:
    """The pages of one docs root, located but not read."""

    path: Path

    @functools.cached_property
    def within(self) -> Within:
        """Which files are truly inside the root: a page a link takes out is not read."""
        return Within(self.path)

    @property
    def soap(self) -> Path:
        return self.path / "soap"

    @property
    def rest_agents(self) -> Path:
        return self.path / "restful" / "agent"

    def versions(self) -> list[int]:
        if not self.soap.is_dir():
            return []
        found = (_SERVICES.fullmatch(p.name) for p in self.soap.iterdir() if p.is_dir())
        return sorted(int(m.group(1)) for m in found if m)

    def soap_agents(self, version: int) -> list[str]:
        """Agents with a method folder or a wrapped WSDL page in ``ServicesNN``."""
        folder = self.version_folder(version)
        if not folder.is_dir():
            return []
        prefix = f"Services{version}-"
        names = {p.name for p in folder.iterdir() if p.is_dir()}
        names |= {p.stem[len(prefix) :] for p in folder.glob(f"{prefix}*.md") if p.is_file()}
        return sorted(names)

    def rest_agent_names(self) -> list[str]:
        if not self.rest_agents.is_dir():
            return []
        return sorted(
            p.name.removesuffix("_Agent")
            for p in self.rest_agents.iterdir()
            if p.is_dir() and p.name.endswith("_Agent")
        )

    def version_folder(self, version: int) -> Path:
        return self.soap / f"Services{version}"

    def wsdl_page(self, version: int, agent: str) -> Path | None:
        page = self.version_folder(version) / f"Services{version}-{agent}.md"
        return page if page.is_file() else None

    def soap_pages(self, version: int, agent: str) -> list[Path]:
        folder = self.version_folder(version) / agent
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.md") if p.is_file() and p.name != "index.md")

    def rest_pages(self, agent: str) -> list[Path]:
        folder = self.rest_agents / f"{agent}_Agent"
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("v1*.md") if p.is_file())
