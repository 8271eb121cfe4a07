"""Reading the seed specs into merged agents, and the ``ir`` command on small inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import run_cli

from codegen.ir import (
    XSD,
    ComplexType,
    QName,
    ReadResult,
)
from codegen.load import load
from codegen.settings import Settings


@pytest.fixture(scope="module")
def specs_result(specs: Path) -> ReadResult:
    return load(Settings(docs=specs, agents=("User",)))


def test_seeds_give_four_soap_operations_and_one_rest_endpoint(specs_result: ReadResult) -> None:
    assert specs_result.ok
    (agent,) = specs_result.agents
    assert (agent.name, agent.version) == ("User", 86)
    assert len([op for op in agent.operations if op.soap]) == 4
    assert [op.name for op in agent.operations if op.rest] == ["CreateExternalUser"]


def test_seed_create_user_group_returns_an_inferred_user_group(specs_result: ReadResult) -> None:
    (agent,) = specs_result.agents
    soap = agent.operation("CreateUserGroup").soap
    assert soap is not None
    (response,) = soap.output.fields
    user_group = agent.type_map()[response.type]
    assert isinstance(user_group, ComplexType) and user_group.name.name == "UserGroup"
    assert [(f.wire_name, f.type.name) for f in user_group.fields] == [
        ("Value", "string"),
        ("Tooltip", "string"),
        ("Id", "int"),
        ("Rank", "short"),
        ("Deleted", "short"),
    ]


def test_seed_rest_endpoint_takes_its_types_from_the_soap_side(specs_result: ReadResult) -> None:
    (agent,) = specs_result.agents
    rest = agent.operation("CreateExternalUser").rest
    assert rest is not None and rest.returns is not None
    assert [(p.wire_name, p.type) for p in rest.parameters] == [
        ("PersonId", QName(XSD, "int")),
        ("UserName", QName(XSD, "string")),
        ("Password", QName(XSD, "string")),
        ("RoleId", QName(XSD, "int")),
        ("IsActive", QName(XSD, "boolean")),
    ]
    assert rest.returns.type == QName(XSD, "int")


def test_ir_command_prints_sorted_json(specs: Path) -> None:
    done = run_cli("ir", "--docs", str(specs), "--agent", "User")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    (agent,) = document["agents"]
    assert agent["name"] == "User"
    names = [op["name"] for op in agent["operations"]]
    assert names == sorted(names) and "CreateUserGroup" in names
    assert done.stdout == run_cli("ir", "--docs", str(specs), "--agent", "User").stdout


def test_ir_command_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    page = tmp_path / "soap" / "Services86" / "User" / "Broken.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        "# Services86 User Broken\n\n## Broken\n\nBreaks.\n\n"
        "## Broken Request\n\n```xml\n<a><b></a>\n```\n"
    )
    done = run_cli("ir", "--docs", str(tmp_path), "--agent", "User")
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert f"{page}:10:" in done.stderr
