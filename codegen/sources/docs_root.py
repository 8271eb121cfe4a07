"""Find the pages of a docs root: which versions and agents it holds, and where their files are.

A docs root is a folder laid out like the SuperOffice reference docs: ``soap/ServicesNN/...``
and/or ``restful/agent/...`` below it, and maybe the entity pages, ``restful/rest/...``. A checkout of the docs repository (with
``docs/api-reference/`` or ``api-reference/`` inside) is accepted too. Every listing is
sorted, so nothing downstream depends on the order the file system returns.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
    """The pages of one docs root, located but not read.

    Folders are listed with ``os.scandir``: a page is any ``*.md`` entry that is not a
    folder, so that a dangling link or a FIFO reaches the loader, which reports it, instead
    of vanishing from the listing. A folder that cannot be listed (no permission, a file
    where a folder belongs) is kept in ``unlisted`` with the reason, for the loader to report.
    """

    path: Path
    unlisted: dict[Path, str] = field(default_factory=dict, compare=False, hash=False)

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

    @property
    def rest_entities(self) -> Path:
        return self.path / "restful" / "rest"

    def versions(self) -> list[int]:
        found = (_SERVICES.fullmatch(e.name) for e in self._entries(self.soap) if e.is_dir())
        return sorted(int(m.group(1)) for m in found if m)

    def soap_agents(self, version: int) -> list[str]:
        """Agents with a method folder or a wrapped WSDL page in ``ServicesNN``."""
        prefix = f"Services{version}-"
        entries = self._entries(self.version_folder(version))
        names = {e.name for e in entries if e.is_dir()}
        names |= {
            e.name[len(prefix) : -len(".md")]
            for e in entries
            if e.name.startswith(prefix) and e.name.endswith(".md") and not e.is_dir()
        }
        return sorted(names)

    def rest_agent_names(self) -> list[str]:
        return sorted(
            e.name.removesuffix("_Agent")
            for e in self._entries(self.rest_agents)
            if e.is_dir() and e.name.endswith("_Agent")
        )

    def version_folder(self, version: int) -> Path:
        return self.soap / f"Services{version}"

    def wsdl_page(self, version: int, agent: str) -> Path | None:
        page = self.version_folder(version) / f"Services{version}-{agent}.md"
        return page if os.path.lexists(page) and not page.is_dir() else None

    def soap_pages(self, version: int, agent: str) -> list[Path]:
        folder = self.version_folder(version) / agent
        return self._pages(folder, lambda name: name != "index.md")

    def rest_pages(self, agent: str) -> list[Path]:
        folder = self.rest_agents / f"{agent}_Agent"
        return self._pages(folder, lambda name: name.startswith("v1"))

    def entity_folders(self) -> list[str]:
        """The folders of WebAPI entity endpoint pages (``User``, ``List_ReasonSold``)."""
        return sorted(e.name for e in self._entries(self.rest_entities) if e.is_dir())

    def entity_pages(self, folder: str) -> list[Path]:
        """A folder's endpoint pages, ``v1<Entity>_<Method>.md`` (not its ``index.md``)."""
        return self._pages(self.rest_entities / folder, lambda name: name.startswith("v1"))

    def _pages(self, folder: Path, wanted: Callable[[str], bool]) -> list[Path]:
        entries = self._entries(folder)
        return sorted(
            folder / e.name
            for e in entries
            if e.name.endswith(".md") and wanted(e.name) and not e.is_dir()
        )

    def _entries(self, folder: Path) -> list[os.DirEntry[str]]:
        """The entries of ``folder``; none when there is no such folder."""
        try:
            with os.scandir(folder) as entries:
                return list(entries)
        except FileNotFoundError:
            return []
        except OSError as error:
            self.unlisted[folder] = error.strerror or type(error).__name__
            return []
