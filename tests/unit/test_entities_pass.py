"""The entity join and the entities pass, on IR factories."""

from __future__ import annotations

from pathlib import PurePath

from ir_factories import NS, entity_page, field, ns, operation, wsdl_agent, xsd

from codegen.ir import ANY_TYPE, Agent, ComplexType, EntityPage, Field, RestField, TypeDef
from codegen.passes import AgentSources
from codegen.passes.entities import ODATA_LIST, TEXT_DICTIONARY, entities, join

AGENTS = ("Archive", "Associate", "Chat", "List", "User")


def _page(folder: str, name: str) -> PurePath:
    return PurePath(f"rest/{folder}/v1{folder}_{name}.md")


def test_each_page_joins_by_the_first_evidence_that_decides() -> None:
    named = {
        _page("User", "GetUser"): "User",
        _page("User", "PutUser"): "User",
        _page("User", "GetCurrentAssociate"): "Associate",
        _page("User", "GetAll"): "",
        _page("Role", "GetRole"): "User",
        _page("Role", "GetAll"): "",
        _page("Archive", "GetArchive"): "",
        _page("ChatPresence", "Get"): "",
        _page("List_ReasonSold", "GetAll"): "",
        _page("String", "GetString"): "",
        _page("Odd", "Get"): "Nowhere",
    }
    assert join(named, AGENTS) == {
        _page("User", "GetUser"): "User",
        _page("User", "PutUser"): "User",
        _page("User", "GetCurrentAssociate"): "Associate",  # 1. the page names it
        _page("User", "GetAll"): "User",  # 2. the folder's most named
        _page("Role", "GetRole"): "User",
        _page("Role", "GetAll"): "User",
        _page("Archive", "GetArchive"): "Archive",  # 3. the folder's name
        _page("ChatPresence", "Get"): "Chat",  # 3. its first word
        _page("List_ReasonSold", "GetAll"): "List",
        _page("String", "GetString"): "String",  # 4. an agent of its own
        _page("Odd", "Get"): "Odd",  # an agent the docs lack names nothing
    }


def test_a_tie_in_a_folder_goes_to_the_first_agent_by_name_in_any_case() -> None:
    named = {_page("F", "A"): "user", _page("F", "B"): "List", _page("F", "C"): ""}
    assert join(named, AGENTS)[_page("F", "C")] == "List"
    assert join(named, AGENTS)[_page("F", "A")] == "User"


ID = RestField("id", "int32", "The id", required=True)
USER = ComplexType(ns("User"), (field("Name"),))


def test_an_endpoint_that_calls_a_method_takes_its_types() -> None:
    get_user = operation(
        "GetUser", (field("AssociateId", xsd("int")),), (field("Response", ns("User")),)
    )
    agent = wsdl_agent(get_user, types=(USER,))
    page = entity_page("User", "GetUser", "User", "GetUser", (ID,), response_kind="object")
    typed, diagnostics = entities(agent, AgentSources("User", 86, agent, entity_pages=(page,)))
    assert diagnostics == []
    # The WSDL of the factory has no xs:int: the path part's is the entity endpoints' own.
    assert typed.types == agent.types
    assert [t.name for t in typed.entity_types] == [xsd("int")]
    (endpoint,) = typed.entities
    assert endpoint.rest.parameters == (Field("id", NS, xsd("int"), doc="The id"),)
    assert endpoint.rest.returns == get_user.soap.output.fields[0]  # type: ignore[union-attr]


def test_an_odata_list_returns_rows_of_untyped_objects_and_changes_no_wsdl_type() -> None:
    rows = (
        RestField("odata.metadata", "string"),
        RestField("odata.nextLink", "string"),
        RestField("value", "array"),
    )
    pages = (
        entity_page(
            "User", "GetAll", archive="AllUsers", response_kind="object", response_fields=rows
        ),
        entity_page(
            "Role", "GetAll", archive="Roles", response_kind="object", response_fields=rows
        ),
    )
    agent = wsdl_agent(types=(USER,))
    typed, _ = entities(agent, AgentSources("User", 86, agent, entity_pages=pages))
    assert [e.folder for e in typed.entities] == ["Role", "User"]
    assert {e.rest.returns.type for e in typed.entities if e.rest.returns} == {ns(ODATA_LIST)}
    assert typed.types == agent.types
    odata = next(t for t in typed.entity_types if t.name == ns(ODATA_LIST))
    assert isinstance(odata, ComplexType)
    value = odata.fields[-1]
    assert (value.wire_name, value.type, value.repeated) == ("value", ANY_TYPE, True)
    assert {t.name for t in typed.entity_types} == {ns(ODATA_LIST), xsd("string")}


