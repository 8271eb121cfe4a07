"""The SOAP method page reader: page text, bullets, samples, and what it says about bad pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen.ir import ARRAYS, SERIALIZATION, XSD, Level, QName, SampleNode, SoapPage
from codegen.sources.soap_page import read_soap_page

NS86 = "http://www.superoffice.net/ws/crm/NetServer/Services86"
SEED_METHODS = [
    "CreateExternalUser",
    "CreateUserGroup",
    "GenerateNewPasswordForExternalUser",
    "SetExternalUserInfo",
]
MARKUP = re.compile(r"<see|&lt;|&gt;|<para|</?b>|<br")


def _read(path: Path) -> SoapPage:
    page, diagnostics = read_soap_page(str(path), path.read_text(encoding="utf-8"))
    assert page is not None, [str(d) for d in diagnostics]
    assert not diagnostics, [str(d) for d in diagnostics]
    return page


def _children(node: SampleNode | None) -> list[tuple[str, QName | None, str]]:
    assert node is not None
    return [(c.name.name, c.xsi_type, c.text) for c in node.children]


def _page_texts(page: SoapPage) -> list[str]:
    return [page.doc, page.online_restricted, page.returns_doc] + [
        text for _, text in page.parameters
    ]


# --- The seeds -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", SEED_METHODS)
def test_every_seed_reads_cleanly(specs: Path, method: str) -> None:
    page = _read(specs / "soap" / "Services86" / "User" / f"{method}.md")
    assert (page.agent, page.version, page.method) == ("User", 86, method)
    assert page.service_path == "Remote/Services86/User.svc"
    assert page.online_restricted.startswith("The User agent is not available in Online")
    assert "Online Restricted" not in page.doc
    assert page.request is not None and page.response is not None
    assert page.request.body is not None and page.request.body.name == QName(NS86, method)
    assert page.response.body is not None
    assert page.response.body.name == QName(NS86, f"{method}Response")


def test_create_external_user(specs: Path) -> None:
    page = _read(specs / "soap" / "Services86" / "User" / "CreateExternalUser.md")
    assert page.doc == "Creates an associate of type external user."
    assert page.returns_doc == "Returns the created associateId."
    assert page.parameters == (
        ("personId", "The personId to create an external user for."),
        ("userName", "Login username."),
        ("password", "Login password."),
        (
            "roleId",
            "Id of role for the external user. The role must be a role of type external users.",
        ),
        ("isActive", "Set isActive to true to enable the external user to log in."),
    )
    request = page.request
    assert request is not None and request.body is not None
    assert request.soap_version == "1.2"
    assert request.line == 35  # the <?xml line, below the ```xml fence on line 34
    assert request.body.line == 49
    assert _children(request.body) == [
        ("PersonId", QName(XSD, "int"), "0"),
        ("UserName", QName(XSD, "string"), ""),
        ("Password", QName(XSD, "string"), ""),
        ("RoleId", QName(XSD, "int"), "0"),
        ("IsActive", QName(XSD, "boolean"), "false"),
    ]
    assert [c.line for c in request.body.children] == [50, 51, 52, 53, 54]
    token, credentials = request.headers
    assert (token.name, token.text, token.line) == (
        QName(NS86, "ApplicationToken"),
        "1234567-1234-9876",
        44,
    )
    assert credentials.name == QName(NS86, "Credentials") and credentials.text == ""
    assert _children(credentials) == [("Ticket", None, "7T:1234abcxyzExample==")]
    assert page.response is not None and page.response.headers == ()
    assert _children(page.response.body) == [("Response", QName(XSD, "int"), "0")]


def test_both_front_matter_styles_give_the_same_page(specs: Path, corpus: Path) -> None:
    seed = _read(specs / "soap" / "Services86" / "User" / "CreateExternalUser.md")
    real = _read(corpus / "soap" / "Services86" / "User" / "CreateExternalUser.md")
    assert (seed.agent, seed.version, seed.method, seed.parameters) == (
        real.agent,
        real.version,
        real.method,
        real.parameters,
    )
    assert seed.request is not None and real.request is not None
    assert seed.request.body == real.request.body
    assert seed.request.line == real.request.line == 35


def test_escaped_see_in_a_bullet_is_cleaned(specs: Path) -> None:
    page = _read(specs / "soap" / "Services86" / "User" / "SetExternalUserInfo.md")
    name, text = page.parameters[-1]
    assert name == "externalUserInfoModification"
    assert text == (
        "externalUserInfoModification is a flag describing what to change. "
        "ExternalUserInfoModification."
    )
    assert page.returns_doc == ""
    assert page.response is not None
    assert _children(page.response.body) == []


# --- Corpus variations -------------------------------------------------------------------------


def test_arrays_prefix_is_resolved_through_xmlns(corpus: Path) -> None:
    soap = corpus / "soap" / "Services86"
    prefix_863 = _read(soap / "License" / "AssignThirdPartyLicenses.md").request
    prefix_862 = _read(soap / "Appointment" / "GetAppointmentList.md").request
    assert prefix_863 is not None and prefix_862 is not None
    names = _children(prefix_863.body)[2]
    ids = _children(prefix_862.body)[0]
    assert names[:2] == ("ModuleLicenseNames", QName(ARRAYS, "ArrayOfstring"))
    assert ids[:2] == ("AppointmentIds", QName(ARRAYS, "ArrayOfint"))
    assert prefix_863.body is not None and prefix_862.body is not None
    item_863 = prefix_863.body.children[2].children[0]
    item_862 = prefix_862.body.children[0].children[0]
    assert item_863.name == QName(ARRAYS, "string")
    assert item_862.name == QName(ARRAYS, "int")


def test_multi_part_response(corpus: Path) -> None:
    page = _read(corpus / "soap" / "Services86" / "BlobManager" / "ReadBlob.md")
    assert page.response is not None
    assert _children(page.response.body) == [
        ("Length", QName(XSD, "int"), "0"),
        ("Response", QName(XSD, "string"), ""),
    ]


def test_bullets_and_returns_run_over_paragraphs(corpus: Path) -> None:
    page = _read(corpus / "soap" / "Services86" / "Preference" / "GetPreferences.md")
    ((name, text),) = page.parameters
    assert name == "specifications"
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Array of preference specifications.")
    assert paragraphs[2].startswith("You can also have askerisk as the section name.")
    assert page.returns_doc.endswith("but have no set value anywhere.")
    assert "\n" not in page.returns_doc  # one paragraph over two lines
    assert page.doc == (
        "Get one or more preferences based on a set of specifications.\n\n"
        "The prefDisplayvalue and prefDisplaytooltip are blank (faster processing relative "
        "to GetPreferencesWithDisplayValues)"
    )


def test_nil_and_dictionary_entries(corpus: Path) -> None:
    page = _read(corpus / "soap" / "Services86" / "Appointment" / "AssignTo.md")
    assert page.response is not None and page.response.body is not None
    (entity,) = page.response.body.children
    fields = {c.name.name: c for c in entity.children}
    user_fields = fields["UserDefinedFields"]
    assert user_fields.xsi_type == QName(NS86, "StringDictionary")
    (entry,) = user_fields.children
    assert (entry.name.name, entry.xsi_type) == ("StringKeyValuePair", None)
    assert [c.name.name for c in entry.children] == ["Key", "Value"]


def test_serialization_types_and_nil(corpus: Path) -> None:
    page = _read(corpus / "soap" / "Services86" / "Appointment" / "AssignTo.md")
    assert page.response is not None and page.response.body is not None
    (entity,) = page.response.body.children
    fields = {c.name.name: c for c in entity.children}
    assert fields["AlarmLeadTime"].xsi_type == QName(SERIALIZATION, "duration")
    assert not any(node.nil for node in _descendants(entity))


def test_recursion_is_cut_with_nil(corpus: Path) -> None:
    page = _read(corpus / "soap" / "Services86" / "Find" / "CreateRestrictionGroup.md")
    assert page.response is not None and page.response.body is not None
    nil = {node.line: node for node in _descendants(page.response.body) if node.nil}
    assert nil[132].name == QName(NS86, "Values")
    assert nil[132].xsi_type is None and nil[132].text == "" and nil[132].children == ()


def _descendants(node: SampleNode) -> list[SampleNode]:
    found = [node]
    for child in node.children:
        found += _descendants(child)
    return found


# --- The whole corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_pages(corpus: Path) -> list[tuple[Path, SoapPage | None, list[str]]]:
    """Every SOAP method page of Services84-87: all but each agent's index.md."""
    read = []
    for path in sorted((corpus / "soap").glob("Services8[4-7]/*/*.md")):
        if path.name != "index.md":
            page, diagnostics = read_soap_page(str(path), path.read_text(encoding="utf-8"))
            errors = [str(d) for d in diagnostics if d.level is Level.ERROR]
            read.append((path, page, errors))
    return read


