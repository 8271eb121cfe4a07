"""The generated SOAP client beside zeep, xsdata and lxml's floor, on identical work.

One process, one run, every side measured in interleaved rounds so that a noisy machine
slows them alike; figures are ops/s (median of the rounds) and ratios against ours:

- request: build and serialise a ``CreateExternalUser`` request, and a ``SaveUser``
  request carrying a full ``User`` (role, groups, person, credentials, licences, table
  and field rights), headers included (application token, ticket, time zone), from the
  arguments already held as each side's own typed objects to the envelope's bytes;
- response: parse a full ``GetUser`` response (the documented sample's shape with every
  text filled in and the inherited ``TableRight``/``FieldProperties`` of each carrier
  present, compact and without ``xsi:type``, as WCF sends it) and a ``GetAllRoles``
  response with 50 roles, from bytes into typed objects, envelope checks included;
- the floor: lxml's own parse + serialise of the same bytes (and parse only);
- memory: the peak RSS (``VmHWM``) of one fresh subprocess per side that sets up and
  then parses the ``GetUser`` response 2,000 times, and the import time of the
  generated ``soap`` module beside ``import zeep`` + ``zeep.Client(wsdl)`` (fresh
  subprocesses, median of 5).

The three sides are checked before timing: their request envelopes are equal under
C14N 2.0 (prefixes rewritten, whitespace stripped), and their parsed responses are equal
field by field once normalised (wire names, enums as names, absent/None/"" alike, one-field
wrappers unwrapped, key/value lists as dicts).

    python bench/runtime.py [--rounds 21] [--seconds 0.05]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import enum
import importlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree
from measuring import (
    KEPT,
    Figures,
    batch_size,
    first_difference,
    import_seconds,
    leaves,
    measure,
    ops_per_second,
    peak_rss,
)

from codegen.emit import render_sources, write_output
from codegen.emit.soap.build import build_view
from codegen.ir import Agent
from codegen.load import load
from codegen.passes.names import assign_names
from codegen.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "superoffice-docs"
DOCS = SHARED / "api-reference"
WSDL = SHARED / "wsdl" / "WSDL-Services86-User.xml"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TNS = "http://www.superoffice.net/ws/crm/NetServer/Services86"
PACKAGE = "bench_superoffice"
XSDATA_PACKAGE = "bench_xsdata_user"
_XML_FENCE = re.compile(r"^```xml[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)

TICKET = "7T:1234abcxyzExample=="
TOKEN = "1234567-1234-9876"
ZONE_ID, ZONE_CODE = 17, "Europe/Oslo"
EXTERNAL_USER = {
    "PersonId": 4711,
    "UserName": "jane.doe",
    "Password": "S3cret & <safe>",
    "RoleId": 3,
    "IsActive": True,
}


# --- Setup: the three clients ------------------------------------------------------------


def generate_ours(folder: Path) -> tuple[Agent, types.ModuleType, types.ModuleType]:
    """This project's Services86 User package, rendered into ``folder`` and imported."""
    result = load(Settings(docs=DOCS, version=86, agents=("User",)))
    (agent,) = result.agents
    write_output(render_sources([agent], PACKAGE), folder)
    sys.path.insert(0, str(folder))
    models = importlib.import_module(f"{PACKAGE}.user.models")
    soap = importlib.import_module(f"{PACKAGE}.user.soap")
    return agent, models, soap


