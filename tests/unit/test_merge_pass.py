"""The merge pass on its own: small agents and pages built by factories, no corpus, no files."""

from __future__ import annotations

from ir_factories import NS, field, ns, operation, rest_page, soap_page, wsdl_agent, xsd

from codegen.ir import (
    ANY_TYPE,
    BodyKind,
    ComplexType,
    EnumType,
    EnumValue,
    Field,
    Level,
    Primitive,
    QName,
    RestField,
    TypeDef,
)
from codegen.passes import AgentSources
from codegen.passes.merge import merge


def test_a_soap_page_gives_the_wsdl_operation_its_text() -> None:
    wsdl = wsdl_agent(operation("GetUser", inputs=(field("PersonId", xsd("int")),)))
    page = soap_page("GetUser", doc="Gets a user.", parameters=(("personId", "The person's id."),))
    merged, diagnostics = merge(wsdl, AgentSources("User", 86, wsdl, (page,)))
    assert diagnostics == []
    op = merged.operation("GetUser")
    assert op.doc == "Gets a user."
    assert op.soap is not None
    assert [(f.wire_name, f.doc) for f in op.soap.input.fields] == [
        ("PersonId", "The person's id.")
    ]
    assert op.soap.request_sample == page.request


def test_a_parameter_note_may_name_a_unique_ending_of_the_element() -> None:
    wsdl = wsdl_agent(operation("Run", inputs=(field("CommandActionResult"),)))
    page = soap_page("Run", parameters=(("actionResult", "What the action gave."),))
    merged, diagnostics = merge(wsdl, AgentSources("User", 86, wsdl, (page,)))
    soap = merged.operation("Run").soap
    assert diagnostics == [] and soap is not None
    assert soap.input.fields[0].doc == "What the action gave."


def test_a_page_for_no_operation_and_a_note_for_no_parameter_are_warnings() -> None:
    wsdl = wsdl_agent(operation("GetUser", inputs=(field("PersonId", xsd("int")),)))
    pages = (
        soap_page("GetUser", parameters=(("contactId", "Not a parameter."),)),
        soap_page("Vanished", doc="Was removed."),
    )
    merged, diagnostics = merge(wsdl, AgentSources("User", 86, wsdl, pages))
    assert [(d.file, d.level) for d in diagnostics] == [
        ("GetUser.md", Level.WARNING),
        ("Vanished.md", Level.WARNING),
    ]
    assert "'contactId' names no parameter" in diagnostics[0].message
    assert "Vanished is not an operation of the WSDL" in diagnostics[1].message
    assert [op.name for op in merged.operations] == ["GetUser"]


def test_a_rest_endpoint_joins_the_soap_operation_and_takes_its_types() -> None:
    wsdl = wsdl_agent(
        operation(
            "GetUser",
            inputs=(field("PersonId", xsd("int")),),
            outputs=(field("Response", ns("User")),),
        ),
        types=(ComplexType(ns("User"), (field("Name"),)),),
    )
    page = rest_page(
        "GetUser",
        query=(RestField("personId", "int32", "The person.", required=True),),
        response_kind="object",
    )
    merged, diagnostics = merge(wsdl, AgentSources("User", 86, wsdl, (), (page,)))
    assert diagnostics == []
    op = merged.operation("GetUser")
    assert op.soap is not None and op.rest is not None
    (parameter,) = op.rest.parameters
    assert (parameter.wire_name, parameter.type, parameter.doc, parameter.min_occurs) == (
        "personId",
        xsd("int"),
        "The person.",
        1,
    )
    # The page says **Required**, the WSDL minOccurs="0": the SOAP side requires it too.
    assert op.soap.input.fields == (field("PersonId", xsd("int"), min_occurs=1),)
    assert op.rest.returns == field("Response", ns("User"))


def test_a_whole_request_body_is_required_over_both_flavours() -> None:
    user = ComplexType(ns("User"), (field("Name"),))
    parameter = Field("User", NS, ns("User"), nillable=True, min_occurs=0)
    wsdl = wsdl_agent(operation("SaveUser", inputs=(parameter,)), types=(user,))
    page = rest_page("SaveUser", body_kind=BodyKind.ENTITY, body=(RestField("Name", "string"),))
    merged, _ = merge(wsdl, AgentSources("User", 86, wsdl, (), (page,)))
    op = merged.operation("SaveUser")
    assert op.soap is not None and op.rest is not None
    body = (op.rest.parameters[0], op.soap.input.fields[0])
    assert [(f.wire_name, f.min_occurs, f.nillable) for f in body] == [
        ("entity", 1, False),
        ("User", 1, False),
    ]


