"""Python names from wire names: case styles, unsafe names, deterministic collisions."""

from __future__ import annotations

import keyword

import pytest

from codegen.emit.render import render_agent
from codegen.ir import Agent
from codegen.naming import (
    BUILTINS,
    Scope,
    is_package_name,
    pascal_case,
    safe,
    snake_case,
    upper_snake,
)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("EjUserId", "ej_user_id"),
        ("UIHintMandatory", "ui_hint_mandatory"),
        ("GetUserInfoList", "get_user_info_list"),
        ("SoTimeZoneId", "so_time_zone_id"),
        ("IsPasswordValidWithReason", "is_password_valid_with_reason"),
        ("UndefinedValue256", "undefined_value256"),
        ("MDOListItem", "mdo_list_item"),
        ("adminGUI", "admin_gui"),
        ("Post1", "post1"),
        ("user-name.v2", "user_name_v2"),
        ("__Private__", "private"),
        ("Straße", "straße"),
        ("ÆrendeNummer", "ærende_nummer"),
    ],
)
def test_snake_case(wire: str, expected: str) -> None:
    assert snake_case(wire) == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("SoTimeZone", "SoTimeZone"),
        ("so_time_zone", "SoTimeZone"),
        ("ArrayOfint", "ArrayOfint"),
        ("EMailAddress", "EMailAddress"),
        ("user info", "UserInfo"),
    ],
)
def test_pascal_case(wire: str, expected: str) -> None:
    assert pascal_case(wire) == expected


def test_upper_snake_for_enum_members() -> None:
    assert upper_snake("UIHintReadOnly") == "UI_HINT_READ_ONLY"
    assert upper_snake("UndefinedValue256") == "UNDEFINED_VALUE256"


@pytest.mark.parametrize("word", ["class", "def", "None", "True", "match", "type", "_"])
def test_keywords_get_a_trailing_underscore(word: str) -> None:
    assert safe(word) == word + "_"


@pytest.mark.parametrize("word", ["id", "type", "list", "str", "format", "license", "Exception"])
def test_builtins_get_a_trailing_underscore(word: str) -> None:
    assert safe(word) == word + "_"


def test_reserved_names_get_a_trailing_underscore() -> None:
    assert safe("field", frozenset({"field"})) == "field_"
    assert safe("fields", frozenset({"field"})) == "fields"


def test_builtins_list_is_frozen_and_covers_the_keywords_that_are_names() -> None:
    assert {"None", "True", "False"} <= BUILTINS
    assert not (BUILTINS & set(keyword.kwlist)) - {"None", "True", "False"}


@pytest.mark.parametrize(
    ("name", "expected"), [("2fa", "n2fa"), ("", "value"), ("²", "n2"), ("-", "value")]
)
def test_leading_digits_and_empty_names(name: str, expected: str) -> None:
    assert safe(snake_case(name) or name.strip("-")) == expected


@pytest.mark.parametrize("wire", ["Ærende", "名前", "Straße", "x\u0301y", "a\u200bb", "ﬁle"])
def test_any_script_gives_a_valid_identifier(wire: str) -> None:
    for name in (safe(snake_case(wire)), safe(pascal_case(wire)), safe(upper_snake(wire))):
        assert name.isidentifier(), (wire, name)


def test_collisions_resolve_in_sorted_order_whatever_the_input_order() -> None:
    wire = ["Type", "type", "TYPE", "Name", "name"]
    first = Scope().assign(wire, snake_case)
    second = Scope().assign(list(reversed(wire)), snake_case)
    assert first == second
    assert first == {
        "Name": "name",
        "TYPE": "type_",
        "Type": "type_2",
        "name": "name_2",
        "type": "type_3",
    }


def test_a_scope_never_hands_out_a_taken_or_reserved_name() -> None:
    scope = Scope(reserved={"self"}, taken={"user_id"})
    names = scope.assign(["UserId", "Self", "UserId2"], snake_case)
    assert names == {"Self": "self_", "UserId": "user_id_2", "UserId2": "user_id2"}
    assert scope.claim("user_id") == "user_id_3"


def test_assign_keys_orders_by_key() -> None:
    names = Scope().assign_keys([(("b", 1), "Thing"), (("a", 2), "Thing")], fallback="x")
    assert names == {("a", 2): "Thing", ("b", 1): "Thing_2"}


_EMPTY_AGENT = Agent(
    name="User", version=86, namespace="urn:x", service_path="User.svc", operations=(), types=()
)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("superoffice", True),
        ("so_86", True),
        ("société", True),
        ("class", False),
        ("None", False),
        ("1so", False),
        ("ｓｕｐｅｒｏｆｆｉｃｅ", False),
    ],
)
def test_one_package_name_check_for_the_command_line_and_the_renderer(
    name: str, allowed: bool
) -> None:
    assert is_package_name(name) is allowed
    if not allowed:
        with pytest.raises(ValueError, match="not a Python package name"):
            render_agent(_EMPTY_AGENT, "user", name)
