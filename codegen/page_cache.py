"""Reader results from the last run, by page: a page whose text is unchanged is not read again.

Reading is most of a cold run (markdown-it and lxml over every page); after one page
changed, only that page needs it. The cache keeps what each reader returned for each page
(record and diagnostics), keyed by the reader, the file and the SHA-256 of the text, in
``<out>/.superoffice-codegen-cache/``. A cache made by another version of the generator is
ignored whole, since its readers may have read differently, and a save keeps only the
entries the run used, so the file never outgrows the docs.

A pickle runs code as it loads, and a commit can put a file in the output folder: the
cache is unpickled only when ``codegen.stamp.seal`` sealed it with this user's key.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from codegen.stamp import cache_dir, generator_digest, prepared_cache_dir, seal, unseal
from codegen.write import digest

if TYPE_CHECKING:
    from codegen.ir import Diagnostic

T = TypeVar("T")
_Key = tuple[str, str, str]
_Result = tuple[object, list["Diagnostic"]]


class PageCache:
    """A ``codegen.load.ReadPage`` that remembers; ``save`` keeps what this run used.

    ``part`` tells apart the caches of runs that read different pages into one output
    (one per agent when agents are read in worker processes).
    """

    def __init__(self, out: Path, part: str = "") -> None:
        self.out = out
        self.file = cache_dir(out) / (f"pages-{part}.pickle" if part else "pages.pickle")
        self.known: dict[_Key, _Result] | None = None
        self.used: dict[_Key, _Result] = {}

    def __call__(
        self,
        reader: Callable[[str, str], tuple[T | None, list[Diagnostic]]],
        file: str,
        text: str,
    ) -> tuple[T | None, list[Diagnostic]]:
        key = (f"{reader.__module__}.{reader.__qualname__}", file, digest(text.encode()))
        result = self._known().get(key) or self.used.get(key) or reader(file, text)
        self.used[key] = result
        return cast("tuple[T | None, list[Diagnostic]]", result)

    def _known(self) -> dict[_Key, _Result]:
        """The entries of the last run, read at the first page (inside ``load``, whose
        paused cycle collector makes unpickling many small records cheap)."""
        if self.known is None:
            self.known = {}
            try:
                payload = unseal(self.file.read_bytes())
                stream = io.BytesIO(payload or b"")
                if payload is not None and pickle.load(stream) == generator_digest():
                    self.known = pickle.load(stream)
            except Exception:  # noqa: BLE001 - a cache never stops a run; it is just not used
                self.known = {}
        return self.known

    def save(self) -> None:
        stream = io.BytesIO()
        pickle.dump(generator_digest(), stream)
        pickle.dump(self.used, stream, protocol=pickle.HIGHEST_PROTOCOL)
        sealed = seal(stream.getvalue())
        if sealed is None:
            return
        folder = prepared_cache_dir(self.out)
        temporary = folder / f".{self.file.name}.{os.getpid()}.tmp"
        temporary.write_bytes(sealed)
        os.replace(temporary, self.file)
