"""``[tool.superoffice-codegen]``: found at or above the working folder, paths taken from the
file's own folder, and every mistake reported with the file's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.config import Config, ConfigError, load_config


def _pyproject(folder: Path, section: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "demo"\n\n{section}', encoding="utf-8")
    return path


def test_every_key_is_read_and_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    pyproject = _pyproject(
        tmp_path,
        "[tool.superoffice-codegen]\n"
        'docs = "api"\nwsdl = ["raw/User.xml", "raw/Contact.xml"]\napi-version = 86\n'
        'agents = ["User", "Contact"]\nout = "client"\npackage = "crm"\nproject = false\n',
    )
    (tmp_path / "src" / "deep").mkdir(parents=True)
    config = load_config(tmp_path / "src" / "deep")
    assert config == Config(
        docs=tmp_path / "api",
        wsdl=(tmp_path / "raw/User.xml", tmp_path / "raw/Contact.xml"),
        version=86,
        agents=("User", "Contact"),
        out=tmp_path / "client",
        package="crm",
        project=False,
    )
    assert config.source == pyproject


def test_the_old_version_key_still_works_with_a_deprecation(tmp_path: Path) -> None:
    _pyproject(tmp_path, "[tool.superoffice-codegen]\nversion = 86\n")
    config = load_config(tmp_path)
    assert config.version == 86
    assert [m.rsplit(": ", 2)[-2:] for m in config.deprecations] == [
        ["version is deprecated", "write api-version"]
    ]
    _pyproject(tmp_path, "[tool.superoffice-codegen]\nversion = 86\napi-version = 87\n")
    with pytest.raises(ConfigError, match="keep api-version only"):
        load_config(tmp_path)


def test_a_single_string_counts_as_a_list(tmp_path: Path) -> None:
    _pyproject(tmp_path, '[tool.superoffice-codegen]\nagents = "all"\nwsdl = "User.xml"\n')
    config = load_config(tmp_path)
    assert config.agents == ("all",) and config.wsdl == (tmp_path / "User.xml",)


def test_the_nearest_pyproject_wins_even_without_the_section(tmp_path: Path) -> None:
    _pyproject(tmp_path, '[tool.superoffice-codegen]\nout = "outer"\n')
    (tmp_path / "inner").mkdir()
    _pyproject(tmp_path / "inner", "")
    assert load_config(tmp_path / "inner") == Config()


def test_no_pyproject_means_no_configuration(tmp_path: Path) -> None:
    if any((folder / "pyproject.toml").exists() for folder in tmp_path.parents):
        pytest.skip("a pyproject.toml above the temporary folder")
    assert load_config(tmp_path) == Config()


@pytest.mark.parametrize(
    ("section", "complaint"),
    [
        ('[tool.superoffice-codegen]\ncolour = "blue"\n', "unknown key(s) colour"),
        ("[tool.superoffice-codegen]\nversion = true\n", "version must be a number"),
        ('[tool.superoffice-codegen]\nversion = "86"\n', "version must be a number"),
        ("[tool.superoffice-codegen]\ndocs = 1\n", "docs must be a string"),
        ("[tool.superoffice-codegen]\nagents = [1]\n", "agents must be a list of strings"),
        ("[tool.superoffice-codegen]\npackage = []\n", "package must be a string"),
        ('[tool.superoffice-codegen]\nproject = "no"\n', "project must be true or false"),
        ('[tool]\nsuperoffice-codegen = "x"\n', "is not a table"),
        ("[tool.superoffice-codegen\n", "pyproject.toml"),
    ],
)
def test_mistakes_name_the_file(tmp_path: Path, section: str, complaint: str) -> None:
    pyproject = _pyproject(tmp_path, section)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert str(pyproject) in str(raised.value)
    assert complaint in str(raised.value)


def test_an_unreadable_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "\xff"\n')
    with pytest.raises(ConfigError):
        load_config(tmp_path)
