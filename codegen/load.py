"""Read a docs root (and any raw WSDL files) into merged ``Agent``s with their diagnostics.

This is the one entry point from files on disk to the IR: it picks the version and the
agents, reads every page ``codegen.inputs`` plans for them exactly once, and runs the
passes of ``codegen.passes`` per agent, in their order.
"""

from __future__ import annotations

import difflib
import errno
import gc
import os
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from codegen.inputs import AgentInputs, Resolved, all_entity_pages, docs_root, plan
from codegen.ir import Agent, Diagnostic, EntityPage, Level, ReadResult, RestPage, SoapPage
from codegen.passes import AgentSources, run_passes
from codegen.passes.entities import join
from codegen.settings import ALL, Settings
from codegen.sources.docs_root import DocsRoot
from codegen.sources.xml_input import is_xml_name

MAX_FILE_BYTES = 8 * 1024 * 1024
"""No page or WSDL of the corpus reaches 1 MB; a file past this is refused unread, so that
a runaway file (or ``/dev/zero``) cannot stall a hook or a CI run."""
T = TypeVar("T")


class ReadPage(Protocol):
    """How a reader is applied to a page's text: directly, or through a cache of results."""

    def __call__(
        self,
        reader: Callable[[str, str], tuple[T | None, list[Diagnostic]]],
        file: str,
        text: str,
    ) -> tuple[T | None, list[Diagnostic]]: ...


def read_directly(
    reader: Callable[[str, str], tuple[T | None, list[Diagnostic]]], file: str, text: str
) -> tuple[T | None, list[Diagnostic]]:
    return reader(file, text)


Joined = Mapping[Path, str]
"""Each entity page of the docs to the agent it joins (``codegen.passes.entities``)."""


def load(
    settings: Settings, read: ReadPage = read_directly, joined: Joined | None = None
) -> ReadResult:
    """Read and merge the agents ``settings`` names; every finding comes back as data.

    ``read`` applies the page readers; ``codegen.output.cache`` answers from the results of
    an earlier run for pages whose text has not changed. ``joined`` is the join
    ``agent_names`` found, when the caller has it: a run that loads its agents one at a
    time, in workers, scans the entity pages once, not once per agent.
    """
    with cycle_collector_paused():
        return _load(settings, read, joined)


def agent_names(settings: Settings) -> tuple[int | None, tuple[str, ...], Joined]:
    """The version and the agents ``load(settings)`` would read, found without reading a
    page but for the few lines of the entity pages that name their agent, and the join
    those give.

    Only raw WSDL files are parsed (they name their agent). Whatever is wrong is left for
    ``load`` to report: an unknown agent is simply not in the answer.
    """
    _, _, version, names, joined = _resolve(settings, [], None)
    return version, tuple(names), joined


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Keep Python's cycle collector from scanning the IR while it is built (and, in
    ``codegen.generate``, the views while they are rendered).

    Reading makes hundreds of thousands of small acyclic objects that all outlive the
    pages they came from; the collector would rescan them as they are made, finding
    nothing to free: over Services86 that is a third of the readers' time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(settings: Settings, read: ReadPage, known: Joined | None) -> ReadResult:
    """``load`` with the cycle collector paused. The join holds every entity page of the
    docs, as ``all_entity_pages`` listed them, so the plan takes its pages from there:
    an agent loaded in a worker does not list the docs' entity folders again."""
    diagnostics: list[Diagnostic] = []
    _, raw, version, names, joined = _resolve(settings, diagnostics, known)
    inputs = plan(settings, Resolved(version, tuple(names)), tuple(joined))
    agents = [
        _load_agent(
            pages,
            version,
            inputs.root,
            raw.get((version, pages.name.lower())),
            [page for page in inputs.entity_pages if joined.get(page) == pages.name],
            diagnostics,
            read,
        )
        for pages in inputs.agents
    ]
    if inputs.root is not None:
        for folder, reason in sorted(inputs.root.unlisted.items()):
            message = f"cannot list the folder: {reason}"
            diagnostics.append(Diagnostic(str(folder), 0, Level.ERROR, message))
    return ReadResult(agents=tuple(agents), diagnostics=tuple(sorted(diagnostics)))


