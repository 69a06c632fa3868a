"""Every defect of the reliability issue (issue 15), replayed: data loss (D), security
(S), wrong output (W), tracebacks (T), slow paths (P, their functional side: the timings
are in benchmarks/pathological.py) and cosmetics. Each test names its defect."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from normalise import Normaliser, table_from_mapping

Cli = Callable[..., tuple[int, bytes, str]]
BIN = Path(sys.executable).parent


def _sh(
    command: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    if env is None:
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, timeout=120
    )


# -- data loss ------------------------------------------------------------------------------


def test_d1_outputs_to_a_fifo_or_device_are_written_not_replaced(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = cli(["clean", "-q", "-o", str(fifo)], b"Bytdance said.\n")
    reader.join(10)
    assert code == 0 and got == [b"ByteDance said.\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    code, _, _ = cli(["clean", "-q", "-o", os.devnull, "--explain-file", os.devnull], b"Bytdance")
    assert code == 0 and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_d2_an_output_that_is_an_input_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = tmp_path / "ex.txt"
    text.write_text("Bytdance said.\n")
    link = tmp_path / "same.txt"
    os.link(text, link)
    for argv in (
        ["clean", "--in-place", str(text), "--explain-file", str(text)],
        ["clean", str(text), "-o", str(link)],
        ["explain", str(text), "-o", str(text)],
    ):
        code, out, err = cli(argv)
        assert (code, out) == (2, b"") and "is also the input" in err, argv
        assert text.read_text() == "Bytdance said.\n"


def test_d3_symlinks_owner_mode_and_xattrs_survive_in_place(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("Bytdance said.\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    os.setxattr(target, "user.origin", b"wire")
    os.chmod(target, 0o640)
    if os.getuid() == 0:  # as root, the file of another user keeps its owner and setuid bit
        os.chown(target, 1234, 1234)
        os.chmod(target, 0o4750)
    code, _, _ = cli(["clean", "-q", "--in-place", str(link)])
    assert code == 0
    assert link.is_symlink() and target.read_text() == "ByteDance said.\n"
    st = target.stat()
    assert os.getxattr(target, "user.origin") == b"wire"
    if os.getuid() == 0:
        assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 1234, 0o4750)
    else:
        assert stat.S_IMODE(st.st_mode) == 0o640


def test_d3_a_file_with_several_hard_links_is_refused(cli: Cli, tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Bytdance said.\n")
    os.link(text, tmp_path / "b.txt")
    code, _, err = cli(["clean", "--in-place", str(text)])
    assert code == 2 and "has 2 hard links" in err
    assert (tmp_path / "b.txt").read_text() == "Bytdance said.\n"


def test_d4_a_file_changed_during_in_place_is_left_alone(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Bytdance said.\n")
    real = Normaliser.explain_many

    def meanwhile(self: Normaliser, texts: Any, **kwargs: Any) -> Any:
        time.sleep(0.01)
        text.write_text("Another program wrote this, longer.\n")  # while cleaning
        return real(self, texts, **kwargs)

    monkeypatch.setattr(Normaliser, "explain_many", meanwhile)
    code, _, err = cli(["clean", "--in-place", str(text)])
    assert code == 2 and "changed by another program" in err
    assert text.read_text() == "Another program wrote this, longer.\n"


def test_d5_a_streamed_utf16_input_keeps_one_bom(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import normalise.cli.inputs as inputs

    monkeypatch.setattr(inputs, "BLOCK", 4096)
    data = ("Bytdance said.\n" * 120_000).encode("utf-16")  # several 1 MB pieces
    code, out, _ = cli(["clean", "-q", "--encoding", "utf-16"], data)
    assert code == 0 and out.count(b"\xff\xfe") == 1
    assert out.decode("utf-16") == "ByteDance said.\n" * 120_000


def test_d6_standard_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Bytdance said.\n")
    done = _sh("normalise clean big.txt >> big.txt", tmp_path)
    assert done.returncode == 2 and b"is also standard output" in done.stderr
    assert (tmp_path / "big.txt").read_text() == "Bytdance said.\n"


# -- security -------------------------------------------------------------------------------


def test_s1_a_planted_or_broken_word_cache_is_not_trusted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    full_env = {
        **os.environ,
        "NORMALISE_CACHE_DIR": str(cache),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
    }
    first = _sh("echo 'Germaine met Withington' | normalise clean -q", tmp_path, env=full_env)
    assert first.stdout == b"Germaine met Withington\n"
    (path,) = cache.glob("*.tsv")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    for plant in ("empty", "one line", "fifo", "zero"):
        path.unlink()
        if plant == "empty":
            path.write_text("")
        elif plant == "one line":
            path.write_text("germany\t7\nwashington\t7\n")
        elif plant == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")
        done = _sh("echo 'Germaine met Withington' | normalise clean -q", tmp_path, env=full_env)
        assert done.stdout == b"Germaine met Withington\n", plant
        assert path.is_file() and not path.is_symlink()  # rebuilt
    assert not list(cache.glob(".zipf-*"))  # no temp file left
    os.chmod(cache, 0o777)  # a folder others may write: its cache is not read
    path.write_text("germany\t7\n")
    done = _sh("echo 'Germaine met Withington' | normalise clean -q", tmp_path, env=full_env)
    assert done.stdout == b"Germaine met Withington\n"


def test_s3_settings_only_from_this_repository_and_from_trusted_files(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.normalise]\nphonetic = false\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(repo)
    _, out, err = cli(["clean", "-q", "-v"], b"Bytedanse")
    assert out == b"ByteDance"  # the file above the repository is not read
    assert "no configuration file" in err
    (repo / "pyproject.toml").write_text("[tool.normalise]\nphonetic = false\n")
    os.chmod(repo / "pyproject.toml", 0o666)
    _, out, err = cli(["clean", "-q"], b"Bytedanse")
    assert out == b"ByteDance" and "others may write it" in err
    os.chmod(repo / "pyproject.toml", 0o644)
    _, out, err = cli(["clean", "-q", "--verbose"], b"Bytedanse")
    assert out == b"Bytedanse" and f"configuration from {repo / 'pyproject.toml'}" in err


def test_s4_control_characters_in_names_are_escaped(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli(["clean", "\x1b[31mred\x07.txt"])
    assert code == 2 and "\x1b" not in err and "\x07" not in err and "\\x1b[31mred" in err
    table = tmp_path / "t.toml"
    table.write_text('[[entity]]\ncanonical = "A\\u001b[2J"\nkind = 5\n')
    code, _, err = cli(["table", "check", str(table)])
    assert code == 2 and "\x1b" not in err


# -- wrong output -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Grece RECEP TAYYIP ERDOGAN\n",
        "He paused...Bytdance , the company said.\n",
        "Papuanew Guineaa said.\n",
    ],
)
def test_w1_cleaning_twice_changes_nothing_more(text: str) -> None:
    n = Normaliser()
    once = n.clean(text)
    assert n.clean(once) == once


def test_w2_streamed_input_is_the_same_for_any_workers_and_mode(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import normalise.cli.inputs as inputs

    monkeypatch.setattr(inputs, "STREAM_ABOVE", 0)
    data = b"Bytedanse said.\n" + b"Filler line.\n" * 90_000 + b"ByteDance again.\n"
    _, one, _ = cli(["clean", "-q"], data)
    _, two, _ = cli(["clean", "-q", "--workers", "2"], data)
    assert one == two
    _, diff, _ = cli(["clean", "-q", "--diff"], data)
    check, _, _ = cli(["clean", "-q", "--check"], data)
    assert (one != data) == bool(diff) == (check == 1)


def test_w3_a_name_deep_inside_a_url_is_left_alone() -> None:
    url = "https://example.com/" + "a" * 250 + "?q=Bytdance"
    assert Normaliser().clean(url + " and Bytdance.") == url + " and ByteDance."


def test_w4_jsonl_rewrites_only_the_field_token(cli: Cli) -> None:
    line = '{"n": 1e400, "big": 12345678901234567890123, "t": "Bytdance\u2028said", "x": "\\udfff"}'
    data = (line.replace("\\u2028", "\u2028") + "\n").encode()
    data = (
        '{"n": 1e400, "big": 12345678901234567890123, "t": "Bytdance\u2028said", "x": "\\udfff"}\n'
    ).encode()
    code, out, _ = cli(["clean", "-q", "--jsonl", "--field", "t"], data)
    assert code == 0
    assert out == data.replace(b"Bytdance", b"ByteDance")  # every other byte as it was
    code, out, _ = cli(["explain", "--jsonl", "--field", "t", "--format", "jsonl"], data)
    assert code == 0 and json.loads(out)["replacement"] == "ByteDance"


def test_w5_a_diff_of_cr_only_lines_applies(cli: Cli, tmp_path: Path) -> None:
    text = tmp_path / "mac.txt"
    text.write_bytes(b"Bytdance said.\rMore.\rTickcock too.")
    code, diff, _ = cli(["clean", "-q", "--diff", str(text)])
    assert code == 0
    (tmp_path / "p.diff").write_bytes(diff)
    done = _sh(f"patch {text.name} < p.diff", tmp_path)
    assert done.returncode == 0, done.stdout
    assert text.read_bytes() == b"ByteDance said.\rMore.\rTikTok too."


def test_w6_headlines_with_cr_only_line_ends() -> None:
    n = Normaliser()
    assert n.clean("BYTDANCE SELLS TIKTOK\rBytdance said.") == (
        "BYTEDANCE SELLS TIKTOK\rByteDance said."
    )


def test_w7_w8_an_unwritable_replacement_names_its_file_and_partial_work_is_told(
    cli: Cli, tmp_path: Path
) -> None:
    table = tmp_path / "t.toml"
    table.write_text('[[entity]]\ncanonical = "Łódź"\naliases = ["Lodzz"]\n')
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes("Bytdance in Zürich.\n".encode("latin-1"))
    second.write_bytes(b"Lodzz said.\n")
    code, _, err = cli(
        [
            "clean",
            "--in-place",
            "--encoding",
            "latin-1",
            "--table",
            str(table),
            str(first),
            str(second),
        ]
    )
    assert code == 2
    assert f"{second}: the cleaned text cannot be written in latin-1: 'Ł'" in err
    assert f"before the error, 1 input had been rewritten in place: {first}" in err
    assert second.read_bytes() == b"Lodzz said.\n"


def test_w8_unreadable_inputs_stop_in_place_before_any_write(cli: Cli, tmp_path: Path) -> None:
    import normalise.cli.inputs as inputs

    names = []
    for i in range(inputs.BATCH + 2):  # the bad input is in the second batch
        path = tmp_path / f"{i:03}.txt"
        path.write_bytes(b"Bytdance said.\n" if i <= inputs.BATCH else b"\xff")
        names.append(str(path))
    code, _, err = cli(["clean", "--in-place", *names])
    assert code == 2 and "not valid utf-8" in err
    assert all(Path(n).read_bytes().startswith((b"Bytdance", b"\xff")) for n in names)


def test_w9_t1_closed_standard_streams(tmp_path: Path) -> None:
    done = _sh("echo Bytdance | normalise clean >&-", tmp_path)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"standard output is closed" in done.stderr
    done = _sh("echo Bytdance | normalise clean 2>&-", tmp_path)
    assert done.returncode == 0 and done.stdout == b"ByteDance\n"  # no summary on stdout


def test_w10_a_broken_pipe_keeps_the_explanation_file(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("Bytdance said.\n" * 50_000)
    done = _sh(
        "normalise clean -q in.txt --explain-file log.jsonl | head -c 10 > /dev/null", tmp_path
    )
    assert done.returncode == 0
    assert len((tmp_path / "log.jsonl").read_text().splitlines()) == 50_000


def test_w11_tables_shown_load_back() -> None:
    """Quotes, backslashes and the invisible characters a name may hold (control
    characters it may not) are written so that the table loads back."""
    import tomllib

    table = table_from_mapping(
        {
            "entity": [
                {
                    "canonical": 'Q\\"uote\u200bd',
                    "aliases": ["Sh\u00ady", "back\\slash", "a\u2028b"],
                }
            ]
        }
    )
    assert table_from_mapping(tomllib.loads(table.to_toml())) == table


def test_clean_many_refuses_a_single_string() -> None:
    with pytest.raises(TypeError, match="single string"):
        Normaliser().clean_many("Bytdance")  # type: ignore[arg-type]


# -- tracebacks and internal errors --------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "argv", "stdin", "message"),
    [
        ("tool = 5\n", ["clean"], b"x", "[tool] must be a table"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", ["clean"], b"x", "nested too deeply"),
        ("", ["clean", "--encoding", "rot13"], b"x", "'rot13' is not a text encoding"),
        ("", ["clean", "--encoding", "base64"], b"x", "'base64' is not a text encoding"),
        ("", ["clean", "--workers", "100000"], b"x", "--workers must be a whole number from 1"),
        (
            "",
            ["clean", "--jsonl", "--field", "t"],
            b'{"t": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
            "nested too deeply",
        ),
    ],
)
def test_t1_clear_errors_instead_of_internal_ones(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    argv: list[str],
    stdin: bytes,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if setup:
        (tmp_path / "pyproject.toml").write_text(setup)
    code, _, err = cli(argv, stdin)
    assert code == 2 and message in err and "internal error" not in err


def test_t1_skip_bad_skips_a_deeply_nested_line(cli: Cli) -> None:
    data = b'{"t": ' + b"[" * 100_000 + b"]" * 100_000 + b'}\n{"t": "Bytdance"}\n'
    code, out, err = cli(["clean", "--jsonl", "--field", "t", "--skip-bad"], data)
    assert code == 0 and out.endswith(b'{"t": "ByteDance"}\n') and "1 bad line" in err


# -- slow paths: what they must still do (their time is in benchmarks/pathological.py) ------


def test_p1_one_long_capitalised_token_is_left_as_it_is() -> None:
    token = "B" + "bcdfgklmnprstvz" * 8_000
    assert Normaliser().clean(token) == token


def test_p2_garbled_honorifics_search_the_document_only_for_people_it_may_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A garbled honorific before a surname asks, of every person of that surname,
    whether the document names them in full. Each question used to compile a pattern
    and scan the whole document: quadratic with a large table of people. Now a person
    whose words do not stand together in the document is ruled out by set lookups, and
    only the one who is named costs a scan. (The time is in benchmarks/pathological.py.)"""
    import random

    from normalise.passes import base

    rng = random.Random(8)
    syllables = ["ka", "ro", "mi", "ten", "bar", "lo", "vi", "sen", "dra", "gu", "mo", "li"]
    people = sorted(
        {
            " ".join("".join(rng.choice(syllables) for _ in range(3)).title() for _ in range(2))
            for _ in range(3_000)
        }
    )
    named = people[0]
    surnames = sorted({p.split()[1] for p in people})
    table = {
        "entity": [{"canonical": p, "kind": "person", "honorific": "Dr."} for p in people],
        "honorific": [{"garble": "Min."}],
    }
    text = f"{named} arrived. " + "".join(f"Min. {s} said. " for s in surnames)
    scans: list[object] = []
    compile_pattern = base.word_regex

    def counting(names: list[str]) -> object:
        scans.append(names)
        return compile_pattern(names)

    monkeypatch.setattr(base, "word_regex", counting)
    n = Normaliser([table], builtin=False)
    changes = n.explain(text)
    assert [(c.original, c.replacement, c.method) for c in changes] == [
        ("Min.", "Dr.", "honorific")
    ]
    assert text[changes[0].end :].startswith(f" {named.split()[1]} said.")
    assert scans == [[named]]  # thousands of people share these surnames; one is named


