"""What a Python caller sees of an agent: the methods of its SOAP and REST clients, their
parameters and return annotations, and its model classes and enumerations, each under the
name the generated code gives it.

``surface(agent)`` reads them off the views the flavours render from
(``codegen.emit.soap.build``, ``codegen.emit.rest.view``) on the names
``codegen.passes.names`` assigns, so that ``codegen.diff`` sees a change as a caller's code
meets it: ``int`` becoming ``str``, not ``int32`` becoming ``string``; a parameter that
lost its default, not a ``minOccurs``. The entity endpoints (``Agent.entities``) are as
their pages spell them, table types and all, since no pass types them yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from codegen.emit.rest.view import RestMethod, build_rest_view, relative_path
from codegen.emit.soap.build import build_view
from codegen.emit.soap.view import ClassView, EnumView, OperationView
from codegen.ir import Agent, BodyKind, EntityEndpoint, RestField
from codegen.passes.names import assign_names

SELECT = "select"
"""The ``$select`` option of a REST method, which its signature adds after the parameters."""
SELECT_ANNOTATION = "_rest.Select"
"""The annotation of ``select`` as the REST client's signature spells it."""


@dataclass(frozen=True)
class Typed:
    """A parameter of a method or a field of a model: its Python name and annotation."""

    name: str
    annotation: str
    required: bool = False
    """It has no default: every call passes it."""

    def __str__(self) -> str:
        return f"{self.name}: {self.annotation}"


@dataclass(frozen=True)
class Method:
    """A client method. ``wire_name`` is the operation the docs name (``GetUser``);
    ``endpoint`` the HTTP method and path of a REST one (``GET Agents/User/GetUser``)."""

    name: str
    wire_name: str
    parameters: tuple[Typed, ...]
    returns: str
    endpoint: str = ""


@dataclass(frozen=True)
class Model:
    """A dataclass of ``models.py`` (``wire_name`` is the schema's type): its base class
    (empty for none) and its own fields."""

    name: str
    wire_name: str
    base: str
    fields: tuple[Typed, ...]


@dataclass(frozen=True)
class Enumeration:
    """An enumeration of ``models.py``: its members' Python names and numbers."""

    name: str
    wire_name: str
    flags: bool
    members: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Surface:
    """One agent as its generated package offers it."""

    agent: str
    soap: tuple[Method, ...]
    rest: tuple[Method, ...]
    entities: tuple[Method, ...]
    models: tuple[Model | Enumeration, ...]


def surface(agent: Agent) -> Surface:
    """The methods and models the package generated from ``agent`` offers its callers."""
    names = assign_names(agent)
    soap = build_view(agent, names)
    rest = build_rest_view(agent, names).methods if any(op.rest for op in agent.operations) else ()
    return Surface(
        agent=agent.name,
        soap=tuple(_soap_method(op) for op in soap.operations),
        rest=tuple(_rest_method(method) for method in rest),
        entities=tuple(_entity_method(endpoint) for endpoint in agent.entities),
        models=(*(_model(c) for c in soap.classes), *(_enumeration(e) for e in soap.enums)),
    )


def _soap_method(op: OperationView) -> Method:
    parameters = tuple(
        Typed(p.python_name, p.annotation, required=not p.parameter_default) for p in op.parameters
    )
    return Method(op.python_name, op.wire_name, parameters, op.returns)


def _rest_method(method: RestMethod) -> Method:
    parameters = [
        Typed(p.python_name, p.type.annotation, required=not p.optional) for p in method.parameters
    ]
    if method.select:
        parameters.append(Typed(SELECT, SELECT_ANNOTATION))
    endpoint = f"{method.http_method} {method.path}"
    return Method(method.python_name, method.wire_name, tuple(parameters), method.returns, endpoint)


def _entity_method(endpoint: EntityEndpoint) -> Method:
    """An entity endpoint (``User.GetUser``) as its page spells it: its path parts, query
    parameters and body, a body's properties under its name (``newEntity.Name``), by the
    tables' names and types; what it answers by the response's kind and carrier."""
    rest = endpoint.rest
    parameters = [_row(row) for row in (*rest.path_parts, *rest.query)]
    if rest.body_kind in (BodyKind.REQUEST, BodyKind.ENTITY):
        parameters += [_row(row, f"{rest.body_name}.") for row in rest.body]
    elif rest.body_kind is not BodyKind.NONE:
        parameters.append(Typed(rest.body_name, rest.body_kind.value, required=True))
    returns = " ".join(word for word in (rest.response_kind, rest.response_type) if word)
    return Method(
        f"{endpoint.entity}.{endpoint.name}",
        endpoint.name,
        tuple(parameters),
        returns,
        f"{rest.method.upper()} {relative_path(rest.path)}",
    )


def _row(row: RestField, prefix: str = "") -> Typed:
    return Typed(prefix + row.name, row.type or "object", row.required)


def _model(view: ClassView) -> Model:
    fields = tuple(Typed(s.python_name, s.annotation) for s in view.own)
    return Model(view.class_name, view.wire_name, view.base or "", fields)


def _enumeration(view: EnumView) -> Enumeration:
    members = tuple((m.python_name, m.value) for m in view.members)
    return Enumeration(view.class_name, view.wire_name, view.flags, members)
