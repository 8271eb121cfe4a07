"""The installed wheel carries its templates, and what it generates is a project pip
installs: one fresh venv, as a newcomer makes it, for the generator and its output.

The venv is made once per run (``build_support.built_once``), whichever worker asks first:
the wheel built and installed apart, the README's first command run with it from outside
the checkout, and the README's ``pip install generated/``. Each test then looks at one
side of it: the wheel, the installed project, the README's examples run and type-checked
against it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_support import built_once
from cli_support import tree
from conftest import ROOT, SPECS
from online_support import (
    APP,
    CLIENT_SECRET,
    SUPEROFFICE,
    SYSTEM_USER_TOKEN,
    answer_from_samples,
    certificate_pem,
    netserver,
    online,
    private_pem,
)

import codegen
from codegen.emit import runtimes
from codegen.emit.render import DEPENDENCIES, EXTRAS

_ISOLATED = """
import importlib.util
assert importlib.util.find_spec("pytest") is None, "the venv sees the test tools"
"""
_PACKAGE = "superoffice"
_HOST = "https://host/Cust12345/"


def _run(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@dataclass(frozen=True)
class Venv:
    """A fresh venv holding the wheel, what its ``generate`` made, installed with pip."""

    folder: Path

    @property
    def wheel(self) -> Path:
        (wheel,) = (self.folder / "dist").glob("superoffice_codegen-*.whl")
        return wheel

    @property
    def python(self) -> Path:
        return self.folder / "venv" / "bin" / "python"

    @property
    def work(self) -> Path:
        """Where the generator ran, outside the checkout; an empty folder besides."""
        return self.folder / "work"

    @property
    def generated(self) -> Path:
        return self.work / "generated"


def _build(folder: Path) -> None:
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", folder / "dist", ROOT)
    venv = Venv(folder)
    # A venv of its own, with nothing of this interpreter's packages nor of the base one's:
    # the wheel's declared dependencies are all it gets, so a missing one fails here. This
    # pip installs into it (``--python``): the venv's own copy of pip would cost a third
    # of the build and install the same.
    _run(sys.executable, "-m", "venv", "--without-pip", folder / "venv")
    _install(venv, venv.wheel)
    venv.work.mkdir()
    # The Quick start's `superoffice-codegen generate`, this checkout's configuration spelt out.
    command = venv.folder / "venv" / "bin" / "superoffice-codegen"
    _run(command, "generate", "--docs", SPECS, "--out", "generated", cwd=venv.work)
    _install(venv, f"{venv.generated}[online]")


def _install(venv: Venv, requirement: str | Path) -> None:
    _run(sys.executable, "-m", "pip", "--python", venv.python, "install", "-q", requirement)


@pytest.fixture
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return Venv(built_once(tmp_path_factory, "wheel-venv", _build))


def test_the_wheel_generates_from_outside_the_checkout(venv: Venv, tmp_path: Path) -> None:
    names = zipfile.ZipFile(venv.wheel).namelist()
    assert "codegen/templates/agent_init.py.jinja" in names
    assert "codegen/templates/pyproject.toml.jinja" in names
    assert "codegen/emit/soap/templates/models.py.jinja" in names
    assert "codegen/emit/rest/templates/rest.py.jinja" in names
    shipped = {
        f"codegen/emit/{r.side}/{r.file}": r
        for r in (*runtimes.SOAP, *runtimes.REST, *runtimes.ENTITY)
    }
    assert set(shipped) <= set(names)
    assert not any(name.startswith(("tests/", "specs/", "generated/")) for name in names)

    _run(venv.python, "-c", _ISOLATED, cwd=tmp_path)
    where = _run(venv.python, "-c", "import codegen; print(codegen.__file__)", cwd=tmp_path)
    assert str(venv.folder / "venv") in where.stdout
    for runtime in shipped.values():
        copied = venv.generated / _PACKAGE / runtime.file
        assert copied.read_text(encoding="utf-8") == runtime.text
    # What the README's examples run against is what this repository commits.
    assert tree(venv.generated) == tree(ROOT / "generated")


_INSTALLED = """
import importlib.metadata, json
import superoffice.user.rest, superoffice.user.soap
distribution = importlib.metadata.distribution("superoffice")
print(json.dumps({
    "module": superoffice.user.soap.__file__,
    "version": distribution.version,
    "requires": distribution.requires,
    "files": sorted(str(f) for f in distribution.files),
}))
"""


def test_the_generated_project_installs_with_pip(venv: Venv, tmp_path: Path) -> None:
    """``pip install generated/`` in a venv that has only the generator: the
    package with its metadata, ``py.typed`` and samples, nothing of the generator's."""
    found = json.loads(_run(venv.python, "-c", _INSTALLED, cwd=tmp_path).stdout)
    assert "site-packages" in found["module"]
    assert found["version"] == f"86.{codegen.__version__}"
    # Hatchling writes the extras' requirements with their names normalised (``pyjwt``).
    optional = [f"{r}; extra == '{name}'" for name, rs in EXTRAS.items() for r in rs]
    assert [r.lower() for r in found["requires"]] == [r.lower() for r in (*DEPENDENCIES, *optional)]
    files = set(found["files"])
    assert {f"{_PACKAGE}/py.typed", f"{_PACKAGE}/user/README.md"} <= files
    assert f"{_PACKAGE}/user/samples/soap/CreateUserGroup.response.xml" in files
    assert f"{_PACKAGE}/user/samples/rest/CreateExternalUser.response.json" in files
    assert not any("superoffice-codegen" in name or name.startswith("codegen/") for name in files)


