"""The ``diff`` command on the real corpus: Services86 to 87 of the User agent, and two
docs roots holding the User agent's WSDL and REST pages, one with some of them edited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from codegen.cli import main
from codegen.naming import snake_case

REST = Path("restful/agent/User_Agent")
ENTITIES = Path("restful/rest/User")


def _schema_items(wsdl: Path) -> dict[str, dict[str, str]]:
    """Every named complex type, simple type and wrapper element of a WSDL, with its
    children (element name -> local type name, or enumeration values): read straight
    from the XML as an oracle independent of the generator's readers."""
    xs = "{http://www.w3.org/2001/XMLSchema}"
    items: dict[str, dict[str, str]] = {}
    for schema in etree.parse(str(wsdl)).iter(f"{xs}schema"):
        for kind in ("complexType", "simpleType"):
            for node in schema.findall(f"{xs}{kind}"):
                items[node.get("name", "")] = _children(node, xs)
        for element in schema.findall(f"{xs}element"):
            if element.find(f"{xs}complexType") is not None:
                items[f"element {element.get('name')}"] = _children(element, xs)
    return items


def _children(node: etree._Element, xs: str) -> dict[str, str]:
    fields = {
        e.get("name", ""): e.get("type", "").rpartition(":")[2] for e in node.iter(f"{xs}element")
    }
    values = {e.get("value", ""): "enum value" for e in node.iter(f"{xs}enumeration")}
    return fields | values


def test_the_diff_from_86_to_87_shows_the_new_user_operations_and_fields_and_one_break(
    corpus: Path, raw_wsdls: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["diff", "--docs", str(corpus), "--from", "86", "--to", "87", "--agent", "User"]
    assert main([*args, "--json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert (log["old"]["version"], log["new"]["version"], log["rest"]) == (86, 87, False)
    soap = [c for c in log["changes"] if c["area"] == "soap"]
    new_operations = [
        "GetAccessToken",
        "GetDefaultAssociateUserName",
        "GetValidUserNameForNewUser",
        "IsNickNameUnique",
    ]
    assert [(c["wire_name"], c["kind"]) for c in soap] == [(op, "added") for op in new_operations]

    # The models, justified by the WSDLs themselves: the only schema items added are the
    # request and response wrappers of the four operations (operations, not types), and
    # each type listed as changed differs in exactly the fields listed, by their Python
    # names; the one field whose type changed (UserGroup.Deleted, short to boolean) is the
    # one breaking change.
    old = _schema_items(raw_wsdls / "WSDL-Services86-User.xml")
    new = _schema_items(raw_wsdls / "WSDL-Services87-User.xml")
    wrappers = {f"element {op}{suffix}" for op in new_operations for suffix in ("", "Response")}
    assert set(new) - set(old) == wrappers and not set(old) - set(new)
    expected = {
        (name, "field added" if field not in old[name] else "field type changed", field)
        for name in old.keys() & new.keys()
        for field in new[name]
        if old[name].get(field) != new[name][field]
    }
    models = [c for c in log["changes"] if c["area"] == "model"]
    reported = {(c["wire_name"], c["kind"], c["detail"].partition(":")[0]) for c in models}
    assert reported == {(name, kind, snake_case(field)) for name, kind, field in expected}
    assert len(models) + len(soap) == len(log["changes"])
    assert [(c["subject"], c["detail"]) for c in log["changes"] if c["breaking"]] == [
        ("UserGroup", "deleted: int → bool")
    ]

    assert main([*args, "--fail-on", "breaking"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("# Changes from Services86 to Services87\n")
    assert "- `UserGroup`: field type changed: `deleted: int → bool` (**breaking**)\n" in (
        captured.out
    )
    assert captured.err.startswith(
        f"compared 1 agent(s), SOAP Services86 → Services87 of {corpus}: 13 change(s), 1 breaking"
    )


def _user_pages(corpus: Path, root: Path) -> Path:
    """A docs root holding what the User agent is read from but its SOAP method pages:
    Services87's WSDL page, the agent's REST pages and the User entity's, copied from the
    corpus."""
    wsdl = Path("soap/Services87/Services87-User.md")
    (root / wsdl.parent).mkdir(parents=True)
    shutil.copy(corpus / wsdl, root / wsdl)
    for folder in (REST, ENTITIES):
        shutil.copytree(corpus / folder, root / folder)
    return root


def _edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text, page
    page.write_text(text.replace(old, new), encoding="utf-8")


def test_two_roots_show_rest_pages_removed_and_edited_as_callers_meet_them(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In the new root: DeleteUser's page removed (its SOAP parameter, required because
    the REST page said so, is optional again), a REST-only method's parameter and
    another's answer retyped, an entity endpoint's page removed and another's path part
    retyped and query option made required, as the entity client's methods take them;
    GetUser's userId was not required in the old root."""
    old, new = _user_pages(corpus, tmp_path / "old"), _user_pages(corpus, tmp_path / "new")
    required = "| userId | int32 | **Required** The primary key. |"
    _edit(old / REST / "v1UserAgent_GetUser.md", required, required.replace("**Required** ", ""))
    (new / REST / "v1UserAgent_DeleteUser.md").unlink()
    _edit(new / REST / "v1UserAgent_GetExternalTokens.md", "| Key | string |", "| Key | int32 |")
    answer = new / REST / "v1UserAgent_CheckAccessGatewayRegistration.md"
    _edit(answer, "## Response: bool", "## Response: string")
    _edit(answer, "Response body: bool", "Response body: string")
    (new / ENTITIES / "v1User_DeleteUserFromName.md").unlink()
    get_user = new / ENTITIES / "v1User_GetUser.md"
    _edit(get_user, "| id | int32 |", "| id | string |")
    _edit(get_user, "| fk | bool |  Load", "| fk | bool |  **Required** Load")

    args = ["diff", str(old), str(new), "--agent", "all", "--json", "--fail-on", "breaking"]
    assert main(args) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["agents"] == ["User"] and log["rest"] is True
    changes = {(c["area"], c["subject"], c["kind"], c["detail"]) for c in log["changes"]}
    assert changes == {
        ("soap", "delete_user", "parameter now optional", "user_id: int"),
        ("rest", "delete_user", "removed", "POST Agents/User/DeleteUser"),
        ("soap", "get_user", "parameter now required", "user_id: int"),
        ("rest", "get_user", "parameter now required", "user_id: int"),
        ("rest", "get_external_tokens", "parameter type changed", "key: str | None → int"),
        (
            "rest",
            "check_access_gateway_registration",
            "return type changed",
            "bool → str | None",
        ),
        ("entity", "UserEntities.delete_user_from_name", "removed", "DELETE User/{userName}"),
        ("entity", "UserEntities.get_user", "parameter type changed", "id_: int → str"),
        ("entity", "UserEntities.get_user", "parameter now required", "fk: bool"),
    }
    assert [c["subject"] for c in log["changes"] if not c["breaking"]] == ["delete_user"]
    assert main(["diff", str(old), str(old), "--fail-on", "any"]) == 0
