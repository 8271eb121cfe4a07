"""The changelog of ``diff``: each kind of change, as a caller of the generated package
meets it, and whether it breaks that caller; on small IR objects."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from emit_support import q, xs
from entity_support import ODATA_QUERY, USER, endpoint, entity_agent
from ir_factories import (
    NS,
    field,
    ns,
    operation,
    rest_operation,
    wsdl_agent,
    xsd,
)

from codegen.diff import (
    BREAKING,
    Area,
    Change,
    Changelog,
    Kind,
    Reading,
    compare,
    to_json,
    to_markdown,
)
from codegen.ir import (
    Agent,
    BodyKind,
    ComplexType,
    EntityEndpoint,
    EnumType,
    EnumValue,
    Field,
    Operation,
    RestField,
    TypeDef,
)

VERSIONS = (Reading("docs", 86), Reading("docs", 87))
ROOTS = (Reading("old", 87), Reading("new", 87))
INT = xsd("int")


def _changes(old: Agent, new: Agent) -> list[tuple[Area, str, Kind, str]]:
    log = compare([old], [new], ROOTS, rest=True)
    return [(c.area, c.subject, c.kind, c.detail) for c in log.changes]


def _required(name: str, type: str = "int") -> Field:
    return field(name, xsd(type), min_occurs=1)


def _user(*fields: Field) -> ComplexType:
    return ComplexType(ns("User"), fields)


def _enum(*names: str, flags: bool = False) -> EnumType:
    return EnumType(ns("UserType"), tuple(EnumValue(n) for n in names), flags=flags)


def _agent(*ops: Operation, types: tuple[TypeDef, ...] = ()) -> Agent:
    return wsdl_agent(*ops, types=types)


def test_the_same_agent_has_no_changes() -> None:
    agent = _agent(operation("GetUser", (field("UserId", INT),)), types=(_user(),))
    log = compare([agent], [agent], VERSIONS, rest=False)
    assert log.changes == () and log.agents == ("User",)
    assert to_markdown(log) == "# Changes from Services86 to Services87\n\nNo changes.\n"


def test_an_agent_added_is_not_breaking_and_one_removed_is() -> None:
    user, other = _agent(), replace(_agent(), name="Contact")
    log = compare([other], [user], VERSIONS, rest=False)
    assert [(c.subject, c.kind, c.breaking) for c in log.changes] == [
        ("User", Kind.ADDED, False),
        ("Contact", Kind.REMOVED, True),
    ]
    assert log.agents == ()


def test_methods_added_and_removed_by_their_python_names() -> None:
    old = _agent(operation("GetUser"), operation("DeleteUser"))
    new = _agent(operation("GetUser"), operation("CreateUser"))
    assert _changes(old, new) == [
        (Area.SOAP, "create_user", Kind.ADDED, ""),
        (Area.SOAP, "delete_user", Kind.REMOVED, ""),
    ]


def test_a_rest_method_added_or_removed_says_its_endpoint() -> None:
    old = _agent(rest_operation("GetUser"))
    new = _agent(rest_operation("ValidateUser"))
    assert _changes(old, new) == [
        (Area.REST, "get_user", Kind.REMOVED, "POST Agents/User/GetUser"),
        (Area.REST, "validate_user", Kind.ADDED, "POST Agents/User/ValidateUser"),
    ]


def test_an_optional_parameter_added_is_not_breaking_a_required_one_is() -> None:
    old = _agent(operation("GetUser"))
    new = _agent(operation("GetUser", (field("Culture"), _required("UserId"))))
    assert _changes(old, new) == [
        (Area.SOAP, "get_user", Kind.PARAMETER_ADDED, "culture: str | None"),
        (Area.SOAP, "get_user", Kind.REQUIRED_PARAMETER_ADDED, "user_id: int"),
    ]


def test_a_parameter_removed_retyped_or_newly_required() -> None:
    old = _agent(operation("GetUser", (field("UserId", INT), field("Name"), field("Extra"))))
    new = _agent(operation("GetUser", (_required("UserId"), field("Name", INT))))
    assert _changes(old, new) == [
        (Area.SOAP, "get_user", Kind.PARAMETER_NOW_REQUIRED, "user_id: int"),
        (Area.SOAP, "get_user", Kind.PARAMETER_TYPE_CHANGED, "name: str | None → int"),
        (Area.SOAP, "get_user", Kind.PARAMETER_REMOVED, "extra: str | None"),
    ]


def test_a_parameter_no_longer_required_is_not_breaking() -> None:
    old = _agent(rest_operation("GetUser", (_required("UserId"),)))
    new = _agent(rest_operation("GetUser", (field("UserId", INT),)))
    log = compare([old], [new], ROOTS, rest=True)
    (change,) = log.changes
    assert (change.kind, change.detail, change.breaking) == (
        Kind.PARAMETER_NOW_OPTIONAL,
        "user_id: int",
        False,
    )


def test_a_return_type_changed_is_breaking() -> None:
    old = _agent(operation("GetUser", outputs=(field("Response", INT),)))
    new = _agent(operation("GetUser", outputs=(field("Response"),)))
    log = compare([old], [new], ROOTS, rest=True)
    assert [(c.kind, c.detail, c.breaking) for c in log.changes] == [
        (Kind.RETURN_TYPE_CHANGED, "int → str | None", True)
    ]


def test_a_rest_method_at_another_path_is_not_breaking_nor_is_select_added() -> None:
    old = _agent(rest_operation("GetUser", path="/api/v1/Agents/User/GetUser"))
    new = _agent(rest_operation("GetUser", path="/api/v1/Agents/User/FindUser", select=True))
    log = compare([old], [new], ROOTS, rest=True)
    assert [(c.kind, c.detail, c.breaking) for c in log.changes] == [
        (
            Kind.ENDPOINT_CHANGED,
            "POST Agents/User/GetUser → POST Agents/User/FindUser",
            False,
        ),
        (Kind.PARAMETER_ADDED, "select: _rest.Select", False),
    ]
    backwards = compare([new], [old], ROOTS, rest=True)
    assert [c.kind for c in backwards.breaking] == [Kind.PARAMETER_REMOVED]


def test_the_soap_and_rest_sides_of_one_method_are_compared_apart() -> None:
    rest = rest_operation("GetUser", (_required("UserId"),), returns=field("Response"))
    both = replace(operation("GetUser", (field("UserId", INT),)), rest=rest.rest)
    assert _changes(_agent(both), _agent(operation("GetUser", (field("UserId", INT),)))) == [
        (Area.REST, "get_user", Kind.REMOVED, "POST Agents/User/GetUser"),
    ]


def _entities(*endpoints: EntityEndpoint, linked: bool = False) -> Agent:
    """The User agent of ``entity_support`` with ``endpoints`` in place of its own of the
    same names; ``linked``: with ``UserWithLinks``, which the entity pages answer with.
    """
    agent = entity_agent()
    given = {e.name: e for e in endpoints}
    entities = tuple(given.get(e.name, e) for e in agent.entities)
    links = Field("_Links", "", xs("string"))
    types = (ComplexType(q("UserWithLinks"), (links,), base=USER.name),) if linked else ()
    return replace(agent, entities=entities, entity_types=types)


def _without(agent: Agent, name: str) -> Agent:
    return replace(agent, entities=tuple(e for e in agent.entities if e.name != name))


def test_entity_methods_are_compared_as_a_caller_of_their_client_meets_them() -> None:
    text_id = Field("id", "", xs("string"))
    fk = RestField("fk", "bool", "Load foreign keys.", required=True)
    linked = Field("User", "", q("UserWithLinks"))
    get_user = endpoint(
        "GET",
        "User/{id}",
        "GetUser",
        (text_id,),
        (fk,),
        returns=linked,
        statuses=(200, 404),
    )
    new = _without(_entities(get_user, linked=True), "DeleteUser")
    log = compare([entity_agent()], [new], ROOTS, rest=True)
    assert [(c.area, c.subject, c.kind, c.detail, c.breaking) for c in log.changes] == [
        (
            Area.ENTITY,
            "UserEntities.delete_user",
            Kind.REMOVED,
            "DELETE User/{id}",
            True,
        ),
        (
            Area.ENTITY,
            "UserEntities.get_user",
            Kind.PARAMETER_TYPE_CHANGED,
            "id_: int → str",
            True,
        ),
        (
            Area.ENTITY,
            "UserEntities.get_user",
            Kind.PARAMETER_NOW_REQUIRED,
            "fk: bool",
            True,
        ),
        (
            Area.ENTITY,
            "UserEntities.get_user",
            Kind.PARAMETER_REMOVED,
            "select: _rest.Select",
            True,
        ),
        (
            Area.ENTITY,
            "UserEntities.get_user",
            Kind.RETURN_TYPE_CHANGED,
            "User → UserWithLinks",
            True,
        ),
        (Area.MODEL, "UserWithLinks", Kind.ADDED, "", False),
    ]
    assert {c.wire_name for c in log.changes if c.area is Area.ENTITY} == {
        "DeleteUser",
        "GetUser",
    }


def test_path_parts_passed_in_another_order_break_callers() -> None:
    """Path parts are positional: swapped, a call sends each value as the other part, though
    no parameter is added, removed or retyped."""
    table, field = Field("tableName", "", xs("string")), Field("fieldName", "", xs("string"))

    def delete(path: str, *parts: Field) -> Agent:
        return _entities(endpoint("DELETE", path, "DeleteUser", parts))

    old = delete("User/{tableName}/{fieldName}", table, field)
    new = delete("User/{fieldName}/{tableName}", field, table)
    log = compare([old], [new], ROOTS, rest=True)
    assert [(c.subject, c.kind, c.detail, c.breaking) for c in log.changes] == [
        (
            "UserEntities.delete_user",
            Kind.ENDPOINT_CHANGED,
            "DELETE User/{tableName}/{fieldName} → DELETE User/{fieldName}/{tableName}",
            False,
        ),
        (
            "UserEntities.delete_user",
            Kind.POSITIONAL_ORDER_CHANGED,
            "(table_name, field_name) → (field_name, table_name)",
            True,
        ),
    ]


def test_an_entity_body_is_compared_as_the_method_takes_it() -> None:
    name, rank = Field("Name", "", xs("string")), Field("Rank", "", xs("int"))
    person = Field("entity", "", q("Person"))
    user = Field("User", "", q("User"), nillable=True)

    def post(kind: BodyKind, *body: Field) -> Agent:
        return _entities(endpoint("POST", "User", "PostUser", (), (), kind, body, user))

    assert _changes(post(BodyKind.REQUEST, name, rank), post(BodyKind.REQUEST, name)) == [
        (Area.ENTITY, "UserEntities.post_user", Kind.PARAMETER_REMOVED, "rank: int"),
    ]
    assert _changes(entity_agent(), post(BodyKind.ENTITY, person)) == [
        (
            Area.ENTITY,
            "UserEntities.post_user",
            Kind.PARAMETER_TYPE_CHANGED,
            "entity: User → Person",
        ),
    ]


def test_an_odata_list_no_longer_paged_loses_its_iterator_and_a_query_enum_its_values() -> None:
    unpaged = tuple(row for row in ODATA_QUERY if row.name != "$skip")
    new = _entities(endpoint("GET", "User", "GetAll", query=unpaged, archive="AllUsers"))
    assert _changes(entity_agent(), new) == [
        (
            Area.ENTITY,
            "UserEntities.get_all",
            Kind.PARAMETER_REMOVED,
            "skip: int | None",
        ),
        (
            Area.ENTITY,
            "UserEntities.get_all",
            Kind.RETURN_TYPE_CHANGED,
            "_entity.Page → None",
        ),
        (Area.ENTITY, "UserEntities.iter_all", Kind.REMOVED, "GET User"),
    ]
    modes = tuple(
        replace(row, type="Enum: Slim, Full, Tiny") if row.name == "$mode" else row
        for row in ODATA_QUERY
    )
    lists = [e for e in entity_agent().entities if e.archive]
    new = _entities(*(replace(e, rest=replace(e.rest, query=modes)) for e in lists))
    assert _changes(entity_agent(), new) == [
        (Area.MODEL, "Mode", Kind.MEMBER_ADDED, "TINY = 'Tiny'"),
        (Area.MODEL, "Mode", Kind.MEMBER_REMOVED, "WIDE = 'Wide'"),
    ]


def test_model_fields_added_removed_and_retyped() -> None:
    old = _agent(types=(_user(field("UserName"), field("Deleted", xsd("short"))),))
    new = _agent(types=(_user(field("Deleted", xsd("boolean")), field("NickName")),))
    log = compare([old], [new], ROOTS, rest=True)
    assert [(c.area, c.subject, c.kind, c.detail, c.breaking) for c in log.changes] == [
        (Area.MODEL, "User", Kind.FIELD_TYPE_CHANGED, "deleted: int → bool", True),
        (Area.MODEL, "User", Kind.FIELD_ADDED, "nick_name: str | None", False),
        (Area.MODEL, "User", Kind.FIELD_REMOVED, "user_name: str | None", True),
    ]


def test_a_model_added_removed_rebased_or_made_an_enumeration() -> None:
    person = ComplexType(ns("Person"), (field("Name"),))
    based = replace(_user(), base=person.name)
    assert _changes(_agent(types=(_user(),)), _agent(types=(person, based))) == [
        (Area.MODEL, "Person", Kind.ADDED, ""),
        (Area.MODEL, "User", Kind.BASE_CHANGED, "none → Person"),
    ]
    enum = replace(_enum("Internal"), name=ns("User"))
    assert _changes(_agent(types=(_user(),)), _agent(types=(enum,))) == [
        (Area.MODEL, "User", Kind.KIND_CHANGED, "class → enumeration"),
    ]


def test_enumeration_members_added_removed_renumbered_and_made_flags() -> None:
    old = _agent(types=(_enum("Internal", "Resource", "System"),))
    new = _agent(types=(_enum("Internal", "System", "External"),))
    log = compare([old], [new], ROOTS, rest=True)
    assert [(c.kind, c.detail, c.breaking) for c in log.changes] == [
        (Kind.MEMBER_VALUE_CHANGED, "SYSTEM: 2 → 1", False),
        (Kind.MEMBER_ADDED, "EXTERNAL = 2", False),
        (Kind.MEMBER_REMOVED, "RESOURCE = 1", True),
    ]
    flags = _agent(types=(_enum("Internal", "Resource", "System", flags=True),))
    assert _changes(old, flags) == [
        (Area.MODEL, "UserType", Kind.KIND_CHANGED, "enumeration → flags enumeration")
    ]


@pytest.mark.parametrize("kind", list(Kind))
def test_breaking_is_removal_retyping_or_a_new_requirement(kind: Kind) -> None:
    words = (
        "removed",
        "type changed",
        "now required",
        "required parameter",
        "positional",
        "kind",
        "base",
    )
    assert (kind in BREAKING) == any(word in kind.value for word in words)


def _log(*changes: Change) -> Changelog:
    return Changelog(*ROOTS, rest=True, agents=("User",), changes=changes)


def test_markdown_groups_by_agent_and_area_and_marks_what_breaks() -> None:
    log = _log(
        Change("Contact", Area.AGENT, "Contact", Kind.REMOVED),
        Change(
            "User",
            Area.SOAP,
            "get_user",
            Kind.PARAMETER_ADDED,
            "culture: str",
            "GetUser",
        ),
        Change(
            "User",
            Area.REST,
            "get_user",
            Kind.RETURN_TYPE_CHANGED,
            "int → str",
            "GetUser",
        ),
        Change("User", Area.MODEL, "User", Kind.FIELD_ADDED, "nick_name: str", "User"),
        Change("User", Area.MODEL, "User", Kind.FIELD_REMOVED, "name: str", "User"),
    )
    assert to_markdown(log) == (
        "# Changes from old to new\n"
        "\n"
        "old → new: SOAP Services87 → Services87 and REST.\n"
        "\n"
        "5 change(s), 3 breaking.\n"
        "\n"
        "## Agents\n"
        "\n"
        "- `Contact`: removed (**breaking**)\n"
        "\n"
        "## User\n"
        "\n"
        "### SOAP client\n"
        "\n"
        "- `get_user` (GetUser): parameter added: `culture: str`\n"
        "\n"
        "### REST client\n"
        "\n"
        "- `get_user` (GetUser): return type changed: `int → str` (**breaking**)\n"
        "\n"
        "### Models\n"
        "\n"
        "- `User`\n"
        "  - field added: `nick_name: str`\n"
        "  - field removed: `name: str` (**breaking**)\n"
    )


def test_json_lists_every_change_with_whether_it_breaks() -> None:
    log = _log(Change("User", Area.SOAP, "get_user", Kind.REMOVED, "", "GetUser"))
    assert json.loads(to_json(log)) == {
        "old": {"docs": "old", "version": 87},
        "new": {"docs": "new", "version": 87},
        "rest": True,
        "agents": ["User"],
        "breaking": 1,
        "changes": [
            {
                "agent": "User",
                "area": "soap",
                "subject": "get_user",
                "wire_name": "GetUser",
                "kind": "removed",
                "detail": "",
                "breaking": True,
            }
        ],
    }


def test_the_summary_says_what_was_compared_and_found() -> None:
    log = compare([_agent(operation("A"))], [_agent()], VERSIONS, rest=False)
    assert log.summary() == (
        "compared 1 agent(s), SOAP Services86 → Services87 of docs: 1 change(s), 1 breaking"
    )
    none = Changelog(Reading("old", None), Reading("new", 87), rest=True, agents=(), changes=())
    assert none.compared == "old → new: SOAP none → Services87 and REST"
    itself = compare([_agent()], [_agent()], (Reading("docs", 87),) * 2, rest=True)
    assert itself.compared == "docs → docs: SOAP Services87 → Services87 and REST"
    assert to_markdown(itself).startswith("# Changes from docs to docs\n")


def test_what_only_the_wire_sees_is_no_change() -> None:
    moved = Field("UserName", NS + "/other", xsd("string"), min_occurs=0)
    old = _agent(types=(_user(field("UserName")),))
    assert _changes(old, _agent(types=(_user(moved),))) == []