def test_every_corpus_page_reads_without_errors(
    corpus_pages: list[tuple[Path, SoapPage | None, list[str]]],
) -> None:
    assert len(corpus_pages) > 5000
    assert [errors for _, _, errors in corpus_pages if errors] == []
    for path, page, _ in corpus_pages:
        assert page is not None
        assert (f"Services{page.version}", page.agent, page.method) == (
            path.parent.parent.name,
            path.parent.name,
            path.stem,
        )
        assert page.service_path == f"Remote/Services{page.version}/{page.agent}.svc"
        assert page.request is not None and page.request.body is not None
        assert page.response is not None and page.response.body is not None


def test_no_markup_survives_in_corpus_text(
    corpus_pages: list[tuple[Path, SoapPage | None, list[str]]],
) -> None:
    leftovers = [
        (path.name, text)
        for path, page, _ in corpus_pages
        if page is not None
        for text in _page_texts(page)
        if MARKUP.search(text)
    ]
    assert leftovers == []
    restricted = [page for _, page, _ in corpus_pages if page and page.online_restricted]
    assert len(restricted) > 400
    assert not any("Online Restricted" in page.doc for page in restricted)


# --- Bad pages -------------------------------------------------------------------------------

GOOD_PAGE = """\
---
title: Services86.UserAgent.Ping SOAP
---

# Services86 User Ping

## Ping

Pings.

## Ping Request

```xml
<?xml version="1.0" encoding="UTF-8"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:u="urn:u">
 <e:Body>
  <u:Ping/>
 </e:Body>
</e:Envelope>
```

## Ping Response

```xml
<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:u="urn:u">
 <e:Header><u:Succeeded>true</u:Succeeded></e:Header>
 <e:Body><u:PingResponse/></e:Body>
</e:Envelope>
```
"""


