"""What a Python caller sees of an agent: the methods of its SOAP, REST and entity
clients, their parameters and return annotations, and its model classes and enumerations,
each under the name the generated code gives it.

``surface(agent)`` reads them off the views the flavours render from
(``codegen.emit.soap.build``, ``codegen.emit.rest.view``, ``codegen.emit.entity.view``) on
the names ``codegen.passes.names`` assigns, so that ``codegen.diff`` sees a change as a
caller's code meets it: ``int`` becoming ``str``, not ``int32`` becoming ``string``; a
parameter that lost its default, not a ``minOccurs``; ``UserEntities.get_user(id_: int)``,
not the page's ``{id}`` row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from codegen.emit.entity.view import (
    EntityClass,
    EntityModel,
    QueryEnum,
    build_entity_view,
)
from codegen.emit.rest.view import RestMethod, RestParameter, build_rest_view
from codegen.emit.soap.build import build_view
from codegen.emit.soap.view import ClassView, EnumView, OperationView
from codegen.ir import Agent
from codegen.passes.names import assign_names

SELECT = "select"
"""The ``$select`` option of a REST or entity method, which its signature adds last."""
SELECT_ANNOTATION = "_rest.Select"
"""The annotation of ``select`` as the WebAPI clients' signatures spell it."""


@dataclass(frozen=True)
class Typed:
    """A parameter of a method or a field of a model: its Python name and annotation."""

    name: str
    annotation: str
    required: bool = False
    """It has no default: every call passes it."""

    def __str__(self) -> str:
        return f"{self.name}: {self.annotation}"


PAGER_OPTIONS = (Typed("page_size", "int"), Typed("limit", "int | None"))
"""What an OData iterator takes besides its list's parameters, as ``entities.py`` spells it."""
PAGER_RETURNS = "typing.Iterator[_entity.Row]"
"""What an OData iterator of a blocking entity client returns."""


@dataclass(frozen=True)
class Method:
    """A client method. ``wire_name`` is the operation the docs name (``GetUser``);
    ``endpoint`` the HTTP method and path of a WebAPI one (``GET Agents/User/GetUser``,
    ``GET User/{id}``). An entity method's ``name`` is its client's and its own
    (``UserEntities.get_user``): every folder has a client."""

    name: str
    wire_name: str
    parameters: tuple[Typed, ...]
    returns: str
    endpoint: str = ""
    positional: tuple[str, ...] = ()
    """The parameters a caller passes by position, in order (an entity method's path parts
    and body); every other parameter is keyword-only."""


@dataclass(frozen=True)
class Model:
    """A dataclass of ``models.py`` (``wire_name`` is the schema's type) or of
    ``entities.py``: its base class (empty for none) and its own fields."""

    name: str
    wire_name: str
    base: str
    fields: tuple[Typed, ...]


@dataclass(frozen=True)
class Enumeration:
    """An enumeration of ``models.py`` (its members' Python names and numbers), or of a
    query option's documented values in ``entities.py`` (names and texts)."""

    name: str
    wire_name: str
    flags: bool
    members: tuple[tuple[str, int | str], ...]


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
    entity = build_entity_view(agent, names) if agent.entities else None
    models: list[Model | Enumeration] = [_model(c) for c in soap.classes]
    models += [_enumeration(e) for e in soap.enums]
    if entity is not None:
        models += [_entity_model(m) for m in entity.entity_models]
        models += [_query_enum(e) for e in entity.query_enums]
    return Surface(
        agent=agent.name,
        soap=tuple(_soap_method(op) for op in soap.operations),
        rest=tuple(_rest_method(method) for method in rest),
        entities=tuple(m for c in (entity.classes if entity else ()) for m in _entity_methods(c)),
        models=tuple(models),
    )


def _soap_method(op: OperationView) -> Method:
    parameters = tuple(
        Typed(p.python_name, p.annotation, required=not p.parameter_default) for p in op.parameters
    )
    return Method(op.python_name, op.wire_name, parameters, op.returns)


def _rest_method(method: RestMethod) -> Method:
    select = (Typed(SELECT, SELECT_ANNOTATION),) if method.select else ()
    parameters = (*_parameters(method.parameters), *select)
    endpoint = f"{method.http_method} {method.path}"
    return Method(method.python_name, method.wire_name, parameters, method.returns, endpoint)


def _entity_methods(client: EntityClass) -> Iterator[Method]:
    """The methods of a folder's blocking client (its async twin's are the same), by class
    and Python name (``UserEntities.get_user``): each endpoint's, then its OData iterator."""
    for method in client.methods:
        endpoint = f"{method.http_method} {method.path}"
        select = (Typed(SELECT, SELECT_ANNOTATION),) if method.select else ()
        parameters = (*_parameters(method.positional + method.keywords), *select)
        name = f"{client.class_name}.{method.python_name}"
        positional = tuple(p.python_name for p in method.positional)
        yield Method(name, method.wire_name, parameters, method.returns, endpoint, positional)
        if method.pager:
            options = (*PAGER_OPTIONS, *_parameters(method.pager_keywords), *select)
            parameters = (*_parameters(method.positional), *options)
            name = f"{client.class_name}.{method.pager}"
            yield Method(name, method.wire_name, parameters, PAGER_RETURNS, endpoint, positional)


def _parameters(parameters: Sequence[RestParameter]) -> tuple[Typed, ...]:
    """A WebAPI method's parameters: required where it has no default."""
    return tuple(Typed(p.python_name, p.type.annotation, not p.optional) for p in parameters)


def _model(view: ClassView) -> Model:
    fields = tuple(Typed(s.python_name, s.annotation) for s in view.own)
    return Model(view.class_name, view.wire_name, view.base or "", fields)


def _enumeration(view: EnumView) -> Enumeration:
    members = tuple((m.python_name, m.value) for m in view.members)
    return Enumeration(view.class_name, view.wire_name, view.flags, members)


def _entity_model(model: EntityModel) -> Model:
    """A class of ``entities.py`` (``UserWithLinks``), which has no schema name of its own."""
    fields = tuple(Typed(name, annotation) for name, annotation, _, _ in model.fields)
    return Model(model.class_name, model.class_name, model.base, fields)


def _query_enum(enum: QueryEnum) -> Enumeration:
    """A query option's documented values (``Mode``: ``SLIM = "Slim"``...)."""
    members = tuple((name, value) for value, name in enum.members)
    return Enumeration(enum.class_name, enum.class_name, False, members)