LINKED = (RestField("Name", "string"), RestField("_Links", "object"))
LINKS = '{"Name": "JDOE", "_Links": {"Self": "https://host/api/v1/User/5"}}'
GET_USER = operation(
    "GetUser", (field("AssociateId", xsd("int")),), (field("Response", ns("User")),)
)


def _typed(*pages: EntityPage, types: tuple[TypeDef, ...] = (USER,)) -> Agent:
    agent = wsdl_agent(GET_USER, types=types)
    typed, _ = entities(agent, AgentSources("User", 86, agent, entity_pages=pages))
    assert typed.types == agent.types
    return typed


def test_an_answer_whose_page_documents_links_is_the_carrier_with_them() -> None:
    """``GET User/{id}``: "User entity with API _Links added", link name to URL."""
    linked = entity_page("User", "GetUser", "User", "GetUser", (ID,), "", "object", LINKED, LINKS)
    plain = entity_page("User", "GetUserFromName", "User", "GetUser", (), "", "object", LINKED[:1])
    typed = _typed(linked, plain)
    returns = {e.name: e.rest.returns.type for e in typed.entities if e.rest.returns}
    assert returns == {"GetUser": ns("UserWithLinks"), "GetUserFromName": ns("User")}
    kinds = {t.name: t for t in typed.entity_types}
    with_links = kinds[ns("UserWithLinks")]
    assert isinstance(with_links, ComplexType) and with_links.base == ns("User")
    (links,) = with_links.fields
    assert (links.wire_name, links.type, links.optional) == ("_Links", TEXT_DICTIONARY.name, False)
    assert kinds[TEXT_DICTIONARY.name] == TEXT_DICTIONARY


def test_links_no_sample_shows_as_text_stay_untyped() -> None:
    linked = entity_page("User", "GetUser", "User", "GetUser", (ID,), "", "object", LINKED)
    (with_links,) = (t for t in _typed(linked).entity_types if t.name == ns("UserWithLinks"))
    assert isinstance(with_links, ComplexType)
    assert [f.type for f in with_links.fields] == [ANY_TYPE]


def test_a_text_answer_is_not_the_carrier_of_the_method_it_calls() -> None:
    """``GetPrefValueAtLevel`` calls ``GetPreferenceByName`` and answers its value."""
    page = entity_page("User", "GetName", "User", "GetUser", (ID,), "", "string")
    (endpoint,) = _typed(page).entities
    assert endpoint.rest.returns is not None and endpoint.rest.returns.type == xsd("string")


def test_an_entity_body_is_the_carrier_its_table_describes() -> None:
    """``TestWebhook`` sends a ``webhook`` and answers a ``WebhookResult``: its body is the
    carrier the body is named after, whose fields the table's rows are."""
    webhook = ComplexType(ns("Webhook"), (field("WebhookId", xsd("int")), field("Name")))
    result = ComplexType(ns("WebhookResult"), (field("Success", xsd("boolean")),))
    rows = (RestField("WebhookId", "int32"), RestField("Name", "string"))
    page = entity_page(
        "Webhook",
        "TestWebhook",
        response_kind="object",
        response_type="WebhookResult",
        response_fields=(RestField("Success", "bool"),),
        body_name="webhook",
        body=rows,
    )
    (endpoint,) = _typed(page, types=(USER, webhook, result)).entities
    (body,) = endpoint.rest.parameters
    assert (body.wire_name, body.type) == ("webhook", ns("Webhook"))
    assert endpoint.rest.returns is not None and endpoint.rest.returns.type == ns("WebhookResult")
