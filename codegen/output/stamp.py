"""The fast path: know that the output is current without reading a page or rendering.

After a successful ``generate``, a stamp records what the output was made from: the
generator's own code and templates (and the versions of the libraries it reads and
renders with), the user's override templates, the options, the folder listings that chose the input files, and the
SHA-256 of every input file (all as ``codegen.inputs`` plans them: what ``codegen.load``
reads), plus the SHA-256 of the manifest it produced. When all of that still holds and
every file the manifest lists is unchanged on disk, running the generator again would
change nothing, so the command stops there, with the warnings of the run that made the
output: the stamp keeps them. (Re-deriving them would mean running the merge and inference
passes, which are where some warnings come from and which need the IR of every page: the
fast path would be gone. What the stamp keeps is sealed with it, and the stamp holding
means the inputs are those that run read, so its warnings are the ones a run now finds.)

The check only lists folders and hashes files, and imports nothing but the standard
library, ``codegen.inputs``, ``codegen.sources.docs_root`` and ``codegen.ir``: no jinja2,
lxml or markdown-it.

The stamp lives in the cache folder (``codegen.output.seal``), sealed: it describes this
machine's inputs (absolute paths) and is never committed. There is one per generator (a few,
the most recently written), named after its digest, which hashes the generator's files by
their paths within the package: the same generator installed twice (pre-commit's
environment and the user's) has one stamp, and two generators that take turns on one output
each keep theirs, and their fast path, while neither changes the output. A stamp is never
trusted beside the journal or staging files of a run that stopped part way
(``codegen.output.journal``). A file
changed while a run was reading it could make that run's stamp describe newer inputs than
its output, so inputs modified shortly before the run started get no stamp at all (the
next run then takes the full path and stamps).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from importlib import util
from pathlib import Path, PurePosixPath

import codegen
from codegen.bounded import read_bounded
from codegen.inputs import Resolved, plan
from codegen.ir import Diagnostic, Level
from codegen.output import journal
from codegen.output.seal import cache_dir, keep_sealed, unseal
from codegen.output.write import MANIFEST, digest, read_manifest
from codegen.settings import Settings
from codegen.templates import template_dir

_STAMPS_KEPT = 4
"""Stamps of other generators beyond the most recent few are removed."""
_LIBRARIES = ("jinja2", "lxml", "markdown_it")
_MAX_STAMP_BYTES = 64 * 1024 * 1024
_MAX_HASHED_BYTES = 64 * 1024 * 1024
"""More than any input the loader reads (``codegen.load.MAX_FILE_BYTES``) or any file it
writes."""
_UNREADABLE = "unreadable"
"""An input's digest when it cannot be hashed: no stamp describes such inputs."""
_SETTLED_NS = 2_000_000_000
"""An input modified less than this long before a run started may have changed while the
run read it (file systems stamp with a coarse clock, some with 2 s steps)."""


