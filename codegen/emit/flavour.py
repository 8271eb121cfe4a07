"""What a client flavour is to the renderer: the one interface ``codegen.emit.render``
loops over, and what it hands each flavour to render with.

A flavour (``codegen.emit.soap``, ``codegen.emit.rest``) builds its view of an agent from
the IR and the names ``codegen.passes.names`` assigned, and renders the files of the
agent's folder it owns: its modules and its samples, from the templates in its folder's
``templates/`` (``codegen.templates`` finds them there). Rendering goes through a ``Memo``
under a digest of what each file is made from, so that an unchanged method's parts and
samples come from an earlier run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

import jinja2

from codegen.ir import Agent
from codegen.passes.names import Names

Files = dict[str, str]
"""Rendered texts by name: files by their path in the agent's folder, or the parts of one
operation's code in a client module."""
Memo = Callable[[str, Callable[[], Files]], Files]
"""``memo(key, render)``: the files ``render`` makes, or the files it made in an earlier run
under ``key``, which digests everything ``render`` reads
(``codegen.output.cache.Cache.rendered`` keeps them between runs)."""

View = TypeVar("View")
Item = TypeVar("Item")


def afresh(key: str, render: Callable[[], Files]) -> Files:
    """The ``Memo`` that remembers nothing."""
    return render()


def digest(*parts: object) -> str:
    """A digest of ``parts``: views and IR are frozen dataclasses of plain values, whose
    ``repr`` spells out every field, the same in every process."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Rendering:
    """What a flavour renders with."""

    env: jinja2.Environment
    memo: Memo

    def parts(
        self,
        label: str,
        template: str,
        items: Sequence[Item],
        render: Callable[[Any, Item], Files],
    ) -> list[Files]:
        """``render(macros, item)`` for each item, through the memo: the parts of a module
        made with the macros of ``template``, one item (an operation's view) at a time."""
        macros = self.env.get_template(template).module
        return [
            self.memo(digest(label, item), functools.partial(render, macros, item))
            for item in items
        ]

    def per_operation(
        self,
        label: str,
        context: object,
        operations: Iterable[Item],
        render: Callable[[Item], Files],
    ) -> Files:
        """``render(op)`` for each of ``operations`` (what one method's or entity
        endpoint's files are made from, and no more: each is spelt out in its key), through
        the memo: ``context`` is everything else ``render`` reads."""
        files: Files = {}
        # The context is the agent's types: spelt out once, not once per operation.
        whole = digest(context)
        for op in operations:
            files |= self.memo(digest(label, whole, op), functools.partial(render, op))
        return files


class Flavour(Protocol[View]):
    """One kind of client of an agent, rendered into files of the agent's folder."""

    @property
    def context(self) -> str:
        """The name the agent-level templates (``__init__.py``, ``README.md``) know this
        flavour's view by."""

    @property
    def template_globals(self) -> Mapping[str, object]:
        """What this flavour's templates use besides the shared filters and layout."""

    def view(self, agent: Agent, names: Names, module: str) -> View | None:
        """The flavour's view of ``agent``; None when the agent has nothing for it."""

    def files(self, rendering: Rendering, view: View, agent: Agent) -> Files:
        """The files this flavour writes in the agent's folder, by path in the folder."""
