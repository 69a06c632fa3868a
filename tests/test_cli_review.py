"""The reviewer's loop: explain to JSONL, accept or reject, apply; diffs for prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalise import Change, Normaliser, replay


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Bytdance said Tickcock is safe.\nSafra Katz agreed.\n")
    (tmp_path / "b.txt").write_text("Wallmart too.\n")
    (tmp_path / "c.txt").write_text("Nothing to see.\n")
    return tmp_path


def _explain(cli, *names: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    code, out, _ = cli(["explain", "--format", "jsonl", *names])
    assert code == 0
    return [json.loads(line) for line in out.decode().splitlines()]


def _write(path: Path, records: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_apply_only_the_accepted_changes_in_place(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    records = _explain(cli, "a.txt", "b.txt", "c.txt")
    assert [r["original"] for r in records] == ["Bytdance", "Tickcock", "Safra Katz", "Wallmart"]
    records[1]["accept"] = False  # rejected by the reviewer
    _write(folder / "changes.jsonl", [r for r in records if r["original"] != "Wallmart"])
    before_c = (folder / "c.txt").stat().st_mtime_ns
    code, out, err = cli(["apply", "changes.jsonl", "a.txt", "b.txt", "c.txt", "--in-place"])
    assert (code, out) == (0, b"")
    assert (
        folder / "a.txt"
    ).read_text() == "ByteDance said Tickcock is safe.\nSafra Catz agreed.\n"
    assert (folder / "b.txt").read_text() == "Wallmart too.\n"  # deleted line: not applied
    assert (folder / "c.txt").stat().st_mtime_ns == before_c
    assert "3 inputs, 2 changes in 1 input" in err


def test_apply_defaults_to_the_files_the_changes_name(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    _write(folder / "changes.jsonl", _explain(cli, "a.txt", "b.txt"))
    code, out, _ = cli(["apply", "changes.jsonl"])
    assert code == 0
    assert out.decode() == ("ByteDance said TikTok is safe.\nSafra Catz agreed.\nWalmart too.\n")
    code, out, err = cli(["apply", "changes.jsonl", "--check"])
    assert (code, out) == (1, b"") and "would change: a.txt" in err


def test_apply_refuses_changes_that_no_longer_fit_and_writes_nothing(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    _write(folder / "changes.jsonl", _explain(cli, "a.txt", "b.txt"))
    (folder / "b.txt").write_text("Target too, now.\n")  # edited since the review
    code, out, err = cli(["apply", "changes.jsonl", "--in-place"])
    assert (code, out) == (2, b"")
    assert err == (
        "normalise: error: changes.jsonl: line 4: does not fit b.txt: the text at 0-8 is "
        "'Target t', not 'Wallmart'\n"
    )
    assert (folder / "a.txt").read_text().startswith("Bytdance")  # nothing written


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "changes.jsonl: line 1: Expecting value"),
        ('{"file": "a.txt", "start": 0}', "changes.jsonl: line 1: missing key 'end'"),
        (
            '{"file": "a.txt", "start": "0", "end": 8, "original": "x", "replacement": "y"}',
            "changes.jsonl: line 1: start must be a whole number, not '0'",
        ),
        (
            '{"file": "z.txt", "start": 0, "end": 8, "original": "x", "replacement": "y"}',
            "changes.jsonl: line 1: no input 'z.txt' among the files given",
        ),
        (
            '{"file": "a.txt", "start": 0, "end": 8, "original": "Bytdance", "replacement": "B"}\n'
            '{"file": "a.txt", "start": 4, "end": 9, "original": "dance", "replacement": "D"}',
            "changes.jsonl: line 2: overlaps the change on line 1",
        ),
    ],
)
def test_apply_errors_name_the_line(cli, folder: Path, line: str, message: str) -> None:  # type: ignore[no-untyped-def]
    (folder / "changes.jsonl").write_text(line + "\n")
    code, out, err = cli(["apply", "changes.jsonl", "a.txt"])
    assert (code, out) == (2, b"")
    assert err.startswith(f"normalise: error: {message}")


def test_apply_jsonl_inputs_by_record_line(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    data = '{"id": 1, "text": "Bytdance said"}\n{"id": 2, "text": "Wallmart too"}\n'
    (folder / "in.jsonl").write_text(data)
    records = _explain(cli, "--jsonl", "--field", "text", "in.jsonl")
    assert [r["line"] for r in records] == [1, 2]
    _write(folder / "changes.jsonl", records[1:])
    code, out, _ = cli(["apply", "changes.jsonl", "--jsonl", "--field", "text"])
    assert code == 0
    assert out.decode() == '{"id": 1, "text": "Bytdance said"}\n{"id": 2, "text": "Walmart too"}\n'


def test_the_library_loop_through_replay() -> None:
    text = "Bytdance said Tickcock is safe."
    records = [c.to_dict() for c in Normaliser().explain(text)]
    kept = [Change.from_dict(r) for r in records if r["original"] != "Tickcock"]
    assert replay(text, kept) == "ByteDance said Tickcock is safe."


def test_word_diff_and_check_with_diff(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(["clean", "--diff=word", "--check", "a.txt", "c.txt"])
    assert code == 1 and "would change: a.txt" in err
    assert out.decode() == (
        "a.txt:1: [-Bytdance-]{+ByteDance+} said [-Tickcock-]{+TikTok+} is safe.\n"
        "a.txt:2: Safra [-Katz-]{+Catz+} agreed.\n"
    )
    code, out, _ = cli(["clean", "--diff", "a.txt"])  # a plain --diff takes no value
    assert code == 0 and out.decode().startswith("--- a/a.txt\n+++ b/a.txt\n")
    code, _, err = cli(["clean", "--check", "--in-place", "a.txt"])
    assert code == 2 and "--check writes nothing" in err


def test_a_change_resting_on_a_rejected_repair_is_not_applied(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """A repair of one mention puts the canonical name in the document, which weighs
    for the other mentions of that entity (the evidence "document repaired elsewhere",
    issue 20): rejecting the repair it rests on drops the dependent change, and says so."""
    (folder / "d.txt").write_text("Bytedanse said so. Later Bitedanse agreed.\n")
    records = _explain(cli, "d.txt")
    assert [r["original"] for r in records] == ["Bytedanse", "Bitedanse"]
    levels = [{e["comparison"]: e["level"] for e in r["evidence"]} for r in records]  # type: ignore[attr-defined]
    assert [lv["document"] for lv in levels] == ["none", "repaired elsewhere"]
    _write(folder / "all.jsonl", records)
    code, out, err = cli(["apply", "all.jsonl", "d.txt"])
    assert (code, out.decode()) == (0, "ByteDance said so. Later ByteDance agreed.\n")
    assert "warning" not in err
    records[0]["accept"] = False
    _write(folder / "some.jsonl", records)
    code, out, err = cli(["apply", "some.jsonl", "d.txt"])
    assert (code, out.decode()) == (0, "Bytedanse said so. Later Bitedanse agreed.\n")
    assert "some.jsonl: line 2: not applied to d.txt" in err
    assert "rests on a repair of 'ByteDance' elsewhere in it" in err


# -- decisions that stick (issue 22) -----------------------------------------------------


def test_rejections_stick_after_apply(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """The loop: explain, reject, apply --rejected-to; the next clean --check with that
    table passes, and the rejected change is proposed no more (without the table it is)."""
    records = _explain(cli, "a.txt", "b.txt")
    records[1]["accept"] = False  # "Tickcock" is not TikTok here
    records[1]["note"] = "a brand of clocks"
    _write(folder / "changes.jsonl", records)
    code, _, err = cli(["apply", "changes.jsonl", "--in-place", "--rejected-to", "no.toml"])
    assert code == 0 and "no.toml: 1 rejected change on record" in err
    assert (folder / "a.txt").read_text() == (
        "ByteDance said Tickcock is safe.\nSafra Catz agreed.\n"
    )
    table = (folder / "no.toml").read_text()
    assert (
        '[[rejected]]\nsurface = "Tickcock"\ncanonical = "TikTok"\nnote = "a brand of clocks"'
        in (table)
    )
    assert cli(["clean", "--check", "--table", "no.toml", "a.txt", "b.txt"])[0] == 0
    assert cli(["clean", "--check", "a.txt"])[0] == 1  # without the table: flagged again
    assert cli(["table", "check", "no.toml"])[0] == 0


def test_rejections_are_merged_sorted_and_kept_once(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    records = _explain(cli, "a.txt", "b.txt")
    for r in records:
        r["accept"] = r["original"] != "Wallmart"
    _write(folder / "one.jsonl", records)
    assert cli(["apply", "one.jsonl", "--rejected-to", "no.toml", "-q"])[0] == 0
    for r in records:
        r["accept"] = r["original"] not in ("Bytdance", "Wallmart")
    _write(folder / "two.jsonl", records)
    assert cli(["apply", "two.jsonl", "--rejected-to", "no.toml", "-q"])[0] == 0
    table = (folder / "no.toml").read_text()
    assert table.count("[[rejected]]") == 2  # Wallmart once, though rejected twice
    assert table.index('canonical = "ByteDance"') < table.index('canonical = "Walmart"')


def test_rejections_go_only_to_a_table_of_their_own(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    (folder / "mine.toml").write_text('[[entity]]\ncanonical = "Oracle"\n')
    records = _explain(cli, "b.txt")
    records[0]["accept"] = False
    _write(folder / "changes.jsonl", records)
    code, _, err = cli(["apply", "changes.jsonl", "--rejected-to", "mine.toml"])
    assert code == 2 and "mine.toml: holds more than [[rejected]] entries" in err
    assert (folder / "mine.toml").read_text() == '[[entity]]\ncanonical = "Oracle"\n'


def test_a_rejection_holds_for_every_pass_and_any_case() -> None:
    """Rejected "Katz" for Safra Catz: neither the full name's alias nor the document
    pass's surname repair touches that surface; other changes stay."""
    from normalise import table_from_mapping

    rejections = table_from_mapping(
        {"rejected": [{"surface": "KATZ", "canonical": "Safra Catz"}]}, "no.toml"
    )
    n = Normaliser([rejections])
    text = "Safra Katz met Bytdance. Katz said no."
    out = replay(text, n.explain(text))
    assert out == "Safra Catz met ByteDance. Katz said no."
    assert Normaliser().clean(text) == "Safra Catz met ByteDance. Catz said no."
    assert isinstance(n.explain(text)[0], Change)


