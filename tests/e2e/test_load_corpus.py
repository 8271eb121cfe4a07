"""Loading the real corpus: Services86 User in detail, every agent of every version and raw WSDLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from build_support import Services86, generated_version
from conftest import ROOT
from schedule_support import build_params

from codegen.ir import (
    XSD,
    Agent,
    ArrayType,
    ComplexType,
    DictionaryType,
    Field,
    Level,
    QName,
)
from codegen.load import cycle_collector_paused, load
from codegen.output.cache import Cache
from codegen.settings import ALL, Settings

WSDL_OPERATIONS = {84: 1355, 85: 1385, 86: 1461, 87: 1513}


def _referenced(agent: Agent) -> set[QName]:
    """Every type name a field, base, item, key or value of the agent points at."""
    fields: list[Field] = []
    for op in agent.operations:
        if op.soap:
            for message in (op.soap.input, op.soap.output):
                fields += [*message.fields, *message.headers]
        if op.rest:
            fields += [*op.rest.parameters, *([op.rest.returns] if op.rest.returns else [])]
    names = {f.type for f in fields}
    for definition in agent.types:
        if isinstance(definition, ComplexType):
            names |= {f.type for f in definition.fields}
            names |= {definition.base} if definition.base else set()
        elif isinstance(definition, ArrayType):
            names.add(definition.item.type)
        elif isinstance(definition, DictionaryType):
            names |= {definition.key.type, definition.value.type}
    return names


@pytest.fixture(scope="module")
def user86(corpus: Path) -> Agent:
    result = load(Settings(docs=corpus, version=86, agents=("User",)))
    assert result.ok, [str(d) for d in result.diagnostics if d.level is Level.ERROR]
    (agent,) = result.agents
    return agent


def test_user86_has_79_soap_operations_and_91_rest_endpoints(user86: Agent) -> None:
    assert len([op for op in user86.operations if op.soap]) == 79
    assert len([op for op in user86.operations if op.rest]) == 91


def test_user86_parameters_follow_the_wsdl_and_take_the_page_text(user86: Agent) -> None:
    soap = user86.operation("CreateExternalUser").soap
    assert soap is not None
    fields = soap.input.fields
    assert [f.wire_name for f in fields] == [
        "PersonId",
        "UserName",
        "Password",
        "RoleId",
        "IsActive",
    ]
    assert fields[0].doc == "The personId to create an external user for."
    assert soap.request_sample is not None and soap.response_sample is not None


def test_user86_bullets_that_name_a_shorter_form_still_find_their_parameter(user86: Agent) -> None:
    soap = user86.operation("ExecuteUserCommand").soap
    assert soap is not None
    documented = {f.wire_name: f.doc for f in soap.input.fields}
    assert documented["CommandActionResult"]


def test_user86_rest_only_methods_are_typed_from_their_tables(user86: Agent) -> None:
    rest_only = [op for op in user86.operations if op.rest and not op.soap]
    assert len(rest_only) == 12
    token = user86.operation("GetAccessToken").rest
    assert token is not None and token.returns is not None
    assert token.returns.type == QName(XSD, "string")
    gateway = user86.operation("GetAccessGatewayInfo").rest
    assert gateway is not None and gateway.returns is not None
    info = user86.type_map()[gateway.returns.type]
    assert isinstance(info, ComplexType)
    assert [f.wire_name for f in info.fields][:2] == ["ClientId", "RedirectUri"]


def test_user86_rest_properties_newer_than_the_wsdl_are_kept_apart(user86: Agent) -> None:
    user = user86.type_map()[QName(user86.namespace, "User")]
    assert isinstance(user, ComplexType)
    rest_only = {f.wire_name for f in user.fields if f.rest_only}
    assert {"NickName", "RequestSignature"} <= rest_only
    assert "AssociateId" not in rest_only


def test_every_referenced_type_is_defined(user86: Agent) -> None:
    defined = {t.name for t in user86.types}
    assert _referenced(user86) <= defined


@pytest.mark.parametrize("version", build_params(*sorted(WSDL_OPERATIONS)))
def test_every_agent_of_every_version_reads_cleanly(
    corpus: Path, services86: Services86, tmp_path_factory: pytest.TempPathFactory, version: int
) -> None:
    """Services86 as the run read it for every file; the other versions are read here,
    through the cache of the run's ``generate --agent all`` of the version."""
    if version == 86:
        result = services86.result
    else:
        cache = Cache.of_every_part(generated_version(corpus, ROOT, version, tmp_path_factory))
        with cycle_collector_paused():
            result = load(Settings(docs=corpus, version=version, agents=(ALL,)), cache)
    errors = [str(d) for d in result.diagnostics if d.level is Level.ERROR]
    assert errors == []
    soap_operations = sum(1 for a in result.agents for op in a.operations if op.soap)
    assert soap_operations == WSDL_OPERATIONS[version]
    for agent in result.agents:
        assert _referenced(agent) <= {t.name for t in agent.types}, agent.name


def test_a_raw_wsdl_stands_in_for_the_wrapper_page(corpus: Path, raw_wsdls: Path) -> None:
    wsdl = raw_wsdls / "WSDL-Services86-User.xml"
    from_page = load(Settings(docs=corpus, version=86, agents=("User",)))
    from_file = load(Settings(docs=corpus, wsdls=(wsdl,), version=86, agents=("User",)))
    assert from_file.agents == from_page.agents
