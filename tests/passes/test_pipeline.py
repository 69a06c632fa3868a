"""The passes together: switches, streaming, the command line, properties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalise import Normaliser, Settings, replay
from normalise.cli import main
from tests.passes.common import OFF, N

# -- switches, streaming, the command line ---------------------------------------------------

SEED = Path(__file__).resolve().parents[2] / "seeds" / "002_6b5e4551183c8f78.txt"


@pytest.mark.parametrize(
    ("setting", "method"),
    [
        ("document", "document"),
        ("context", "context"),
        ("honorifics", "honorific"),
        ("words", "word"),
        ("typography", "typography"),
    ],
)
def test_each_part_switches_off_alone(setting: str, method: str) -> None:
    text = SEED.read_text(encoding="utf-8")
    on = {c.method for c in N.explain(text)}
    off = Normaliser(settings=Settings(**{setting: False}))  # type: ignore[arg-type]
    got = {c.method for c in off.explain(text)}
    assert method in on
    assert got == on - {method}


def test_streaming_carries_anchors_and_people_forward() -> None:
    text = "Safra Katz spoke.\n" + "Filler line.\n" * 30 + "Ms. Katz and Min. Katz.\n"
    whole = N.clean(text)
    assert whole.endswith("Ms. Catz and Ms. Catz.\n")
    chunks = [text[i : i + 5] for i in range(0, len(text), 5)]
    assert "".join(N.iter_clean(chunks, buffer=10)) == whole


def test_streaming_does_not_look_ahead() -> None:
    """The documented limit: support that first appears in a later piece is not seen."""
    text = "Tick Tock is everywhere.\n" + "Filler line.\n" * 30 + "The app is popular.\n"
    assert N.clean(text).startswith("TikTok is everywhere.")
    chunks = [text[i : i + 5] for i in range(0, len(text), 5)]
    assert "".join(N.iter_clean(chunks, buffer=10)).startswith("Tick Tock is everywhere.")


def test_cli_switches_and_jsonl_records_are_documents(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Safra Katz hosted a fund-razor for $ 5.\nKatz said so.\n", encoding="utf-8")
    assert main(["clean", "-q", str(path)]) == 0
    assert (
        capsysbinary.readouterr().out == b"Safra Catz hosted a fundraiser for $5.\nCatz said so.\n"
    )
    assert main(["clean", "-q", "--no-typography", "--no-words", "--no-document", str(path)]) == 0
    assert (
        capsysbinary.readouterr().out == b"Safra Catz hosted a fund-razor for $ 5.\nKatz said so.\n"
    )
    records = tmp_path / "r.jsonl"
    records.write_text(
        json.dumps({"text": "Safra Katz spoke."})
        + "\n"
        + json.dumps({"text": "Katz said."})
        + "\n",
        encoding="utf-8",
    )
    assert main(["clean", "-q", "--jsonl", "--field", "text", str(records)]) == 0
    out = [json.loads(line)["text"] for line in capsysbinary.readouterr().out.splitlines()]
    assert out == ["Safra Catz spoke.", "Katz said."]


# -- properties ------------------------------------------------------------------------------

FRAGMENTS = [
    "Safra Katz spoke.",
    "Ms. Katz said so.",
    "Katz's Delicatessen",
    "Min. Ellison left.",
    "Larry Ellison",
    "Tick Tock",
    "the video app",
    "Corona virus",
    "the outbreak spread",
    "fund-razor",
    "pitchbook",
    "according to",
    "$ 20 billion",
    " , ",
    "  ",
    " .",
    "\n",
    "```",
    "`",
    "    ",
    "Herr",
    "Angela Merkel",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join))
def test_context_layer_idempotent_and_replayable(text: str) -> None:
    changes = N.explain(text)
    cleaned = replay(text, changes)
    assert cleaned == N.clean(text)
    assert N.clean(cleaned) == cleaned
    assert all(c.start < c.end and text[c.start : c.end] == c.original for c in changes)


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join))
def test_switching_the_layer_off_only_removes_its_changes(text: str) -> None:
    off = Normaliser(settings=Settings(**OFF, typography=False))  # type: ignore[arg-type]
    names = set(off.explain(text))
    assert names <= set(N.explain(text))  # the name pass's changes always win


# -- the order of passes -------------------------------------------------------------------


def test_every_pass_has_its_module_switch_and_test_file() -> None:
    import importlib

    from normalise.passes import PASSES

    assert [p.name for p in PASSES] == ["names", "context", "document", "honorifics", "typography"]
    here = Path(__file__).parent
    for p in PASSES:
        assert importlib.import_module(f"normalise.passes.{p.name}") is not None
        assert (here / f"test_{p.name}.py").is_file()
        if p.name == "names":
            continue  # a switch per method: aliases, case, compact, phonetic, edit
        assert hasattr(Settings(), p.name)
        # The context pass always runs (gated fuzzy matches go without its support).
        assert p.enabled(Settings(**{p.name: False})) == (p.name == "context")  # type: ignore[arg-type]


def test_gated_fuzzy_matches_need_the_context_pass() -> None:
    table = {
        "entity": [{"canonical": "Brightlane", "context": ["logistics"], "context_fuzzy": True}]
    }
    text = "Brightlene, the logistics firm"
    assert Normaliser([table], builtin=False).clean(text) == "Brightlane, the logistics firm"
    off = Normaliser([table], builtin=False, settings=Settings(context=False))
    assert off.clean(text) == text  # without the context pass, no support
