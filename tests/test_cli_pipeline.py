"""The command line as a pipeline tool: files, in-place, check, diff, JSONL, tables,
settings. Every error path checks the message, the exit status and that no file was
modified or lost."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    garbled = tmp_path / "garbled.txt"
    garbled.write_bytes("Bytdance said Tickcock’s users\r\nare safe".encode())
    clean = tmp_path / "clean.txt"
    clean.write_bytes(b"ByteDance said TikTok is safe.\n")
    return {"garbled": garbled, "clean": clean}


def test_output_file(cli, files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out_path = tmp_path / "out.txt"
    code, out, err = cli(["clean", str(files["garbled"]), "-o", str(out_path)])
    assert (code, out) == (0, b"")
    assert out_path.read_bytes() == "ByteDance said TikTok’s users\r\nare safe".encode()
    assert "1 input, 2 changes in 1 input" in err


def test_in_place_rewrites_only_changed_files_and_keeps_mode(cli, files) -> None:  # type: ignore[no-untyped-def]
    os.chmod(files["garbled"], 0o640)
    before = files["clean"].stat().st_mtime_ns
    code, out, _ = cli(["clean", "--in-place", str(files["garbled"]), str(files["clean"])])
    assert (code, out) == (0, b"")
    assert files["garbled"].read_bytes() == "ByteDance said TikTok’s users\r\nare safe".encode()
    assert stat.S_IMODE(files["garbled"].stat().st_mode) == 0o640
    assert files["clean"].stat().st_mtime_ns == before
    assert sorted(p.name for p in files["garbled"].parent.iterdir()) == ["clean.txt", "garbled.txt"]


def test_in_place_refuses_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(["clean", "--in-place"], b"Bytdance")
    assert (code, out) == (2, b"")
    assert err == "normalise: error: --in-place needs files, not standard input\n"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_interrupted_in_place_leaves_original(cli, files, monkeypatch, failure) -> None:  # type: ignore[no-untyped-def]
    original = files["garbled"].read_bytes()

    def broken(*args: object) -> None:
        raise failure

    monkeypatch.setattr(os, "replace", broken)
    code, _, err = cli(["clean", "--in-place", str(files["garbled"])])
    assert code in (2, 130)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert files["garbled"].read_bytes() == original
    assert sorted(p.name for p in files["garbled"].parent.iterdir()) == ["clean.txt", "garbled.txt"]


def test_check(cli, files) -> None:  # type: ignore[no-untyped-def]
    original = files["garbled"].read_bytes()
    code, out, err = cli(["clean", "--check", str(files["garbled"]), str(files["clean"])])
    assert (code, out) == (1, b"")
    assert f"would change: {files['garbled']}\n" in err
    assert str(files["clean"]) not in err
    assert files["garbled"].read_bytes() == original
    code, _, _ = cli(["clean", "--check", "-q", str(files["clean"])])
    assert code == 0


def test_diff_plain_when_piped(cli, files, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(["clean", "--diff", "-q", str(files["clean"]), str(files["garbled"])])
    assert code == 0
    text = out.decode()
    assert "\033[" not in text
    assert f"--- a/{files['garbled']}" in text
    assert "-Bytdance said Tickcock’s users\r\n" in text
    assert "+ByteDance said TikTok’s users\r\n" in text
    assert "clean.txt" not in text  # nothing to show for an unchanged file


def test_diff_colour_only_on_a_terminal(files) -> None:
    from normalise.cli.render import unified_diff

    coloured = unified_diff("x", "Bytdance\n", "ByteDance\n", color=True)
    assert "\033[31m-Bytdance" in coloured and "\033[32m+ByteDance" in coloured


def test_jsonl_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = [
        '{"id": 1, "doc": {"body": "Bytdance bought it"}, "tags": ["Bytdance"]}',
        '{"id":2,"doc":{"body":"nothing here"}}',
        '{"id": 3, "doc": {"body": null}}',
        "",
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = cli(["clean", "-q", "--jsonl", "--field", "doc.body", str(src)])
    assert code == 0
    got = out.decode().split("\n")
    assert json.loads(got[0]) == {
        "id": 1,
        "doc": {"body": "ByteDance bought it"},
        "tags": ["Bytdance"],
    }
    assert got[1:] == lines[1:]  # unchanged records byte for byte


def test_jsonl_bad_line_error_and_skip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.jsonl"
    src.write_text('{"body": "Bytdance"}\n{oops\n{"body": 3}\n', encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    code, out, err = cli(["clean", "--jsonl", "--field", "body", str(src), "-o", str(out_path)])
    assert (code, out) == (2, b"")
    assert err.startswith(f"normalise: error: {src}: line 2: ")
    assert not out_path.exists()
    code, out, err = cli(["clean", "--jsonl", "--field", "body", "--skip-bad", str(src)])
    assert code == 0
    assert out.decode() == '{"body": "ByteDance"}\n{oops\n{"body": 3}\n'
    assert "2 bad lines passed through" in err


def test_jsonl_needs_field(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(["clean", "--jsonl"], b"{}")
    assert code == 2 and "--jsonl needs --field" in err


def test_explain_file_while_cleaning(cli, files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "changes.jsonl"
    code, out, _ = cli(["clean", "-q", str(files["garbled"]), "--explain-file", str(log)])
    assert code == 0 and out.startswith(b"ByteDance")
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(r["file"], r["original"], r["method"]) for r in records] == [
        (str(files["garbled"]), "Bytdance", "alias"),
        (str(files["garbled"]), "Tickcock", "alias"),
    ]


def test_explain_html_is_self_contained(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli(["explain", "--format", "html"], b"<b>Bytdance</b> & Tik-Tok")
    page = out.decode()
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;" in page  # the text is escaped
    assert "<del>Bytdance</del><ins>ByteDance</ins>" in page
    assert 'data-method="compact" data-score="1.0000" data-canonical="TikTok"' in page
    # Self-contained: inline style and script only, nothing fetched.
    assert "http" not in page and " src=" not in page and "<link" not in page
    assert page.count("<script") == 2 and "</script><b>" not in page


def test_encodings_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Zürich: Bytdance".encode("latin-1"))
    code, out, _ = cli(["clean", "-q", "--encoding", "latin-1", str(latin)])
    assert code == 0 and out == "Zürich: ByteDance".encode("latin-1")
    code, out, _ = cli(["clean", "-q", "--errors", "surrogateescape"], b"\xff Bytdance \xfe\n")
    assert code == 0 and out == b"\xff ByteDance \xfe\n"
    code, _, err = cli(["clean", "--encoding", "klingon"], b"x")
    assert code == 2 and "unknown encoding 'klingon'" in err


def test_recursive(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Bytdance\n")
    (tmp_path / "a" / "two.md").write_text("Tickcock\n")
    (tmp_path / "b.txt").write_text("Wallmart\n")
    code, _, err = cli(["clean", str(tmp_path)])
    assert code == 2 and "is a directory (use --recursive" in err
    code, out, _ = cli(["clean", "-q", "-r", str(tmp_path)])
    assert out == b"ByteDance\nWalmart\n"
    code, out, _ = cli(["clean", "-q", "-r", "--glob", "*.md", str(tmp_path)])
    assert out == b"TikTok\n"


def test_table_check_reports_every_problem(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[meta]\nfoo = 1\n[[entity]]\ncanonical = ""\n[[entity]]\ncanonical = "A1"\n'
        'colour = "red"\n'
    )
    code, out, err = cli(["table", "check", str(bad)])
    assert (code, out) == (2, b"")
    assert f"{bad}: unknown [meta] key 'foo'" in err
    assert f"{bad}: entity '': canonical must not be empty" in err
    assert f"{bad}: entity 'A1': unknown key 'colour'" in err
    assert "3 problems" in err
    clash = tmp_path / "clash.toml"
    clash.write_text('[[entity]]\ncanonical = "Tiktalk Inc"\naliases = ["Tickcock"]\n')
    code, _, err = cli(["table", "check", str(clash)])
    assert code == 2 and "already the alias 'Tickcock' of entity 'TikTok'" in err
    code, _, err = cli(["table", "check", "--no-builtin", str(clash)])
    assert code == 0 and "1 table ok" in err


def test_table_show(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from normalise import load_table

    code, out, _ = cli(["table", "show"])
    assert code == 0
    path = tmp_path / "shown.toml"
    path.write_bytes(out)
    assert any(e.canonical == "TikTok" for e in load_table(path).entities)
    code, out, _ = cli(["table", "show", "--format", "json"])
    data = json.loads(out)
    tiktok = next(e for e in data["entity"] if e["canonical"] == "TikTok")
    assert "Tickcock" in tiktok["aliases"]


def test_settings_options(cli) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = cli(["clean", "-q"], b"Bytedanse")
    assert out == b"ByteDance"
    _, out, _ = cli(["clean", "-q", "--no-phonetic"], b"Bytedanse")
    assert out == b"Bytedanse"
    _, out, _ = cli(["clean", "-q", "--phonetic-cutoff", "0.95"], b"Bytedanse")
    assert out == b"Bytedanse"
    _, out, _ = cli(["clean", "-q", "--no-alias-matches", "--no-phonetic"], b"Bytdance")
    assert out == b"Bytdance"
    code, _, err = cli(["clean", "--phonetic-cutoff", "2"], b"x")
    assert code == 2 and "--phonetic-cutoff must be a number from 0 to 1, not 2.0" in err


def test_config_file_and_pyproject(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "normalise.toml"
    config.write_text("phonetic = false\n")
    _, out, _ = cli(["clean", "-q", "--config", str(config)], b"Bytedanse")
    assert out == b"Bytedanse"
    _, out, _ = cli(["clean", "-q", "--config", str(config), "--phonetic"], b"Bytedanse")
    assert out == b"ByteDance"  # the command line wins
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[tool.normalise]\nphonetic-cutoff = 0.95\n")
    monkeypatch.chdir(project / "sub")
    _, out, _ = cli(["clean", "-q"], b"Bytedanse")
    assert out == b"Bytedanse"
    (project / "pyproject.toml").write_text("[tool.normalise]\nfuzziness = 3\n")
    code, _, err = cli(["clean"], b"x")
    assert code == 2 and "unknown setting 'fuzziness'" in err and "pyproject.toml" in err


def test_tables_in_the_configuration_and_keys_spelled_like_options(
    cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "project"
    (project / "names").mkdir(parents=True)
    (project / "sub").mkdir()
    (project / "names" / "t.toml").write_text('[[entity]]\ncanonical = "Kuaishou"\n')
    (project / "pyproject.toml").write_text(
        '[tool.normalise]\ntables = ["names/t.toml"]\nalias-matches = false\n'
    )
    monkeypatch.chdir(project / "sub")  # the table's path is relative to the pyproject
    _, out, _ = cli(["clean", "-q"], b"Kwaishou said")
    assert out == b"Kuaishou said"  # the configured table's name
    _, out, _ = cli(["explain", "--format", "jsonl"], b"Tickcock")
    assert json.loads(out)["method"] != "alias"  # listed aliases switched off
    _, out, _ = cli(["explain", "--format", "jsonl", "--alias-matches"], b"Tickcock")
    assert json.loads(out)["method"] == "alias"  # the command line wins
    (project / "pyproject.toml").write_text(
        '[tool.normalise]\ntables = ["names/t.toml"]\nno-builtin = true\naliases = false\n'
    )
    _, out, _ = cli(["clean", "-q"], b"Kwaishou said. Bytedanse said.")
    assert out == b"Kuaishou said. Bytedanse said."  # no built-in table
    (project / "pyproject.toml").write_text('[tool.normalise]\ntables = "names/t.toml"\n')
    code, _, err = cli(["clean"], b"x")
    assert code == 2 and "tables must be a list of paths" in err


def test_table_option_and_its_old_spelling(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "t.toml"
    table.write_text('[[entity]]\ncanonical = "Kuaishou"\n')
    for option in ("--table", "--aliases"):
        argv = ["clean", "-q", "--no-builtin", option, str(table)]
        _, out, _ = cli(argv, b"Kwaishou said. Bytdance said.")
        assert out == b"Kuaishou said. Bytdance said."


def test_workers_give_identical_output(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = []
    for i in range(12):
        p = tmp_path / f"{i:02}.txt"
        p.write_text(f"Bytdance {i} and Tickcock’s Tik Tok\n", encoding="utf-8")
        paths.append(str(p))
    _, serial, _ = cli(["clean", "-q", *paths])
    _, parallel, _ = cli(["clean", "-q", "--workers", "2", *paths])
    assert serial == parallel and serial.count(b"ByteDance") == 12


@pytest.mark.parametrize("workers", ["1", "2"])
def test_many_batches_give_the_same_output_and_errors_for_any_workers(
    cli, tmp_path: Path, workers: str
) -> None:  # type: ignore[no-untyped-def]
    """With workers, the next batch of 64 files is read while the last is written
    (issue 21): the output is the same, in order, and an unreadable file in a later batch
    fails the run as it does without workers."""
    paths = []
    for i in range(150):
        p = tmp_path / f"{i:03}.txt"
        p.write_text(f"Bytdance {i} said.\n", encoding="utf-8")
        paths.append(str(p))
    code, out, _ = cli(["clean", "-q", "--workers", workers, *paths])
    assert code == 0
    assert out.decode().splitlines() == [f"ByteDance {i} said." for i in range(150)]
    (tmp_path / "149.txt").write_bytes(b"Bytdance \xff said.\n")
    code, out, err = cli(["clean", "--in-place", "--workers", workers, *paths])
    assert code == 2 and "149.txt: not valid utf-8" in err
    assert (tmp_path / "000.txt").read_text() == "Bytdance 0 said.\n"  # nothing written


def test_invalid_bytes_in_place_names_file_and_offset_and_writes_nothing(
    cli, files, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Bytdance \xff here")
    before = files["garbled"].read_bytes()
    code, out, err = cli(["clean", "--in-place", str(files["garbled"]), str(bad)])
    assert (code, out) == (2, b"")
    assert err.startswith(f"normalise: error: {bad}: not valid utf-8 at byte 9 ")
    assert bad.read_bytes() == b"Bytdance \xff here"
    assert files["garbled"].read_bytes() == before  # read in one batch: nothing written


def test_missing_file_in_check_mode(cli, files) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(["clean", "--check", str(files["garbled"]), "nope.txt"])
    assert (code, out) == (2, b"") and err == "normalise: error: nope.txt: no such file\n"


def test_large_inputs_are_streamed_with_identical_results(
    cli, files, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import normalise.cli.inputs as cli_module

    text = "Tickcock’s Ünïcode line\r\nBytdance\n" * 50 + "Safra Katz, no final newline"
    src = tmp_path / "big.txt"
    src.write_text(text, encoding="utf-8")
    _, whole, _ = cli(["clean", "-q", str(src), str(files["clean"])])
    monkeypatch.setattr(cli_module, "STREAM_ABOVE", 0)  # stream every file...
    monkeypatch.setattr(cli_module, "BLOCK", 7)  # ...in blocks that split characters
    code, streamed, _ = cli(["clean", "-q", str(src), str(files["clean"])])
    assert code == 0 and streamed == whole
    log = tmp_path / "log.jsonl"
    code, _, err = cli(["clean", "--check", str(src), "--explain-file", str(log)])
    assert code == 1 and "101 changes" in err and len(log.read_text().splitlines()) == 101
    before = files["clean"].stat().st_mtime_ns
    code, _, _ = cli(["clean", "-q", "--in-place", str(src), str(files["clean"])])
    assert src.read_bytes() == whole[: len(src.read_bytes())]
    assert files["clean"].stat().st_mtime_ns == before  # unchanged: not rewritten
    bad = tmp_path / "bad.txt"
    bad.write_bytes("é".encode() * 10 + b"\xff rest")
    code, _, err = cli(["clean", "--in-place", str(bad)])
    assert code == 2 and "not valid utf-8 at byte 20" in err
    assert bad.read_bytes() == "é".encode() * 10 + b"\xff rest"


@pytest.mark.parametrize("mode", [[], ["--check"], ["--in-place"], ["-o", "OUT"]])
def test_streamed_and_whole_inputs_share_one_output_path(cli, tmp_path, monkeypatch, mode) -> None:  # type: ignore[no-untyped-def]
    import normalise.cli.inputs as inputs

    def run(streamed: bool) -> tuple[int, bytes, bytes, bytes, str]:
        folder = tmp_path / ("streamed" if streamed else "whole")
        folder.mkdir()
        src = folder / "in.txt"
        src.write_text("Bytdance said.\nNothing here.\n" * 3, encoding="utf-8")
        log = folder / "log.jsonl"
        argv = ["out.txt" if a == "OUT" else a for a in mode]
        monkeypatch.chdir(folder)  # the same relative names in the explanation
        monkeypatch.setattr(inputs, "STREAM_ABOVE", 0 if streamed else 1 << 40)
        code, out, err = cli(["clean", *argv, "--explain-file", "log.jsonl", "in.txt"])
        written = (folder / "out.txt").read_bytes() if "-o" in mode else b""
        summary = err.split("(")[0]
        return code, out, src.read_bytes() + written, log.read_bytes(), summary

    assert run(streamed=True) == run(streamed=False)


def test_new_files_follow_the_umask_and_old_ones_keep_their_mode(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(0o027)
    try:
        out, log, page = tmp_path / "out.txt", tmp_path / "log.jsonl", tmp_path / "page.html"
        cli(["clean", "-q", "-o", str(out), "--explain-file", str(log)], b"Bytdance")
        cli(["explain", "--format", "html", "-o", str(page)], b"Bytdance")
        for path in (out, log, page):
            assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
        os.chmod(out, 0o604)
        cli(["clean", "-q", "-o", str(out)], b"Bytdance")
        assert stat.S_IMODE(out.stat().st_mode) == 0o604
    finally:
        os.umask(old)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--field", "text"], "--field needs --jsonl"),
        (["--jsonl", "--field", "a", "--field", "a.b"], "--field a holds --field a.b"),
    ],
)
def test_field_misuse_is_an_error(cli, argv, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(["clean", *argv], b'{"text": "Bytdance"}\n')
    assert (code, out) == (2, b"") and message in err


def test_summary_counts_in_words_and_records(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, err = cli(["clean"], b"Bytdance")
    assert err.startswith("normalise: 1 input, 1 change in 1 input (")
    data = b'{"t": "Bytdance"}\n{"t": "fine"}\n{"t": "Wallmart, Tickcock"}\n'
    _, _, err = cli(["clean", "--jsonl", "--field", "t"], data)
    assert err.startswith("normalise: 1 input, 3 records, 3 changes in 2 records (")


def test_a_directory_without_matching_files_warns(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.md").write_text("Bytdance")
    code, out, err = cli(["clean", "-r", str(tmp_path)])
    assert (code, out) == (0, b"")
    assert f"normalise: warning: {tmp_path}: no file matches '*.txt'" in err


def test_progress_of_one_big_jsonl_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from normalise import Normaliser
    from normalise.cli import inputs

    path = tmp_path / "big.jsonl"
    path.write_text('{"t": "Bytdance said."}\n' * (inputs.RECORDS_CHUNK + 10))
    options = inputs.InputOptions(fields=(("t",),))
    done = list(inputs.cleaned([str(path)], options, Normaliser(), stream=False, progress=True))
    assert done[0].records == (inputs.RECORDS_CHUNK + 10,) * 2
    err = capsys.readouterr().err
    assert f"normalise: {inputs.RECORDS_CHUNK:,}/{inputs.RECORDS_CHUNK + 10:,} records (" in err
    assert "records/s" in err and " s left" in err


def test_table_show_json_loads_back_and_takes_paths(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: what `table show --format json` writes is a table (JSON), and `table
    show` takes PATHs as `table check` does."""
    mine = tmp_path / "mine.toml"
    mine.write_text('[[entity]]\ncanonical = "Kuaishou"\naliases = ["Kwaishou"]\n')
    code, shown, _ = cli(["table", "show", "--format", "json", str(mine)])
    assert code == 0 and b'"Kuaishou"' in shown and b'"TikTok"' in shown
    dump = tmp_path / "dump.json"
    dump.write_bytes(shown)
    code, again, _ = cli(["table", "show", "--no-builtin", "--format", "json", str(dump)])
    strip = [{k: v for k, v in e.items() if k != "source"} for e in json.loads(again)["entity"]]
    assert strip == [
        {k: v for k, v in e.items() if k != "source"} for e in json.loads(shown)["entity"]
    ]
    code, out, _ = cli(["clean", "--no-builtin", "--table", str(dump), "-q"], b"Kwaishou said.")
    assert out == b"Kuaishou said."
    (tmp_path / "bad.json").write_text("[1, 2]")
    code, _, err = cli(["table", "show", str(tmp_path / "bad.json")])
    assert code == 2 and "bad.json: a table must be a JSON object" in err