def test_p3_the_name_caches_are_bounded_by_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many distinct long capitalised words used to grow the run and span caches until
    their entry bound (200k): hundreds of MB. Their keys are now bounded by characters
    too; a small bound here shows it holds while streaming, and that a cleared cache
    changes no output. (The memory itself is measured in benchmarks/pathological.py
    --memory, not in a unit test.)"""
    import random

    from normalise.passes import names as names_pass

    monkeypatch.setattr(names_pass, "_CACHE_CHARS", 5_000)
    rng = random.Random(3)
    words = [
        "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(12)).title()
        for _ in range(2_000)
    ]
    text = "".join(f"{w} said Bytdance.\n" for w in words)  # 48 KB of distinct run keys
    n = Normaliser()
    names = n.pipeline.names
    held = 0
    for _ in n.iter_clean([text[i : i + 4_000] for i in range(0, len(text), 4_000)], buffer=4_000):
        held = max(held, sum(len(k) if isinstance(k, str) else len(k[0]) for k in names._spans))
        held = max(held, sum(len(k) for k in names._runs))
    assert 0 < held <= 5_000
    assert n.clean(text) == Normaliser().clean(text) == text.replace("Bytdance", "ByteDance")


def test_p4_workers_are_capped(cli: Cli) -> None:
    code, _, err = cli(["clean", "--workers", "5000"], b"x")
    assert code == 2 and "--workers must be a whole number from 1 to" in err


@pytest.mark.parametrize("method", ["clean_many", "explain_many", "imap_clean", "imap_explain"])
def test_the_library_caps_workers_as_the_command_line_does(
    normaliser: Normaliser, method: str
) -> None:
    """Reopened from issue 25: clean_many(texts, workers=5000) started 5,000 processes;
    the library refuses what --workers refuses, before starting any."""
    with pytest.raises(ValueError, match="whole number from 1 to"):
        list(getattr(normaliser, method)(["Bytdance", "Tickcock"], workers=5000))


# -- cosmetic ---------------------------------------------------------------------------------


def test_sigterm_leaves_no_temporary_file(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen(
        ["normalise", "clean", "-o", "out.txt", "--explain-file", "log.jsonl"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    proc.stdin.write(b"Bytdance said.\n" * 1000)
    proc.stdin.flush()
    time.sleep(1.5)  # started, writing to its temporary files
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143 and b"terminated" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_errors_name_the_users_file_not_the_temporary_one(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device", src)

    monkeypatch.setattr(os, "replace", full)
    out = tmp_path / "out.txt"
    code, _, err = cli(["clean", "-q", "-o", str(out)], b"Bytdance")
    assert code == 2 and err == f"normalise: error: {out}: No space left on device\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_w2_explain_streams_like_clean_with_the_same_positions(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import normalise.cli.inputs as inputs

    data = b"Filler line.\n" * 90_000 + b"Then Bytdance said.\n" + b"Filler.\n" * 90_000
    monkeypatch.setattr(inputs, "STREAM_ABOVE", 1 << 40)
    whole = [cli(["explain", "--format", form, "-"], data)[1] for form in ("jsonl", "table")]
    monkeypatch.setattr(inputs, "STREAM_ABOVE", 0)
    streamed = [cli(["explain", "--format", form, "-"], data)[1] for form in ("jsonl", "table")]
    assert streamed == whole and b"<stdin>:90001:6" in whole[1]


@pytest.mark.parametrize("debug", [False, True])
def test_an_internal_error_is_one_line_unless_debugging_is_asked_for(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, debug: bool
) -> None:
    """Issue 23: main caught any ValueError as a user's error; only the project's errors
    (and OSError) are now, and a bug is an internal error, with its traceback when
    NORMALISE_DEBUG is set."""
    from normalise.cli import commands

    def broken(args: object, out: object) -> int:
        raise ValueError("a bug")

    monkeypatch.setitem(commands.COMMANDS, "clean", broken)
    if debug:
        monkeypatch.setenv("NORMALISE_DEBUG", "1")
    else:
        monkeypatch.delenv("NORMALISE_DEBUG", raising=False)
    code, _, err = cli(["clean"], b"x")
    assert code == 2
    assert "normalise: internal error: ValueError: a bug" in err
    assert ("Traceback (most recent call last)" in err) == debug


def test_bad_arguments_are_usage_errors_and_value_errors() -> None:
    from normalise import Normaliser, UsageError
    from normalise.garble import garble

    with pytest.raises(UsageError, match="buffer"):
        list(Normaliser().iter_clean(["x"], buffer=0))
    with pytest.raises(ValueError, match="unknown garble kind"):
        garble("x", kinds=["nope"])
