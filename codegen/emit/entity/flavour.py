"""The entity flavour as ``codegen.emit.render`` sees it: ``entities.py`` and the JSON
samples under ``samples/entity/<folder>/``, for an agent with entity endpoints.

Each endpoint's part of ``entities.py`` is rendered from that endpoint's view, and each
endpoint's samples from the endpoint and the agent's types, so the memo keeps them
between runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from codegen.emit.entity.samples import EntitySampler
from codegen.emit.entity.view import (
    PAGE_SIZE,
    EntityAgentView,
    build_entity_view,
)
from codegen.emit.flavour import Files, Rendering
from codegen.emit.rest.flavour import method_parts
from codegen.ir import Agent
from codegen.passes.names import Names


class EntityFlavour:
    """The WebAPI entity clients, on the models of the SOAP flavour and the codecs of the
    REST one (``codegen.emit.flavour``)."""

    context = "entity"
    template_globals: Mapping[str, object] = {"page_size": PAGE_SIZE}

    def view(self, agent: Agent, names: Names, module: str) -> EntityAgentView | None:
        if not agent.entities:
            return None
        return build_entity_view(agent, names)

    def files(self, rendering: Rendering, view: EntityAgentView, agent: Agent) -> Files:
        parts = rendering.parts(
            "entities.py", "entity_operation.py.jinja", view.methods, method_parts
        )
        classes, start = [], 0
        for entity_class in view.classes:
            end = start + len(entity_class.methods)
            classes.append((entity_class, parts[start:end]))
            start = end
        template = rendering.env.get_template("entities.py.jinja")
        module = template.render(entity=view, parts=parts, classes=classes)
        # An endpoint's samples read the agent's types and its entity-only ones.
        context = (*agent.types, *agent.entity_types)
        samples = rendering.per_operation(
            "samples/entity", context, agent.entities, EntitySampler(context).files
        )
        return {"entities.py": module} | samples


ENTITY = EntityFlavour()