def test_a_rest_only_method_is_typed_from_its_tables() -> None:
    wsdl = wsdl_agent(operation("GetUser"))
    page = rest_page(
        "GetLicense",
        body_kind=BodyKind.REQUEST,
        body=(RestField("Module", "string", required=True),),
        response_kind="object",
        response_fields=(RestField("Seats", "int32"), RestField("Expires", "date-time")),
        doc="The license of a module.",
    )
    merged, diagnostics = merge(wsdl, AgentSources("User", 86, wsdl, (), (page,)))
    assert diagnostics == []
    assert [op.name for op in merged.operations] == ["GetLicense", "GetUser"]
    op = merged.operation("GetLicense")
    assert (op.soap, op.doc) == (None, "The license of a module.")
    assert op.rest is not None and op.rest.returns is not None
    assert [(f.wire_name, f.type, f.min_occurs) for f in op.rest.parameters] == [
        ("Module", xsd("string"), 1)
    ]
    carrier = merged.type_map()[op.rest.returns.type]
    assert isinstance(carrier, ComplexType) and carrier.name == ns("GetLicenseResult")
    assert [(f.wire_name, f.type) for f in carrier.fields] == [
        ("Seats", xsd("int")),
        ("Expires", xsd("dateTime")),
    ]
    primitives = {t.name for t in merged.types if isinstance(t, Primitive)}
    assert primitives == {xsd("string"), xsd("int"), xsd("dateTime")}


def test_a_property_only_the_rest_table_documents_joins_the_wsdl_type_as_rest_only() -> None:
    user = ComplexType(ns("User"), (field("Name"),))
    wsdl = wsdl_agent(operation("GetUser", outputs=(field("Response", ns("User")),)), types=(user,))
    page = rest_page(
        "GetUser",
        response_kind="object",
        response_fields=(RestField("Name", "string"), RestField("Nickname", "string")),
    )
    merged, _ = merge(wsdl, AgentSources("User", 86, wsdl, (), (page,)))
    grown = merged.type_map()[ns("User")]
    assert isinstance(grown, ComplexType)
    assert [(f.wire_name, f.namespace, f.rest_only) for f in grown.fields] == [
        ("Name", NS, False),
        ("Nickname", NS, True),
    ]


def test_an_empty_cell_is_a_nested_object_typed_from_the_sample_never_a_wsdl_string() -> None:
    credentials = ComplexType(ns("SoCredentials"), (field("Ticket", xsd("string")),))
    wsdl = wsdl_agent(operation("GetUser"), types=(credentials,))
    page = rest_page(
        "GetChatSession",
        response_kind="object",
        response_fields=(
            RestField("Ticket", "", doc="The ticket of the session."),
            RestField("Last", "", doc="A message. Carrier object for ChatMessage."),
            RestField("Never", "", doc="No sample shows it."),
        ),
        sample_response='{"Ticket": {"TicketId": 4, "Title": "x"}, "Last": {"Text": "hi"}}',
    )
    merged, diagnostics = merge(wsdl, AgentSources("Chat", 87, wsdl, (), (page,)))
    assert diagnostics == []
    rest = merged.operation("GetChatSession").rest
    assert rest is not None and rest.returns is not None
    carrier = merged.type_map()[rest.returns.type]
    assert isinstance(carrier, ComplexType)
    assert [(f.wire_name, f.type) for f in carrier.fields] == [
        ("Ticket", ns("Ticket")),
        ("Last", ns("ChatMessage")),
        ("Never", ANY_TYPE),
    ]
    ticket = merged.type_map()[ns("Ticket")]
    assert isinstance(ticket, ComplexType)
    assert [(f.wire_name, f.type) for f in ticket.fields] == [
        ("TicketId", xsd("int")),
        ("Title", xsd("string")),
    ]
    assert ns("Never") not in merged.type_map()


