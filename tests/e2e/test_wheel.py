"""The installed wheel carries its templates: build it, install it apart, run the generator."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT, SPECS

from codegen.emit import runtimes

_ISOLATED = """
import importlib.util
assert importlib.util.find_spec("pytest") is None, "the venv sees the test tools"
"""


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_the_wheel_generates_from_outside_the_checkout(tmp_path: Path) -> None:
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", ROOT)
    (wheel,) = (tmp_path / "dist").glob("superoffice_codegen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "codegen/templates/agent_init.py.jinja" in names
    assert "codegen/emit/soap/templates/models.py.jinja" in names
    assert "codegen/emit/rest/templates/rest.py.jinja" in names
    shipped = {f"codegen/emit/{r.side}/{r.file}": r for r in (*runtimes.SOAP, *runtimes.REST)}
    assert set(shipped) <= set(names)
    assert not any(name.startswith(("tests/", "specs/", "generated/")) for name in names)

    # A venv of its own, with nothing of this interpreter's packages nor of the base one's:
    # the wheel's declared dependencies are all it gets, so a missing one fails here.
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel)
    _run(python, "-c", _ISOLATED, cwd=tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    where = _run(python, "-c", "import codegen; print(codegen.__file__)", cwd=work).stdout
    assert str(venv) in where

    _run(
        venv / "bin" / "superoffice-codegen", "generate", "--docs", SPECS, "--out", "out", cwd=work
    )
    assert (work / "out" / "superoffice" / "user" / "soap.py").is_file()
    for runtime in shipped.values():
        copied = work / "out" / "superoffice" / runtime.file
        assert copied.read_text(encoding="utf-8") == runtime.text
    assert sorted(
        p.name for p in (work / "out" / "superoffice" / "user" / "samples" / "soap").iterdir()
    )