_FENCE = re.compile(r"```python\n(.*?)```", re.DOTALL)
_PROMISE = re.compile(r"^\s*(\w+) = .*# -> (.+)$", re.MULTILINE)


def _readme_examples() -> list[str]:
    """The ``python`` blocks of the README's "Using a generated package", in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Using a generated package\n", 1)[1].split("\n## ", 1)[0]
    return _FENCE.findall(section)


def test_the_readme_examples_run_against_what_its_commands_make(venv: Venv, tmp_path: Path) -> None:
    """Every example of "Using a generated package", in the venv where its commands put the
    package, against a loopback host answering from the package's samples to the tickets
    and tokens it knows (the documented ticket, those its login service issued, the
    access token) and signing in the system user with keys made here; each ``# ->``
    comment is checked as the type of what it names."""
    examples = _readme_examples()
    assert len(examples) == 5
    script = "\n".join(examples)
    checks = [
        f"assert isinstance({name}, {kind}), {name}" for name, kind in _PROMISE.findall(script)
    ]
    assert len(checks) == 6
    (tmp_path / "private.pem").write_bytes(private_pem(APP))
    (tmp_path / "federated-login.crt").write_bytes(certificate_pem(SUPEROFFICE))
    samples = venv.generated / _PACKAGE / "user" / "samples"
    with online(netserver(answer_from_samples(samples))) as served:
        served.service.valid |= {"7T:...", "access-token"}
        script = script.replace(_HOST, served.server.base_url)
        script = script.replace('environment="sod"', f"service_url={served.service.url!r}")
        program = "\n".join([script, f"import {_PACKAGE}.user.models", *checks])
        secrets = {"SO_SYSTEM_USER_TOKEN": SYSTEM_USER_TOKEN, "SO_CLIENT_SECRET": CLIENT_SECRET}
        environment = {**os.environ, **secrets, "SO_ACCESS_TOKEN": "access-token"}
        _run(venv.python, "-c", program, cwd=tmp_path, env=environment)
    soap, rest, signed_in, bearer = served.api_requests
    assert soap.path == "/Cust12345/Remote/Services86/User.svc"
    assert soap.headers["SOAPAction"].endswith('/User/CreateUserGroup"')
    assert b"<tns:Ticket>7T:...</tns:Ticket>" in soap.body
    assert rest.path == "/Cust12345/api/v1/Agents/User/CreateExternalUser"
    assert rest.headers["Authorization"] == "SoTicket 7T:..."
    # The value types left out are sent as their default, what the server takes them for.
    sent = {"PersonId": 5, "UserName": "jdoe", "RoleId": 0, "IsActive": False}
    assert json.loads(rest.body) == sent
    assert b"<tns:Ticket>7T:ticket-1</tns:Ticket>" in signed_in.body
    assert bearer.headers["Authorization"] == "Bearer access-token"
    assert len(served.service.bodies) == 1


def test_the_readme_examples_pass_mypy_strict_against_the_installed_package(
    venv: Venv, tmp_path: Path
) -> None:
    """The installed package is typed for its users (``py.typed``): mypy, looking into the
    venv's site-packages as a user's editor does, checks each example, a script of its
    own, with the package's types, and catches a wrong argument."""
    examples = []
    for number, example in enumerate(_readme_examples()):
        examples.append(tmp_path / f"example{number}.py")
        examples[-1].write_text(example, encoding="utf-8")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(_readme_examples()[1].replace("person_id=5", 'person_id="5"'))
    checked = _mypy_strict(venv, examples, tmp_path / "cache")
    failed = _mypy_strict(venv, [wrong], tmp_path / "cache")
    assert checked.returncode == 0, checked.stdout
    assert failed.returncode == 1
    assert 'Argument "person_id" to "create_external_user"' in failed.stdout, failed.stdout


def _mypy_strict(venv: Venv, scripts: list[Path], cache: Path) -> subprocess.CompletedProcess[str]:
    """mypy over ``scripts``, each a module of its own, finding packages in ``venv``."""
    command = [sys.executable, "-m", "mypy", "--strict", "--python-executable", venv.python]
    command += ["--cache-dir", cache, *scripts]
    return subprocess.run(
        [str(a) for a in command], capture_output=True, text=True, cwd=cache.parent, check=False
    )