def _levels(text: str) -> list[tuple[Level, int]]:
    _, diagnostics = read_soap_page("x.md", text)
    return [(d.level, d.line) for d in diagnostics]


def test_a_minimal_page() -> None:
    page, diagnostics = read_soap_page("x.md", GOOD_PAGE)
    assert diagnostics == []
    assert page is not None and page.request is not None and page.response is not None
    assert (page.agent, page.version, page.method, page.doc) == (
        "User",
        86,
        "Ping",
        "Pings.",
    )
    assert page.request.line == 14 and page.request.soap_version == "1.2"
    assert page.response.soap_version == "1.1"
    assert [h.name for h in page.response.headers] == [QName("urn:u", "Succeeded")]


def test_malformed_xml_is_an_error_on_its_line() -> None:
    broken = GOOD_PAGE.replace("  <u:Ping/>", "  <u:Ping>")
    assert _levels(broken) == [(Level.ERROR, 18)]  # </e:Body>, where the mismatch shows


def test_unclosed_fence_is_an_error_on_its_line() -> None:
    unclosed = GOOD_PAGE.rstrip("`\n") + "\n"
    assert _levels(unclosed) == [(Level.ERROR, 24)]


def test_missing_method_heading_is_an_error() -> None:
    page, diagnostics = read_soap_page("x.md", GOOD_PAGE.replace("## Ping\n", "Ping\n"))
    assert page is None
    assert [(d.level, d.line) for d in diagnostics] == [(Level.ERROR, 5)]


def test_missing_samples_are_warnings() -> None:
    text = GOOD_PAGE.split("## Ping Request")[0]
    page, diagnostics = read_soap_page("x.md", text)
    assert page is not None and page.request is None and page.response is None
    assert {d.level for d in diagnostics} == {Level.WARNING} and len(diagnostics) == 2


def test_identity_falls_back_to_the_path() -> None:
    text = GOOD_PAGE.replace("title: Services86.UserAgent.Ping SOAP", "uid: x")
    text = text.replace("# Services86 User Ping\n", "")
    page, diagnostics = read_soap_page("soap/Services87/Person/Ping.md", text)
    assert diagnostics == []
    assert page is not None and (page.agent, page.version) == ("Person", 87)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/:=\"' \n`#*-abxe")), max_size=300))
def test_garbage_never_raises(noise: str) -> None:
    cut = len(noise) % len(GOOD_PAGE)
    page, diagnostics = read_soap_page("x.md", GOOD_PAGE[:cut] + noise + GOOD_PAGE[cut:])
    assert page is not None or any(d.level is Level.ERROR for d in diagnostics)
