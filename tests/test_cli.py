"""The command line, in-process through main(argv) and with a few real subprocesses."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from normalise.cli import main

from .conftest import SEEDS


def run(
    argv: list[str],
    stdin: bytes = b"",
    monkeypatch: pytest.MonkeyPatch | None = None,
    capsys: pytest.CaptureFixture[bytes] | None = None,
) -> tuple[int, bytes, bytes]:
    assert monkeypatch is not None and capsys is not None
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]):  # type: ignore[no-untyped-def]
    return lambda argv, stdin=b"": run(argv, stdin, monkeypatch, capsysbinary)


def test_clean_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(["clean", "-q"], "Bytdance and Tickcock’s app\r\nno newline".encode())
    assert (code, err) == (0, b"")
    assert out == "ByteDance and TikTok’s app\r\nno newline".encode()


def test_clean_files_and_dash(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = tmp_path / "a.txt"
    a.write_bytes(b"Wallmart\n")
    code, out, _ = cli(["clean", str(a), "-"], b"Kovid-19\n")
    assert code == 0 and out == b"Walmart\nCOVID-19\n"


def test_clean_seed_file_matches_library(cli, normaliser) -> None:  # type: ignore[no-untyped-def]
    path = sorted(SEEDS.glob("*.txt"))[2]
    code, out, _ = cli(["clean", str(path)])
    assert code == 0
    assert out.decode() == normaliser.clean(path.read_text(encoding="utf-8"))


def test_explain_jsonl(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(["explain", "--format", "jsonl"], "Ünï Bytdance".encode())
    assert code == 0
    (record,) = [json.loads(line) for line in out.decode().splitlines()]
    assert record == {
        "file": "<stdin>",
        "start": 4,
        "end": 12,
        "original": "Bytdance",
        "replacement": "ByteDance",
        "canonical": "ByteDance",
        "method": "alias",
        "score": 1.0,
        "evidence": [],
    }


def test_explain_table(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(["explain"], b"ok\nthe Kovid-19 wave\n")
    assert code == 0
    assert out.decode() == "<stdin>:2:5  Kovid-19 → COVID-19  alias  1.000\n"


def test_match(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(["match", "Wallmart", "Hawaii", "TikTok"])
    assert code == 0
    assert out.decode().splitlines() == [
        "Wallmart\tWalmart\talias\t1",
        "Hawaii\t\tnone\t0",
        "TikTok\tTikTok\texact\t1",
    ]


def test_user_table_and_no_builtin(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "mine.toml"
    table.write_text('[[entity]]\ncanonical = "Zorblax"\naliases = ["Zorblox"]\n')
    _, out, _ = cli(["clean", "--aliases", str(table)], b"Zorblox Bytdance")
    assert out == b"Zorblax ByteDance"
    _, out, _ = cli(["clean", "--aliases", str(table), "--no-builtin"], b"Zorblox Bytdance")
    assert out == b"Zorblax Bytdance"


@pytest.mark.parametrize(
    ("argv", "stdin", "needle"),
    [
        (["clean", "/nonexistent/file.txt"], b"", "/nonexistent/file.txt: no such file"),
        (["clean"], b"ok \xff\xfe", "<stdin>: not valid utf-8 at byte 3"),
        (["clean", "--aliases", "/nonexistent.toml"], b"", "/nonexistent.toml: no such file"),
        (["clean", "--no-builtin"], b"", "--no-builtin needs at least one table"),
        (["clean", "--workers", "0"], b"x y", "workers must be"),
        (["frobnicate"], b"", "invalid choice"),
        ([], b"", "required"),
    ],
)
def test_errors_are_one_line_exit_2(cli, argv, stdin, needle) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(argv, stdin)
    assert code == 2
    assert out == b""
    text = err.decode()
    assert needle in text
    assert "Traceback" not in text
    assert len(text.strip().splitlines()) <= 2  # argparse prints usage on a line of its own


def test_directory_is_an_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(["clean", str(tmp_path)])
    assert code == 2 and b"is a directory" in err


def test_bad_table_message_names_file_entity_value(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "bad.toml"
    table.write_text('[[entity]]\ncanonical = "Zorblax"\naliases = [""]\n')
    code, _, err = cli(["clean", "--aliases", str(table)], b"x")
    assert code == 2
    assert err.decode() == (
        f"normalise: error: {table}: entity 'Zorblax': aliases entry must not be empty: ''\n"
    )


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    from normalise import __version__
    from normalise.backend import name

    code, out, _ = cli(["--version"])
    assert code == 0 and out.decode().strip() == f"normalise {__version__} ({name()} backend)"


def test_python_dash_m_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "normalise", "clean"],
        input=b"Tik Tok and Bitdance",
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"TikTok and ByteDance"


def test_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "normalise", "clean", "missing.txt"],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == b"normalise: error: missing.txt: no such file\n"


# -- command-line polish (issue 22) ------------------------------------------------------


def test_a_misspelt_command_or_option_gets_a_suggestion(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(["clena"])
    assert code == 2 and err.decode().rstrip().endswith("did you mean clean?")
    code, _, err = cli(["clean", "--chek"], b"x")
    assert code == 2 and err.decode().rstrip().endswith("did you mean --check?")


def test_a_bare_normalise_shows_its_usage(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli([])
    lines = err.decode().splitlines()
    assert code == 2 and lines[0].startswith("usage: normalise")
    assert "normalise --help" in lines[1]


def test_in_place_names_the_files_it_rewrote(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("Bytdance said.\n")
    (tmp_path / "b.txt").write_text("Nothing here.\n")
    code, _, err = cli(["clean", "--in-place", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert code == 0 and f"rewrote: {tmp_path / 'a.txt'}" in err.decode()
    assert "b.txt" not in err.decode().split("normalise:")[0]


def test_glob_is_repeatable(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("Bytdance said.\n")
    (tmp_path / "b.md").write_text("Wallmart said.\n")
    (tmp_path / "c.rst").write_text("Tickcock said.\n")
    argv = ["clean", "-q", "-r", str(tmp_path), "--glob", "*.txt", "--glob", "*.md"]
    code, out, _ = cli(argv)
    assert code == 0 and out == b"ByteDance said.\nWalmart said.\n"


def test_a_utf16_file_gets_the_encoding_advice(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "u.txt"
    path.write_bytes("Bytdance said.\n".encode("utf-16"))
    code, _, err = cli(["clean", str(path)])
    assert code == 2 and "use --encoding utf-16" in err.decode()
    code, out, _ = cli(["clean", "-q", "--encoding", "utf-16", str(path)])
    assert code == 0 and out.decode("utf-16") == "ByteDance said.\n"


def test_progress_is_shown_when_asked_and_wiped(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """--progress draws a line on stderr (for many files: count, share, rate, time
    left) and wipes it before the summary; without a terminal it is off by default."""
    names = []
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text("Bytdance said.\n")
        names.append(str(tmp_path / f"{i}.txt"))
    code, _, err = cli(["clean", "--progress", *names])
    text = err.decode()
    assert code == 0 and "normalise: 3/3 inputs (100%)" in text and "s left" in text
    assert "\r\x1b[K" in text
    code, _, err = cli(["clean", *names])
    assert "/3 inputs" not in err.decode()
    code, _, err = cli(["clean", "--progress"], b"Bytdance said.\n" * 1000)
    assert code == 0 and " MB/s" in err.decode()  # standard input: by the megabyte


def test_match_names_a_context_gated_variant_so(cli) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: `match` reported a context alias as `keep`."""
    code, out, _ = cli(["match", "Tick Tock", "Douyin", "--why"])
    lines = out.decode().splitlines()
    assert code == 0 and lines[0] == "Tick Tock\tTikTok\tcontext\t1"
    assert "only where the document supports it" in lines[1]
    assert lines[2] == "Douyin\tTikTok\tkeep\t1"


