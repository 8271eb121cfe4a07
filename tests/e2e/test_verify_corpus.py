"""``verify`` over every agent: each documented SOAP envelope, REST answer and REST request
through the package ``generate --agent all`` made, for Services86 (shared with the other e2e
files) and, as a user runs both commands, for Services87.

``--agent all`` includes the agents of the WebAPI only (AI, Dash). Every version is clean,
its entity samples too: each entity answer whose page documents ``_Links`` keeps them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from build_support import Services86, generated_version
from cli_support import run_cli
from conftest import ROOT
from schedule_support import build_params

from codegen.verify import Report, verify


def _misses(report: Report) -> set[str]:
    return {
        f"{side} {miss.split(':')[0]}"
        for side, tallies in report.sides
        for tally in tallies.values()
        for miss in tally.misses
    }


def test_every_documented_sample_reads_and_is_sent_whole(services86: Services86) -> None:
    """Every SOAP method page's request and response envelope, and every REST and entity
    page's answer and request (method, path, query, headers, body): read, sent or written
    back whole, or listed as a defect."""
    report = verify(services86.result.agents, services86.out, services86.package)
    assert _misses(report) == set()
    assert len(report.soap) == 56
    assert sum(t.passed for t in report.soap.values()) > 2800
    assert sum(t.passed for t in report.rest.values()) > 2500
    assert sum(t.passed for t in report.entity.values()) > 1900
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


@pytest.mark.parametrize("version", build_params(84, 85, 87))
def test_verify_is_clean_for_every_other_version(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, version: int
) -> None:
    """As a user runs both commands (Services86 is the in-process run above)."""
    out = generated_version(corpus, ROOT, version, tmp_path_factory)
    options = ["--docs", str(corpus), "--api-version", str(version), "--agent", "all"]
    options += ["--out", str(out)]
    verified = run_cli("verify", *options)
    total = next(line for line in verified.stdout.splitlines() if line.startswith("| all |"))
    soap_passed, soap_misses, _, rest_passed, rest_misses, _, entity_passed, entity_misses, _ = (
        int(cell) for cell in total.strip("|").split("|")[1:]
    )
    assert soap_passed > 2600 and rest_passed > 2500 and entity_passed > 1900, total
    assert soap_misses == rest_misses == entity_misses == 0, total
    assert verified.returncode == 0, verified.stdout[-4000:]