def _resolve(settings: Settings, diagnostics: list[Diagnostic], known: Joined | None) -> tuple[
    DocsRoot | None,
    dict[tuple[int | None, str], Agent],
    int | None,
    list[str],
    Joined,
]:
    """The docs root, the raw WSDLs' agents, the version, the agents to read and the agent
    each entity page joins. A folder, version or agent the command names but the docs
    lack is reported first and alone: what the docs hold beyond it would only bury it."""
    root = _docs_root(settings, diagnostics)
    raw = _read_raw_wsdls(settings.wsdls, diagnostics)
    version = _version(settings.version, root, raw, diagnostics)
    if any(d.usage for d in diagnostics):
        return root, raw, version, [], {}
    agents = _available_agents(root, raw, version)
    joined: Joined = {}
    if settings.rest:
        joined = known if known is not None else _joined_entity_pages(root, agents)
    agents = sorted({*agents, *joined.values()})
    available = _named_agents(root, version, agents, diagnostics)
    chosen = _chosen_agents(settings.agents, available, settings, diagnostics)
    return root, raw, version, chosen, joined


def _joined_entity_pages(root: DocsRoot | None, agents: list[str]) -> dict[Path, str]:
    """Each entity page of the docs to the agent it joins (``codegen.passes.entities``),
    found from the agents the pages' text names. A page that cannot be read here joins by
    its folder; reading it for its agent reports why."""
    from codegen.sources.entity_names import named_agents

    named: dict[Path, str] = {}
    for page in all_entity_pages(root):
        text = _read_page(root, page, []) if root is not None else None
        names = named_agents(text) if text is not None else []
        named[page] = names[0] if names else ""
    return join(named, agents)


def _docs_root(settings: Settings, diagnostics: list[Diagnostic]) -> DocsRoot | None:
    if settings.docs is not None and not settings.docs.is_dir():
        exists = os.path.lexists(settings.docs)
        message = "not a folder" if exists else "no such folder"
        diagnostics.append(Diagnostic(str(settings.docs), 0, Level.ERROR, message, usage=True))
        return None
    root = docs_root(settings)
    if root is None and settings.docs is not None:
        diagnostics.append(
            Diagnostic(
                str(settings.docs),
                0,
                Level.ERROR,
                "not a docs root",
                "expected soap/ServicesNN/... or restful/agent/... below it",
                usage=True,
            )
        )
    return root


def _read_raw_wsdls(
    paths: Sequence[Path], diagnostics: list[Diagnostic]
) -> dict[tuple[int | None, str], Agent]:
    agents: dict[tuple[int | None, str], Agent] = {}
    if not paths:
        return agents
    from codegen.sources.wsdl import looks_like_wsdl, read_wsdl

    for path in paths:
        data = _read_bytes(path, diagnostics)
        if data is None:
            continue
        if not looks_like_wsdl(data):
            diagnostics.append(
                Diagnostic(str(path), 1, Level.ERROR, "not a WSDL", "expected wsdl:definitions")
            )
            continue
        agent, found = read_wsdl(str(path), data)
        diagnostics.extend(found)
        if agent is not None:
            agents[(agent.version, agent.name.lower())] = agent
    return agents


def _version(
    wanted: int | None,
    root: DocsRoot | None,
    raw: dict[tuple[int | None, str], Agent],
    diagnostics: list[Diagnostic],
) -> int | None:
    """The version asked for, or else the newest; one the docs do not hold is reported, as
    it would generate clients without a method."""
    versions = set(root.versions()) if root else set()
    versions |= {v for v, _ in raw if v is not None}
    if wanted is None or wanted in versions or not versions:
        return wanted or max(versions, default=None)
    where = str(root.soap) if root is not None else "--wsdl"
    present = ", ".join(str(v) for v in sorted(versions))
    message = f"no API version {wanted}"
    diagnostics.append(
        Diagnostic(where, 0, Level.ERROR, message, f"present: {present}", usage=True)
    )
    return wanted


