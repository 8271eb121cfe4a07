"""The hooks of ``.pre-commit-hooks.yaml`` under the real ``pre-commit``, in a user's project.

pre-commit installs a hook repository from a git commit into a virtualenv of its own, so
the hooks tested are those of this checkout's HEAD (a shallow clone of it), installed with
pip as any user's pre-commit would. Installing takes most of this test's time, so it is
one test that walks the whole story: generate, check, a spec changes, check fails with the
diff, regenerate fixes it, check passes, and a file that is no spec runs neither hook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, missing

PAGE = Path("specs/soap/Services86/User/CreateUserGroup.md")
SOAP_MODULE = Path("generated/superoffice/user/soap.py")
PYPROJECT = """\
[project]
name = "demo"
version = "0"

[tool.superoffice-codegen]
docs = "specs"
out = "generated"
package = "superoffice"
agents = ["User"]
"""


@pytest.fixture(autouse=True)
def _git_on_path() -> None:
    """git is the one tool here that the test extras cannot install; under CI it must be there."""
    if shutil.which("git") is None:
        missing("git is not on PATH")


def _git(*args: str, cwd: Path) -> str:
    command = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args]
    return subprocess.run(
        command, cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def _config(hooks: Path) -> str:
    revision = _git("rev-parse", "HEAD", cwd=hooks)
    return (
        f"repos:\n- repo: {hooks}\n  rev: {revision}\n  hooks:\n"
        "  - id: superoffice-codegen\n  - id: superoffice-codegen-check\n"
    )


@pytest.fixture
def project(tmp_path: Path, specs: Path) -> Path:
    """A git repository with the seed specs and a configuration, nothing generated yet."""
    hooks = tmp_path / "hooks"
    _git("clone", "--quiet", "--depth", "1", ROOT.as_uri(), str(hooks), cwd=tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "--quiet", cwd=project)
    shutil.copytree(specs, project / "specs")
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(_config(hooks), encoding="utf-8")
    _git("add", "--all", cwd=project)
    _git("commit", "--quiet", "--message", "specs", cwd=project)
    return project


def _pre_commit(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *args],
        cwd=project,
        check=False,
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
    )


def test_the_hooks_regenerate_and_check_a_project(project: Path) -> None:
    generated = _pre_commit(project, "superoffice-codegen", "--all-files")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert (project / SOAP_MODULE).is_file()
    _git("add", "--all", cwd=project)
    _git("commit", "--quiet", "--message", "generated", cwd=project)
    assert ".superoffice-codegen-cache" not in _git("ls-files", cwd=project)

    current = _pre_commit(project, "superoffice-codegen-check", "--all-files")
    assert current.returncode == 0, current.stdout

    page = project / PAGE
    page.write_text(
        page.read_text(encoding="utf-8").replace("Create UserGroup (Rank", "Make UserGroup (Rank"),
        encoding="utf-8",
    )
    stale = _pre_commit(project, "superoffice-codegen-check", "--all-files")
    assert stale.returncode == 1
    assert f"+++ b/{SOAP_MODULE}" in stale.stdout
    assert '+        """Make UserGroup (Rank' in stale.stdout
    assert "Make UserGroup" not in (project / SOAP_MODULE).read_text(encoding="utf-8")

    fixed = _pre_commit(project, "superoffice-codegen", "--all-files")
    assert fixed.returncode == 1 and "files were modified by this hook" in fixed.stdout
    assert "Make UserGroup (Rank" in (project / SOAP_MODULE).read_text(encoding="utf-8")
    assert _pre_commit(project, "superoffice-codegen-check", "--all-files").returncode == 0

    (project / "notes.txt").write_text("not a spec\n", encoding="utf-8")
    unrelated = _pre_commit(project, "--files", "notes.txt")
    assert unrelated.returncode == 0
    assert unrelated.stdout.count("(no files to check)Skipped") == 2