def generate_xsdata(folder: Path) -> types.ModuleType:
    """xsdata's dataclasses for the User WSDL (saved as ``.wsdl``: xsdata reads ``.xml``
    as a sample document), generated into ``folder`` and imported."""
    shutil.copy(WSDL, folder / "user.wsdl")
    subprocess.run(
        ["xsdata", "generate", "user.wsdl", "--package", XSDATA_PACKAGE],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(f"{XSDATA_PACKAGE}.user")


def zeep_client() -> Any:
    """zeep's client for the User WSDL, WS-Addressing off (the WSDL's policy asks for it)."""
    import zeep

    client = zeep.Client(str(WSDL))
    for operation in client.service._binding._operations.values():
        operation.abstract.wsa_action = None
    return client


# --- The documents -----------------------------------------------------------------------


def _sample(page: str, which: int) -> etree._Element:
    text = (DOCS / "soap" / "Services86" / "User" / page).read_text(encoding="utf-8-sig")
    block = _XML_FENCE.findall(text)[which]
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.fromstring(block.strip().encode(), parser)


def _soap11(body_content: etree._Element) -> bytes:
    """``body_content`` in a compact SOAP 1.1 envelope, with no ``xsi:type`` left, and the
    response header WCF writes: ``Succeeded`` and the other parts as ``xsi:nil``."""
    for element in body_content.iter():
        element.attrib.pop(f"{{{XSI}}}type", None)
    envelope = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"s": SOAP11})
    header = etree.SubElement(envelope, f"{{{SOAP11}}}Header")
    for part in ("ExceptionInfo", "ExtraInfo", "Succeeded", "TimeZone"):
        element = etree.SubElement(header, f"{{{TNS}}}{part}")
        if part == "Succeeded":
            element.text = "true"
        else:
            element.set(f"{{{XSI}}}nil", "true")
    etree.SubElement(envelope, f"{{{SOAP11}}}Body").append(body_content)
    etree.cleanup_namespaces(envelope, top_nsmap={"a": TNS, "i": XSI})
    return etree.tostring(envelope)


class _Filler:
    """Gives every leaf of a sample a distinct, typed value (text, number, flag)."""

    def __init__(self) -> None:
        self.count = 0

    def fill(self, element: etree._Element) -> None:
        for leaf in element.iter():
            if len(leaf) or leaf.get(f"{{{XSI}}}nil"):
                continue
            self.count += 1
            kind = (leaf.get(f"{{{XSI}}}type") or "").rpartition(":")[2]
            local = etree.QName(leaf).localname
            if kind == "string":
                leaf.text = f"{local} {self.count}" + (" & <Co>" if self.count % 7 == 0 else "")
            elif kind in ("int", "short", "long"):
                leaf.text = str(self.count)
            elif kind == "boolean":
                leaf.text = "true" if self.count % 2 else "false"


def _table_right(index: int) -> etree._Element:
    table = etree.Element(f"{{{TNS}}}TableRight")
    etree.SubElement(table, f"{{{TNS}}}Mask").text = "Select Update Insert"
    etree.SubElement(table, f"{{{TNS}}}Reason").text = f"reason {index}"
    return table


def _field_properties(index: int) -> etree._Element:
    tns = f"{{{TNS}}}"
    properties = etree.Element(tns + "FieldProperties")
    pair = etree.SubElement(properties, tns + "FieldPropertyDictionaryKeyValuePair")
    etree.SubElement(pair, tns + "Key").text = f"field{index}"
    value = etree.SubElement(pair, tns + "Value")
    right = etree.SubElement(value, tns + "FieldRight")
    etree.SubElement(right, tns + "Mask").text = "Read Write UIHintMandatory"
    etree.SubElement(right, tns + "Reason").text = f"right {index}"
    etree.SubElement(value, tns + "FieldType").text = "System.String"
    etree.SubElement(value, tns + "FieldLength").text = str(40 + index)
    return properties


def get_user_response(models: types.ModuleType) -> bytes:
    """The documented GetUser response, filled in, each carrier with the ``TableRight`` and
    ``FieldProperties`` it inherits (xsdata would send an absent one back as ``xsi:nil``)."""
    content = _sample("GetUser.md", 1).find(f"{{{SOAP12}}}Body")[0]
    _Filler().fill(content)
    carriers = [
        element
        for element in content.iter()
        if issubclass(getattr(models, _type_name(element), object), models.Carrier)
    ]
    for index, element in enumerate(carriers):
        element.insert(0, _table_right(index))
        element.insert(1, _field_properties(index))
    return _soap11(content)


def _type_name(element: etree._Element) -> str:
    return (element.get(f"{{{XSI}}}type") or "").rpartition(":")[2]


