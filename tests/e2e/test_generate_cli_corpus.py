"""The command on the real corpus: agents in parallel equal one process; the 86 to 87 diff."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import CLI_ENV, tree
from lxml import etree

from codegen.cli import main
from codegen.naming import snake_case


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


def test_agents_in_parallel_make_the_same_output_as_one_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two agents over two processes, with the progress line on a terminal; then the
    same in this process alone: byte for byte the same files."""
    args = ["generate", "--docs", str(corpus), "--api-version", "86"]
    args += ["--agent", "User", "--agent", "Archive"]
    terminal, other_end = pty.openpty()
    command = [sys.executable, "-m", "codegen", *args, "--out", str(tmp_path / "parallel")]
    done = subprocess.run(
        command, check=False, cwd=tmp_path, stderr=other_end, env=CLI_ENV, timeout=300
    )
    os.close(other_end)
    progress = os.read(terminal, 4096).decode()
    os.close(terminal)
    assert done.returncode == 0
    assert "generated 2/2 agents" in progress
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert main([*args, "--out", str(tmp_path / "alone")]) == 0
    parallel, alone = tree(tmp_path / "parallel"), tree(tmp_path / "alone")
    assert parallel == alone
    assert {"superoffice/user/soap.py", "superoffice/archive/soap.py"} <= set(alone)


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
