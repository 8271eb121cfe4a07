"""The REST flavour as ``codegen.emit.render`` sees it: ``rest.py`` and the JSON samples
under ``samples/rest/``, for an agent with WebAPI methods.

Each method's part of ``rest.py`` is rendered from that method's view, and each method's
samples from its name, its endpoint and the agent's types, so the memo keeps them between
runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.emit.flavour import Files, Rendering
from codegen.emit.rest.samples import RestSampler
from codegen.emit.rest.view import RestAgentView, build_rest_view
from codegen.ir import Agent, RestEndpoint
from codegen.passes.names import Names


class RestFlavour:
    """The WebAPI clients, on the models of the SOAP flavour (``codegen.emit.flavour``)."""

    context = "rest"
    template_globals: Mapping[str, object] = {}

    def view(self, agent: Agent, names: Names, module: str) -> RestAgentView | None:
        if not any(op.rest for op in agent.operations):
            return None
        return build_rest_view(agent, names)

    def files(self, rendering: Rendering, view: RestAgentView, agent: Agent) -> Files:
        parts = rendering.parts("rest.py", "rest_operation.py.jinja", view.methods, method_parts)
        module = rendering.env.get_template("rest.py.jinja").render(rest=view, parts=parts)
        context = agent.types
        sampler = RestSampler(context)

        def samples(operation: tuple[str, RestEndpoint]) -> Files:
            return {
                f"samples/rest/{name}": text for name, text in sampler.samples(*operation).items()
            }

        operations = [(op.name, op.rest) for op in agent.operations if op.rest is not None]
        return {"rest.py": module} | rendering.per_operation(
            "samples/rest", context, operations, samples
        )


REST = RestFlavour()


def method_parts(macros: Any, op: object) -> Files:
    """A WebAPI method's code in its module (``rest.py``, ``entities.py``): its
    definition, and its method in the blocking and the asyncio client."""
    return {
        "definition": str(macros.definition(op)),
        "method": str(macros.method(op, False)),
        "async_method": str(macros.method(op, True)),
    }
