"""What a run reads, decided in one place: the files each reader takes, and the folder
listings that chose them.

``codegen.load`` reads the files this plan lists and no others; ``codegen.output.stamp`` digests
every one of them (and the listings) for the fast path. Were the two to decide apart, a
file read but not digested could change without the stamp noticing, and the fast path
would call stale output current. The plan may list more than a run reads (a wrapped WSDL
page a raw WSDL stands in for): digesting a file too many costs a hash, never a stale
output.

Only the standard library and ``codegen.sources.docs_root``: the fast path plans too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codegen.settings import Settings
from codegen.sources.docs_root import DocsRoot, find_root


@dataclass(frozen=True)
class Resolved:
    """What the settings turned out to mean: the version and agents the run read."""

    version: int | None
    agents: tuple[str, ...]


@dataclass(frozen=True)
class AgentInputs:
    """The pages of one agent, by the reader that takes them."""

    name: str
    wsdl_page: Path | None
    """Read by the WSDL page reader, unless a raw WSDL of the agent stands in for it."""
    soap_pages: tuple[Path, ...]
    rest_pages: tuple[Path, ...]

    @property
    def pages(self) -> tuple[Path, ...]:
        return (*([self.wsdl_page] if self.wsdl_page else []), *self.soap_pages, *self.rest_pages)


@dataclass(frozen=True)
class Inputs:
    """Every file a run reads, and the listings of the folders that chose them."""

    root: DocsRoot | None
    wsdls: tuple[Path, ...]
    listings: tuple[tuple[Path, tuple[str, ...]], ...]
    """``(folder, names)``: the versions, the REST agents, the SOAP agents of the version."""
    agents: tuple[AgentInputs, ...]
    entity_pages: tuple[Path, ...] = ()
    """Every WebAPI entity endpoint page, whatever the agents: which agent a page joins
    depends on what the pages say (``codegen.passes.entities.join``), so a change to any of
    them can change any agent's output. The loader reads those of its agents."""

    @property
    def files(self) -> tuple[Path, ...]:
        pages = (page for agent in self.agents for page in agent.pages)
        return (*self.wsdls, *pages, *self.entity_pages)


def docs_root(settings: Settings) -> DocsRoot | None:
    """The docs root ``settings.docs`` holds, if it holds one."""
    if settings.docs is None:
        return None
    located = find_root(settings.docs)
    return DocsRoot(located) if located is not None else None


def plan(
    settings: Settings, resolved: Resolved, entity_pages: tuple[Path, ...] | None = None
) -> Inputs:
    """What reading the agents of ``resolved`` with ``settings`` takes.

    ``entity_pages`` are those ``all_entity_pages`` listed, when the caller has them: a run
    that reads its agents one at a time, in workers, lists the 1,257 pages of the docs once,
    not once per agent."""
    root = docs_root(settings)
    version = resolved.version
    agents = tuple(_agent_inputs(root, version, name, settings.rest) for name in resolved.agents)
    if not settings.rest:
        entity_pages = ()
    elif entity_pages is None:
        entity_pages = all_entity_pages(root)
    return Inputs(root, settings.wsdls, _listings(root, version), agents, entity_pages)


def all_entity_pages(root: DocsRoot | None) -> tuple[Path, ...]:
    """Every entity endpoint page of the docs, folder by folder."""
    if root is None:
        return ()
    return tuple(page for folder in root.entity_folders() for page in root.entity_pages(folder))


def _listings(
    root: DocsRoot | None, version: int | None
) -> tuple[tuple[Path, tuple[str, ...]], ...]:
    if root is None:
        return ()
    listings = [
        (root.soap, tuple(str(v) for v in root.versions())),
        (root.rest_agents, tuple(root.rest_agent_names())),
    ]
    if version is not None:
        listings.append((root.version_folder(version), tuple(root.soap_agents(version))))
    return tuple(listings)


def _agent_inputs(root: DocsRoot | None, version: int | None, name: str, rest: bool) -> AgentInputs:
    """The agent's pages; none without a docs root (its raw WSDL is then all there is)."""
    if root is None:
        return AgentInputs(name, None, (), ())
    return AgentInputs(
        name=name,
        wsdl_page=root.wsdl_page(version, name) if version is not None else None,
        soap_pages=tuple(root.soap_pages(version, name)) if version is not None else (),
        rest_pages=tuple(root.rest_pages(name)) if rest else (),
    )