def test_an_empty_cell_takes_no_wsdl_field_type_its_sample_contradicts() -> None:
    position = ComplexType(ns("Position"), (field("Id", xsd("int")),))
    entity = ComplexType(ns("PersonEntity"), (field("Position", ns("Position")),))
    person = ComplexType(ns("Person"), (field("Position"),))
    holder = ComplexType(ns("Holder"), (field("Person", ns("PersonEntity")),))
    wsdl = wsdl_agent(operation("GetPerson"), types=(position, entity, person, holder))
    page = rest_page(
        "GetPersonSummary",
        response_kind="object",
        response_fields=(RestField("Person", "", doc="Simple Person data."),),
        sample_response='{"Person": {"Position": "quis"}}',
    )
    merged, _ = merge(wsdl, AgentSources("Person", 86, wsdl, (), (page,)))
    rest = merged.operation("GetPersonSummary").rest
    assert rest is not None and rest.returns is not None
    summary = merged.type_map()[rest.returns.type]
    assert isinstance(summary, ComplexType)
    # Holder.Person is a PersonEntity, whose Position is an object; the sample's is text.
    assert [(f.wire_name, f.type) for f in summary.fields] == [("Person", ns("Person"))]


def test_rest_tables_document_the_wsdl_types_where_the_wsdl_does_not() -> None:
    carrier = ComplexType(ns("Carrier"), (field("TableRight"),))
    user = ComplexType(
        ns("User"), (field("Name"), field("Rank", doc="WSDL rank.")), base=ns("Carrier")
    )
    wsdl = wsdl_agent(
        operation("GetUser", outputs=(field("Response", ns("User")),)), types=(carrier, user)
    )
    rows = ("Name", "Login name"), ("Rank", "Rank order"), ("TableRight", "The rights")
    page = rest_page(
        "GetUser",
        response_kind="object",
        response_fields=tuple(RestField(name, "string", doc) for name, doc in rows),
        response_doc="SuperOffice User.",
    )
    merged, _ = merge(wsdl, AgentSources("User", 86, wsdl, (), (page,)))
    types = merged.type_map()
    documented, base = types[ns("User")], types[ns("Carrier")]
    assert isinstance(documented, ComplexType) and isinstance(base, ComplexType)
    assert documented.doc == "SuperOffice User." and base.doc == ""
    assert [f.doc for f in documented.fields] == ["Login name", "WSDL rank."]
    assert [f.doc for f in base.fields] == ["The rights"]


def test_enum_names_the_samples_give_become_members_but_lorem_words_do_not() -> None:
    """The REST pages are newer than the WSDL: a name their samples give an enumeration
    (``BlueAlt1``), or a flag set's composite (``FULL``), becomes a member with a bit above
    any the server uses; the sample writer's lorem words (``fugit``) do not."""
    color = EnumType(ns("ColorIndex"), (EnumValue("Blue"), EnumValue("Red")))
    rights = EnumType(ns("ERight"), (EnumValue("Select", 1), EnumValue("Update", 2)), flags=True)
    holder = ComplexType(
        ns("Holder"), (field("Color", ns("ColorIndex")), field("Mask", ns("ERight")))
    )
    wsdl = wsdl_agent(
        operation("GetHolder", outputs=(field("Response", ns("Holder")),)),
        types=(color, rights, holder),
    )

    def merged_with(sample: str) -> dict[QName, TypeDef]:
        page = rest_page("GetHolder", response_kind="object", sample_response=sample)
        merged, _ = merge(wsdl, AgentSources("User", 86, wsdl, (), (page,)))
        return merged.type_map()

    learned = merged_with('{"Color": "BlueAlt1", "Mask": "FULL, Select"}')
    assert learned[ns("ColorIndex")] == EnumType(
        ns("ColorIndex"), (*color.values, EnumValue("BlueAlt1", 1 << 32))
    )
    assert learned[ns("ERight")] == EnumType(
        ns("ERight"), (*rights.values, EnumValue("FULL", 1 << 32)), flags=True
    )
    lorem = merged_with('{"Color": "fugit", "Mask": "Update"}')
    assert lorem[ns("ColorIndex")] == color and lorem[ns("ERight")] == rights
