"""The runtime modules the generated package ships, as text: each is a module of this
source tree (``codegen/emit/soap/runtime.py``, ``codegen/emit/rest/runtime.py``), linted,
type-checked and tested as code, and copied into the output as it is.

They are read as files, never imported: what ships is their text, and importing one would
run it (the SOAP runtime builds its lxml parser) for nothing.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def source(side: str) -> str:
    """The text of the ``side`` (``"soap"`` or ``"rest"``) runtime module."""
    module = resources.files(f"codegen.emit.{side}").joinpath("runtime.py")
    return module.read_text(encoding="utf-8")
