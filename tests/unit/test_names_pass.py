"""The names pass: every Python name of an agent, from small IR objects."""

from __future__ import annotations

from codegen.ir import (
    XSD,
    Agent,
    ComplexType,
    EnumType,
    EnumValue,
    Field,
    Message,
    Operation,
    QName,
    RestEndpoint,
    SoapOperation,
)
from codegen.passes.names import assign_names, module_names, result_name

NS = "http://www.superoffice.net/ws/crm/NetServer/Services86"
STRING = QName(XSD, "string")


def _type(name: str, *fields: str, base: str | None = None) -> ComplexType:
    return ComplexType(
        name=QName(NS, name),
        fields=tuple(Field(f, NS, STRING) for f in fields),
        base=QName(NS, base) if base else None,
    )


def _soap(name: str, *outputs: str) -> Operation:
    output = Message(QName(NS, f"{name}Response"), tuple(Field(o, NS, STRING) for o in outputs))
    soap = SoapOperation(f"{NS}/{name}", Message(QName(NS, name), ()), output)
    return Operation(name, soap=soap)


def _agent(*types: ComplexType | EnumType, operations: tuple[Operation, ...] = ()) -> Agent:
    return Agent("User", 86, NS, "Services86/User.svc", operations, types)


def test_the_client_classes_keep_their_names_before_a_type_of_the_same_name() -> None:
    types = [_type(name) for name in ("UserAgent", "OPERATIONS", "ENDPOINTS", "CLIENTS")]
    names = assign_names(_agent(*types))
    assert (names.client, names.async_client) == ("UserAgent", "AsyncUserAgent")
    assert names.classes[QName(NS, "UserAgent")] == "UserAgent_2"
    # The tables rest.py and entities.py define beside the classes they import.
    for table in ("OPERATIONS", "ENDPOINTS", "CLIENTS"):
        assert names.classes[QName(NS, table)] == f"{table}_"


def test_fields_step_aside_for_the_names_a_model_uses_and_for_their_bases_fields() -> None:
    base = _type("Person", "Name", "Field")
    child = _type("Associate", "name", "Dataclass", base="Person")
    names = assign_names(_agent(child, base))
    assert names.fields[base.name] == {"Name": "name", "Field": "field_"}
    assert names.fields[child.name] == {"name": "name_2", "Dataclass": "dataclass_"}


def test_enum_members_are_upper_snake_and_never_collide() -> None:
    values = tuple(EnumValue(v) for v in ("UndefinedValue256", "Mail", "MAIL", ""))
    names = assign_names(_agent(EnumType(QName(NS, "MailKind"), values)))
    members = names.members[QName(NS, "MailKind")]
    assert members == {
        "UndefinedValue256": "UNDEFINED_VALUE256",
        "MAIL": "MAIL",
        "Mail": "MAIL_2",
        "": "VALUE",
    }
    assert names.classes[QName(NS, "MailKind")] == "MailKind"


def test_a_multi_part_response_gets_a_class_with_named_fields() -> None:
    op = _soap("GetPair", "First", "Second")
    names = assign_names(_agent(operations=(op, _soap("GetOne", "Only"))))
    assert names.classes == {result_name(op): "GetPairResult"}
    assert names.ids[result_name(op)] == "get_pair_result"
    assert names.fields[result_name(op)] == {"First": "first", "Second": "second"}


def test_each_client_has_its_own_method_names() -> None:
    soap_only = _soap("Requests")
    rest_only = Operation("Requests", rest=RestEndpoint("get", "/api/v1/x", "x.md", 1))
    both = Operation("GetUser", soap=_soap("GetUser").soap, rest=rest_only.rest)
    assert assign_names(_agent(operations=(soap_only, both))).soap_methods == {
        "Requests": "requests_",
        "GetUser": "get_user",
    }
    assert assign_names(_agent(operations=(rest_only, both))).rest_methods == {
        "Requests": "requests",
        "GetUser": "get_user",
    }


def test_module_names_are_snake_case_and_distinct() -> None:
    assert module_names(["SoPrincipal", "So_Principal", "List"]) == {
        "SoPrincipal": "so_principal",
        "So_Principal": "so_principal_2",
        "List": "list_",
    }
