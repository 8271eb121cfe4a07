"""The Python names of an agent's generated code, assigned once for every client flavour.

``assign_names(agent)`` names the agent's client classes, every model class (each complex
type and enumeration, and the holder of each multi-part SOAP response), the id its
functions and tables are named by, every field and enum member, and every method of the
SOAP and the REST client; ``module_names`` names the agents' subpackages. The flavours
(``codegen.emit.soap``, ``codegen.emit.rest``) read these names and agree on them, since
they share ``models.py``. Names that live inside one flavour's own code (a method's
parameters, a module's tag constants) are that flavour's to assign. Every name comes from
``codegen.naming``, so the same agent always gets the same names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from codegen.ir import Agent, ComplexType, EnumType, Operation, QName, TypeDef
from codegen.naming import Scope, pascal_case, snake_case, upper_snake

MODEL_RESERVED = frozenset({"dataclass", "field", "datetime", "decimal", "enum", "typing"})
"""Names a class body of ``models.py`` refers to, which a field must not shadow."""
CLASS_RESERVED = frozenset({"Any", "CLIENTS", "Callable", "ENDPOINTS", "OPERATIONS"})
"""Names the generated modules import or define beside the model classes."""
METHOD_RESERVED = frozenset({"self"})
"""What a client method of any flavour names besides its parameters; each flavour adds the
names of its own (``REQUEST_LOCALS`` in ``codegen.emit.soap.build``, ``SELECT_OPTION`` in
``codegen.emit.rest.view``)."""
CLIENT_RESERVED = frozenset({"requests", "responses"})
"""The SOAP clients' own public attributes, which an operation's method must not take."""


def offline_classes(client: str) -> tuple[str, str]:
    """The classes of a SOAP client's ``requests`` and ``responses`` (``UserAgentRequests``,
    ``UserAgentResponses``): an envelope built and a response read per operation, offline."""
    return client + "Requests", client + "Responses"


@dataclass(frozen=True)
class Names:
    """Every Python name of one agent that more than one generated module uses."""

    client: str
    """The blocking clients' class (``UserAgent``); the asyncio ones add ``Async``."""
    classes: Mapping[QName, str]
    """The model class of every complex type, enumeration and multi-part result."""
    ids: Mapping[QName, str]
    """What every type's functions and tables are named by (``read_<id>``)."""
    fields: Mapping[QName, Mapping[str, str]]
    """A class's own fields by wire name (its base's keep the names they have there)."""
    members: Mapping[QName, Mapping[str, str]]
    """An enumeration's members by wire name."""
    soap_methods: Mapping[str, str]
    """The SOAP clients' method of every operation with a SOAP side, by operation name."""
    rest_methods: Mapping[str, str]
    """The REST clients' method of every operation with a REST side, by operation name."""

    @property
    def async_client(self) -> str:
        return "Async" + self.client


def module_names(agent_names: Iterable[str]) -> dict[str, str]:
    """The folder of each agent's package: ``SoPrincipal`` -> ``so_principal``."""
    return Scope().assign(agent_names, snake_case, fallback="agent")


def result_name(op: Operation) -> QName:
    """The type name of the class holding the parts of ``op``'s SOAP response."""
    assert op.soap is not None
    return QName(op.soap.output.element.namespace, f"{op.name}Result")


def result_type(op: Operation) -> ComplexType:
    """The class holding the parts of ``op``'s SOAP response, as a complex type."""
    assert op.soap is not None
    return ComplexType(
        name=result_name(op),
        fields=op.soap.output.fields,
        doc=f"What {op.name} returns: its response parts.",
    )


def results(agent: Agent) -> Iterator[Operation]:
    """The operations whose SOAP response has several parts, which a class holds."""
    for op in agent.operations:
        if op.soap is not None and len(op.soap.output.fields) > 1:
            yield op


def client_name(agent_name: str) -> str:
    """The blocking clients' class of the agent ``agent_name``: ``User`` -> ``UserAgent``."""
    return pascal_case(agent_name) + "Agent"


