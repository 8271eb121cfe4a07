"""The passes over the IR, listed once, in the order they run.

``codegen.load`` reads one agent's WSDL and pages into ``AgentSources`` and hands them to
``run_passes``. The agent starts as the WSDL says it (or with no operations, without one);
then each pass in ``PASSES`` takes the agent so far and the sources, and returns the agent
it makes with what it found wrong:

1. ``infer`` (``codegen.passes.infer``): without a WSDL, the agent the sample envelopes of
   the SOAP pages describe.
2. ``merge`` (``codegen.passes.merge``): the SOAP pages' text and samples and the REST
   pages' endpoints, merged into that agent.
3. ``entities`` (``codegen.passes.entities``): the WebAPI entity endpoints joined to the
   agent (the loader joins every entity page of the docs first, with ``entities.join``).
4. ``nil_items`` (``codegen.passes.nil_items``): the arrays a sample shows a nil item in.

After these, the emitter runs ``names`` (``codegen.passes.names``), which assigns the
Python names of what it renders; it is the emitter's to run, so it is not listed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from codegen.ir import Agent, Diagnostic, EntityPage, RestPage, SoapPage
from codegen.passes.entities import entities
from codegen.passes.infer import infer
from codegen.passes.merge import merge
from codegen.passes.nil_items import nil_items


@dataclass(frozen=True)
class AgentSources:
    """What was read for one agent: its WSDL, if there is one, and its pages."""

    name: str
    version: int | None
    wsdl: Agent | None
    soap_pages: Sequence[SoapPage] = ()
    rest_pages: Sequence[RestPage] = ()
    entity_pages: Sequence[EntityPage] = ()
    """The entity endpoint pages joined to the agent (``codegen.passes.entities.join``)."""

    def start(self) -> Agent:
        """The agent before any pass: the WSDL's, else one with no operations yet."""
        if self.wsdl is not None:
            return self.wsdl
        version = self.version
        path = f"Remote/Services{version}/{self.name}.svc" if version is not None else ""
        return Agent(self.name, version, "", path, operations=(), types=())


Pass = Callable[[Agent, AgentSources], tuple[Agent, list[Diagnostic]]]

PASSES: tuple[Pass, ...] = (infer, merge, entities, nil_items)


def run_passes(sources: AgentSources) -> tuple[Agent, list[Diagnostic]]:
    """The agent every pass, in order, makes of ``sources``, with all they found."""
    agent = sources.start()
    diagnostics: list[Diagnostic] = []
    for each in PASSES:
        agent, found = each(agent, sources)
        diagnostics.extend(found)
    return agent, diagnostics
