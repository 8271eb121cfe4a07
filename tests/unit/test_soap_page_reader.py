"""The SOAP method page reader: page text, bullets, samples, and what it says about bad pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reader_support import NS86, read_soap, sample_children

from codegen.ir import XSD, Level, QName
from codegen.sources.soap_page import read_soap_page

SEED_METHODS = [
    "CreateExternalUser",
    "CreateUserGroup",
    "GenerateNewPasswordForExternalUser",
    "SetExternalUserInfo",
]


# --- The seeds -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", SEED_METHODS)
def test_every_seed_reads_cleanly(specs: Path, method: str) -> None:
    page = read_soap(specs / "soap" / "Services86" / "User" / f"{method}.md")
    assert (page.agent, page.version, page.method) == ("User", 86, method)
    assert page.service_path == "Remote/Services86/User.svc"
    assert page.online_restricted.startswith("The User agent is not available in Online")
    assert "Online Restricted" not in page.doc
    assert page.request is not None and page.response is not None
    assert page.request.body is not None and page.request.body.name == QName(NS86, method)
    assert page.response.body is not None
    assert page.response.body.name == QName(NS86, f"{method}Response")


def test_create_external_user(specs: Path) -> None:
    page = read_soap(specs / "soap" / "Services86" / "User" / "CreateExternalUser.md")
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
    assert sample_children(request.body) == [
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
    assert sample_children(credentials) == [("Ticket", None, "7T:1234abcxyzExample==")]
    assert page.response is not None and page.response.headers == ()
    assert sample_children(page.response.body) == [("Response", QName(XSD, "int"), "0")]


def test_escaped_see_in_a_bullet_is_cleaned(specs: Path) -> None:
    page = read_soap(specs / "soap" / "Services86" / "User" / "SetExternalUserInfo.md")
    name, text = page.parameters[-1]
    assert name == "externalUserInfoModification"
    assert text == (
        "externalUserInfoModification is a flag describing what to change. "
        "ExternalUserInfoModification."
    )
    assert page.returns_doc == ""
    assert page.response is not None
    assert sample_children(page.response.body) == []


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


def test_a_sample_nested_past_the_limit_is_dropped_with_a_warning() -> None:
    """64 levels are read (the envelope, its body and the wrapper are three of them); the
    first element past them is named, and the sample is left out."""
    deep = "\n".join(["  <u:Ping>", *["<u:In>"] * 62, *["</u:In>"] * 62, "  </u:Ping>"])
    page, diagnostics = read_soap_page("x.md", GOOD_PAGE.replace("  <u:Ping/>", deep))
    assert page is not None and page.request is None and page.response is not None
    assert [(d.level, d.line, d.message) for d in diagnostics] == [
        (Level.WARNING, 79, "the sample nests deeper than 64 levels: not used")
    ]
    within = "\n".join(["  <u:Ping>", *["<u:In>"] * 61, *["</u:In>"] * 61, "  </u:Ping>"])
    page, diagnostics = read_soap_page("x.md", GOOD_PAGE.replace("  <u:Ping/>", within))
    assert diagnostics == [] and page is not None and page.request is not None


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