def get_all_roles_response(count: int = 50) -> bytes:
    """The documented GetAllRoles response with ``count`` filled-in roles, no children."""
    content = _sample("GetAllRoles.md", 1).find(f"{{{SOAP12}}}Body")[0]
    array = content[0]
    template = array[0]
    for child in template.findall(f"{{{TNS}}}ChildItems"):
        template.remove(child)
    array.remove(template)
    filler = _Filler()
    for _ in range(count):
        role = etree.fromstring(etree.tostring(template))
        filler.fill(role)
        array.append(role)
    return _soap11(content)


# --- Each side's work --------------------------------------------------------------------


@dataclasses.dataclass
class Side:
    name: str
    create_external_user: Callable[[], bytes]
    save_user: Callable[[], bytes]
    get_user: Callable[[], object]
    get_all_roles: Callable[[], object]


def ours(models: types.ModuleType, soap: types.ModuleType, responses: dict[str, bytes]) -> Side:
    client = soap.UserAgent(
        _NoTransport(),
        application_token=TOKEN,
        ticket=TICKET,
        time_zone=models.SoTimeZone(so_time_zone_id=ZONE_ID, so_time_zone_location_code=ZONE_CODE),
    )
    user = client.responses.get_user(responses["GetUser"])
    external = {
        "person_id": EXTERNAL_USER["PersonId"],
        "user_name": EXTERNAL_USER["UserName"],
        "password": EXTERNAL_USER["Password"],
        "role_id": EXTERNAL_USER["RoleId"],
        "is_active": EXTERNAL_USER["IsActive"],
    }
    get_user, get_all_roles = responses["GetUser"], responses["GetAllRoles"]
    build, parse = client.requests, client.responses
    return Side(
        "generated",
        lambda: build.create_external_user(**external),
        lambda: build.save_user(user=user),
        lambda: parse.get_user(get_user),
        lambda: parse.get_all_roles(get_all_roles),
    )


class _NoTransport:
    """Stands in for the httpx client: building and parsing never post."""

    base_url = "https://example.invalid/"


class _Reply:
    """What zeep reads of an HTTP response."""

    status_code = 200
    headers: ClassVar[dict[str, str]] = {"Content-Type": "text/xml; charset=utf-8"}
    encoding = "utf-8"

    def __init__(self, content: bytes) -> None:
        self.content = content


def zeep_side(client: Any, responses: dict[str, bytes]) -> Side:
    from lxml.etree import tostring

    binding = client.service._binding
    headers = {
        "ApplicationToken": TOKEN,
        "Credentials": {"Ticket": TICKET},
        "TimeZone": {"SoTimeZoneId": ZONE_ID, "SoTimeZoneLocationCode": ZONE_CODE},
    }
    service = client.service
    get_user = binding.get("GetUser")
    get_all_roles = binding.get("GetAllRoles")
    user_reply, roles_reply = _Reply(responses["GetUser"]), _Reply(responses["GetAllRoles"])
    user = binding.process_reply(client, get_user, user_reply).body.Response

    def create_external_user() -> bytes:
        envelope = client.create_message(
            service, "CreateExternalUser", _soapheaders=headers, **EXTERNAL_USER
        )
        return tostring(envelope)

    def save_user() -> bytes:
        envelope = client.create_message(service, "SaveUser", _soapheaders=headers, User=user)
        return tostring(envelope)

    return Side(
        "zeep",
        create_external_user,
        save_user,
        lambda: binding.process_reply(client, get_user, user_reply).body.Response,
        lambda: binding.process_reply(client, get_all_roles, roles_reply).body.Response,
    )


