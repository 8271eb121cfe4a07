"""Every diagnostic reaches the user: warnings and errors on stderr as ``file:line: level:
message (hint)`` for ``generate``, ``generate --check``, ``ir`` and ``diff``; a warning
alone exits 0, under ``--strict`` 3, as an error does; and a run the stamp lets stop early
still shows the warnings of the run that made the output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import codegen.generate
from codegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = "soap/Services86/User/CreateUserGroup.md"
REQUEST_SECTION = "## CreateUserGroup Request\n"
WARNING = "warning: no '## CreateUserGroup Request' heading: no sample envelope"


def _aged(folder: Path) -> None:
    """Every file long settled: the stamp ignores inputs changed seconds ago."""
    past = time.time() - 60
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past))


def _without_request_section(page: Path) -> int:
    """Drop the page's request section (a warning, not an error); the line it is for."""
    text = page.read_text(encoding="utf-8")
    start = text.index(REQUEST_SECTION)
    end = text.index("## CreateUserGroup Response")
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    return text[: text.index("## CreateUserGroup\n")].count("\n") + 1


@pytest.fixture
def warned(tmp_path: Path, specs: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The seed specs with one warning, as ``docs/``; the line the warning must print."""
    docs = tmp_path / "docs"
    shutil.copytree(specs, docs)
    line = _without_request_section(docs / PAGE)
    _aged(tmp_path)
    monkeypatch.chdir(tmp_path)
    return f"{Path('docs', PAGE)}:{line}: {WARNING}"


def _generate(*args: str) -> list[str]:
    return ["generate", "--docs", "docs", "--out", "out", *args]


def test_a_warning_is_printed_and_the_run_succeeds(
    warned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_generate("--check")) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [warned, "1 warning(s)"]
    assert main(_generate()) == 0
    assert capsys.readouterr().err.splitlines()[:2] == [warned, "1 warning(s)"]
    assert (tmp_path / "out" / "superoffice" / "user" / "soap.py").is_file()


def test_under_strict_a_warning_exits_3_and_writes_nothing(
    warned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (_generate("--strict"), _generate("--strict", "--check")):
        assert main(args) == 3
        err = capsys.readouterr().err.splitlines()
        assert err == [warned, "1 warning(s) (--strict); nothing written"]
    assert not (tmp_path / "out").exists()


def test_a_run_that_stops_at_the_stamp_still_shows_the_warnings(
    warned: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(_generate()) == 0
    capsys.readouterr()

    def not_read(*args: object) -> None:
        raise AssertionError("read again, though nothing changed")

    monkeypatch.setattr(codegen.generate, "_read_and_render", not_read)
    assert main(_generate()) == 0
    assert capsys.readouterr().err.splitlines()[:2] == [warned, "1 warning(s)"]
    assert main(_generate("--check")) == 0
    assert capsys.readouterr().err.splitlines()[:2] == [warned, "1 warning(s)"]
    assert main(_generate("--strict")) == 3
    assert warned in capsys.readouterr().err


def test_ir_and_diff_print_warnings_and_fail_under_strict(
    warned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    soap = tmp_path / "docs" / "soap"
    shutil.copytree(soap / "Services86", soap / "Services87")
    ir = ["ir", "--docs", "docs", "--api-version", "86"]
    diff = ["diff", "--docs", "docs", "--from", "86", "--to", "87"]
    for args in (ir, diff):
        assert main(args) == 0, args
        assert warned in capsys.readouterr().err.splitlines()
        assert main([*args, "--strict"]) == 3, args
        captured = capsys.readouterr()
        assert warned in captured.err.splitlines() and captured.out == ""


def test_an_error_prints_its_file_and_line_and_exits_3_without_a_traceback(
    tmp_path: Path, specs: Path
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(specs, docs)
    page = docs / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</User:CreateUserGroup>", "</User:Broken>", 1), encoding="utf-8")
    line = text[: text.index("</User:CreateUserGroup>")].count("\n") + 1
    for command in (["generate", "--out", "out"], ["generate", "--check"], ["ir"]):
        done = subprocess.run(
            [sys.executable, "-m", "codegen", *command, "--docs", str(docs)],
            check=False,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert done.returncode == 3, command
        assert "Traceback" not in done.stderr
        assert f"{page}:{line}: error: " in done.stderr, done.stderr
        assert done.stderr.splitlines()[-1] == "1 error(s); nothing written"
    assert not (tmp_path / "out").exists()


def test_a_corpus_agent_with_a_warning_prints_it_and_fails_only_under_strict(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real corpus raises no warning; one of its pages, with a section it does not
    know added, raises one, reported at that section's line."""
    docs = tmp_path / "docs"
    for part in ("soap/Services86/User", "restful/agent/User_Agent"):
        shutil.copytree(corpus / part, docs / part)
    shutil.copy(corpus / "soap/Services86/Services86-User.md", docs / "soap/Services86")
    page = docs / "restful/agent/User_Agent/v1UserAgent_GetUser.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n## Frobnicate\n\nNot a section the docs use.\n", encoding="utf-8")
    line = text.count("\n") + 2
    args = ["generate", "--docs", str(docs), "--out", str(tmp_path / "out")]

    assert main([*args, "--strict"]) == 3
    expected = f"{page}:{line}: warning: unknown section 'Frobnicate'"
    assert capsys.readouterr().err.splitlines() == [
        expected,
        "1 warning(s) (--strict); nothing written",
    ]
    assert not (tmp_path / "out").exists()
    assert main(args) == 0
    assert capsys.readouterr().err.splitlines()[:2] == [expected, "1 warning(s)"]


def test_the_real_corpus_passes_strict(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["diff", "--docs", str(corpus), "--from", "86", "--to", "87", "--agent", "User"]
    assert main([*args, "--strict"]) == 0
    (summary,) = capsys.readouterr().err.splitlines()
    assert summary.startswith("compared 1 agent(s), SOAP Services86 → Services87")
