"""The passes as ``codegen.load`` runs them: listed once, in order, each seeing the last's agent."""

from __future__ import annotations

from ir_factories import node, rest_page, soap_page, xsd

from codegen.passes import PASSES, AgentSources, run_passes
from codegen.passes.entities import entities
from codegen.passes.infer import infer
from codegen.passes.merge import merge
from codegen.passes.nil_items import nil_items


def test_inference_comes_before_the_merge_then_the_entities_and_nil_items_after() -> None:
    # The entity endpoints take their types from the merged agent's methods.
    assert PASSES == (infer, merge, entities, nil_items)


def test_without_a_wsdl_the_pages_merge_into_the_inferred_agent() -> None:
    page = soap_page("Ping", response=(node("Response", xsd("int"), "0"),), doc="Pings.")
    agent, diagnostics = run_passes(AgentSources("User", 86, None, (page,), (rest_page("Ping"),)))
    assert diagnostics == []
    op = agent.operation("Ping")
    assert op.doc == "Pings."
    assert op.soap is not None and op.rest is not None


def test_with_nothing_read_the_agent_has_no_operations() -> None:
    agent, diagnostics = run_passes(AgentSources("User", 86, None))
    assert (agent.name, agent.service_path, agent.operations, diagnostics) == (
        "User",
        "Remote/Services86/User.svc",
        (),
        [],
    )


def test_every_pass_reports_what_it_found() -> None:
    untyped = soap_page("Ping", response=(node("Response", nil=True),))
    again = soap_page("Ping", parameters=(("nothing", "No such parameter."),), file="x.md")
    _, diagnostics = run_passes(AgentSources("User", 86, None, (untyped, again)))
    assert [(d.file, d.message.split(" ")[0]) for d in diagnostics] == [
        ("x.md", "Ping"),  # infer: a second page of one method
        ("Ping.md", "no"),  # infer: a field only ever nil
        ("x.md", "parameter"),  # merge: a note naming no parameter
    ]