def xsdata_side(module: types.ModuleType, responses: dict[str, bytes]) -> Side:
    from xsdata.formats.dataclass.parsers import XmlParser
    from xsdata.formats.dataclass.serializers import XmlSerializer
    from xsdata.formats.dataclass.serializers.config import SerializerConfig

    parser = XmlParser()
    serializer = XmlSerializer(config=SerializerConfig(xml_declaration=False))
    get_user, get_all_roles = responses["GetUser"], responses["GetAllRoles"]
    get_user_output, roles_output = module.UserGetUserOutput, module.UserGetAllRolesOutput
    user = parser.from_bytes(get_user, get_user_output).body.get_user_response.response

    def header(envelope: Any) -> Any:
        return envelope.Header(
            application_token=module.ApplicationToken(value=TOKEN),
            credentials=module.Credentials(ticket=TICKET),
            time_zone=module.TimeZone(
                so_time_zone_id=ZONE_ID, so_time_zone_location_code=ZONE_CODE
            ),
        )

    def create_external_user() -> bytes:
        envelope = module.UserCreateExternalUserInput
        request = module.CreateExternalUser(
            person_id=EXTERNAL_USER["PersonId"],
            user_name=EXTERNAL_USER["UserName"],
            password=EXTERNAL_USER["Password"],
            role_id=EXTERNAL_USER["RoleId"],
            is_active=EXTERNAL_USER["IsActive"],
        )
        body = envelope.Body(create_external_user=request)
        return serializer.render(envelope(header=header(envelope), body=body)).encode()

    def save_user() -> bytes:
        envelope = module.UserSaveUserInput
        body = envelope.Body(save_user=module.SaveUser(user=user))
        return serializer.render(envelope(header=header(envelope), body=body)).encode()

    return Side(
        "xsdata",
        create_external_user,
        save_user,
        lambda: parser.from_bytes(get_user, get_user_output).body.get_user_response.response,
        lambda: parser.from_bytes(get_all_roles, roles_output).body.get_all_roles_response.response,
    )


def lxml_floor(envelopes: dict[str, bytes], responses: dict[str, bytes]) -> Side:
    """Parse + serialise the same bytes: what any reader or writer must at least pay."""
    parse, tostring = etree.fromstring, etree.tostring
    external, save = envelopes["CreateExternalUser"], envelopes["SaveUser"]
    get_user, get_all_roles = responses["GetUser"], responses["GetAllRoles"]
    return Side(
        "lxml floor",
        lambda: tostring(parse(external)),
        lambda: tostring(parse(save)),
        lambda: tostring(parse(get_user)),
        lambda: tostring(parse(get_all_roles)),
    )


# --- Equivalence -------------------------------------------------------------------------


def canonical(envelope: bytes) -> str:
    """The envelope under C14N 2.0, prefixes rewritten and whitespace-only text dropped."""
    return etree.canonicalize(
        envelope.decode(),
        rewrite_prefixes=True,
        strip_text=True,
        qname_aware_attrs=[f"{{{XSI}}}type"],
    )


class Normaliser:
    """Turns each side's parsed objects into plain values keyed by wire names.

    Ours carry no metadata, so the wire names come from the view model that generated
    them; xsdata's from its field metadata; zeep's objects are keyed by wire name already.
    """

    def __init__(self, agent: Agent, models: types.ModuleType) -> None:
        self.wire: dict[type, dict[str, str]] = {}
        for view in build_view(agent, assign_names(agent)).classes:
            cls = getattr(models, view.class_name)
            # A field the WebAPI documents alone never reaches the SOAP wire.
            self.wire[cls] = {s.python_name: s.wire_name for s in view.slots if not s.rest_only}

    def __call__(self, value: object) -> object:
        return _simplify(self._plain(value))

    def _plain(self, value: object) -> object:
        if isinstance(value, enum.Flag):
            return [_token(member.name or "") for member in value]
        if isinstance(value, enum.Enum):
            return _token(value.value if isinstance(value.value, str) else value.name)
        if hasattr(value, "to_datetime"):
            return self._plain(value.to_datetime())
        if isinstance(value, (list, tuple)):
            return [self._plain(item) for item in value]
        if isinstance(value, dict):
            return {key: self._plain(item) for key, item in value.items()}
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.UTC).isoformat()
        if type(value) in self.wire:
            names = self.wire[type(value)]
            return {names[k]: self._plain(getattr(value, k)) for k in names}
        if dataclasses.is_dataclass(value):
            return {
                f.metadata.get("name", f.name): self._plain(getattr(value, f.name))
                for f in dataclasses.fields(value)
            }
        if hasattr(value, "__values__"):
            return {k: self._plain(v) for k, v in value.__values__.items()}
        return value


