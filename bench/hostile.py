"""What hostile answers cost the generated clients: the figures SECURITY.md quotes.

The Services86 User package is generated from the corpus into a temporary folder, as a user
runs the command, and its SOAP and WebAPI (REST) agents call ``get_user_group`` on a
loopback HTTP server that answers:

- a decompression bomb: 200 MB of zeros, gzip level 9 (some 200 KB on the wire), with the
  default limit (``max_response_bytes``, 64 MB) and with a 1 MB limit; beside zeep, whose
  transport (requests) inflates the whole answer before parsing it. Each is measured in a
  fresh process: the peak of memory traced by ``tracemalloc`` during the call, and the rise
  of the process's peak RSS (``VmHWM``) over the call (an untraced call, warmed up first);
- pathological answers, each timed until refused (median of ``--repeat`` calls): XML nested
  5,000 deep (lxml stops at 256), a 10 MiB text node (lxml's bound is 10,000,000 bytes), a
  million-digit integer, an entity bomb (billion laughs), JSON nested 5,000 deep, a
  million-digit JSON integer and a 10 MiB JSON string. Beside each, a peer's call on the
  same answer over the same loopback: zeep's ``GetUserGroup`` for XML, httpx's own
  ``Response.json()`` (``json.loads``) for JSON.

An outcome is the exception the call raised (or ``returned``): a refusal should be the
package's ``MalformedResponse`` or ``MalformedRestResponse``, and anything else is
reported as it is, never hidden.

    python bench/hostile.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib
import logging
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import get_context
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "superoffice-docs"
DOCS = SHARED / "api-reference"
WSDL = SHARED / "wsdl" / "WSDL-Services86-User.xml"
PACKAGE = "bench_hostile"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "http://www.superoffice.net/ws/crm/NetServer/Services86"
BINDING = f"{{{TNS}}}BasicHttpBinding_User"
MB = 1_000_000
BOMB_SIZE = 200 * MB
DEPTH = 5_000
TEXT_NODE = 10 * 2**20
DIGITS = 1_000_000


# --- The package and the server ----------------------------------------------------------


def generate(out: Path) -> None:
    """The command a user runs, into ``out``."""
    command = [sys.executable, "-m", "codegen", "generate", "--docs", str(DOCS)]
    command += ["--api-version", "86", "--agent", "User", "--out", str(out)]
    command += ["--package", PACKAGE, "--quiet"]
    subprocess.run(command, cwd=ROOT, check=True)


@dataclass
class Answer:
    body: bytes
    content_type: str = "text/xml; charset=utf-8"
    encoding: str = ""


class _Handler(BaseHTTPRequestHandler):
    server: Loopback
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """Else a small body waits for the client's delayed ACK of the headers: 40 ms a call."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.do_GET()

    def do_GET(self) -> None:
        answer = self.server.answer
        self.send_response(200)
        self.send_header("Content-Type", answer.content_type)
        if answer.encoding:
            self.send_header("Content-Encoding", answer.encoding)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class Loopback(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = Answer(b"")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/Cust1/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client that refuses an answer may reset the connection mid-way."""


@contextmanager
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def imported(folder: str) -> ModuleType:
    """The package generated into ``folder``, its User agent's SOAP and REST modules loaded."""
    if folder not in sys.path:
        sys.path.insert(0, folder)
    for flavour in ("soap", "rest"):
        importlib.import_module(f"{PACKAGE}.user.{flavour}")
    return importlib.import_module(PACKAGE)


def agent(package: ModuleType, flavour: str, url: str, **options: Any) -> Any:
    """``flavour``'s blocking User agent (``soap``, ``rest``) on a new ``httpx.Client``."""
    import httpx

    if flavour == "soap":
        return package.user.soap.UserAgent(httpx.Client(base_url=url), **options)
    return package.user.rest.UserAgent(httpx.Client(base_url=url + "api/v1/"), **options)


def outcome(call: Callable[[], object]) -> str:
    """The name of what ``call`` raised, or ``returned``."""
    try:
        call()
    except Exception as error:  # noqa: BLE001 - reported, whatever it is
        return type(error).__name__
    return "returned"


# --- The decompression bomb, one fresh process per measurement ---------------------------


def gzipped_zeros(size: int) -> bytes:
    """``size`` zero bytes, gzip level 9, compressed a megabyte at a time."""
    deflate = zlib.compressobj(9, wbits=zlib.MAX_WBITS | 16)
    blocks = [bytes(min(MB, size - start)) for start in range(0, size, MB)]
    return b"".join([*(deflate.compress(block) for block in blocks), deflate.flush()])


def peak_rss_kib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))


@dataclass(frozen=True)
class BombFigures:
    outcome: str
    seconds: float
    traced_peak: int
    rss_rise: int


def bomb_in_this_process(folder: str, side: str, limit: int | None, bomb: bytes) -> BombFigures:
    """``side`` (``soap``, ``rest``, ``zeep``) reading the bomb: once 1 KB of gzipped zeros
    to warm up, once untraced for the RSS, once under ``tracemalloc``. The bomb is made by
    the parent: making it here would raise this process's peak before the call."""
    small = gzipped_zeros(1000)
    with loopback() as server:
        call = _bomb_call(folder, side, server.url, limit)
        server.answer = Answer(small, encoding="gzip")
        outcome(call)
        server.answer = Answer(bomb, encoding="gzip")
        before = peak_rss_kib()
        start = time.perf_counter()
        result = outcome(call)
        seconds = time.perf_counter() - start
        rss_rise = (peak_rss_kib() - before) * 1024
        tracemalloc.start()
        outcome(call)
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return BombFigures(result, seconds, traced_peak, rss_rise)


