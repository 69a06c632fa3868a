"""Outputs never replace what they were not asked to: a path that names a standard
stream is written through it, an input that is also the output is refused, a file
given twice is one file, an empty path is an error.

Each test replays an attack of issue 25 (its defect id is in the docstring)."""

from __future__ import annotations

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
NORMALISE = shlex.quote(str(Path(sys.executable).parent / "normalise"))


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
