"""What an entity page's text says of the agent behind it, found without parsing it.

An entity page (``restful/rest/User/v1User_GetUser.md``) names the agent method it calls
("Calls the User agent service GetUser.", or ``Calls the
{SuperOffice.CRM.Services.IUserAgent} service SaveUser.``), the archive an OData list reads
("Calls the Archive service using the "AllUsers" archive."), or its agent in the Online
Restricted line ("The CRMScript agent is not available in Online by default."). The
loader joins pages to agents by these names before reading any page, and the entity page
reader takes them from here too, so the two never disagree.

Only the standard library: the loader scans every entity page of a run with it.
"""

from __future__ import annotations

import re

_CALLS = re.compile(
    r"Calls the (?:(\w+) agent|\{SuperOffice\.CRM\.Services\.I(\w+)Agent\}) service (\w+)"
)
_RESTRICTED = re.compile(r"The (\w+) agent is not available in Online")
_ARCHIVE = re.compile(r"Calls the Archive service using the \"([^\"]+)\" archive")
PAGE_ID = re.compile(r"v1([^_]+)_(.+)\.md")
"""An entity page's file name: ``v1<Entity>_<Method>.md`` (``v1ReasonSoldList_GetAll.md``)."""


def named_agents(text: str) -> list[str]:
    """The agents the page names, first named first, each once: those whose methods it
    calls, then the one its Online Restricted line names."""
    named = [m.group(1) or m.group(2) for m in _CALLS.finditer(text)]
    named += _RESTRICTED.findall(text)
    return list(dict.fromkeys(named))


def called_method(text: str) -> str:
    """The agent method the page calls first (``GetUser``), empty if it names none."""
    match = _CALLS.search(text)
    return match.group(3) if match else ""


def archive(text: str) -> str:
    """The archive provider an OData list page reads (``AllUsers``), empty if none."""
    match = _ARCHIVE.search(text)
    return match.group(1) if match else ""
