"""A user's own templates (``--templates DIR``, config key ``templates``): a file there
replaces the shipped template of its name, the output shows it, and the stamp and the
cache know it, so that ``--check`` notices an edited override and no run serves output of
the templates it had before. A folder that cannot be used is refused, naming the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from emit_support import format_python

from codegen.cli import main
from codegen.templates import shipped_templates

PYPROJECT = """\
[tool.superoffice-codegen]
docs = "api"
out = "client"
package = "house"
agents = ["User"]
templates = "ours"
"""
MODELS = "client/house/user/models.py"
MARK = 'HOUSE_STYLE = "ours"\n"""Added by the project\'s own models template."""\n'


@pytest.fixture
def project(tmp_path: Path, specs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose ``ours/`` holds a copy of the shipped models template."""
    shutil.copytree(specs, tmp_path / "api")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "ours").mkdir()
    shutil.copy(shipped_templates()["models.py.jinja"], tmp_path / "ours")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _add_to_models_template(project: Path, text: str) -> None:
    template = project / "ours" / "models.py.jinja"
    source = template.read_text(encoding="utf-8")
    anchor = '"""The prefixes the writers use, by prefix."""\n'
    template.write_text(source.replace(anchor, anchor + text, 1), encoding="utf-8")


def test_an_override_replaces_the_shipped_template_and_its_output_stays_black_stable(
    project: Path,
) -> None:
    assert main(["generate"]) == 0
    shipped = (project / MODELS).read_text(encoding="utf-8")
    _add_to_models_template(project, MARK)
    assert main(["generate"]) == 0
    models = (project / MODELS).read_text(encoding="utf-8")
    assert MARK in models and MARK not in shipped
    assert models.replace(MARK, "") == shipped
    assert format_python(models) == models


def test_check_notices_an_edited_override(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    assert main(["generate", "--check"]) == 0
    _add_to_models_template(project, MARK)
    capsys.readouterr()
    assert main(["generate", "--check"]) == 1
    assert "+HOUSE_STYLE" in capsys.readouterr().out
    assert main(["generate"]) == 0
    assert main(["generate", "--check"]) == 0


def test_the_flag_wins_over_the_configuration(project: Path) -> None:
    (project / "theirs").mkdir()
    assert main(["generate", "--templates", "theirs"]) == 0
    assert MARK not in (project / MODELS).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("modles.py.jinja", "", "modles.py.jinja: replaces no shipped template"),
        ("models.py.jinja", "{% for %}", "models.py.jinja:1: "),
        ("models.py.jinja", "{{ agent.no_such_field }}", "a template fails to render"),
        ("models.py.jinja", "\udcff", "not UTF-8"),
    ],
)
def test_an_unusable_override_exits_2_naming_it_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    (project / "ours" / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    assert main(["generate"]) == 2
    assert message in capsys.readouterr().err
    assert not (project / "client").exists()


def test_a_missing_templates_folder_exits_2_saying_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--templates", "nowhere"]) == 2
    assert "nowhere: templates folder does not exist" in capsys.readouterr().err


def test_a_link_in_the_templates_folder_is_not_followed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "ours" / "models.py.jinja").unlink()
    (project / "ours" / "models.py.jinja").symlink_to(shipped_templates()["models.py.jinja"])
    assert main(["generate"]) == 2
    assert "links are not followed" in capsys.readouterr().err
