"""``verify`` over every agent: each documented SOAP envelope, REST answer and REST request
through the package ``generate --agent all`` made, for Services86 (shared with the other e2e
files) and, as a user runs both commands, for Services87.

``--agent all`` includes the agents of the WebAPI only (AI, Dash). Services87 is clean. One miss is left where the WSDL at hand is older than the REST
pages: Services84–86 type ``PersonEntity.Position`` as a ``Position`` object, the pages
(and Services87) as a string, and the SOAP and REST clients share one model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from build_support import Services86, generated_version
from cli_support import run_cli
from conftest import ROOT

from codegen.verify import Report, verify


def _misses(report: Report) -> set[str]:
    return {
        f"{side} {miss.split(':')[0]}"
        for side, tallies in (("SOAP", report.soap), ("REST", report.rest))
        for tally in tallies.values()
        for miss in tally.misses
    }


def test_every_documented_sample_reads_and_is_sent_whole(services86: Services86) -> None:
    """Every SOAP method page's request and response envelope, and every REST page's
    answer and request (method, path, query, headers, body): read, sent or written back
    whole, or listed as a defect."""
    report = verify(services86.result.agents, services86.out, services86.package)
    assert _misses(report) == set()
    assert len(report.soap) == 56
    assert sum(t.passed for t in report.soap.values()) > 2800
    assert sum(t.passed for t in report.rest.values()) > 2500
    tallies = [*report.soap.values(), *report.rest.values()]
    defects = [d for t in tallies for d in t.defects]
    assert all(d.file.endswith(".md") and d.line > 0 and d.why for d in defects)
    assert "| all |" in report.table()


def test_the_agents_of_the_webapi_only_are_generated_and_verified(services86: Services86) -> None:
    """AI and Dash have REST pages and no WSDL: ``--agent all`` gives them a REST client on
    their models, no SOAP client, and ``verify`` runs their samples."""
    report = verify(
        tuple(a for a in services86.result.agents if a.name in ("AI", "Dash")),
        services86.out,
        services86.package,
    )
    assert report.soap == {}
    assert {name: (t.passed, t.misses) for name, t in report.rest.items()} == {
        "AI": (12, []),
        "Dash": (58, []),
    }
    folder = services86.out / services86.package / "ai"
    assert {"models.py", "rest.py"} <= {p.name for p in folder.iterdir()}
    assert not (folder / "soap.py").exists() and not (folder / "samples" / "soap").exists()


@pytest.mark.parametrize("version", [84, 85, 87])
def test_verify_is_clean_for_every_other_version(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, version: int
) -> None:
    """As a user runs both commands (Services86 is the in-process run above)."""
    out = generated_version(corpus, ROOT, version, tmp_path_factory)
    options = ["--docs", str(corpus), "--api-version", str(version), "--agent", "all"]
    options += ["--out", str(out)]
    verified = run_cli("verify", *options)
    total = next(line for line in verified.stdout.splitlines() if line.startswith("| all |"))
    soap_passed, soap_misses, _, rest_passed, rest_misses, _, entity_passed, _, _ = (
        int(cell) for cell in total.strip("|").split("|")[1:]
    )
    assert soap_passed > 2600 and rest_passed > 2500 and entity_passed > 1800, total
    assert soap_misses == rest_misses == 0, total
    entity_misses = [m for m in verified.stdout.splitlines() if m.startswith("miss: entity ")]
    assert [m for m in entity_misses if not _typed_by_the_join(m)] == []
    # A miss is a miss: verify fails while the join's are there.
    assert verified.returncode == (1 if entity_misses else 0), verified.stdout[-4000:]


JOIN_TYPED = frozenset(
    {"ValidateAppointmentEntity request", "GetPrefValueAtLevel answer", "TestWebhook request"}
)
"""Entity samples the join types otherwise than their pages (a ``Task`` body the page's
table does not describe, a text answer typed as a ``Preference``, ``TestWebhook``'s body
typed as the agent's ``WebhookResult``): the join's to type (``codegen.passes.entities``)."""


def _typed_by_the_join(miss: str) -> bool:
    """A miss of an entity sample the join types otherwise than its page: the ``_Links``
    the entity answers add to the agent's carriers, which the join types as the agent's,
    or one of ``JOIN_TYPED``."""
    where, _, why = miss.removeprefix("miss: entity ").partition(": ")
    return why.startswith("._Links: lost") or where.rsplit(".", 1)[-1] in JOIN_TYPED
