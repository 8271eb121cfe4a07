"""Inferring an agent from sample envelopes: the seeds and hand-made samples."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from ir_factories import NS, node, ns, operation, soap_page, wsdl_agent, xsd

from codegen.ir import (
    ARRAYS,
    SERIALIZATION,
    UNBOUNDED,
    XSD,
    Agent,
    ArrayType,
    ComplexType,
    Diagnostic,
    DictionaryType,
    EnumType,
    Field,
    Level,
    Message,
    Primitive,
    QName,
    SoapPage,
    TypeDef,
)
from codegen.passes import AgentSources
from codegen.passes.infer import infer, infer_agent
from codegen.sources.soap_page import read_soap_page


def _types(agent: Agent) -> dict[QName, TypeDef]:
    return agent.type_map()


def _shape(fields: tuple[Field, ...]) -> list[tuple[str, str, bool]]:
    return [(f.wire_name, f.type.name, f.nillable) for f in fields]


def _infer(*pages: SoapPage) -> tuple[Agent, list[Diagnostic]]:
    return infer_agent(pages)


# --- The seeds -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(specs: Path) -> tuple[Agent, list[Diagnostic]]:
    pages = []
    for path in sorted((specs / "soap" / "Services86" / "User").glob("*.md")):
        read, _ = read_soap_page(str(path), path.read_text(encoding="utf-8"))
        assert read is not None
        pages.append(read)
    return infer_agent(pages)


def test_seeds_give_four_operations(seeds: tuple[Agent, list[Diagnostic]]) -> None:
    agent, diagnostics = seeds
    assert diagnostics == []
    assert (agent.name, agent.version, agent.namespace) == ("User", 86, NS)
    assert agent.service_path == "Remote/Services86/User.svc"
    assert [op.name for op in agent.operations] == [
        "CreateExternalUser",
        "CreateUserGroup",
        "GenerateNewPasswordForExternalUser",
        "SetExternalUserInfo",
    ]
    for op in agent.operations:
        assert op.soap is not None
        assert op.soap.action == f"{NS}/User/{op.name}"
        assert op.soap.input.element == ns(op.name)
        assert op.soap.output.element == ns(f"{op.name}Response")
        assert op.online_restricted.startswith("The User agent is not available")


def test_seed_create_user_group_returns_a_user_group(
    seeds: tuple[Agent, list[Diagnostic]],
) -> None:
    agent, _ = seeds
    soap = agent.operation("CreateUserGroup").soap
    assert soap is not None and soap.input.fields == ()
    (response,) = soap.output.fields
    assert (response.wire_name, response.type, response.nillable) == (
        "Response",
        ns("UserGroup"),
        True,
    )
    user_group = _types(agent)[ns("UserGroup")]
    assert isinstance(user_group, ComplexType)
    assert [(f.wire_name, f.type) for f in user_group.fields] == [
        ("Value", xsd("string")),
        ("Tooltip", xsd("string")),
        ("Id", xsd("int")),
        ("Rank", xsd("short")),
        ("Deleted", xsd("short")),
    ]
    assert all(f.min_occurs == 0 for f in user_group.fields)


def test_seed_create_external_user_parameters(
    seeds: tuple[Agent, list[Diagnostic]],
) -> None:
    agent, _ = seeds
    soap = agent.operation("CreateExternalUser").soap
    assert soap is not None
    assert _shape(soap.input.fields) == [
        ("PersonId", "int", False),
        ("UserName", "string", True),
        ("Password", "string", True),
        ("RoleId", "int", False),
        ("IsActive", "boolean", False),
    ]
    assert {f.type.namespace for f in soap.input.fields} == {XSD}
    assert _shape(soap.output.fields) == [("Response", "int", False)]
    assert [(h.wire_name, h.type, h.min_occurs) for h in soap.input.headers] == [
        ("ApplicationToken", xsd("string"), 0),
        ("Credentials", ns("SoCredentials"), 0),
    ]
    assert soap.output.headers == ()
    credentials = _types(agent)[ns("SoCredentials")]
    assert isinstance(credentials, ComplexType)
    assert _shape(credentials.fields) == [("Ticket", "string", True)]


def test_seed_flag_argument_is_an_enum(seeds: tuple[Agent, list[Diagnostic]]) -> None:
    agent, _ = seeds
    soap = agent.operation("SetExternalUserInfo").soap
    assert soap is not None
    modification = soap.input.fields[-1]
    assert modification.type == ns("ExternalUserInfoModification")
    assert not modification.nillable
    enum = _types(agent)[modification.type]
    assert isinstance(enum, EnumType)
    assert [v.name for v in enum.values] == ["UserName"]
    assert soap.output.fields == ()


def test_seed_types_are_sorted_with_their_primitives(
    seeds: tuple[Agent, list[Diagnostic]],
) -> None:
    agent, _ = seeds
    names = [t.name for t in agent.types]
    assert names == sorted(names)
    primitives = {t.name.name for t in agent.types if isinstance(t, Primitive)}
    assert primitives == {"boolean", "int", "short", "string"}


# --- Inference rules, on hand-made samples ---------------------------------------------------


def test_a_type_seen_on_several_pages_is_merged_in_sample_order() -> None:
    first = node(
        "Response",
        ns("Thing"),
        children=(node("A", xsd("int"), "0"), node("C", xsd("string"))),
    )
    second = node(
        "Response",
        ns("Thing"),
        children=(node("A", xsd("int"), "0"), node("B", xsd("boolean"), "false")),
    )
    third = node(
        "Response",
        ns("Thing"),
        children=(node("Z", xsd("string")), node("A", nil=True)),
    )
    agent, diagnostics = _infer(
        soap_page("GetA", response=(first,)),
        soap_page("GetB", response=(second,)),
        soap_page("GetC", response=(third,)),
    )
    assert diagnostics == []
    thing = _types(agent)[ns("Thing")]
    assert isinstance(thing, ComplexType)
    assert _shape(thing.fields) == [
        ("Z", "string", True),
        ("A", "int", False),
        ("B", "boolean", False),
        ("C", "string", True),
    ]


def test_input_order_does_not_matter() -> None:
    pages = [
        soap_page(
            f"Op{i}",
            response=(
                node(
                    "Response",
                    ns("Thing"),
                    children=(node(f"F{i}", xsd("int"), "0"),),
                ),
            ),
        )
        for i in range(6)
    ]
    shuffled = pages[:]
    random.Random(3).shuffle(shuffled)
    assert infer_agent(pages) == infer_agent(shuffled)


def test_a_contradiction_is_a_warning_where_it_shows() -> None:
    one = node("Response", ns("Thing"), children=(node("A", xsd("int"), "0", line=7),))
    two = node("Response", ns("Thing"), children=(node("A", xsd("string"), line=9),))
    agent, diagnostics = _infer(
        soap_page("One", response=(one,)), soap_page("Two", response=(two,))
    )
    assert [(d.file, d.line, d.level) for d in diagnostics] == [("Two.md", 9, Level.WARNING)]
    assert "One.md:7" in diagnostics[0].message
    thing = _types(agent)[ns("Thing")]
    assert isinstance(thing, ComplexType) and thing.fields[0].type == xsd("int")


def test_nil_fields_take_their_type_from_elsewhere() -> None:
    deep = node(
        "Response",
        ns("Node"),
        children=(
            node("Id", xsd("int"), "0"),
            node(
                "Children",
                ns("ArrayOfNode"),
                children=(
                    node(
                        "Node",
                        ns("Node"),
                        children=(node("Id", nil=True), node("Children", nil=True)),
                    ),
                ),
            ),
            node("Label", nil=True, line=4),
        ),
    )
    agent, diagnostics = _infer(soap_page("Tree", response=(deep,)))
    tree = _types(agent)[ns("Node")]
    assert isinstance(tree, ComplexType)
    assert _shape(tree.fields) == [
        ("Id", "int", False),
        ("Children", "ArrayOfNode", True),
        ("Label", "anyType", True),
    ]
    assert [(d.line, d.level) for d in diagnostics] == [(4, Level.WARNING)]
    array = _types(agent)[ns("ArrayOfNode")]
    assert isinstance(array, ArrayType)
    assert (array.item.wire_name, array.item.type, array.item.max_occurs) == (
        "Node",
        ns("Node"),
        UNBOUNDED,
    )


def test_arrays_dictionaries_flags_and_serialization_types() -> None:
    ints = node(
        "Ids",
        QName(ARRAYS, "ArrayOfint"),
        children=(node(f"{{{ARRAYS}}}int", xsd("int"), "0"),),
    )
    empty = node("Names", QName(ARRAYS, "ArrayOfstring"))
    entry = node(
        "StringKeyValuePair",
        children=(node("Key", xsd("string")), node("Value", xsd("int"), "0")),
    )
    table = node("Table", ns("StringIntDictionary"), children=(entry,))
    untyped_table = node("Extra", children=(entry,))
    mask = node("Mask", ns("ETableRight"), "Select Update")
    lead = node("Lead", QName(SERIALIZATION, "duration"))
    agent, diagnostics = _infer(
        soap_page("Mixed", request=(ints, empty, table, untyped_table, mask, lead))
    )
    assert diagnostics == []
    types = _types(agent)
    soap = agent.operation("Mixed").soap
    assert soap is not None
    assert _shape(soap.input.fields) == [
        ("Ids", "ArrayOfint", True),
        ("Names", "ArrayOfstring", True),
        ("Table", "StringIntDictionary", True),
        ("Extra", "StringDictionary", True),
        ("Mask", "ETableRight", False),
        ("Lead", "duration", False),
    ]
    int_array, string_array = (
        types[QName(ARRAYS, "ArrayOfint")],
        types[QName(ARRAYS, "ArrayOfstring")],
    )
    assert isinstance(int_array, ArrayType) and isinstance(string_array, ArrayType)
    assert (
        int_array.item.wire_name,
        int_array.item.namespace,
        int_array.item.nillable,
    ) == ("int", ARRAYS, False)
    assert (string_array.item.wire_name, string_array.item.type) == (
        "string",
        xsd("string"),
    )
    dictionary = types[ns("StringIntDictionary")]
    assert isinstance(dictionary, DictionaryType)
    assert dictionary.entry_name == "StringKeyValuePair"
    assert (dictionary.key.type, dictionary.value.type) == (xsd("string"), xsd("int"))
    assert (dictionary.key.min_occurs, dictionary.value.nillable) == (1, False)
    flags = types[ns("ETableRight")]
    assert isinstance(flags, EnumType) and flags.flags
    assert [v.name for v in flags.values] == ["Select", "Update"]
    assert types[QName(SERIALIZATION, "duration")] == Primitive(
        QName(SERIALIZATION, "duration"), "duration"
    )


def test_pages_of_another_agent_are_left_out() -> None:
    agent, diagnostics = _infer(
        soap_page("A"),
        soap_page("B", agent="Person", file="Person/B.md"),
        soap_page("A", file="again/A.md"),
    )
    assert [op.name for op in agent.operations] == ["A"]
    assert sorted(d.file for d in diagnostics) == ["Person/B.md", "again/A.md"]
    assert {d.level for d in diagnostics} == {Level.WARNING}


def test_pages_without_samples_still_give_operations() -> None:
    bare = SoapPage(file="x.md", agent="User", version=86, method="Ping")
    agent, _ = _infer(bare, soap_page("Pong"))
    soap = agent.operation("Ping").soap
    assert soap is not None
    assert soap.input == Message(ns("Ping"), ())
    assert soap.output == Message(ns("PingResponse"), ())
    assert agent.service_path == "Remote/Services86/User.svc"


def test_no_pages_no_agent() -> None:
    agent, diagnostics = infer_agent([])
    assert (agent.operations, agent.types, diagnostics) == ((), (), [])


# --- The pass --------------------------------------------------------------------------------


def test_the_pass_infers_only_without_a_wsdl() -> None:
    pages = (soap_page("Ping", response=(node("Response", xsd("int"), "0"),)),)
    bare = AgentSources("User", 86, None, pages)
    inferred, _ = infer(bare.start(), bare)
    assert inferred == infer_agent(pages)[0]
    wsdl = wsdl_agent(operation("Pong"))
    declared = AgentSources("User", 86, wsdl, pages)
    assert infer(wsdl, declared) == (wsdl, [])


def test_the_pass_leaves_an_agent_with_no_pages_as_it_starts() -> None:
    sources = AgentSources("User", 86, None)
    assert infer(sources.start(), sources) == (sources.start(), [])
