"""Every entity endpoint page of the corpus, read and joined in the shared Services86 build."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from build_support import Services86

from codegen.ir import ANY_TYPE, XSD, ComplexType, EntityEndpoint, Level, QName


def _endpoints(services86: Services86) -> dict[str, tuple[str, EntityEndpoint]]:
    """Each entity endpoint by its page, with the agent it joined."""
    joined = [(a.name, e) for a in services86.result.agents for e in a.entities]
    files = Counter(e.rest.file for _, e in joined)
    assert [file for file, count in files.items() if count > 1] == []
    return {e.rest.file: (agent, e) for agent, e in joined}


def test_every_entity_page_joins_one_agent_with_no_error(
    corpus: Path, services86: Services86
) -> None:
    pages = sorted(str(p) for p in (corpus / "restful/rest").glob("*/v1*.md"))
    endpoints = _endpoints(services86)
    assert sorted(endpoints) == pages
    errors = [d for d in services86.result.diagnostics if "/restful/rest/" in d.file]
    assert [str(d) for d in errors if d.level is Level.ERROR] == []


def test_odata_lists_name_their_archive_and_every_path_part_is_typed(
    services86: Services86,
) -> None:
    endpoints = [e for _, e in _endpoints(services86).values()]
    # The OData lists (53 in the corpus) say so first; each reads an archive, and takes
    # the OData query (so do two pages that read the archive their path names).
    odata = {e.rest.file for e in endpoints if e.rest.doc.startswith("OData list")}
    assert {e.rest.file for e in endpoints if e.odata} == odata
    assert all(
        {"$filter", "$top", "$skip"} <= {q.name for q in e.rest.query} for e in endpoints if e.odata
    )
    assert len(odata) >= 50
    for e in endpoints:
        parts = e.rest.parameters[: len(e.rest.path_parts)]
        assert [p.wire_name for p in parts] == [p.name for p in e.rest.path_parts], e.rest.file
        assert all(p.type != ANY_TYPE and p.min_occurs == 1 for p in parts), e.rest.file
        for row, typed in zip(e.rest.path_parts, parts):
            if row.type == "int32":
                assert typed.type == QName(XSD, "int"), e.rest.file


def test_the_user_folder_joins_user_and_is_typed_by_the_user_agent(
    services86: Services86,
) -> None:
    joined = {
        e.name: (agent, e) for agent, e in _endpoints(services86).values() if e.folder == "User"
    }
    # GetCurrentAssociate names the method it calls: the Associate agent's GetAssociate.
    assert {name for name, (agent, _) in joined.items() if agent != "User"} == {
        "GetCurrentAssociate"
    }
    assert joined["GetCurrentAssociate"][0] == "Associate"
    user = next(a for a in services86.result.agents if a.name == "User")
    carrier = QName(user.namespace, "User")
    get_user = joined["GetUser"][1].rest
    assert [(p.wire_name, p.type) for p in get_user.parameters] == [
        ("id", QName(XSD, "int")),
        ("fk", QName(XSD, "boolean")),
    ]
    # The User carrier "with API _Links added", as the page's table says.
    with_links = QName(user.namespace, "UserWithLinks")
    assert get_user.returns is not None and get_user.returns.type == with_links
    entity_type = next(t for t in user.entity_types if t.name == with_links)
    assert isinstance(entity_type, ComplexType) and entity_type.base == carrier
    put_user = joined["PutUser"][1].rest
    assert [(p.wire_name, p.type) for p in put_user.parameters] == [
        ("id", QName(XSD, "int")),
        ("entity", carrier),
    ]
    get_all = joined["GetAll"][1]
    assert (get_all.archive, get_all.rest.returns and get_all.rest.returns.type) == (
        "AllUsers",
        QName(user.namespace, "ODataList"),
    )
    role_agents = {
        a.name for a in services86.result.agents for e in a.entities if e.folder == "Role"
    }
    assert role_agents == {"User"}
