"""Join each WebAPI entity endpoint to one agent, and give it the agent's types.

The join (``join``) runs over every entity page of the docs before any agent is read: the
loader hands each agent the pages joined to it, and lists, among the agents, a folder that
joins none (``String``, ``FieldInfoBase`` in the corpus), which becomes an agent of entity
endpoints only, as AI and Dash are agents of the WebAPI only. Each page joins, by the first
evidence that decides:

1. the agent the page names ("Calls the User agent service GetUser.", the Online
   Restricted line; ``codegen.sources.entity_names``), if the docs have it;
2. else the agent the most pages of its folder name (the ``User`` folder's OData list goes
   with User; the ``Role`` folder's pages call the User agent), the first by name of a tie;
3. else the agent whose name is the folder's (``Archive``, ``License``), else its first
   word (``ChatPresence`` and ``Chat``, ``List_ReasonSold`` and ``List``);
4. else the folder is an agent of its own.

The pass (``entities``) then puts the pages the loader handed the agent on it, as
``Agent.entities``, sorted by folder and name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import PurePath
from typing import TYPE_CHECKING, TypeVar

from codegen.ir import Agent, Diagnostic

if TYPE_CHECKING:
    from codegen.passes import AgentSources

Page = TypeVar("Page", bound=PurePath)
_FIRST_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+")


def join(named: Mapping[Page, str], agents: Collection[str]) -> dict[Page, str]:
    """Each entity page (by its file, with the agent it names, "" for none) to the agent
    it joins: one of ``agents`` (matched in any case) or its folder's name."""
    known = {name.lower(): name for name in agents}
    by_folder: dict[str, Counter[str]] = {}
    for page, agent in named.items():
        votes = by_folder.setdefault(page.parent.name, Counter())
        if agent.lower() in known:
            votes[known[agent.lower()]] += 1
    folder_agents = {
        folder: _folder_agent(folder, votes, known) for folder, votes in by_folder.items()
    }
    return {
        page: known.get(agent.lower()) or folder_agents[page.parent.name]
        for page, agent in named.items()
    }


def _folder_agent(folder: str, votes: Counter[str], known: Mapping[str, str]) -> str:
    """The agent of a folder's pages that name none known (evidence 2 to 4)."""
    if votes:
        return min(votes, key=lambda name: (-votes[name], name))
    first = _FIRST_WORD.match(folder)
    for candidate in (folder, first.group(0) if first else folder):
        if candidate.lower() in known:
            return known[candidate.lower()]
    return folder


def entities(agent: Agent, sources: AgentSources) -> tuple[Agent, list[Diagnostic]]:
    """The pass: ``agent`` with the entity endpoints of the pages joined to it."""
    endpoints = sorted(
        (page.endpoint for page in sources.entity_pages), key=lambda e: (e.folder, e.name)
    )
    return replace(agent, entities=tuple(endpoints)), []