def _token(text: str) -> str:
    return text.replace("_", "").lower()


def _simplify(value: object) -> object:
    """Absent, None, "" and empty collections alike; one-field wrappers (xsdata's enums,
    every array type) unwrapped; key/value lists as dicts; text compared as enum tokens."""
    if isinstance(value, list):
        items = [_simplify(item) for item in value]
        if items and all(isinstance(i, dict) and set(i) <= {"Key", "Value"} for i in items):
            return {i.get("Key"): i.get("Value") for i in items}  # type: ignore[union-attr]
        return items or None
    if isinstance(value, dict):
        kept = {k: _simplify(v) for k, v in value.items()}
        kept = {k: v for k, v in kept.items() if v is not None}
        if len(kept) == 1:
            key, only = next(iter(kept.items()))
            if key == "value" or isinstance(value[key], list):
                return only
        return kept or None
    if isinstance(value, str):
        return _token(value) or None
    return value


def check_equivalent(sides: list[Side], normalise: Normaliser) -> dict[str, int]:
    """Fail loudly unless every side sends the same requests and reads the same objects;
    the number of values compared, by response."""
    first, *others = sides
    for other in others:
        for case in ("create_external_user", "save_user"):
            expected = canonical(getattr(first, case)())
            found = canonical(getattr(other, case)())
            if expected != found:
                raise AssertionError(
                    f"{case}: {other.name} differs\n{first_difference(expected, found)}"
                )
        for case in ("get_user", "get_all_roles"):
            expected_value = normalise(getattr(first, case)())
            found_value = normalise(getattr(other, case)())
            if expected_value != found_value:
                difference = first_difference(repr(expected_value), repr(found_value))
                raise AssertionError(f"{case}: {other.name} differs\n{difference}")
    return {
        case: leaves(normalise(getattr(first, case)())) for case in ("get_user", "get_all_roles")
    }


# --- Timing ------------------------------------------------------------------------------


def report(case: str, figures: Figures) -> None:
    print(f"\n{case}")
    for name, value in figures.ops.items():
        ratio = figures.ratios[name]
        relation = f"ours {ratio:5.2f}x as fast" if name != "generated" else ""
        if name == "lxml floor":
            relation = f"ours takes {1 / ratio:5.2f}x the floor's time"
        print(f"  {name:<12} {value:>10,.0f} ops/s  {relation}")


# --- Memory and import time (fresh subprocesses) ------------------------------------------


_CHILD_SETUP = {
    "generated": (
        "from {package}.user.soap import UserAgent\n"
        "class Http: base_url = 'https://example.invalid/'\n"
        "client = UserAgent(Http())\n"
        "work = lambda: client.responses.get_user(data)\n"
    ),
    "zeep": (
        "import zeep\n"
        "client = zeep.Client({wsdl!r}); binding = client.service._binding\n"
        "op = binding.get('GetUser')\n"
        "class Reply:\n"
        "    status_code, encoding, content = 200, 'utf-8', data\n"
        "    headers = {{'Content-Type': 'text/xml; charset=utf-8'}}\n"
        "work = lambda: binding.process_reply(client, op, Reply()).body.Response\n"
    ),
    "xsdata": (
        "from xsdata.formats.dataclass.parsers import XmlParser\n"
        "from {xsdata}.user import UserGetUserOutput\n"
        "parser = XmlParser()\n"
        "work = lambda: parser.from_bytes(data, UserGetUserOutput)\n"
    ),
    "lxml floor": (
        "from lxml import etree\n" "work = lambda: etree.tostring(etree.fromstring(data))\n"
    ),
}
"""Each side's parse of the GetUser response, set up in a fresh interpreter of its own."""
# --- Main --------------------------------------------------------------------------------