def test_a_file_gets_the_same_changes_whatever_its_size(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 24: a file over the streaming size is read more than once (the document's
    facts first, then the repairs), so its changes are those of the whole text even
    where the evidence is further on: "Kolindra" is a garble of Kolinda because the
    article names Kolinda three megabytes later (alone, it is no garble of it)."""
    import normalise.cli.inputs as inputs

    table = tmp_path / "t.toml"
    table.write_text('[[entity]]\ncanonical = "Kolinda"\nkind = "place"\n')
    text = "Kolindra said so.\n" + "Filler line of prose.\n" * 150_000 + "Kolinda agreed.\n"
    src = tmp_path / "big.txt"
    src.write_text(text, encoding="utf-8")
    argv = ["clean", "-q", "--table", str(table)]
    _, whole, _ = cli([*argv, str(src)])
    assert whole.startswith(b"Kolinda said so.")
    monkeypatch.setattr(inputs, "STREAM_ABOVE", 0)
    _, streamed, _ = cli([*argv, str(src)])
    assert streamed == whole
    # Standard input is cleaned as it comes (the evidence megabytes on is not seen),
    # unless --whole reads it to its end first.
    _, as_it_comes, _ = cli(argv, text.encode())
    assert as_it_comes.startswith(b"Kolindra said so.")
    _, read_whole, _ = cli([*argv, "--whole"], text.encode())
    assert read_whole == whole


def test_a_file_changed_while_it_is_read_again_is_an_error(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import normalise.cli.inputs as inputs

    src = tmp_path / "big.txt"
    src.write_text("Bytdance said so.\n" * 1_000, encoding="utf-8")
    monkeypatch.setattr(inputs, "STREAM_ABOVE", 0)

    def grow(self, step):  # type: ignore[no-untyped-def]
        # Each read after the first starts here: another program appends meanwhile.
        with open(src, "a", encoding="utf-8") as f:
            f.write("More.\n")

    monkeypatch.setattr(inputs.Progress, "restart", grow)
    code, _, err = cli(["clean", "--in-place", str(src)])
    assert code == 2 and "changed" in err
    assert src.read_text(encoding="utf-8").startswith("Bytdance said so.\n")