def test_statistics_count_each_kind_of_change(cli) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: a per-name summary, as `ruff --statistics`."""
    code, _, err = cli(["clean", "--statistics"], b"Bytdance and Bytdance. Wallmart.\n")
    lines = err.decode().splitlines()
    assert code == 0 and lines[1:] == [
        "2  Bytdance → ByteDance  (alias)",
        "1  Wallmart → Walmart  (alias)",
    ]


def test_a_short_min_fuzzy_length_works(cli) -> None:  # type: ignore[no-untyped-def]
    """`--min-fuzzy-length 3` failed with "max() arg is an empty sequence": the
    hopeless bound had no length level below four letters."""
    code, out, _ = cli(["clean", "-q", "--min-fuzzy-length", "3"], b"Bytdance and Kovid said.")
    assert code == 0 and out.startswith(b"ByteDance")


def test_bash_completion_completes_commands_and_options(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: shell completion, generated from the parser, run in a real bash."""
    import shutil
    import subprocess

    code, script, _ = cli(["completion", "bash"])
    assert code == 0
    path = tmp_path / "completion.sh"
    path.write_bytes(script)
    bash = shutil.which("bash")
    assert bash is not None
    probe = (
        f"source {path}; COMP_WORDS=(normalise ex); COMP_CWORD=1; _normalise; "
        'echo "${COMPREPLY[@]}"; COMP_WORDS=(normalise apply --rejec); COMP_CWORD=2; '
        '_normalise; echo "${COMPREPLY[@]}"'
    )
    out = subprocess.run([bash, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["explain", "--rejected-to"]


def test_explain_table_places_a_jsonl_change_by_record_id_field_and_field_line(
    cli, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A change in a multi-line JSONL field is placed by the record's line, its id and
    the line and column inside the field, not by a column of an unstated line."""
    monkeypatch.chdir(tmp_path)
    records = [
        {"id": "a1", "body": {"text": "First line.\nThen Bytdance said so."}},
        {"id": "b2", "body": {"text": "Tickcock too."}},
    ]
    (tmp_path / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    argv = ["explain", "--jsonl", "--field", "body.text", "t.jsonl"]
    code, out, _ = cli([*argv, "--id-field", "id"])
    assert code == 0
    places = [line.split()[:3] for line in out.decode().splitlines()]
    assert places == [
        ["t.jsonl:1", "[a1]", "body.text:2:6"],
        ["t.jsonl:2", "[b2]", "body.text:1:1"],
    ]
    _, out, _ = cli(argv)
    assert out.decode().splitlines()[0].split()[:2] == ["t.jsonl:1", "body.text:2:6"]


def test_explain_table_places_many_changes_in_one_pass() -> None:
    from normalise.cli.render import positions

    text = "ab\ncd\n\nef"
    offsets = [0, 1, 3, 5, 6, 7, 8, 2]  # the last is not ascending: counted again
    expected = []
    for o in offsets:
        expected.append((text.count("\n", 0, o) + 1, o - (text.rfind("\n", 0, o) + 1) + 1))
    assert list(positions(text, offsets)) == expected
