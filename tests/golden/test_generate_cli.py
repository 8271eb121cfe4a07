"""The ``generate`` command as users run it: configuration, --check, the fast
path, atomic writes, and exit codes without tracebacks.

Most tests call ``codegen.cli.main`` in this process from a temporary project (a
``pyproject.toml`` with ``[tool.superoffice-codegen]`` and a copy of the seed specs); the
ones about what a whole process imports or prints run it as a subprocess.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

import pytest
from cli_support import CLI_ENV, run_cli, tree
from conftest import GOLDEN, ROOT

import codegen
import codegen.cli
import codegen.emit.render
import codegen.generate
import codegen.output.cache
import codegen.output.stamp
import codegen.output.write as output_write
from codegen.cli import main
from codegen.inputs import Resolved
from codegen.ir import Diagnostic, Level
from codegen.load import load
from codegen.output.atomic import SUFFIX
from codegen.output.cache import Cache
from codegen.output.seal import CACHE, keep_sealed
from codegen.output.stamp import Stamp, stamp_file
from codegen.output.write import MANIFEST
from codegen.settings import Settings

PYPROJECT = """\
[project]
name = "demo"

[tool.superoffice-codegen]
docs = "api"
out = "client"
package = "demo_client"
agents = ["User"]
"""
PAGE = "soap/Services86/User/CreateUserGroup.md"
SOAP_MODULE = "demo_client/user/soap.py"
HEAVY = ("jinja2", "lxml", "markdown_it")


def _age(folder: Path) -> None:
    """Make every file look long settled: the stamp ignores inputs changed seconds ago."""
    past = time.time() - 60
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past))


def _edit(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    _age(page.parent)


@pytest.fixture
def project(tmp_path: Path, specs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's project, with the working directory in it; nothing generated yet."""
    shutil.copytree(specs, tmp_path / "api")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    _age(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_input_changed_while_a_run_reads_it_is_not_stamped_as_read(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page edited while a run with other options reads it, keeping its old time (as
    ``cp -p`` or ``tar x`` leave it): the stamp holds the page as it was before the run
    read it, so ``--check`` finds the output stale rather than current."""
    assert main(["generate"]) == 0
    page = project / "api" / "soap" / "Services86" / "User" / "CreateUserGroup.md"
    read_and_render = codegen.generate._read_and_render

    def edited_while_read(*args: Any, **kwargs: Any) -> Any:
        rendered = read_and_render(*args, **kwargs)
        times = page.stat()
        _edit(page, "Create UserGroup (Rank", "Make UserGroup (Rank")
        os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
        return rendered

    monkeypatch.setattr(codegen.generate, "_read_and_render", edited_while_read)
    assert main(["generate", "--package", "renamed"]) == 0
    monkeypatch.undo()
    monkeypatch.chdir(project)
    assert main(["generate", "--check", "--package", "renamed"]) == 1


# --- Configuration -------------------------------------------------------------------------


def test_a_bare_generate_follows_the_configuration(project: Path) -> None:
    assert main(["generate"]) == 0
    assert (project / "client" / SOAP_MODULE).is_file()
    assert (project / "client" / MANIFEST).is_file()
    assert not (project / "generated").exists()


def test_paths_in_the_configuration_are_relative_to_its_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "src").mkdir()
    monkeypatch.chdir(project / "src")
    assert main(["generate"]) == 0
    assert (project / "client" / SOAP_MODULE).is_file()


def test_flags_override_the_configuration(project: Path) -> None:
    assert main(["generate", "--out", "elsewhere", "--package", "renamed"]) == 0
    assert (project / "elsewhere" / "renamed" / "user" / "soap.py").is_file()
    assert not (project / "client").exists()


# --- The project ---------------------------------------------------------------------------

PROJECT_FILES = ("README.md", "pyproject.toml")


def test_the_output_is_a_project_unless_told_not_to(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    metadata = tomllib.loads((project / "client" / "pyproject.toml").read_text())["project"]
    assert metadata["name"] == "demo_client"
    assert metadata["version"] == f"86.{codegen.__version__}"
    assert metadata["dependencies"] == ["httpx>=0.27", "lxml>=5.0"]
    assert (project / "client" / "demo_client" / "py.typed").is_file()
    assert "pip install" in (project / "client" / "README.md").read_text()

    # The stamp knows the setting: the files go at once, and come back with --project.
    capsys.readouterr()
    assert main(["generate", "--no-project"]) == 0
    assert ", 2 removed in " in capsys.readouterr().err
    assert not any((project / "client" / name).exists() for name in PROJECT_FILES)
    with (project / "pyproject.toml").open("a") as config:
        config.write("project = false\n")
    assert main(["generate"]) == 0
    assert not (project / "client" / "pyproject.toml").exists()
    assert main(["generate", "--project"]) == 0, "a flag given wins over the configuration"
    assert (project / "client" / "pyproject.toml").is_file()


def test_a_project_file_of_the_users_is_never_replaced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--out .`` into the user's own project, whose pyproject.toml and README.md are
    where the generated project's would go: exit 2, nothing written, until --no-project."""
    (project / "README.md").write_text("# demo\n")
    before = tree(project)
    assert main(["generate", "--out", "."]) == 2
    err = capsys.readouterr().err
    for name in PROJECT_FILES:
        assert f"{name}:0: error: not made by superoffice-codegen" in err
    assert "--no-project" in err and "nothing written" in err
    assert tree(project) == before
    assert main(["generate", "--out", ".", "--no-project"]) == 0
    assert (project / "demo_client" / "user" / "soap.py").is_file()
    assert all((project / name).read_bytes() == before[name] for name in PROJECT_FILES)


def test_a_package_name_that_names_no_distribution_needs_no_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--package", "_private"]) == 2
    assert "no distribution name" in capsys.readouterr().err
    assert not (project / "client").exists()
    assert main(["generate", "--package", "_private", "--no-project"]) == 0


# --- --check -------------------------------------------------------------------------------


def test_check_exits_1_with_a_diff_until_generated_then_0(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--check"]) == 1
    assert f"+++ b/client/{SOAP_MODULE}" in capsys.readouterr().out
    assert not (project / "client").exists(), "--check writes nothing"
    assert main(["generate"]) == 0
    capsys.readouterr()
    assert main(["generate", "--check"]) == 0
    assert capsys.readouterr().out == ""


def test_every_run_ends_with_one_line_of_what_it_did(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def last_line(*args: str) -> str:
        main(["generate", *args])
        return capsys.readouterr().err.splitlines()[-1]

    assert re.fullmatch(
        r"\d+ file\(s\) stale \(\d+ to write, 0 to remove\), 0 current in [\d.]+ s",
        last_line("--check"),
    )
    first = last_line()
    assert re.fullmatch(r"\d+ written, 0 unchanged, 0 removed in [\d.]+ s", first)
    _edit(project / "api" / PAGE, "Create UserGroup", "Make UserGroup")
    again = last_line()
    assert re.fullmatch(r"[1-4] written, \d+ unchanged, 0 removed in [\d.]+ s", again), again
    current = last_line()
    assert re.fullmatch(
        r"0 written, \d+ unchanged, 0 removed in [\d.]+ s, the stamp showed it current", current
    )
    main(["generate", "--quiet"])
    assert capsys.readouterr().err == ""


def test_the_check_diff_applies_with_git_apply_from_the_working_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    expected = tree(project / "client")
    _edit(project / "client" / SOAP_MODULE, '"""', '"""Hand-edited. ')
    (project / "client" / "demo_client" / "user" / "README.md").unlink()
    (project / "client" / "demo_client" / "user" / "old.py").write_text("x = 1\n")
    manifest = project / "client" / MANIFEST
    manifest.write_text(
        manifest.read_text().replace('"files": {', '"files": {"demo_client/user/old.py": "0",')
    )
    capsys.readouterr()
    assert main(["generate", "--check"]) == 1
    (project / "fix.diff").write_text(capsys.readouterr().out)
    subprocess.run(["git", "apply", "fix.diff"], cwd=project, check=True)
    assert tree(project / "client") == expected


def test_a_hand_edit_is_reported_by_check_and_undone_by_generate(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    module = project / "client" / SOAP_MODULE
    original = module.read_text(encoding="utf-8")
    module.write_text(original.replace('"""', '"""Hand-edited. ', 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", "--check"]) == 1
    diff = capsys.readouterr().out
    assert f"--- a/client/{SOAP_MODULE}" in diff and "-" + '"""Hand-edited. ' in diff
    assert main(["generate"]) == 0
    assert module.read_text(encoding="utf-8") == original


def test_a_changed_page_makes_the_output_stale(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    _edit(project / "api" / PAGE, "Create UserGroup (Rank", "Make UserGroup (Rank")
    capsys.readouterr()
    assert main(["generate", "--check"]) == 1
    assert "Make UserGroup (Rank" in capsys.readouterr().out
    assert main(["generate"]) == 0
    assert "Make UserGroup (Rank" in (project / "client" / SOAP_MODULE).read_text(encoding="utf-8")


# --- The fast path -------------------------------------------------------------------------

_IMPORTED = (
    "import sys; from codegen.cli import main; code = main(sys.argv[1:]); "
    f"print(code, sorted(m for m in {HEAVY!r} if m in sys.modules))"
)


def _imports_of_a_run(project: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *args],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=CLI_ENV,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_current_output_is_known_without_importing_the_readers_or_templates(
    project: Path,
) -> None:
    # Every run in a fresh process: this one remembers the generator as it first hashed it.
    assert _imports_of_a_run(project, "generate") == f"0 {sorted(HEAVY)}"
    assert _imports_of_a_run(project, "generate") == "0 []"
    assert _imports_of_a_run(project, "generate", "--check") == "0 []"


def test_the_fast_path_gives_way_to_changed_inputs_outputs_and_options(project: Path) -> None:
    assert _imports_of_a_run(project, "generate") == f"0 {sorted(HEAVY)}"
    _edit(project / "api" / PAGE, "Create UserGroup (Rank", "Make UserGroup (Rank")
    assert _imports_of_a_run(project, "generate") == f"0 {sorted(HEAVY)}"
    assert _imports_of_a_run(project, "generate") == "0 []", "the run stamped again"

    (project / "client" / SOAP_MODULE).write_text("# hand edit\n", encoding="utf-8")
    # Rendered again, from pages the cache has read already: no parser is loaded.
    assert _imports_of_a_run(project, "generate") == "0 ['jinja2']"
    assert "Make UserGroup (Rank" in (project / "client" / SOAP_MODULE).read_text(encoding="utf-8")

    assert _imports_of_a_run(project, "generate", "--package", "renamed") != "0 []"

    (project / "api" / PAGE).unlink()
    _age(project / "api")
    assert _imports_of_a_run(project, "generate") != "0 []", "the pages listed are inputs"


def _installed(folder: Path) -> Path:
    """A copy of the generator as an install has it (``codegen/``, the shared templates)."""
    shutil.copytree(ROOT / "codegen", folder / "codegen", ignore=shutil.ignore_patterns("__py*"))
    shutil.copytree(ROOT / "templates", folder / "templates")
    return folder


def _closing_line(project: Path, installed: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "codegen", "generate"],
        check=True,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**CLI_ENV, "PYTHONPATH": str(installed)},
    )
    return done.stderr.splitlines()[-1]


def test_two_installs_taking_turns_keep_the_fast_path(project: Path, tmp_path: Path) -> None:
    """pre-commit's environment and the user's venv on one output: the same generator in
    two places has one stamp; two versions each keep theirs while the output is the same."""
    current = ", the stamp showed it current"
    here, there = _installed(tmp_path / "here"), _installed(tmp_path / "there")
    assert not _closing_line(project, here).endswith(current)
    assert _closing_line(project, there).endswith(current), "the same generator elsewhere"

    other = _installed(tmp_path / "other")
    with (other / "codegen" / "naming.py").open("a", encoding="utf-8") as module:
        module.write("# another version of the generator, with the same output\n")
    assert not _closing_line(project, other).endswith(current)
    assert _closing_line(project, here).endswith(current)
    assert _closing_line(project, other).endswith(current)


def test_inputs_changed_just_before_a_run_leave_no_stamp(project: Path) -> None:
    assert main(["generate"]) == 0
    stamp = stamp_file(project / "client")
    stamp.unlink()
    (project / "api" / PAGE).touch()
    settings = Settings(
        docs=project / "api", agents=("User",), package="demo_client", out=project / "client"
    )
    Stamp(settings).record(Resolved(86, ("User",)), time.time_ns(), ())
    assert not stamp.exists()


def test_the_cache_folder_keeps_itself_out_of_git(project: Path) -> None:
    assert main(["generate"]) == 0
    assert (project / "client" / CACHE / ".gitignore").read_text().splitlines()[-1] == "*"


# --- The cache -----------------------------------------------------------------------------


def test_verify_reads_every_page_through_what_generate_kept(project: Path) -> None:
    """``verify`` loads the docs again: the pages generate read come from its cache, every
    part of it, not from markdown-it and lxml a second time."""
    assert main(["generate"]) == 0
    settings = Settings(docs=project / "api", agents=("User",), out=project / "client")
    cache = Cache.of_every_part(settings.out)
    assert load(settings, cache).ok
    assert cache.values and set(cache.values) <= set(cache.known or {})
    assert main(["verify"]) == 0


def _counting_reader(calls: list[str]) -> Callable[[str, str], tuple[str, list[Diagnostic]]]:
    def read_upper(file: str, text: str) -> tuple[str, list[Diagnostic]]:
        calls.append(file)
        return text.upper(), [Diagnostic(file, 1, Level.WARNING, "seen")]

    return read_upper


def test_the_cache_reads_again_only_pages_whose_text_changed(tmp_path: Path) -> None:
    calls: list[str] = []
    reader = _counting_reader(calls)
    first = Cache(tmp_path)
    assert first(reader, "a.md", "a") == ("A", [Diagnostic("a.md", 1, Level.WARNING, "seen")])
    first(reader, "b.md", "b")
    keep_sealed(tmp_path, *first.contents())
    second = Cache(tmp_path)
    assert second(reader, "a.md", "a")[0] == "A"
    assert second(reader, "b.md", "b changed")[0] == "B CHANGED"
    assert calls == ["a.md", "b.md", "b.md"]
    keep_sealed(tmp_path, *second.contents())
    third = Cache(tmp_path)
    third(reader, "b.md", "b")
    assert len(calls) == 4, "a save keeps only the entries the run used"


def test_a_cache_from_another_generator_or_a_broken_one_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    reader = _counting_reader(calls)
    cache = Cache(tmp_path)
    cache(reader, "a.md", "a")
    keep_sealed(tmp_path, *cache.contents())
    monkeypatch.setattr(codegen.output.cache, "generator_digest", lambda: "another generator")
    Cache(tmp_path)(reader, "a.md", "a")
    assert len(calls) == 2
    cache.file.write_bytes(b"not a pickle")
    Cache(tmp_path)(reader, "a.md", "a")
    assert len(calls) == 3


def test_the_cache_renders_again_only_what_a_new_key_names(tmp_path: Path) -> None:
    calls: list[str] = []

    def render(name: str) -> Callable[[], dict[str, str]]:
        def files() -> dict[str, str]:
            calls.append(name)
            return {name: name.upper()}

        return files

    first = Cache(tmp_path)
    assert first.rendered("k1", render("a")) == {"a": "A"}
    first.rendered("k2", render("b"))
    keep_sealed(tmp_path, *first.contents())
    second = Cache(tmp_path)
    assert second.rendered("k1", render("a")) == {"a": "A"}
    assert second.rendered("k3", render("c")) == {"c": "C"}
    assert calls == ["a", "b", "c"]


def _rendering_spy(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """What the next runs render (rather than take from the cache), in order."""
    rendered: list[dict[str, str]] = []
    original = Cache.rendered

    def spy(self: Cache, key: str, render: Callable[[], dict[str, str]]) -> dict[str, str]:
        def counted() -> dict[str, str]:
            rendered.append(render())
            return rendered[-1]

        return original(self, key, counted)

    monkeypatch.setattr(Cache, "rendered", spy)
    return rendered


def test_after_one_page_changed_only_what_it_feeds_is_rendered_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["generate"]) == 0
    _edit(project / "api" / PAGE, "Create UserGroup (Rank", "Make UserGroup (Rank")
    rendered = _rendering_spy(monkeypatch)

    assert main(["generate"]) == 0

    # The method's code in soap.py: nothing of the other methods, nor its samples, which
    # its doc is not in.
    (code,) = rendered
    assert "def create_user_group(" in code["method"]
    assert "Make UserGroup" in code["method"]
    assert main(["generate", "--out", "afresh"]) == 0
    assert tree(project / "client") == tree(project / "afresh")


def test_a_method_s_samples_of_one_side_are_not_rendered_again_for_the_other_side(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A method's JSON samples are keyed on its REST side, its envelopes on its SOAP side:
    a new value in the SOAP page's sample makes the envelopes again, not the JSON."""
    assert main(["generate"]) == 0
    page = project / "api" / "soap/Services86/User/CreateExternalUser.md"
    _edit(page, '<User:PersonId xsi:type="xsd:int">0<', '<User:PersonId xsi:type="xsd:int">7<')
    rendered = _rendering_spy(monkeypatch)

    assert main(["generate"]) == 0

    made = {name for files in rendered for name in files}
    assert "samples/soap/CreateExternalUser.request.xml" in made
    assert not [name for name in made if name.startswith("samples/rest/")]
    assert main(["generate", "--out", "afresh"]) == 0
    assert tree(project / "client") == tree(project / "afresh")


def test_the_cache_keys_are_the_same_in_every_process(project: Path) -> None:
    """Keys digest the ``repr`` of views and IR: nothing in them may vary with the hash
    seed or with addresses, or every run would render everything again."""

    def render_keys(seed: str) -> set[tuple[str, ...]]:
        stamp_file(project / "client").unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "codegen", "generate"],
            check=True,
            cwd=project,
            env={**CLI_ENV, "PYTHONHASHSEED": seed},
            timeout=300,
        )
        assert done.returncode == 0
        return {key for key in Cache(project / "client")._known() if key[0] == "render"}

    first = render_keys("1")
    assert len(first) > 5
    assert render_keys("2") == first


# --- Atomic writes and exit codes ----------------------------------------------------------


def test_an_error_while_rendering_leaves_the_previous_output(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["generate"]) == 0
    before = tree(project / "client")
    _edit(project / "api" / PAGE, "Create UserGroup (Rank", "Make UserGroup (Rank")

    def broken(*args: object) -> dict[PurePosixPath, str]:
        raise RuntimeError("a bug in a template")

    monkeypatch.setattr(codegen.emit.render, "render_agent", broken)
    with pytest.raises(RuntimeError):
        main(["generate"])
    assert tree(project / "client") == before


def test_a_folder_in_the_way_exits_4_and_leaves_the_previous_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    _edit(project / "api" / PAGE, "Create UserGroup (Rank", "Make UserGroup (Rank")
    readme = project / "client" / "demo_client" / "user" / "README.md"
    readme.unlink()
    readme.mkdir()
    before = tree(project / "client")
    capsys.readouterr()
    assert main(["generate"]) == 4
    assert "cannot write" in capsys.readouterr().err
    assert tree(project / "client") == before
    assert not list((project / "client").rglob(f"*{SUFFIX}"))


def test_an_output_that_is_a_file_exits_4(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "client").write_text("not a folder")
    assert main(["generate"]) == 4
    assert "cannot write" in capsys.readouterr().err
    assert (project / "client").read_text() == "not a folder"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["generate", "--docs", "missing"], 2, "missing:0: error: no such folder\n1 error"),
        (["generate", "--docs", "pyproject.toml"], 2, "pyproject.toml:0: error: not a folder"),
        (["generate", "--docs", "client"], 2, "not a docs root (expected soap/"),
        (["generate", "--agent", "Nope"], 2, "no agent 'Nope'"),
        (["generate", "--check", "--agent", "Nope"], 2, "no agent 'Nope'"),
        (["generate", "--agent", "Usr"], 2, "no agent 'Usr' (did you mean User? 1 agent(s)"),
        (["generate", "--api-version", "99"], 2, "no API version 99 (present: 86)\n1 error"),
        (["generate", "--version", "87"], 2, "no API version 87 (present: 86)"),
        (["diff", "--docs", "api", "--from", "86", "--to", "99"], 2, "no API version 99"),
        (["ir", "--docs", "api", "--api-version", "85"], 2, "no API version 85"),
        (["generate", "--package", "class"], 2, "not a Python package name"),
        (["generate", "--package", "a-b"], 2, "not a Python package name"),
        (["verify", "--out", "/nonexistent"], 2, "/nonexistent: no such folder (generate it first"),
        (["verify", "--out", "client"], 2, "client: no package 'demo_client' in it (generate"),
    ],
)
def test_bad_input_is_an_exit_code_and_a_message(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    (project / "client").mkdir()
    assert main(args) == code
    assert message in capsys.readouterr().err
    assert list((project / "client").iterdir()) == []


def test_version_is_the_generator_s_and_api_version_the_docs_(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for flag in ("-V", "--version"):
        with pytest.raises(SystemExit) as exited:
            main([flag])
        assert exited.value.code == 0
        assert capsys.readouterr().out == f"superoffice-codegen {codegen.__version__}\n"
    assert main(["generate", "--api-version", "86"]) == 0
    assert "deprecated" not in capsys.readouterr().err
    assert main(["generate", "--version", "86"]) == 0
    assert "warning: --version 86 is deprecated: write --api-version 86" in capsys.readouterr().err


def test_a_bad_configuration_exits_2_naming_the_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + 'colour = "blue"\n')
    assert main(["generate"]) == 2
    assert f"{project / 'pyproject.toml'}" in capsys.readouterr().err


def test_a_whole_process_prints_no_traceback_for_bad_input(project: Path) -> None:
    done = run_cli("generate", "--docs", "missing", cwd=project)
    assert done.returncode == 2
    assert "missing:0: error: no such folder" in done.stderr
    assert "Traceback" not in done.stderr
    unknown = run_cli("generate", "--frobnicate", cwd=project)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


# --- This repository -----------------------------------------------------------------------


def test_the_repository_s_generated_code_is_current() -> None:
    """What CI runs: ``python -m codegen generate --check`` in this checkout."""
    done = run_cli("generate", "--check", cwd=ROOT)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert done.stdout == ""


# --- The output's lock ---------------------------------------------------------------------


def _lock_is_held(out: Path) -> bool:
    """Whether some run holds ``out``'s lock (a second descriptor cannot take it)."""
    descriptor = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def test_the_stamp_and_the_cache_are_written_under_the_output_s_lock(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: list[tuple[str, bool]] = []
    keep = codegen.generate.keep_sealed
    record = Stamp.record

    def kept(out: Path, name: str, data: bytes) -> None:
        held.append((name, _lock_is_held(out)))
        keep(out, name, data)

    def recorded(self: Stamp, *args: Any) -> None:
        held.append(("stamp", _lock_is_held(self.out)))
        record(self, *args)

    monkeypatch.setattr(codegen.generate, "keep_sealed", kept)
    monkeypatch.setattr(Stamp, "record", recorded)
    assert main(["generate"]) == 0
    assert held == [("cache.pickle", True), ("stamp", True)]


@contextmanager
def _held(out: Path) -> Iterator[int]:
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def test_a_held_lock_is_reported_at_once_and_waited_for_up_to_the_timeout(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "client"
    with _held(out):
        started = time.monotonic()
        assert main(["generate", "--lock-timeout", "0.3"]) == 4
        assert 0.3 <= time.monotonic() - started < 5
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{out}: another run holds the output's lock: waiting up to 0.3 s",
        f"{out}: cannot write: another run held the output's lock for 0.3 s (--lock-timeout)",
    ]
    assert list(out.iterdir()) == []
    with _held(out) as descriptor:

        def released_while_waiting(seconds: float) -> None:
            # The holder lets go once the run waits: however long the run took to get there.
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            time.sleep(seconds)

        waiting = SimpleNamespace(monotonic=time.monotonic, sleep=released_while_waiting)
        monkeypatch.setattr(output_write, "time", waiting)
        assert main(["generate", "--lock-timeout", "10"]) == 0
    assert "waiting up to 10 s" in capsys.readouterr().err


# --- The generator's own files, and inputs read once ---------------------------------------


def test_own_files_linked_to_dev_zero_are_not_read(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    out = project / "client"
    for own in (out / MANIFEST, stamp_file(out), out / CACHE / "cache.pickle"):
        own.unlink()
        own.symlink_to("/dev/zero")
    assert main(["generate", "--check"]) == 1
    assert main(["generate"]) == 4, "a manifest linked out is not written through"
    assert "json: cannot write: outside the output folder" in capsys.readouterr().err
    (out / MANIFEST).unlink()
    assert main(["generate"]) == 0
    assert not stamp_file(out).is_symlink()
    capsys.readouterr()
    assert main(["generate", "--check"]) == 0
    (project / "elsewhere.toml").write_text(PYPROJECT)
    (project / "pyproject.toml").unlink()
    (project / "pyproject.toml").symlink_to(project / "elsewhere.toml")
    assert main(["generate"]) == 2
    assert "pyproject.toml: [Errno 40] Too many levels of symbolic links" in capsys.readouterr().err


def test_a_fifo_wsdl_is_read_once(project: Path) -> None:
    """``--wsdl <(curl ...)``: the stamp must not open it again, which would wait forever."""
    wsdl = (GOLDEN / "bad_inputs" / "wsdl-latin1-declared" / "user.wsdl").read_bytes()
    fifo = project / "user.fifo"
    os.mkfifo(fifo)
    done: list[int] = []
    args = ["generate", "--wsdl", str(fifo), "--agent", "all"]
    for _ in range(2):
        writer = threading.Thread(target=fifo.write_bytes, args=(wsdl,), daemon=True)
        writer.start()
        run = threading.Thread(target=lambda: done.append(main(args)), daemon=True)
        run.start()
        run.join(60)
        if writer.is_alive():  # nothing read it: let it go
            fifo.read_bytes()
    assert done == [0, 0], "a run on a FIFO --wsdl did not finish"


def test_a_recursion_error_that_gets_past_the_readers_is_a_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The readers drop samples nested too deeply (the cases ``envelope-deep-200`` and
    ``rest-sample-deep-json``); should a walk still recurse too deep, the command says so."""

    def too_deep(*_: object) -> int:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(codegen.cli._COMMANDS, "ir", too_deep)

    assert main(["ir", "--docs", str(ROOT / "specs")]) == 3
    assert capsys.readouterr().err == (
        "superoffice-codegen: error: the input nests too deeply to process"
        " (a bug: please report it with the input)\n"
    )


@pytest.mark.parametrize("inside", [".", "generated", "soap/out"])
def test_an_output_inside_the_docs_root_is_a_usage_error(tmp_path: Path, inside: str) -> None:
    """It generated once, then read its own output as docs the second time."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "specs", docs)
    out = docs / inside

    result = run_cli("generate", "--docs", str(docs), "--out", str(out), cwd=tmp_path)

    assert result.returncode == 2
    assert f"--out {out} is inside the docs root {docs}" in result.stderr
    assert tree(docs) == tree(ROOT / "specs")
