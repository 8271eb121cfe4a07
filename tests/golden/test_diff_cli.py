"""The ``diff`` command on small docs roots made from the seed specs: two versions of one
root, two roots, what it prints, and its exit codes (``--fail-on`` for CI gates)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from codegen.cli import main

SOAP_PAGE = "soap/Services87/User/CreateExternalUser.md"
REST_PAGE = "restful/agent/User_Agent/v1UserAgent_CreateExternalUser.md"
SELECT_ROW = "| $select | string |"


def _edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text, page
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_level(root: Path, cell: str) -> None:
    """A query parameter ``level`` on the REST page, described by ``cell``."""
    page = root / REST_PAGE
    start = page.read_text(encoding="utf-8").index(SELECT_ROW)
    row = page.read_text(encoding="utf-8")[start:].partition("\n")[0]
    _edit(page, row, f"{row}\n| level | int32 | {cell} |")


@pytest.fixture
def versions(tmp_path: Path, specs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed specs as Services86, and as Services87 with a method removed, a parameter
    removed and a parameter's type changed."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(specs, tmp_path / "docs")
    soap = tmp_path / "docs" / "soap"
    shutil.copytree(soap / "Services86", soap / "Services87")
    (soap / "Services87" / "User" / "CreateUserGroup.md").unlink()
    page = tmp_path / "docs" / SOAP_PAGE
    _edit(page, '    <User:RoleId xsi:type="xsd:int">0</User:RoleId>\n', "")
    _edit(page, "* **roleId:** Id of role for the external user.", "")
    _edit(page, 'IsActive xsi:type="xsd:boolean"', 'IsActive xsi:type="xsd:string"')
    return tmp_path


@pytest.fixture
def roots(tmp_path: Path, specs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two copies of the seed specs, ``old`` and ``new``, alike."""
    monkeypatch.chdir(tmp_path)
    for name in ("old", "new"):
        shutil.copytree(specs, tmp_path / name)
    return tmp_path


VERSIONS_CHANGELOG = """\
# Changes from Services86 to Services87

4 change(s), 4 breaking.

## User

### SOAP client

- `create_external_user` (CreateExternalUser)
  - parameter type changed: `is_active: bool → str | None` (**breaking**)
  - parameter removed: `role_id: int` (**breaking**)
- `create_user_group` (CreateUserGroup): removed (**breaking**)

### Models

- `UserGroup`: removed (**breaking**)
"""


def test_two_versions_of_one_root_show_the_soap_changes_and_fail_on_breaking(
    versions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["diff", "--docs", "docs", "--from", "86", "--to", "87"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out == VERSIONS_CHANGELOG
    assert captured.err.startswith(
        "compared 1 agent(s), SOAP Services86 → Services87 of docs: 4 change(s), 4 breaking in "
    )
    assert main([*args, "--fail-on", "breaking"]) == 1
    assert capsys.readouterr().out == VERSIONS_CHANGELOG
    assert main([*args, "--fail-on", "breaking", "--from", "86", "--to", "86"]) == 0


def test_two_roots_compare_the_rest_pages_too(
    roots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_level(roots / "old", "The level.")
    _with_level(roots / "new", "**Required** The level.")
    assert main(["diff", "old", "new", "--json", "--fail-on", "breaking"]) == 1
    captured = capsys.readouterr()
    log = json.loads(captured.out)
    assert (log["old"], log["new"], log["rest"]) == (
        {"docs": "old", "version": 86},
        {"docs": "new", "version": 86},
        True,
    )
    assert log["changes"] == [
        {
            "agent": "User",
            "area": "rest",
            "subject": "create_external_user",
            "wire_name": "CreateExternalUser",
            "kind": "parameter now required",
            "detail": "level: int",
            "breaking": True,
        }
    ]
    (summary,) = captured.err.splitlines()
    assert summary.startswith(
        "compared 1 agent(s), old → new: SOAP Services86 → Services86 and REST:"
        " 1 change(s), 1 breaking in "
    )


def test_a_rest_page_removed_is_a_method_removed_from_the_rest_client_only(
    roots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (roots / "new" / REST_PAGE).unlink()
    assert main(["diff", "old", "new", "--fail-on", "breaking"]) == 1
    assert capsys.readouterr().out.endswith(
        "### REST client\n\n"
        "- `create_external_user` (CreateExternalUser): removed:"
        " `POST Agents/User/CreateExternalUser` (**breaking**)\n"
    )


def test_an_optional_parameter_added_fails_only_on_any_change(
    roots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_level(roots / "new", "The level.")
    assert main(["diff", "old", "new", "--fail-on", "breaking"]) == 0
    assert "parameter added: `level: int`\n" in capsys.readouterr().out
    assert main(["diff", "old", "new", "--fail-on", "any"]) == 1
    assert main(["diff", "old", "old", "--fail-on", "any"]) == 0
    assert capsys.readouterr().out.endswith("No changes.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "old"], "give two docs roots, OLD and NEW, not 1"),
        (["diff", "old", "new", "old"], "give two docs roots, OLD and NEW, not 3"),
        (["diff", "--from", "86"], "give --from and --to"),
        (["diff", "old", "new", "--docs", "old"], "two docs roots are the input"),
        (["diff", "old", "missing"], "missing:0: error: no such folder"),
        (["diff", "old", "new", "--to", "87"], "no API version 87 (present: 86)"),
        (["diff", "old", "new", "--agent", "Nope"], "no agent 'Nope'"),
    ],
)
def test_bad_words_exit_2_with_a_message_and_print_no_changelog(
    roots: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_a_broken_page_in_either_root_exits_3_naming_its_file_and_line(
    roots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = roots / "new" / SOAP_PAGE.replace("87", "86")
    _edit(page, "</User:CreateExternalUser>", "</User:Broken>")
    assert main(["diff", "old", "new", "--fail-on", "breaking"]) == 3
    captured = capsys.readouterr()
    assert f"{Path('new') / SOAP_PAGE.replace('87', '86')}:" in captured.err
    assert ": error: malformed XML in the sample" in captured.err
    assert captured.out == "" and "Traceback" not in captured.err
