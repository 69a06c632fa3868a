"""Outputs never replace what they were not asked to: a path that names a standard
stream is written through it, an input that is also the output is refused, a file
given twice is one file, an empty path is an error.

Each test replays an attack of issue 25 (its defect id is in the docstring)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalise.cli.render import _word_ops

Cli = Callable[..., tuple[int, bytes, str]]
EXE = str(Path(sys.executable).parent / "normalise")
NORMALISE = shlex.quote(EXE)


def _sh(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("option", "stream"), [("-o /dev/stdout", ">>"), ("--explain-file /dev/stderr", "2>>")]
)
def test_a_path_naming_a_redirected_stream_is_written_through_it(
    tmp_path: Path, option: str, stream: str
) -> None:
    """D1: `-o /dev/stdout >> log` replaced log with the output instead of appending."""
    (tmp_path / "log").write_text("old\n")
    run = _sh(f"echo Bytdance | {NORMALISE} clean -q {option} {stream} log", tmp_path)
    assert run.returncode == 0, run.stderr
    log = (tmp_path / "log").read_text()
    assert log.startswith("old\n")
    assert "ByteDance" in log


def test_standard_input_from_the_file_standard_output_appends_to_is_refused(
    tmp_path: Path,
) -> None:
    """D2: `normalise clean < s.txt >> s.txt` read what it wrote, without end."""
    (tmp_path / "s.txt").write_text("Bytdance said.\n")
    run = _sh(f"timeout 20 {NORMALISE} clean < s.txt >> s.txt", tmp_path)
    assert run.returncode == 2
    assert "standard input: is also standard output" in run.stderr
    assert (tmp_path / "s.txt").read_text() == "Bytdance said.\n"


def test_a_file_given_twice_in_place_is_rewritten_once(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """W7: `normalise clean --in-place t.txt t.txt` failed with "changed by another
    program"."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.txt").write_text("Bytdance said.\n")
    code, _, err = cli(["clean", "--in-place", "t.txt", "t.txt", "./t.txt"])
    assert code == 0, err
    assert (tmp_path / "t.txt").read_text() == "ByteDance said.\n"
    assert "1 input," in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["clean", "-o", ""], "-o needs a path, not an empty string"),
        (["clean", "--explain-file", ""], "--explain-file needs a path"),
        (["clean", ""], "an input is an empty string"),
    ],
)
def test_an_empty_path_is_an_error(cli: Cli, argv: list[str], message: str) -> None:
    """`-o ''` wrote to standard output as if no -o were given."""
    code, out, err = cli(argv, b"Bytdance")
    assert (code, out) == (2, b"")
    assert message in err


def test_a_review_page_holds_a_bounded_number_of_changes_and_says_so(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """P3: the page needed ~320x its input in memory; it now holds at most
    MAX_CHANGES changes and says how many it left off, on the page and on stderr."""
    from normalise.cli import commands

    monkeypatch.setattr(commands, "MAX_CHANGES", 3)
    code, out, err = cli(["explain", "--format", "html"], b"Bytdance and Tickcock. " * 5)
    assert code == 0
    page = out.decode()
    assert page.count('<li class="change"') == 3
    assert "This page holds the first 3 of 10 changes" in page
    assert "the page holds the first 3 of 10 changes" in err


_TOKENS = st.lists(st.sampled_from(["Bytdance", "ByteDance", " ", "said", ".", "x", "Tik", "Tok"]))


@given(a=_TOKENS, b=_TOKENS)
def test_the_word_diff_opcodes_rebuild_both_lines(a: list[str], b: list[str]) -> None:
    """P1: --diff=word walks a line in linear time instead of difflib's quadratic
    matcher; whatever it finds, its opcodes cover both lines in order and its equal runs
    are equal, so the marked line always reads back as the old and the new line."""
    ops = _word_ops(a, b)
    i = j = 0
    for op, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j)
        if op == "equal":
            assert a[i1:i2] == b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))


def test_a_word_diff_of_a_long_line_marks_each_change(cli: Cli) -> None:
    """P1: a 7 KB line took a minute; the changes of a 300 KB line are each marked."""
    line = "Bytdance said so, and the board agreed. " * 7_500
    code, out, _ = cli(["clean", "-q", "--diff=word"], line.encode())
    assert code == 0
    assert out.decode().count("[-Bytdance-]{+ByteDance+}") == 7_500


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another user needs root")
@pytest.mark.parametrize("link", [True, False])
def test_a_settings_file_another_user_owns_or_links_is_ignored(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link: bool
) -> None:
    """S3: another user's pyproject.toml symlink (to /etc/passwd) above the working
    folder made every run below it fail; it is ignored, with a note under --verbose."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub").mkdir()
    path = repo / "pyproject.toml"
    if link:
        path.symlink_to("/etc/passwd")
    else:
        path.write_text("[tool.normalise]\nphonetic = false\n")
    os.lchown(path, 65534, 65534)
    monkeypatch.chdir(repo / "sub")
    code, out, err = cli(["clean", "-q"], b"Bytedanse")
    assert (code, out, err) == (0, b"ByteDance", "")
    code, out, err = cli(["clean", "-q", "--verbose"], b"Bytedanse")
    assert (code, out) == (0, b"ByteDance")
    assert f"{path}: ignored, as " in err and "another user owns" in err


def test_file_names_on_standard_output_cannot_drive_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Escape sequences on stdout (reopened): a file name with an escape sequence went
    raw into the explanation table and the diffs. The table and the word diff escape it
    as messages do; a unified diff quotes it as git does, so that git apply reads it."""
    name = "a\x1b[31mb.txt"
    (tmp_path / name).write_text("Bytdance said.\n")
    monkeypatch.chdir(tmp_path)
    for argv in (["explain"], ["clean", "-q", "--diff=word"], ["clean", "-q", "--diff"]):
        done = subprocess.run([EXE, *argv, name], capture_output=True)
        assert b"\x1b" not in done.stdout, argv
        assert b"\\x1b[31mb.txt" in done.stdout or b'"a/a\\033[31mb.txt"' in done.stdout
    patch = subprocess.run([EXE, "clean", "-q", "--diff", name], capture_output=True).stdout
    subprocess.run(["git", "init", "-q", "."], check=True)
    subprocess.run(["git", "apply"], input=patch, check=True)
    assert (tmp_path / name).read_text() == "ByteDance said.\n"


def test_names_with_control_characters_are_refused() -> None:
    """A table's name could carry an escape sequence to the explanation on stdout; a
    control character is never part of a name, and the validator refuses it."""
    from normalise import AliasTableError, table_from_mapping

    with pytest.raises(AliasTableError, match="control characters"):
        table_from_mapping({"entity": [{"canonical": "ByteDance\x1b[2J"}]})