def assign_names(agent: Agent) -> Names:
    """Every name of ``agent`` that ``Names`` holds."""
    types = agent.type_map()
    client = client_name(agent.name)
    classes = {t.name: t for t in types.values() if isinstance(t, ComplexType)}
    for op in results(agent):
        classes.setdefault(result_name(op), result_type(op))
    fields: dict[QName, dict[str, str]] = {}
    for name in classes:
        _assign_fields(name, classes, fields)
    soap = sorted(op.name for op in agent.operations if op.soap is not None)
    return Names(
        client=client,
        classes=_class_names(types, classes, client),
        ids=Scope().assign_keys(
            [(name, snake_case(name.name)) for name in [*types, *classes]], fallback="type"
        ),
        fields=fields,
        members={t.name: _members(t) for t in types.values() if isinstance(t, EnumType)},
        soap_methods=Scope(CLIENT_RESERVED).assign(soap, snake_case),
        rest_methods=Scope().assign([op.name for op in agent.operations if op.rest], snake_case),
    )


def assign_entity_names(agent: Agent, names: Names) -> Names:
    """``names`` with names for the agent's ``entity_types`` too (the types only its entity
    endpoints reach, whose classes the entity flavour defines): each class and field of
    ``names`` keeps its name, and the new ones take none of them."""
    new = sorted(t.name for t in agent.entity_types if isinstance(t, (ComplexType, EnumType)))
    taken = {*names.classes.values(), names.client, names.async_client}
    scope = Scope(CLASS_RESERVED, taken={*taken, *offline_classes(names.client)})
    classes = scope.assign_keys([(q, pascal_case(q.name)) for q in new], fallback="Model")
    ids = Scope(taken=names.ids.values()).assign_keys(
        [(q, snake_case(q.name)) for q in new], fallback="type"
    )
    every = {t.name: t for t in (*agent.types, *agent.entity_types)}
    complex_types = {q: t for q, t in every.items() if isinstance(t, ComplexType)}
    fields = {q: f for q, f in names.fields.items() if q not in classes}
    done = {q: dict(f) for q, f in fields.items()}
    for name in new:
        if name in complex_types:
            _assign_fields(name, complex_types, done)
    enums = {t.name: _members(t) for t in agent.entity_types if isinstance(t, EnumType)}
    return replace(
        names,
        classes={**names.classes, **classes},
        ids={**names.ids, **ids},
        fields=done,
        members={**names.members, **enums},
    )


def _class_names(
    types: Mapping[QName, TypeDef], classes: Mapping[QName, ComplexType], client: str
) -> dict[QName, str]:
    """The agent's client classes (and those of its SOAP clients' offline helpers) claim
    their names first, so a type that happens to be called ``UserAgent`` steps aside
    rather than the client."""
    scope = Scope(CLASS_RESERVED, taken={client, "Async" + client, *offline_classes(client)})
    named = sorted(t.name for t in types.values() if isinstance(t, (ComplexType, EnumType)))
    named += sorted(name for name in classes if name not in types)
    return scope.assign_keys([(q, pascal_case(q.name)) for q in named], fallback="Model")


def _assign_fields(
    name: QName, classes: Mapping[QName, ComplexType], done: dict[QName, dict[str, str]]
) -> list[str]:
    """Names ``name``'s own fields into ``done``, its bases' first; returns the names of
    all its fields, the bases' first."""
    definition = classes[name]
    inherited: list[str] = []
    if definition.base in classes:
        assert definition.base is not None
        inherited = _assign_fields(definition.base, classes, done)
    if name not in done:
        scope = Scope(MODEL_RESERVED, taken=inherited)
        wire_names = [f.wire_name for f in definition.fields]
        done[name] = scope.assign(wire_names, snake_case, fallback="value")
    return inherited + [done[name][f.wire_name] for f in definition.fields]


def _members(definition: EnumType) -> dict[str, str]:
    return Scope().assign([v.name for v in definition.values], upper_snake, fallback="VALUE")
