"""What the last run made, by what it was made from: after one page changed, only what that
page feeds is made again.

Two kinds of entry, in one file per part of the output:

- pages: what each reader returned for each page (record and diagnostics), keyed by the
  reader, the file and the SHA-256 of the text. Reading is most of a cold run
  (markdown-it and lxml over every page); a page whose text is unchanged is not read again.
- renders: what an emitter rendered (a module, one method's code in a client module, one
  method's samples), keyed by a digest of everything it was rendered from
  (``codegen.emit.flavour`` builds the keys). A method whose page changed is rendered
  again; the other methods come from here.

The file is ``<out>/.superoffice-codegen-cache/cache[-<part>].pickle``. A cache made by
another version of the generator is ignored whole, since its readers and templates may
have worked differently, and a save keeps only the entries the run used, so the file never
outgrows the docs.

A pickle runs code as it loads, and a commit can put a file in the output folder: the
cache is unpickled only when ``codegen.output.seal`` sealed it with this user's key.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from codegen.bounded import read_bounded
from codegen.output.seal import cache_dir, unseal
from codegen.output.stamp import generator_digest
from codegen.output.write import digest

if TYPE_CHECKING:
    from codegen.ir import Diagnostic

T = TypeVar("T")
MAX_CACHE_BYTES = 1024 * 1024 * 1024
"""All of Services86 in one cache is far below this; a larger file is not read."""
_Key = tuple[str, ...]


class Cache:
    """A ``codegen.load.ReadPage`` and a ``codegen.emit.flavour.Memo`` that remember;
    ``contents`` is what this run used, to keep.

    ``part`` tells apart the caches of runs that make different parts of one output (one
    per agent when agents are made in worker processes); ``templates`` digests the
    override templates a run renders with, which every render's key includes.
    """

    def __init__(self, out: Path, part: str = "", templates: str = "") -> None:
        self.out = out
        self.templates = templates
        self.file = cache_dir(out) / (f"cache-{part}.pickle" if part else "cache.pickle")
        self.known: dict[_Key, bytes] | None = None
        self.values: dict[_Key, object] = {}
        """What this run looked up; ``contents`` keeps these entries and no others."""

    def __call__(
        self,
        reader: Callable[[str, str], tuple[T | None, list[Diagnostic]]],
        file: str,
        text: str,
    ) -> tuple[T | None, list[Diagnostic]]:
        """What ``reader`` returns for the page ``file`` holding ``text``."""
        key = ("page", f"{reader.__module__}.{reader.__qualname__}", file, digest(text.encode()))
        return cast("tuple[T | None, list[Diagnostic]]", self._get(key, lambda: reader(file, text)))

    def rendered(self, key: str, render: Callable[[], dict[str, str]]) -> dict[str, str]:
        """What ``render`` returns, where ``key`` digests everything it renders from."""
        return cast("dict[str, str]", self._get(("render", self.templates, key), render))

    def _get(self, key: _Key, make: Callable[[], object]) -> object:
        if key in self.values:
            return self.values[key]
        pickled = self._known().get(key)
        value = make() if pickled is None else pickle.loads(pickled)
        self.values[key] = value
        return value

    @classmethod
    def of_every_part(cls, out: Path) -> Cache:
        """A cache that finds what any part of the last run kept: ``verify`` reads the pages
        of every agent in one process, which ``generate`` may have read in as many worker
        processes, each keeping its own part. It is only read, never kept."""
        cache = cls(out)
        cache.known = {}
        for file in sorted(cache_dir(out).glob("cache*.pickle")):
            cache.known.update(_entries(file))
        return cache

    def _known(self) -> dict[_Key, bytes]:
        """The entries of the last run, read at the first lookup and each still pickled: a
        page's record is unpickled when it is looked up, inside ``load``, whose paused cycle
        collector makes that cheap."""
        if self.known is None:
            self.known = _entries(self.file)
        return self.known

    def contents(self) -> tuple[str, bytes]:
        """The file's name and what to keep in it: the entries this run used, each pickled
        on its own (those the last run made keep their bytes, so only the new ones are
        pickled). ``codegen.output.seal.keep_sealed`` writes it, under the output's lock."""
        known = self._known()
        entries = {
            key: known.get(key) or pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            for key, value in self.values.items()
        }
        stream = io.BytesIO()
        pickle.dump(generator_digest(), stream)
        pickle.dump(entries, stream, protocol=pickle.HIGHEST_PROTOCOL)
        return self.file.name, stream.getvalue()


def _entries(file: Path) -> dict[_Key, bytes]:
    """The entries a cache file keeps, each still pickled; none where it is missing, not
    sealed with this user's key, or made by another version of the generator."""
    entries: dict[_Key, bytes] = {}
    try:
        payload = unseal(read_bounded(file, MAX_CACHE_BYTES))
        stream = io.BytesIO(payload or b"")
        if payload is not None and pickle.load(stream) == generator_digest():
            entries = pickle.load(stream)
    except Exception:  # noqa: BLE001 - a cache never stops a run; it is just not used
        entries = {}
    return entries
