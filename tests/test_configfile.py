"""Configuration files read by the library as by the command line (issue 23): a Spark or
library user gets the project's [tool.normalise] too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from normalise import SettingsError, load_config


def _repo(tmp_path: Path, section: str) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    (repo / "pyproject.toml").write_text(f"[tool.normalise]\n{section}")
    (repo / "t.toml").write_text('[[entity]]\ncanonical = "Kuaishou"\naliases = ["Kwaishou"]\n')
    return repo


def test_the_nearest_pyproject_gives_settings_and_tables(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'phonetic = false\ntables = ["t.toml"]\n')
    config = load_config(start=repo / "sub")
    assert config.path == str(repo / "pyproject.toml")
    assert config.settings.phonetic is False
    assert config.tables == (str(repo / "t.toml"),)
    n = config.normaliser()
    assert n.clean("Kwaishou met Bytedanse.") == "Kuaishou met Bytedanse."


def test_a_file_named_is_read_at_its_top_level(tmp_path: Path) -> None:
    path = tmp_path / "normalise.toml"
    path.write_text("no-builtin = true\ntables = []\nedit-cutoff = 0.7\n")
    config = load_config(path)
    assert (config.builtin, config.settings.edit_cutoff) == (False, 0.7)


def test_no_file_is_the_defaults_and_a_bad_one_names_itself(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert load_config(start=tmp_path).path is None
    repo = _repo(tmp_path / "x", "phonetic = 3\n")
    with pytest.raises(SettingsError, match=r"pyproject\.toml"):
        load_config(start=repo)


def test_a_file_others_may_write_is_passed_over_with_a_warning(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "phonetic = false\n")
    os.chmod(repo / "pyproject.toml", 0o666)
    config = load_config(start=repo)
    assert config.path is None
    assert config.warnings and "others may write it" in config.warnings[0]
