"""A small agent with WebAPI entity endpoints, as the entity pages and the join give them
(path parts, then the query, then the body, typed), for the entity flavour's unit tests.

``User`` is the model (a number, a text, an enum, a nested ``Person``); its endpoints are
those of ``restful/rest/User/`` that matter to the flavour: get, put, post, patch and
delete by id, delete by a text path part, and two OData lists, one below an id.
"""

from __future__ import annotations

from dataclasses import replace

from emit_support import agent_of, field, operation, q, xs

from codegen.ir import (
    Agent,
    BodyKind,
    ComplexType,
    EntityEndpoint,
    EnumType,
    EnumValue,
    Field,
    RestEndpoint,
    RestField,
)

KIND = EnumType(q("UserType"), (EnumValue("InternalAssociate", 1), EnumValue("External", 3)))
PERSON = ComplexType(q("Person"), (field("Firstname", xs("string")),))
USER = ComplexType(
    q("User"),
    (
        field("AssociateId", xs("int"), nillable=False),
        field("Name", xs("string")),
        field("Tooltip", xs("string")),
        field("Type", q("UserType"), nillable=False),
        field("Person", q("Person")),
    ),
)
_ID = Field("id", "", xs("int"), doc="The id of the User.")
_USER = Field("User", "", q("User"), nillable=True, min_occurs=0)
ODATA_QUERY = (
    RestField("$select", "string", "Comma separated list of column names to return."),
    RestField("$filter", "string", "Expression to restrict the results."),
    RestField("$orderBy", "string", "Comma separated list of column names to sort by."),
    RestField("$top", "int32", "Number of rows to return in results"),
    RestField("$skip", "int32", "Number of rows from database to skip"),
    RestField("$mode", "Enum: Slim, Wide, Full", "FULL or SLIM"),
    RestField("$jsonSafe", "bool", "Make output names into JSON safe property names."),
)
_TYPES = {"int32": xs("int"), "bool": xs("boolean")}


def _typed(row: RestField) -> Field:
    """A query row as the join types it: an enum's values stay text."""
    return Field(row.name, "", _TYPES.get(row.type, xs("string")), min_occurs=0, doc=row.doc)


def endpoint(
    method: str,
    path: str,
    name: str,
    parts: tuple[Field, ...] = (),
    query: tuple[RestField, ...] = (),
    body_kind: BodyKind = BodyKind.NONE,
    body: tuple[Field, ...] = (),
    returns: Field | None = None,
    archive: str = "",
    statuses: tuple[int, ...] = (200,),
) -> EntityEndpoint:
    """An entity page of ``restful/rest/User/`` as the reader and the join give it, its
    status table listing ``statuses``."""
    rest = RestEndpoint(
        method=method,
        path=f"/api/v1/{path}",
        file=f"v1User_{name}.md",
        line=1,
        query=query,
        path_parts=tuple(RestField(p.wire_name, p.type.name, p.doc, True) for p in parts),
        body_kind=body_kind,
        response_kind="object" if returns is not None else "none",
        parameters=(*parts, *(_typed(row) for row in query), *body),
        returns=returns,
        statuses=tuple((status, f"Status {status}.") for status in statuses),
        doc=f"{name} of the User entity.",
    )
    return EntityEndpoint("User", "User", name, rest, archive=archive)


def user_entities() -> tuple[EntityEndpoint, ...]:
    name = Field("name", "", xs("string"), doc="The user's name.")
    entity = Field("entity", "", q("User"), doc="The User to be saved.")
    changes = Field("changes", "", xs("string"), doc="JSON-Patch array or MERGE-PATCH object.")
    image = Field("image", "", xs("base64Binary"), doc="Image bitmap.")
    fk = (ODATA_QUERY[0], RestField("fk", "bool", "Load foreign keys."))
    saved = (200, 400, 404, 412)
    return (
        endpoint("GET", "User/{id}", "GetUser", (_ID,), fk, returns=_USER, statuses=(200, 404)),
        endpoint(
            "PUT",
            "User/{id}",
            "PutUser",
            (_ID,),
            (),
            BodyKind.ENTITY,
            (entity,),
            _USER,
            statuses=saved,
        ),
        endpoint("POST", "User", "PostUser", (), (), BodyKind.ENTITY, (entity,), _USER),
        endpoint(
            "PATCH",
            "User/{id}",
            "PatchUser",
            (_ID,),
            (),
            BodyKind.ENTITY,
            (changes,),
            _USER,
            statuses=(*saved, 409),
        ),
        endpoint("DELETE", "User/{id}", "DeleteUser", (_ID,), statuses=(204, 404, 412)),
        endpoint("DELETE", "User/ByName/{name}", "DeleteUserFromName", (name,)),
        endpoint("GET", "User", "GetAll", query=ODATA_QUERY, archive="AllUsers"),
        endpoint(
            "POST", "User/{id}/Image", "SaveImage", (_ID,), (), BodyKind.BINARY, (image,), _ID
        ),
        endpoint("GET", "User/{id}/Rows", "GetUserRows", (_ID,), ODATA_QUERY, archive="Rows"),
    )


def entity_agent() -> Agent:
    """The agent: the models, one SOAP operation (so the SOAP flavour has one), and the
    entity endpoints."""
    get_user = operation("GetUser", (), (Field("Response", "", q("User"), nillable=True),))
    agent = agent_of((KIND, PERSON, USER), (get_user,), name="User")
    return replace(agent, entities=user_entities())
