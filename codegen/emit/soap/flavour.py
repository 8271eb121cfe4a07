"""The SOAP flavour as ``codegen.emit.render`` sees it: ``models.py``, ``soap.py`` and the
sample envelopes under ``samples/soap/``.

``models.py`` is rendered from the view without its operations, each operation's part of
``soap.py`` from that operation's view, and each operation's envelopes from its name, its
SOAP side and the agent's types: after one page changed, the memo has most of them from
the last run. Both modules get exactly the imports their code uses (``codegen.emit.imports``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.emit import runtimes
from codegen.emit.flavour import Files, Rendering, digest
from codegen.emit.imports import MARKER, names_used, with_imports
from codegen.emit.soap.build import build_view
from codegen.emit.soap.samples import SoapSampler
from codegen.emit.soap.slots import NEXT_CHILD
from codegen.emit.soap.view import AgentView, OperationView
from codegen.ir import Agent, SoapOperation
from codegen.passes.names import Names

_NO_PART = dict.fromkeys(("functions", "info", "method", "async_method", "request", "response"), "")


class SoapFlavour:
    """The SOAP clients and the models both flavours share (``codegen.emit.flavour``)."""

    context = "agent"
    template_globals: Mapping[str, object] = {"NEXT_CHILD": NEXT_CHILD}

    def view(self, agent: Agent, names: Names, module: str) -> AgentView:
        return build_view(agent, names, module)

    def files(self, rendering: Rendering, view: AgentView, agent: Agent) -> Files:
        """``models.py`` for every agent; the SOAP client and its samples for one with SOAP
        operations (an agent of the WebAPI only has none: its REST client needs the models)."""
        models = view.for_models()
        files = rendering.memo(
            digest("models.py", models),
            lambda: {"models.py": _models_module(rendering, models)},
        )
        if not view.operations:
            return files
        files = {**files, "soap.py": _soap_module(rendering, view)}
        envelope = rendering.env.get_template("envelope.xml.jinja")
        context = (agent.types, view.prefixes)
        sampler = SoapSampler(*context)

        def samples(operation: tuple[str, SoapOperation]) -> Files:
            return {
                f"samples/soap/{name}": envelope.render(envelope=document)
                for name, document in sampler.envelopes(*operation).items()
            }

        operations = [(op.name, op.soap) for op in agent.operations if op.soap is not None]
        return files | rendering.per_operation("samples/soap", context, operations, samples)


SOAP = SoapFlavour()


def _render(rendering: Rendering, template: str, view: AgentView, **context: object) -> str:
    return rendering.env.get_template(template).render(agent=view, imports=MARKER, **context)


def _models_module(rendering: Rendering, models: AgentView) -> str:
    source = _render(rendering, "models.py.jinja", models)
    return with_imports(source, runtimes.SOAP, ())


def _soap_module(rendering: Rendering, view: AgentView) -> str:
    """``soap.py``: the module around each operation's parts, with the imports they use."""
    parts = rendering.parts("soap.py", "soap_operation.py.jinja", view.operations, _parts)
    # The names the code uses, for its imports: the module's own (found in it rendered
    # without the parts, which is cheap) and each part's (kept with the part).
    skeleton = _render(rendering, "soap.py.jinja", view, parts=[_NO_PART] * len(parts))
    used = names_used(skeleton).union(*(part["names"].split() for part in parts))
    source = _render(rendering, "soap.py.jinja", view, parts=parts)
    return with_imports(source, runtimes.SOAP, view.public_names, used)


def _parts(macros: Any, op: OperationView) -> Files:
    """An operation's code in ``soap.py``, and the names it uses (for the imports)."""
    parts = {
        "functions": str(macros.functions(op)),
        "info": str(macros.info(op)),
        "method": str(macros.method(op, False)),
        "async_method": str(macros.method(op, True)),
        "request": str(macros.request(op)),
        "response": str(macros.response(op)),
    }
    parts["names"] = " ".join(sorted(set().union(*map(names_used, parts.values()))))
    return parts