def _available_agents(
    root: DocsRoot | None, raw: dict[tuple[int | None, str], Agent], version: int | None
) -> list[str]:
    """Agents of ``version``: those with SOAP docs or a raw WSDL, and those of the WebAPI
    (unversioned, so newer than any WSDL: some agents, such as AI, are on the WebAPI only)."""
    names = {agent.name for (v, _), agent in raw.items() if v == version}
    if root is not None and version is not None:
        names |= set(root.soap_agents(version))
    if root is not None:
        names |= set(root.rest_agent_names())
    return sorted(names)


def _named_agents(
    root: DocsRoot | None, version: int | None, names: list[str], diagnostics: list[Diagnostic]
) -> list[str]:
    """The agents whose names can name a package, a class and a folder; the rest reported."""
    for name in names:
        if not is_xml_name(name):
            where = _agent_source(root, version, name)
            diagnostics.append(
                Diagnostic(str(where), 1, Level.ERROR, f"{name!r} is not an agent name")
            )
    return [name for name in names if is_xml_name(name)]


def _agent_source(root: DocsRoot | None, version: int | None, name: str) -> Path:
    """The page (or else the folder) an agent name was read from."""
    if root is None:
        return Path("--wsdl")
    page = root.wsdl_page(version, name) if version is not None else None
    if page is not None:
        return page
    if version is not None and (root.version_folder(version) / name).is_dir():
        return root.version_folder(version) / name
    if (root.rest_entities / name).is_dir():
        return root.rest_entities / name
    return root.rest_agents / f"{name}_Agent"


def _chosen_agents(
    wanted: Sequence[str],
    available: list[str],
    settings: Settings,
    diagnostics: list[Diagnostic],
) -> list[str]:
    if any(name.lower() == ALL for name in wanted):
        return available
    by_lower = {name.lower(): name for name in available}
    chosen = []
    for name in wanted:
        if name.lower() in by_lower:
            chosen.append(by_lower[name.lower()])
        else:
            where = str(settings.docs or "--wsdl")
            message = f"no agent {name!r}"
            hint = _closest(name, available, settings.version)
            diagnostics.append(Diagnostic(where, 0, Level.ERROR, message, hint, usage=True))
    return sorted(set(chosen))


def _closest(name: str, available: list[str], version: int | None) -> str:
    """The known agents most like ``name``, closest first, and how many there are."""
    in_docs = f"{len(available)} agent(s) in the docs" + (f" for {version}" if version else "")
    by_lower = {known.lower(): known for known in available}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.5)
    if not close:
        return f"{in_docs}: {', '.join(available[:10]) or 'none'}" + (
            ", ..." if len(available) > 10 else ""
        )
    return f"did you mean {' or '.join(by_lower[c] for c in close)}? {in_docs}"


def _load_agent(
    pages: AgentInputs,
    version: int | None,
    root: DocsRoot | None,
    raw_wsdl: Agent | None,
    entity_paths: Sequence[Path],
    diagnostics: list[Diagnostic],
    read: ReadPage,
) -> Agent:
    """The agent read from the pages ``codegen.inputs`` planned (a raw WSDL, when there is
    one, in place of the wrapped WSDL page) and the entity pages joined to it."""
    wsdl = raw_wsdl
    soap_pages: list[SoapPage] = []
    rest_pages: list[RestPage] = []
    entity_pages: list[EntityPage] = []
    if root is not None:
        if wsdl is None and pages.wsdl_page is not None:
            wsdl = _read_wsdl_page(root, pages.wsdl_page, diagnostics, read)
        soap_pages = _read_pages(root, pages.soap_pages, soap_page_reader, diagnostics, read)
        rest_pages = _read_pages(root, pages.rest_pages, rest_page_reader, diagnostics, read)
        entity_pages = _read_pages(root, entity_paths, entity_page_reader, diagnostics, read)
    sources = AgentSources(pages.name, version, wsdl, soap_pages, rest_pages, entity_pages)
    agent, found = run_passes(sources)
    diagnostics.extend(found)
    return agent


def _read_wsdl_page(
    root: DocsRoot, page: Path, diagnostics: list[Diagnostic], read: ReadPage
) -> Agent | None:
    text = _read_page(root, page, diagnostics)
    if text is None:
        return None
    agent, found = read(wsdl_page_reader, str(page), text)
    diagnostics.extend(found)
    return agent


