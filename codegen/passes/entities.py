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
``Agent.entities``, sorted by folder and name, each typed as the merge pass types an agent
REST page (``codegen.passes.merge.RestTyping``): its path parts (``{id}``, ``int32``, is an
``xs:int``), query and body are its ``parameters``, its answer ``returns``. Where the page
names the agent method it calls and the agent has it, the method's SOAP types type it
(``GET User/{id}`` returns the ``User`` carrier, ``PUT`` takes one); else its tables and
samples do, as on an agent page. An OData list (``EntityEndpoint.odata``) returns an
``ODataList``: ``odata.metadata``, ``odata.nextLink`` and ``value``, a list of rows whose
columns the query chooses, so each row is an untyped JSON object (``anyType``).

The entity pages never change the agent's ``types``, which the SOAP and agent REST clients
are rendered from: the types only they need (``ODataList``, carriers and nested objects
only their tables and samples document) go into ``Agent.entity_types``. What they add to a
WSDL carrier an answer or an ``entity`` body is (the ``_Links`` of "User entity with API
_Links added") goes into a subclass of it there, ``UserWithLinks``, which the endpoints
whose page documents ``_Links`` take (``_Linked``); what they add to another WSDL type
(enum names only their samples show) is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import PurePath
from typing import TYPE_CHECKING, TypeVar

from codegen.ir import (
    ANY_TYPE,
    ARRAYS,
    UNBOUNDED,
    XSD,
    Agent,
    BodyKind,
    ComplexType,
    Diagnostic,
    DictionaryType,
    EntityEndpoint,
    Field,
    Operation,
    QName,
    RestField,
    TypeDef,
    all_fields,
)
from codegen.passes.merge import RestTyping, item_type, rest_sample_parts, untyped_in_endpoint

if TYPE_CHECKING:
    from codegen.passes import AgentSources

Page = TypeVar("Page", bound=PurePath)
ODATA_LIST = "ODataList"
"""The carrier an OData list page returns, one per agent."""
_LINKS = "_links"
"""The property an entity answer adds to the agent's carrier, in lower case."""
TEXT_DICTIONARY = DictionaryType(
    QName(ARRAYS, "EntityLinks"),
    "KeyValueOfstringstring",
    Field("Key", ARRAYS, QName(XSD, "string")),
    Field("Value", ARRAYS, QName(XSD, "string")),
)
"""Text by name: an entity's ``_Links``, link name to URL."""
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
    """The pass: ``agent`` with the entity endpoints of the pages joined to it, typed."""
    own = agent.type_map()
    typing = RestTyping(agent.namespace, dict(own))
    operations = {op.name: op for op in agent.operations}
    endpoints = []
    for page in sorted(sources.entity_pages, key=lambda p: (p.endpoint.folder, p.endpoint.name)):
        endpoint = page.endpoint
        op = operations.get(endpoint.calls) or Operation(endpoint.name)
        result = ODATA_LIST if endpoint.odata else ""
        endpoint = replace(endpoint, rest=typing.endpoint(endpoint.rest, op, result))
        typing.learn_from_samples(endpoint.rest)
        endpoints.append(endpoint)
    unfilled = typing.unfilled()
    endpoints = [replace(e, rest=untyped_in_endpoint(e.rest, unfilled)) for e in endpoints]
    finished = typing.finished(e.rest for e in endpoints)
    linked = _Linked(agent.type_map(), finished, endpoints)
    endpoints = [linked.endpoint(e) for e in endpoints]
    apart = {name: t for name, t in {**finished, **linked.types}.items() if name not in own}
    return replace(agent, entities=tuple(endpoints), entity_types=_reached(endpoints, apart)), []


class _Linked:
    """The carriers of the agent as the entity endpoints answer with them: ``User`` with
    the ``_Links`` the WebAPI adds ("User entity with API _Links added"), a subclass
    ``UserWithLinks`` of ``entity_types`` holding every property the pages add to the
    carrier (the ``_Links``; on an older WSDL, newer properties too). An endpoint takes it
    where its own table, of the answer or of an ``entity`` body, documents ``_Links``.
    An ``object`` the samples show as text by name (the ``_Links``) is a dictionary of
    text."""

    def __init__(
        self,
        own: dict[QName, TypeDef],
        finished: dict[QName, TypeDef],
        endpoints: list[EntityEndpoint],
    ) -> None:
        self.own = own
        self.finished = finished
        self.types: dict[QName, TypeDef] = {}
        self.shown: dict[tuple[QName, str], list[object]] = {}
        """Each value the samples show of a carrier's property, by carrier and lower-case name."""
        for endpoint in endpoints:
            for source, value in rest_sample_parts(endpoint.rest):
                items = value if isinstance(value, list) else [value]
                carrier = item_type(self.finished, source.type)
                for item in items:
                    for key, shown in item.items() if isinstance(item, dict) else ():
                        self.shown.setdefault((carrier, key.lower()), []).append(shown)

    def endpoint(self, endpoint: EntityEndpoint) -> EntityEndpoint:
        rest = endpoint.rest
        parameters = rest.parameters
        if rest.body_kind is BodyKind.ENTITY and parameters:
            parameters = (*parameters[:-1], self.field(parameters[-1], rest.body))
        returns = self.field(rest.returns, rest.response_fields) if rest.returns else None
        return replace(endpoint, rest=replace(rest, parameters=parameters, returns=returns))

    def field(self, source: Field, rows: tuple[RestField, ...]) -> Field:
        """``source`` of the carrier with links where ``rows`` document its ``_Links``."""
        carrier = item_type(self.finished, source.type)
        if not any(row.name.lower() == _LINKS for row in rows):
            return source
        linked = self.linked(carrier)
        if linked is None:
            return source
        if carrier == source.type:
            return replace(source, type=linked)
        return replace(source, type=linked, max_occurs=UNBOUNDED)

    def linked(self, carrier: QName) -> QName | None:
        """The subclass of ``carrier`` with what the pages add, its ``_Links`` among them;
        None where the agent's carrier has its links, or is none of the agent's."""
        name = QName(carrier.namespace, f"{carrier.name}WithLinks")
        if name in self.types:
            return name
        definition, finished = self.own.get(carrier), self.finished.get(carrier)
        if not isinstance(definition, ComplexType) or not isinstance(finished, ComplexType):
            return None
        known = {f.wire_name.lower() for f in all_fields(definition, self.own)}
        added = [f for f in finished.fields if f.wire_name.lower() not in known]
        if all(f.wire_name.lower() != _LINKS for f in added):
            return None
        fields = tuple(self.dictionary_of_text(carrier, f) for f in added)
        doc = (
            f"A ``{carrier.name}`` as the entity endpoints answer, with the links the WebAPI adds."
        )
        self.types[name] = ComplexType(name, fields, base=carrier, doc=doc)
        return name

    def dictionary_of_text(self, carrier: QName, source: Field) -> Field:
        """``source`` as a dictionary of text where it is untyped and every sample of it is
        an object of text (link name to URL): never None, empty until given."""
        shown = self.shown.get((carrier, source.wire_name.lower()), [])
        texts = all(
            isinstance(v, dict) and all(isinstance(t, str) for t in v.values()) for v in shown
        )
        if source.type != ANY_TYPE or source.repeated or not shown or not texts:
            return source
        self.types[TEXT_DICTIONARY.name] = TEXT_DICTIONARY
        doc = source.doc or "Link name to URL: the links the WebAPI adds."
        return replace(source, type=TEXT_DICTIONARY.name, nillable=False, min_occurs=1, doc=doc)


def _reached(endpoints: list[EntityEndpoint], apart: dict[QName, TypeDef]) -> tuple[TypeDef, ...]:
    """The types of ``apart`` the endpoints reach, through each other's fields: one made
    only for a field of a WSDL type, which is left out, is not."""
    fields: list[Field] = [f for e in endpoints for f in (*e.rest.parameters, e.rest.returns) if f]
    reached: set[QName] = set()
    while fields:
        name = fields.pop().type
        if name in apart and name not in reached and name != ANY_TYPE:
            reached.add(name)
            found = apart[name]
            fields += found.fields if isinstance(found, ComplexType) else ()
    return tuple(apart[name] for name in sorted(reached))
