"""The bad-input suite: every case under ``tests/golden/bad_inputs/`` ends the way its
``case.toml`` says.

A case is a folder holding a docs root (``docs/``), raw WSDLs, or both, and a ``case.toml``:

- ``about``: why the case exists;
- ``wsdl`` / ``args``: WSDL files (relative to the case) and extra flags for ``generate``;
- ``[inflate]``: grow ``file`` by replacing ``marker`` with ``bytes`` of prose at test time
  (the 50 MB page is never committed);
- ``[expect]``: ``exit = 0`` for "generates, compiles and imports" (with ``verbatim``
  strings that must appear as written in the generated Python), or the non-zero exit
  code with the ``file`` (relative to the case), ``line`` and a ``message`` fragment of
  the diagnostic that must be printed; ``typecheck = true`` adds ``mypy --strict`` over
  the package, for the cases about names;
- ``[[expect.warnings]]``: each warning a case prints, by ``file``, ``line`` and a
  ``message`` fragment (where ``@CASE_DIR@`` is the case's folder too); a case that
  exits 0 prints exactly the warnings it lists.

In the case's files ``@CASE_DIR@`` stands for the folder the case runs from and
``@CANARY_URL@`` for a loopback server that must never receive a request. Every case runs
``python -m codegen generate`` in a subprocess over an output folder that already holds a
previous generation. Whatever the outcome: no traceback, no request to the canary, no
file written outside the output folder, no file named ``PWNED`` created, and the canary
file's contents appear nowhere. A failing case leaves the previous output byte for byte
as it was; a passing one leaves a package whose every module compiles and imports.

Two more tests plant hostile files in the output folder itself, which a commit can fill:
a pickled cache that would run a command when loaded, and a forged stamp that would
pass a tampered module off as current.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from build_support import mypy_strict
from cli_support import CLI_ENV, run_cli
from conftest import SPECS
from fork_support import run_python

from codegen.output.stamp import stamp_file

CASES_DIR = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(p for p in CASES_DIR.iterdir() if (p / "case.toml").is_file())
CANARY_TEXT = "CANARY-LOCAL-FILE-READ"
FILLER_LINE = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n"
MIN_CASES = 40

IMPORT_CHECK = textwrap.dedent("""
    import importlib, pathlib, sys
    out = pathlib.Path(sys.argv[1])
    sys.path.insert(0, str(out))
    modules = sorted(out.rglob("*.py"))
    assert modules, "no modules generated"
    # Each is compiled as it is imported (PYTHONDONTWRITEBYTECODE: from its source).
    for path in modules:
        dotted = ".".join(path.relative_to(out).with_suffix("").parts)
        importlib.import_module(dotted.removesuffix(".__init__"))
    print(len(modules))
    """)


class _Canary(BaseHTTPRequestHandler):
    """Counts every request: the generator must never make one."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY x "CANARY-NETWORK-FETCH">')

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def canary_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder as a previous, successful run over the seeds left it."""
    out = tmp_path_factory.mktemp("previous") / "out"
    result = _generate(["--docs", str(SPECS)], out, Path.cwd())
    assert result.returncode == 0, result.stderr
    return out


@dataclass(frozen=True)
class Case:
    folder: Path
    spec: dict[str, Any]

    @property
    def expect(self) -> dict[str, Any]:
        return dict(self.spec["expect"])

    def arguments(self, copy: Path) -> list[str]:
        arguments: list[str] = []
        if (copy / "docs").is_dir():
            arguments += ["--docs", str(copy / "docs")]
        for wsdl in self.spec.get("wsdl", []):
            arguments += ["--wsdl", str(copy / wsdl)]
        return arguments + list(self.spec.get("args", []))


def _load(folder: Path) -> Case:
    return Case(folder, tomllib.loads((folder / "case.toml").read_text(encoding="utf-8")))


def _copy_case(case: Case, copy: Path, canary_url: str) -> None:
    """The case's files with their placeholders filled in, and any page inflated."""
    for source in case.folder.rglob("*"):
        if source.is_dir() or source.name == "case.toml":
            continue
        target = copy / source.relative_to(case.folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        data = data.replace(b"@CASE_DIR@", str(copy).encode())
        data = data.replace(b"@CANARY_URL@", canary_url.encode())
        target.write_bytes(data)
    inflate = case.spec.get("inflate")
    if inflate:
        page = copy / inflate["file"]
        filler = FILLER_LINE * (int(inflate["bytes"]) // len(FILLER_LINE) + 1)
        page.write_bytes(page.read_bytes().replace(inflate["marker"].encode(), filler.encode()))


def _generate(arguments: list[str], out: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("generate", *arguments, "--out", str(out), cwd=cwd)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _files_outside(root: Path, out: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if out not in (p, *p.parents)}


def test_the_suite_covers_enough_cases() -> None:
    assert len(CASES) >= MIN_CASES
    for folder in CASES:
        expect = _load(folder).expect
        assert expect["exit"] in (0, 2, 3, 4), folder.name
        if expect["exit"]:
            assert {"file", "line", "message"} <= set(expect), folder.name


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_case(
    folder: Path, tmp_path: Path, previous_output: Path, canary_url: str, warm_mypy: Path
) -> None:
    case = _load(folder)
    copy = tmp_path / "case"
    _copy_case(case, copy, canary_url)
    # Deep enough that a path climbing out of the output folder lands inside tmp_path.
    out = tmp_path / "a" / "b" / "c" / "out"
    shutil.copytree(previous_output, out)
    before = _files_outside(tmp_path, out)
    hits = len(_Canary.hits)

    result = _generate(case.arguments(copy), out, tmp_path)

    expect = case.expect
    report = f"exit {result.returncode}\nstderr:\n{result.stderr[-4000:]}"
    assert "Traceback" not in result.stderr, report
    assert result.returncode == expect["exit"], report
    assert _Canary.hits[hits:] == [], "the generator made a network request"
    assert _files_outside(tmp_path, out) == before, "a file was written outside the output"
    assert not (copy / "PWNED").exists(), "input text was executed"
    for text in (result.stdout, result.stderr):
        assert CANARY_TEXT not in text
    for warning in expect.get("warnings", []):
        _assert_diagnostic(result.stderr, copy, warning, "warning")
    if expect["exit"]:
        _assert_diagnostic(result.stderr, copy, expect, "error")
        assert _tree(out) == _tree(previous_output), "a failing run changed the output"
    else:
        printed = [line for line in result.stderr.splitlines() if ": warning: " in line]
        assert len(printed) == len(expect.get("warnings", [])), report
        _assert_package(out, copy, expect, warm_mypy)


def _assert_diagnostic(stderr: str, copy: Path, expect: dict[str, Any], level: str) -> None:
    where = f"{copy / expect['file']}:{expect['line']}: {level}: "
    matching = [line for line in stderr.splitlines() if line.startswith(where)]
    assert matching, f"no diagnostic at {where}\nstderr:\n{stderr[-4000:]}"
    message = expect["message"].replace("@CASE_DIR@", str(copy))
    assert any(message in line for line in matching), "\n".join(matching)


def _assert_package(out: Path, copy: Path, expect: dict[str, Any], warm_mypy: Path) -> None:
    environment = {**CLI_ENV, "PYTHONDONTWRITEBYTECODE": "1"}
    check = run_python("-c", IMPORT_CHECK, str(out), cwd=copy, env=environment, timeout=120)
    assert check.returncode == 0, check.stderr[-4000:]
    assert not (copy / "PWNED").exists(), "importing the package executed input text"
    sources = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.py")))
    for text in expect.get("verbatim", []):
        assert text in sources, f"{text!r} is not in the generated code as written"
    assert CANARY_TEXT not in sources
    if expect.get("typecheck"):
        mypy = mypy_strict("superoffice", out, warm_mypy)
        assert mypy.returncode == 0, mypy.stdout[-4000:]


# --- Hostile files in the output folder ------------------------------------------------------

CACHE = ".superoffice-codegen-cache"


class _Planted:
    """Unpickling this runs a command: what a file planted in the cache folder would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def _settled_copy(source: Path, target: Path) -> None:
    """A copy whose files and folders look long unchanged, so that a run leaves a stamp."""
    shutil.copytree(source, target)
    past = time.time() - 60
    for path in [target, *target.rglob("*")]:
        os.utime(path, (past, past))


def test_a_planted_cache_is_never_unpickled(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(["--docs", str(SPECS)], out, tmp_path).returncode == 0
    marker = tmp_path / "PWNED"
    for name in ("cache.pickle", "cache-user.pickle"):
        (out / CACHE / name).write_bytes(pickle.dumps(_Planted(marker)))
    stamp_file(out).unlink(missing_ok=True)

    result = _generate(["--docs", str(SPECS)], out, tmp_path)

    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a planted pickle ran"


def test_a_forged_stamp_does_not_pass_a_tampered_output_as_current(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _settled_copy(SPECS, docs)
    out = tmp_path / "out"
    assert _generate(["--docs", str(docs)], out, tmp_path).returncode == 0
    stamp = stamp_file(out)
    assert stamp.is_file(), "no stamp to forge: the fast path was not taken"
    # The attack: code added to a module, the manifest and the stamp updated to match.
    module = out / "superoffice/user/soap.py"
    module.write_text(module.read_text(encoding="utf-8") + "\nimport os\n", encoding="utf-8")
    manifest = out / ".superoffice-codegen.json"
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    recorded["files"]["superoffice/user/soap.py"] = hashlib.sha256(module.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(recorded, indent=1) + "\n", encoding="utf-8")
    # Whatever precedes the JSON (a seal) is kept as it was: the forger cannot redo it.
    raw = stamp.read_bytes()
    start = raw.index(b"{")
    forged = json.loads(raw[start:])
    forged["manifest"] = hashlib.sha256(manifest.read_bytes()).hexdigest()
    stamp.write_bytes(raw[:start] + json.dumps(forged, indent=1, sort_keys=True).encode())

    result = _generate(["--docs", str(docs), "--check"], out, tmp_path)

    assert result.returncode == 1, "the tampered output passed as current"
    assert "import os" in result.stdout


def test_a_manifest_naming_files_outside_the_output_removes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(["--docs", str(SPECS)], out, tmp_path).returncode == 0
    beside, far = tmp_path / "beside.txt", tmp_path / "far" / "away.txt"
    far.parent.mkdir()
    for victim in (beside, far):
        victim.write_text("keep me", encoding="utf-8")
    manifest = out / ".superoffice-codegen.json"
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    recorded["files"].update({"../beside.txt": "0" * 64, str(far): "0" * 64})
    manifest.write_text(json.dumps(recorded), encoding="utf-8")

    result = _generate(["--docs", str(SPECS)], out, tmp_path)

    assert result.returncode == 0, result.stderr
    assert beside.read_text(encoding="utf-8") == far.read_text(encoding="utf-8") == "keep me"


def test_a_link_out_of_the_output_is_neither_read_nor_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(["--docs", str(SPECS)], out, tmp_path).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "soap.py").write_text("PRIVATE KEY", encoding="utf-8")
    shutil.rmtree(out / "superoffice/user")
    (out / "superoffice/user").symlink_to(elsewhere, target_is_directory=True)

    checked = _generate(["--docs", str(SPECS), "--check"], out, tmp_path)
    written = _generate(["--docs", str(SPECS)], out, tmp_path)

    assert checked.returncode == 1 and "PRIVATE KEY" not in checked.stdout
    assert written.returncode == 4 and "outside the output folder" in written.stderr
    assert [p.name for p in elsewhere.iterdir()] == ["soap.py"]
    assert (elsewhere / "soap.py").read_text(encoding="utf-8") == "PRIVATE KEY"


def test_a_page_linked_from_outside_the_docs_is_not_read(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SPECS, docs)
    outside = tmp_path / "outside.md"
    page = docs / "soap/Services86/User/CreateUserGroup.md"
    outside.write_text(
        page.read_text(encoding="utf-8").replace("Create UserGroup", CANARY_TEXT), encoding="utf-8"
    )
    page.unlink()
    page.symlink_to(outside)
    out = tmp_path / "out"

    result = _generate(["--docs", str(docs)], out, tmp_path)

    assert result.returncode == 3
    assert f"{page}:0: error: a link out of the docs root" in result.stderr
    assert CANARY_TEXT not in result.stderr and not (out / "superoffice").exists()


def test_a_dangling_link_or_a_fifo_page_is_reported_not_skipped(
    tmp_path: Path, previous_output: Path
) -> None:
    """Listing pages with an ``is_file()`` filter let them vanish: exit 0, a method short."""
    docs = tmp_path / "docs"
    shutil.copytree(SPECS, docs)
    folder = docs / "soap/Services86/User"
    (folder / "Gone.md").symlink_to(folder / "Nowhere.md")
    os.mkfifo(folder / "Pipe.md")
    out = tmp_path / "out"
    shutil.copytree(previous_output, out)

    result = _generate(["--docs", str(docs)], out, tmp_path)

    assert result.returncode == 3, result.stderr
    assert f"{folder / 'Gone.md'}:0: error: cannot read: No such file or directory" in result.stderr
    assert f"{folder / 'Pipe.md'}:0: error: cannot read: not a regular file" in result.stderr
    assert _tree(out) == _tree(previous_output)


def test_a_file_where_the_agents_folder_belongs_is_reported(tmp_path: Path) -> None:
    """The agent comes from its raw WSDL; its method pages' folder is a file."""
    docs = tmp_path / "docs"
    shutil.copytree(SPECS, docs)
    folder = docs / "soap/Services86/User"
    shutil.rmtree(folder)
    folder.write_text("not a folder", encoding="utf-8")
    wsdl = CASES_DIR / "wsdl-type-cycles/user.wsdl"

    result = _generate(["--docs", str(docs), "--wsdl", str(wsdl)], tmp_path / "out", tmp_path)

    assert result.returncode == 3, result.stderr
    assert f"{folder}:0: error: cannot list the folder: Not a directory" in result.stderr


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv"
)
def test_an_agent_folder_that_cannot_be_listed_is_reported() -> None:
    """Run as ``nobody``, for whom a folder with no permissions cannot be listed (root
    lists any folder): it was skipped in silence, its methods missing."""
    with tempfile.TemporaryDirectory() as temporary:
        place = Path(temporary)
        place.chmod(0o777)
        docs = place / "docs"
        shutil.copytree(SPECS, docs)
        folder = docs / "soap/Services86/User"
        folder.chmod(0)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        command += [sys.executable, "-m", "codegen", "generate", "--docs", str(docs)]
        result = subprocess.run(
            [*command, "--out", str(place / "out")],
            check=False,
            cwd=place,
            capture_output=True,
            text=True,
            timeout=120,
        )
        folder.chmod(0o755)

    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{folder}:0: error: cannot list the folder: Permission denied" in result.stderr


def test_an_agent_folder_linked_from_outside_the_docs_is_reported_once(tmp_path: Path) -> None:
    """One line naming the link and where it leads, not one per page (79 on the corpus)."""
    docs, elsewhere = tmp_path / "docs", tmp_path / "elsewhere"
    shutil.copytree(SPECS, docs)
    folder = docs / "soap/Services86/User"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)

    result = _generate(["--docs", str(docs)], tmp_path / "out", tmp_path)

    assert result.returncode == 3
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{folder}:0: error: a link out of the docs root, to {elsewhere}: its pages are not read"
    ]