def _read_pages(
    root: DocsRoot,
    paths: Sequence[Path],
    reader: Callable[[str, str], tuple[T | None, list[Diagnostic]]],
    diagnostics: list[Diagnostic],
    read: ReadPage,
) -> list[T]:
    records = []
    for path in _in_folders_within(root, paths, diagnostics):
        text = _read_page(root, path, diagnostics)
        if text is None:
            continue
        record, found = read(reader, str(path), text)
        diagnostics.extend(found)
        if record is not None:
            records.append(record)
    return records


# The readers of each kind of page, as ``load`` applies them. A page cache keys what a
# reader returned by the reader's name (``codegen.output.cache``), so code that looks a page
# up in a cache the loader filled uses these. They import their parsers at the first page
# the cache cannot answer: after one page changed, the parsers of the other kinds of page
# are never loaded.


def wsdl_page_reader(file: str, text: str) -> tuple[Agent | None, list[Diagnostic]]:
    from codegen.sources.wsdl import read_wsdl_page

    return read_wsdl_page(file, text)


def soap_page_reader(file: str, text: str) -> tuple[SoapPage | None, list[Diagnostic]]:
    from codegen.sources.soap_page import read_soap_page

    return read_soap_page(file, text)


def rest_page_reader(file: str, text: str) -> tuple[RestPage | None, list[Diagnostic]]:
    from codegen.sources.rest_page import read_rest_page

    return read_rest_page(file, text)


def entity_page_reader(file: str, text: str) -> tuple[EntityPage | None, list[Diagnostic]]:
    from codegen.sources.entity_page import read_entity_page

    return read_entity_page(file, text)


def _in_folders_within(
    root: DocsRoot, paths: Sequence[Path], diagnostics: list[Diagnostic]
) -> list[Path]:
    """The pages whose folder is inside the docs root; a folder a link takes out of it is
    reported once, naming where it leads, instead of once for each of its pages."""
    outside = {path.parent for path in paths if not root.within.holds(path.parent)}
    for folder in sorted(outside):
        message = (
            f"a link out of the docs root, to {os.path.realpath(folder)}: its pages are not read"
        )
        diagnostics.append(Diagnostic(str(folder), 0, Level.ERROR, message))
    return [path for path in paths if path.parent not in outside]


def _read_page(root: DocsRoot, path: Path, diagnostics: list[Diagnostic]) -> str | None:
    """A page's text, unless a symbolic link takes it out of the docs root: a docs tree
    (which a commit can change) names no other file to read."""
    if not root.within.holds(path):
        message = "a link out of the docs root: not read"
        diagnostics.append(Diagnostic(str(path), 0, Level.ERROR, message))
        return None
    return _read_text(path, diagnostics)


def _read_bytes(path: Path, diagnostics: list[Diagnostic]) -> bytes | None:
    try:
        # Without waiting: a FIFO listed as a page is refused below, never read from.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise OSError(errno.EINVAL, "not a regular file")
            # Asking for the limit itself would allocate it for every page.
            size = min(status.st_size, MAX_FILE_BYTES)
            data = file.read(size + 1)
            if len(data) > size:  # it grew since: read on, still within the limit
                data += file.read(MAX_FILE_BYTES - len(data) + 1)
    except OSError as error:
        diagnostics.append(Diagnostic(str(path), 0, Level.ERROR, f"cannot read: {error.strerror}"))
        return None
    if len(data) > MAX_FILE_BYTES:
        message = f"too large: over {MAX_FILE_BYTES // (1024 * 1024)} MB"
        hint = "no page or WSDL of the reference docs comes near"
        diagnostics.append(Diagnostic(str(path), 1, Level.ERROR, message, hint))
        return None
    return data


def _read_text(path: Path, diagnostics: list[Diagnostic]) -> str | None:
    """The page as text: UTF-8 (a BOM is dropped), every line ending made ``\\n``."""
    data = _read_bytes(path, diagnostics)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        # Lines end in LF, CRLF or a lone CR, as the text is read below.
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        diagnostics.append(
            Diagnostic(str(path), line, Level.ERROR, "not UTF-8", f"byte {error.start}")
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