class Stamp:
    """One run's dealings with the stamp of ``out``: whether the output is current, and,
    after the run, recording it. The inputs are hashed once for both: a file changed since
    is caught by its modification time, which ``record`` checks."""

    def __init__(self, settings: Settings, templates: str = "") -> None:
        self.settings = settings
        self.templates = templates
        """The digest of the override templates (``codegen.templates.overrides_digest``)."""
        self.out = settings.out
        self.hashed: dict[Resolved, dict[str, str]] = {}

    def inputs(self, resolved: Resolved) -> dict[str, str]:
        if resolved not in self.hashed:
            self.hashed[resolved] = _inputs(self.settings, resolved)
        return self.hashed[resolved]

    def current(self) -> tuple[Diagnostic, ...] | None:
        """The diagnostics of the run that made the output, when the stamp still describes
        the inputs and the output is as that run left it; None when it does not."""
        if journal.interrupted(self.out):
            return None
        try:
            text = unseal(read_bounded(stamp_file(self.out), _MAX_STAMP_BYTES))
            if text is None:
                return None
            stamp = json.loads(text)
            resolved = Resolved(stamp["version"], tuple(stamp["agents"]))
            diagnostics = tuple(_diagnostic(*entry) for entry in stamp["diagnostics"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        # The inputs are hashed first, before the run reads them, whatever else differs:
        # ``record`` keeps this hash, so an input changed while the run reads it (keeping
        # its old time, as ``cp -p`` does) makes the next stamp differ, not look current.
        current = (
            _UNREADABLE not in self.inputs(resolved).values()
            and stamp.get("generator") == generator_digest()
            and stamp.get("templates") == self.templates
            and stamp.get("options") == _options(self.settings)
            and stamp.get("inputs") == self.inputs(resolved)
            and _output_matches(self.out, stamp.get("manifest"))
        )
        return diagnostics if current else None

    def record(
        self, resolved: Resolved, started_ns: int, diagnostics: Sequence[Diagnostic]
    ) -> None:
        """Stamp ``out`` as made from the inputs hashed, with the ``diagnostics`` reading
        them gave, unless an input may have changed since shortly before the run started."""
        inputs = self.inputs(resolved)
        if _UNREADABLE in inputs.values():
            return
        if any(_modified_ns(path) > started_ns - _SETTLED_NS for path in _consulted(inputs)):
            return
        stamp = {
            "generator": generator_digest(),
            "templates": self.templates,
            "options": _options(self.settings),
            "version": resolved.version,
            "agents": list(resolved.agents),
            "inputs": inputs,
            "manifest": _file_digest(self.out / MANIFEST),
            "diagnostics": [
                [d.file, d.line, d.level.value, d.message, d.hint] for d in diagnostics
            ],
        }
        text = json.dumps(stamp, indent=1, sort_keys=True) + "\n"
        keep_sealed(self.out, stamp_file(self.out).name, text.encode())
        _prune(self.out)


def stamp_file(out: Path) -> Path:
    """The stamp of this generator for ``out``."""
    return cache_dir(out) / f"stamp-{generator_digest()[:16]}.json"


def _prune(out: Path) -> None:
    """Keep the most recent stamps only: each generator that wrote one since still has it."""
    stamps = sorted(cache_dir(out).glob("stamp-*.json"), key=_modified_ns, reverse=True)
    for old in stamps[_STAMPS_KEPT:]:
        old.unlink(missing_ok=True)


def _diagnostic(file: str, line: int, level: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(file, line, Level(level), message, hint)


def _options(settings: Settings) -> dict[str, object]:
    """The settings that decide what the output holds (not ``out`` or ``check``), as they
    read back from the stamp: a run with other ones has another output."""
    return {
        "docs": os.path.abspath(settings.docs) if settings.docs is not None else None,
        "wsdls": [os.path.abspath(path) for path in settings.wsdls],
        "version": settings.version,
        "agents": list(settings.agents),
        "rest": settings.rest,
        "package": settings.package,
        "project": settings.project,
        "templates": os.path.abspath(settings.templates) if settings.templates else None,
    }


def now_ns() -> int:
    return time.time_ns()


@functools.cache
def generator_digest() -> str:
    """One hash of every file of the generator and its templates, each by its path within
    its folder (so the same generator installed in two places hashes alike), and the
    readers' versions."""
    sha = hashlib.sha256()
    for name, path in sorted(_generator_files()):
        sha.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        sha.update(library.encode() + b"\0" + _library_init(library) + b"\0")
    return sha.hexdigest()


def _library_init(name: str) -> bytes:
    """The library's ``__init__`` (which carries its version), found without importing it."""
    spec = util.find_spec(name)
    if spec is None or spec.origin is None:
        return b"missing"
    return Path(spec.origin).read_bytes()


def _generator_files() -> Iterator[tuple[str, Path]]:
    """Every file of the generator, by its path within the package as installed (a
    checkout's shared templates as the wheel puts them, in ``codegen/templates/``), and
    where it is."""
    package = Path(codegen.__file__).parent
    templates = template_dir()
    yield from _walk(package, "codegen", (".py", ".jinja"))
    if package not in templates.parents:
        yield from _walk(templates, "codegen/templates", (".jinja",))


def _walk(folder: Path, prefix: str, suffixes: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    for parent, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        within = Path(prefix, os.path.relpath(parent, folder)).as_posix()
        yield from (
            (f"{within}/{name}", Path(parent, name)) for name in files if name.endswith(suffixes)
        )


def _inputs(settings: Settings, resolved: Resolved) -> dict[str, str]:
    """``{path: sha256}`` of every file ``codegen.inputs`` plans to read, and
    ``{folder/: listing}`` of the folders whose contents chose them (the versions, the
    agents, each agent's pages, the entity pages)."""
    inputs = plan(settings, resolved)
    found = {os.path.abspath(wsdl): _file_digest(wsdl) for wsdl in inputs.wsdls}
    found["docs root"] = os.path.abspath(inputs.root.path) if inputs.root else "None"
    for folder, names in inputs.listings:
        found[f"{os.path.abspath(folder)}/"] = _listing(names)
    for agent in inputs.agents:
        pages = [os.path.abspath(page) for page in agent.pages]
        found[f"pages of {agent.name}"] = _listing(pages)
        found.update((page, _file_digest(Path(page))) for page in pages)
    entity_pages = [os.path.abspath(page) for page in inputs.entity_pages]
    found["entity pages"] = _listing(entity_pages)
    found.update((page, _file_digest(Path(page))) for page in entity_pages)
    return found


def _consulted(inputs: dict[str, str]) -> set[str]:
    """Every file hashed and every folder listed for ``inputs``: what a change would touch."""
    paths: set[str] = set()
    for key in inputs:
        if key.endswith("/"):
            paths.add(key.removesuffix("/"))
        elif os.path.isabs(key):
            paths.update((key, os.path.dirname(key)))
    return paths


def _listing(names: Iterable[str]) -> str:
    return "\n".join(names)


def _file_digest(path: Path) -> str:
    """The SHA-256 of a regular file (through links: a page may be one within the docs),
    or ``UNREADABLE``: a FIFO (``--wsdl <(curl ...)``) is never opened to be read twice."""
    try:
        return digest(read_bounded(path, _MAX_HASHED_BYTES, follow=True))
    except OSError:
        return _UNREADABLE


def _modified_ns(path: str | os.PathLike[str]) -> int:
    """When ``path`` (or, for a listing, its folder) last changed; now, if that is unknown."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return time.time_ns()


def _output_matches(out: Path, manifest_digest: object) -> bool:
    if _file_digest(out / MANIFEST) != manifest_digest:
        return False
    recorded: dict[PurePosixPath, str] = read_manifest(out)
    return all(_file_digest(out / path) == sha for path, sha in recorded.items())