def test_jsonl_changes_name_their_field_and_apply_needs_no_options(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: `clean --id-field` writes ids into --explain-file, every record names
    its field, and `apply` puts JSONL changes back without `--jsonl --field`."""
    (folder / "r.jsonl").write_text(
        '{"id": "s1", "body": {"text": "Bytdance said."}}\n{"id": "s2", "body": {"text": "No."}}\n'
    )
    argv = ["clean", "--jsonl", "--field", "body.text", "--id-field", "id", "r.jsonl"]
    code, out, _ = cli([*argv, "--explain-file", "ex.jsonl", "-q"])
    assert code == 0 and b"ByteDance said." in out
    (record,) = [json.loads(line) for line in (folder / "ex.jsonl").read_text().splitlines()]
    assert (record["line"], record["field"], record["id"]) == (1, "body.text", "s1")
    code, applied, _ = cli(["apply", "ex.jsonl", "-q"])
    assert code == 0 and applied == out


def test_a_context_change_names_the_word_that_supported_it(cli) -> None:  # type: ignore[no-untyped-def]
    """explain (JSONL and table) and the review page say which word of the document let
    a context-gated variant through ("Tick Tock" is a clock's sound elsewhere)."""
    text = b"Tick Tock users grew. The app is popular.\n"
    _, out, _ = cli(["explain", "--format", "jsonl"], text)
    (record,) = [json.loads(line) for line in out.decode().splitlines()]
    assert (record["method"], record["support"]) == ("context", "app")
    assert Change.from_dict(record).support == "app"
    _, out, _ = cli(["explain"], text)
    assert out.decode().splitlines()[1].strip() == "supported by 'app'"
    _, out, _ = cli(["explain", "--format", "html"], text)
    assert "supported by “app”" in out.decode()
    # Support from the entity's own name elsewhere in the document.
    _, out, _ = cli(["explain", "--format", "jsonl"], b"Tick Tock and TikTok users grew.\n")
    assert json.loads(out.decode().splitlines()[0])["support"] == "TikTok"
    # A listed alias needs no support: no key, as before.
    _, out, _ = cli(["explain", "--format", "jsonl"], b"Bytdance said.\n")
    assert "support" not in json.loads(out.decode())


def test_several_jsonl_fields_in_one_run_and_apply_puts_each_back(cli, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """--field is repeatable: each field of a record is a text of its own; explain
    records name the field, apply puts each change back in its field and leaves every
    other byte of the line alone (issue 22)."""
    line = (
        '{"id": 1, "title": "Bytdance deal", '
        '"body": {"text": "Tickcock said.\\nThen Bitdance."}, "n": 1e400}\n'
    )
    (folder / "a.jsonl").write_text(line + '{"id": 2, "title": null, "body": {"text": "Fine."}}\n')
    argv = ["--jsonl", "--field", "title", "--field", "body.text"]
    code, out, _ = cli(["clean", *argv, "-q", "a.jsonl"])
    assert code == 0
    first = out.decode().splitlines()[0]
    assert first == line.strip().replace("Bytdance", "ByteDance").replace(
        "Tickcock", "TikTok"
    ).replace("Bitdance", "ByteDance")
    records = _explain(cli, *argv, "a.jsonl")
    assert [(r["field"], r["original"]) for r in records] == [
        ("title", "Bytdance"),
        ("body.text", "Tickcock"),
        ("body.text", "Bitdance"),
    ]
    accepted = [r for r in records if r["original"] != "Tickcock"]
    _write(folder / "acc.jsonl", accepted)
    code, _, _ = cli(["apply", "acc.jsonl", "--in-place", "-q"])
    assert code == 0
    after = (folder / "a.jsonl").read_text().splitlines()[0]
    assert after == line.strip().replace("Bytdance", "ByteDance").replace("Bitdance", "ByteDance")