def zeep_call(url: str) -> Callable[[], object]:
    """zeep's ``GetUserGroup`` on the User WSDL, its service moved to ``url``; quiet (it
    logs a value it cannot read, and returns None for it)."""
    import zeep

    logging.getLogger("zeep").setLevel(logging.CRITICAL)

    service = zeep.Client(str(WSDL)).create_service(BINDING, url + "Remote/User.svc")
    return partial(service.GetUserGroup, UserGroupId=1)


def httpx_json_call(url: str) -> Callable[[], object]:
    """httpx's own reading of a JSON answer: ``Response.json()``, which is ``json.loads``."""
    import httpx

    client = httpx.Client(base_url=url)
    return lambda: client.get("api/v1/User/UserGroup/1").json()


def _bomb_call(folder: str, side: str, url: str, limit: int | None) -> Callable[[], object]:
    if side == "zeep":
        return zeep_call(url)
    options = {} if limit is None else {"max_response_bytes": limit}
    user = agent(imported(folder), side, url, **options)
    return lambda: user.get_user_group(user_group_id=1)


def bomb_rows(folder: Path, bomb: bytes) -> list[list[str]]:
    rows = []
    sides = [("soap", None), ("soap", MB), ("rest", None), ("rest", MB), ("zeep", None)]
    for side, limit in sides:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as fresh:
            figures = fresh.submit(bomb_in_this_process, str(folder), side, limit, bomb).result()
        name = {"soap": "ours, SOAP", "rest": "ours, WebAPI", "zeep": "zeep (requests)"}[side]
        bound = "none" if side == "zeep" else "64 MB (default)" if limit is None else "1 MB"
        rows.append(
            [
                name,
                bound,
                f"`{figures.outcome}`",
                _ms(figures.seconds),
                f"{figures.traced_peak / MB:.1f} MB",
                f"{figures.rss_rise / MB:.1f} MB",
            ]
        )
    return rows


# --- Pathological answers ----------------------------------------------------------------


def _envelope(inner: str, prolog: str = "") -> bytes:
    return (
        f'{prolog}<s:Envelope xmlns:s="{SOAP11}"><s:Body>'
        f'<GetUserGroupResponse xmlns="{TNS}"><Response>{inner}</Response></GetUserGroupResponse>'
        "</s:Body></s:Envelope>"
    ).encode()


_ENTITIES = ['<!ENTITY lol0 "lol">'] + [
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
]
_LAUGHS = f'<?xml version="1.0"?><!DOCTYPE Envelope [{"".join(_ENTITIES)}]>'
"""A billion ``lol`` once expanded: ten references to ten references, nine deep."""
XML_CASES = {
    f"XML nested {DEPTH:,} deep": _envelope(
        "<Value>" + "<x>" * DEPTH + "</x>" * DEPTH + "</Value>"
    ),
    f"XML text node of {TEXT_NODE / 2**20:.0f} MiB": _envelope(f"<Value>{'a' * TEXT_NODE}</Value>"),
    f"XML integer of {DIGITS:,} digits": _envelope(f"<Id>{'9' * DIGITS}</Id>"),
    "XML entity bomb (billion laughs)": _envelope("<Value>&lol9;</Value>", _LAUGHS),
}
JSON_CASES = {
    f"JSON nested {DEPTH:,} deep": ("[" * DEPTH + "]" * DEPTH).encode(),
    f"JSON integer of {DIGITS:,} digits": f'{{"Id": {"9" * DIGITS}}}'.encode(),
    f"JSON string of {TEXT_NODE / 2**20:.0f} MiB": f'{{"Value": "{"a" * TEXT_NODE}"}}'.encode(),
}


def timed(call: Callable[[], object], repeat: int) -> tuple[str, float]:
    """What ``call`` does and the median of ``repeat`` timings."""
    results, seconds = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        results.append(outcome(call))
        seconds.append(time.perf_counter() - start)
    assert len(set(results)) == 1, results
    return results[0], statistics.median(seconds)


def pathological_rows(folder: Path, repeat: int) -> list[list[str]]:
    package = imported(str(folder))
    rows = []
    with loopback() as server:
        for flavour, cases, peer_name, peer in (
            ("soap", XML_CASES, "zeep", zeep_call(server.url)),
            ("rest", JSON_CASES, "httpx `.json()`", httpx_json_call(server.url)),
        ):
            user = agent(package, flavour, server.url)
            content_type = "text/xml" if flavour == "soap" else "application/json"
            for name, body in cases.items():
                server.answer = Answer(body, content_type)
                ours, ours_time = timed(partial(user.get_user_group, user_group_id=1), repeat)
                theirs, their_time = timed(peer, repeat)
                rows.append(
                    [
                        name,
                        f"{len(body) / MB:.2f} MB",
                        "SOAP" if flavour == "soap" else "WebAPI",
                        f"`{ours}`",
                        _ms(ours_time),
                        peer_name,
                        f"`{theirs}`",
                        _ms(their_time),
                    ]
                )
    return rows


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


# --- Main --------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timings per pathological case")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as temp:
        folder = Path(temp)
        generate(folder)
        bomb = gzipped_zeros(BOMB_SIZE)
        print(
            f"Decompression bomb: {BOMB_SIZE // MB} MB of zeros, gzip level 9, "
            f"{len(bomb):,} bytes on the wire; one fresh process each\n"
        )
        header = ["client", "limit", "outcome", "time", "peak traced", "peak RSS rise"]
        print(table(header, bomb_rows(folder, bomb)))
        print(f"\nPathological answers, median of {args.repeat} calls over loopback HTTP\n")
        header = ["answer", "size", "client", "outcome", "time", "peer", "peer's outcome"]
        print(table([*header, "peer's time"], pathological_rows(folder, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
