"""What ``load`` reads and what the stamp digests come from one plan (``codegen.inputs``):
every file a run reads is digested, and editing any of them makes the stamp stale."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import codegen.load
from codegen.inputs import Resolved
from codegen.ir import Diagnostic
from codegen.load import load
from codegen.output.stamp import Stamp
from codegen.settings import Settings


def _aged(folder: Path) -> Path:
    """Every file long settled: the stamp ignores inputs changed seconds ago."""
    past = time.time() - 60
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past))
    return folder


def _read_by_load(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> tuple[Resolved, set[str]]:
    """What ``load`` made of ``settings``, and every file it opened to do it."""
    opened: list[str] = []
    read_bytes = codegen.load._read_bytes

    def recording(path: Path, diagnostics: list[Diagnostic]) -> bytes | None:
        opened.append(os.path.abspath(path))
        return read_bytes(path, diagnostics)

    with monkeypatch.context() as patch:
        patch.setattr(codegen.load, "_read_bytes", recording)
        result = load(settings)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert [agent.name for agent in result.agents] == list(settings.agents)
    resolved = Resolved(result.agents[0].version, tuple(agent.name for agent in result.agents))
    return resolved, set(opened)


def _assert_stamp_digests_what_load_reads(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolved, opened = _read_by_load(settings, monkeypatch)
    assert opened
    Stamp(settings).record(resolved, time.time_ns(), ())
    assert Stamp(settings).current() is not None
    assert opened <= set(Stamp(settings).inputs(resolved))
    for file in sorted(opened):
        path = Path(file)
        text = path.read_bytes()
        path.write_bytes(text + b"\n")
        assert Stamp(settings).current() is None, f"{file} changed, the stamp did not notice"
        path.write_bytes(text)
        _aged(path)
    assert Stamp(settings).current() is not None


def test_the_stamp_digests_every_file_load_reads_from_the_specs(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _aged(shutil.copytree(specs, tmp_path / "docs"))
    settings = Settings(docs=docs, agents=("User",), out=tmp_path / "out")
    _assert_stamp_digests_what_load_reads(settings, monkeypatch)


def test_the_stamp_digests_every_file_load_reads_for_a_corpus_agent_and_its_raw_wsdl(
    corpus: Path, raw_wsdls: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    for part in ("soap/Services86/User", "restful/agent/User_Agent"):
        shutil.copytree(corpus / part, docs / part)
    shutil.copy(corpus / "soap/Services86/Services86-User.md", docs / "soap/Services86")
    (tmp_path / "raw").mkdir()
    wsdl = Path(shutil.copy(raw_wsdls / "WSDL-Services86-User.xml", tmp_path / "raw/User.svc"))
    _aged(tmp_path)
    for where, wsdls in ((docs, ()), (docs, (wsdl,)), (None, (wsdl,))):
        settings = Settings(docs=where, wsdls=wsdls, agents=("User",), out=tmp_path / "out")
        _assert_stamp_digests_what_load_reads(settings, monkeypatch)