CASES = (
    ("create_external_user", "build + serialise CreateExternalUser"),
    ("save_user", "build + serialise SaveUser (full User)"),
    ("get_user", "parse GetUser response"),
    ("get_all_roles", "parse GetAllRoles response (50 roles)"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=0.05, help="per round and side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-runtime-") as temp:
        folder = Path(temp)
        agent, models, soap = generate_ours(folder / "ours")
        (folder / "xsdata").mkdir()
        xsdata_module = generate_xsdata(folder / "xsdata")
        responses = {"GetUser": get_user_response(models), "GetAllRoles": get_all_roles_response()}
        generated = ours(models, soap, responses)
        sides = [
            generated,
            zeep_side(zeep_client(), responses),
            xsdata_side(xsdata_module, responses),
        ]
        compared = check_equivalent(sides, Normaliser(agent, models))
        envelopes = {
            "CreateExternalUser": generated.create_external_user(),
            "SaveUser": generated.save_user(),
        }
        sides.append(lxml_floor(envelopes, responses))
        _describe(responses, envelopes, compared)
        _time_everything(sides, responses, args.rounds, args.seconds)
        _measure_memory(folder, responses["GetUser"])
        _measure_imports(folder)
    return 0


def _describe(
    responses: dict[str, bytes], envelopes: dict[str, bytes], compared: dict[str, int]
) -> None:
    for name, data in {**responses, **envelopes}.items():
        elements = sum(1 for _ in etree.fromstring(data).iter())
        kind = "response" if name in responses else "request"
        print(f"{name} {kind}: {len(data):,} bytes, {elements:,} elements")
    print(
        "requests C14N-equal on every side; responses read into equal objects on every side "
        f"({compared['get_user']} values of GetUser, {compared['get_all_roles']} of GetAllRoles)"
    )


def _time_everything(
    sides: list[Side], responses: dict[str, bytes], rounds: int, seconds: float
) -> None:
    print(
        f"\nmedians of {rounds} rounds of ~{seconds}s per side, the sides taking turns; "
        "ratios are the medians of each round's ratio"
    )
    for case, title in CASES:
        report(title, measure({side.name: getattr(side, case) for side in sides}, rounds, seconds))
    get_user = responses["GetUser"]

    def parse_only() -> object:
        return etree.fromstring(get_user)

    calls = batch_size(parse_only, seconds)
    parsing = statistics.median(ops_per_second(parse_only, calls) for _ in range(rounds))
    print(f"\nlxml parse only (GetUser): {parsing:,.0f} ops/s")


def _measure_memory(folder: Path, get_user: bytes) -> None:
    data_file = folder / "get_user.xml"
    data_file.write_bytes(get_user)
    print(
        "\npeak RSS of a fresh process per side: set up -> after 2,000 GetUser parses (MiB);"
        f" and what each result adds when {KEPT:,} are kept"
    )
    paths = (folder / "ours", folder / "xsdata")
    for side, template in _CHILD_SETUP.items():
        setup = template.format(package=PACKAGE, xsdata=XSDATA_PACKAGE, wsdl=str(WSDL))
        ready, parsed, each = peak_rss(setup, paths, data_file)
        print(f"  {side:<12} {ready:6.1f} -> {parsed:6.1f} MiB   {each:6.1f} KiB a result")


def _measure_imports(folder: Path) -> None:
    ours_import = import_seconds(f"import {PACKAGE}.user.soap", folder / "ours")
    zeep_import = import_seconds(f"import zeep; zeep.Client({str(WSDL)!r})", folder)
    xsdata_import = import_seconds(f"import {XSDATA_PACKAGE}.user", folder / "xsdata")
    print("\nimport time, fresh process, bytecode cached (median of 5)")
    print(f"  generated soap module              {ours_import * 1000:7.1f} ms")
    print(
        f"  import zeep + zeep.Client(wsdl)    {zeep_import * 1000:7.1f} ms"
        f"  (ours {zeep_import / ours_import:4.2f}x faster)"
    )
    print(f"  xsdata's generated module          {xsdata_import * 1000:7.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
