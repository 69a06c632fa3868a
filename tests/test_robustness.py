"""Hostile input through the command line and the batch core."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalise import NormaliseError, Normaliser
from normalise.cli import main

_OPTIONS = [
    "clean",
    "explain",
    "match",
    "table",
    "check",
    "show",
    "-",
    "--check",
    "--diff",
    "--in-place",
    "-o",
    "--jsonl",
    "--field",
    "body",
    "--skip-bad",
    "--workers",
    "0",
    "2",
    "--encoding",
    "latin-1",
    "klingon",
    "--errors",
    "surrogateescape",
    "--format",
    "html",
    "jsonl",
    "json",
    "--aliases",
    "--no-builtin",
    "--config",
    "--phonetic-cutoff",
    "1.5",
    "0.9",
    "--no-edit",
    "-r",
    "--glob",
    "*.md",
    "-q",
    "--version",
    "Bytdance",
    "",
    "--max-span-words",
    "-3",
    "x.txt",
    "missing.toml",
    "--help",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(argv=st.lists(st.sampled_from(_OPTIONS), max_size=8), data=st.binary(max_size=200))
def test_cli_never_raises_and_fails_in_one_line(
    argv: list[str],
    data: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_bytes(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    try:
        code = main(argv)
    except SystemExit as e:  # pragma: no cover - main must never exit itself
        pytest.fail(f"main raised SystemExit({e.code})")
    _, err = capsysbinary.readouterr()
    text = err.decode("utf-8", "replace")
    assert code in (0, 1, 2)
    assert "Traceback" not in text
    assert "internal error" not in text
    if code == 2 and "--help" not in argv:
        lines = [line for line in text.splitlines() if line.startswith("normalise")]
        assert len(lines) == 1, text


class _Crashing(Normaliser):
    def clean(self, text: str) -> str:
        if text == "boom":
            os._exit(3)  # a worker process dies without a word
        return super().clean(text)


def test_worker_crash_is_a_clear_error() -> None:
    n = _Crashing()
    texts = ["Bytdance"] * 20 + ["boom"] + ["Tickcock"] * 20
    with pytest.raises(NormaliseError, match="a worker process died; no results were returned"):
        n.clean_many(texts, workers=2)
    assert n.clean_many(["Bytdance"], workers=2) == ["ByteDance"]  # the normaliser still works


def test_table_that_maps_a_common_word_is_applied_only_as_written() -> None:
    """Documented behaviour: an alias is the user's explicit word, so it is applied to
    capitalised text even when it is a common word; lower-case text is never changed."""
    n = Normaliser([{"entity": [{"canonical": "Apple Inc.", "aliases": ["Apple"]}]}], builtin=False)
    assert n.clean("Apple said an apple a day.") == "Apple Inc. said an apple a day."


@pytest.mark.parametrize(
    "bad",
    [
        {"entity": [{"canonical": "A1", "aliases": [["nested", ["junk"]]]}]},
        {"entity": [{"canonical": {"deep": {"er": 1}}}]},
        {"entity": [{"canonical": "A1", "aliases": ["x" * 10_000]}]},
        {"entity": "not a list"},
        [1, 2, 3],
    ],
)
def test_hostile_tables_give_clear_errors(bad: object) -> None:
    from normalise import AliasTableError

    with pytest.raises(AliasTableError, match="<mapping>"):
        Normaliser([bad], builtin=False)  # type: ignore[list-item]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(), min_size=2, max_size=12))
def test_workers_are_deterministic_on_arbitrary_text(texts: list[str]) -> None:
    n = _SHARED
    assert n.clean_many(texts, workers=2) == [n.clean(t) for t in texts]


_SHARED = Normaliser()
