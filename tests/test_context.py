"""The context layer (issue 7): each part, its switch, its table keys and its limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalise import AliasTableError, Normaliser, Settings, load_table, replay, table_from_mapping
from normalise.cli import main
from normalise.typography import RULES, Code, fixes

N = Normaliser()
OFF = {"document": False, "context": False, "honorifics": False, "words": False}


def _methods(n: Normaliser, text: str) -> list[tuple[str, str, str]]:
    return [(c.original, c.replacement, c.method) for c in n.explain(text)]


# -- 1. document consistency --------------------------------------------------------------


def test_document_fix_carries_the_anchor_score_and_canonical() -> None:
    changes = N.explain("Safra Katz spoke. Katz said no.")
    assert [(c.original, c.method) for c in changes] == [
        ("Safra Katz", "alias"),
        ("Katz", "document"),
    ]
    assert changes[1].canonical == "Safra Catz"
    assert changes[1].score == changes[0].score


@pytest.mark.parametrize(
    "text",
    [
        "Safra Katz spoke. The Katz Group said no.",  # part of another name
        "Safra Katz spoke. Alex Katz said no.",
        "Safra Katz spoke. See katz.com or @Katz now.",
        "Safra Katz spoke. Katz-Smith said no.",
    ],
)
def test_document_fix_leaves_other_names(text: str) -> None:
    assert [c.method for c in N.explain(text)] == ["alias"]


def test_document_fix_needs_the_anchor_in_the_same_document() -> None:
    docs = ["Safra Katz spoke.", "Ms. Katz said no."]
    assert N.clean_many(docs) == ["Safra Catz spoke.", "Ms. Katz said no."]
    assert N.clean(" ".join(docs)) == "Safra Catz spoke. Ms. Catz said no."


def test_document_fix_one_garble_two_people_is_left_alone() -> None:
    table = {
        "entity": [
            {"canonical": "Anna Berg", "kind": "person", "aliases": ["Anna Burg"]},
            {"canonical": "Otto Borg", "kind": "person", "aliases": ["Otto Burg"]},
        ]
    }
    n = Normaliser([table], builtin=False)
    assert n.clean("Anna Burg met Otto Burg. Burg said no.") == (
        "Anna Berg met Otto Borg. Burg said no."
    )


def test_document_fix_only_for_people() -> None:
    table = {"entity": [{"canonical": "Acme Widgets", "kind": "org", "aliases": ["Acne Widgets"]}]}
    n = Normaliser([table], builtin=False)
    assert n.clean("Acne Widgets grew. Acne said no.") == "Acme Widgets grew. Acne said no."


# -- 2. context-gated aliases ----------------------------------------------------------------

GATED = {
    "entity": [
        {
            "canonical": "Zoomify",
            "kind": "product",
            "context_aliases": ["Zoom Ify"],
            "context": ["video", "Zoomify Inc"],
        },
        {"canonical": "Kwikstore", "context_aliases": ["Quick Store"]},  # mention only
        {
            "canonical": "Brightlane",
            "kind": "org",
            "context": ["logistics"],
            "context_scope": "sentence",
            "context_fuzzy": True,
        },
    ]
}


def test_context_alias_needs_a_context_word() -> None:
    n = Normaliser([GATED], builtin=False)
    assert n.clean("Zoom Ify is down.") == "Zoom Ify is down."
    assert _methods(n, "Zoom Ify is down. The video calls failed.") == [
        ("Zoom Ify", "Zoomify", "context")
    ]
    # a context word with capitals must match as written; a lower-case one in any case
    assert (
        n.clean("Zoom Ify is down. VIDEO calls failed.") == "Zoomify is down. VIDEO calls failed."
    )
    assert n.clean("Zoom Ify. zoomify inc said.") == "Zoom Ify. zoomify inc said."


def test_context_alias_supported_by_another_mention_of_the_entity() -> None:
    n = Normaliser([GATED], builtin=False)
    assert n.clean("Quick Store opened.") == "Quick Store opened."
    assert n.clean("Quick Store opened. Kwikstore said so.") == (
        "Kwikstore opened. Kwikstore said so."
    )


def test_context_fuzzy_needs_support_in_the_sentence() -> None:
    n = Normaliser([GATED], builtin=False)
    assert n.clean("Brightlain won. Its logistics grew.") == "Brightlain won. Its logistics grew."
    assert n.clean("Brightlain logistics won.") == "Brightlane logistics won."
    # without the gate, the same fuzzy match needs no support
    open_table = {"entity": [{"canonical": "Brightlane", "kind": "org"}]}
    assert Normaliser([open_table], builtin=False).clean("Brightlain won.") == "Brightlane won."


def test_builtin_gated_examples() -> None:
    assert N.clean("Tick Tock: the clock is ticking.") == "Tick Tock: the clock is ticking."
    assert N.clean("TICK TOCK") == "TICK TOCK"
    assert N.clean("Tick Tock is banned. TikTok said so.") == "TikTok is banned. TikTok said so."
    assert N.clean("The novel Corona virus.") == "The novel coronavirus."


# -- 3. honorifics -------------------------------------------------------------------------


def test_honorific_from_the_document_when_the_table_has_none() -> None:
    table = {"entity": [{"canonical": "Jan Novak", "kind": "person"}]}
    n = Normaliser([table], builtin=False, settings=Settings(typography=False))
    text = "Jan Novak spoke. Dr. Novak left. Min. Novak came back."
    assert n.clean(text) == text  # no honorific garbles in this table
    with_garbles = {**table, "honorific": [{"garble": "Min."}]}
    n = Normaliser([with_garbles], builtin=False)
    assert n.clean(text) == "Jan Novak spoke. Dr. Novak left. Dr. Novak came back."
    # neither the table nor the document says which honorific: left alone
    assert n.clean("Jan Novak spoke. Min. Novak left.") == "Jan Novak spoke. Min. Novak left."


def test_honorific_means_is_the_last_resort() -> None:
    table = {
        "entity": [{"canonical": "Jan Novak", "kind": "person"}],
        "honorific": [{"garble": "Herr", "means": "Mr."}],
    }
    n = Normaliser([table], builtin=False)
    assert _methods(n, "Jan Novak spoke. Herr Novak left.") == [("Herr", "Mr.", "honorific")]


def test_honorific_two_people_of_one_surname_with_different_honorifics() -> None:
    table = {
        "entity": [
            {"canonical": "Jan Novak", "kind": "person", "honorific": "Mr."},
            {"canonical": "Eva Novak", "kind": "person", "honorific": "Ms."},
        ],
        "honorific": [{"garble": "Min."}],
    }
    n = Normaliser([table], builtin=False)
    text = "Jan Novak and Eva Novak spoke. Min. Novak left."
    assert n.clean(text) == text
    assert n.clean("Jan Novak spoke. Min. Novak left.") == "Jan Novak spoke. Mr. Novak left."


# -- 4. word garbles -------------------------------------------------------------------------


def test_word_garbles_as_written_or_capitalised_only() -> None:
    assert N.clean("a fund-razor, a Fund-razor") == "a fundraiser, a Fundraiser"
    assert N.clean("a FUND-RAZOR or a fund-razorblade") == "a FUND-RAZOR or a fund-razorblade"


def test_user_word_table() -> None:
    table = {"word": [{"canonical": "stakeholder", "aliases": ["steak-holder"]}]}
    n = Normaliser([table], builtin=False)
    assert _methods(n, "each steak-holder") == [("steak-holder", "stakeholder", "word")]


# -- 5. typography ---------------------------------------------------------------------------


def test_every_rule_documents_a_working_example() -> None:
    for rule in RULES:
        got = rule.example
        for f in sorted(fixes(rule.example, Code(rule.example)), reverse=True):
            got = got[: f.start] + f.replacement + got[f.end :]
        assert got == rule.fixed, rule.name


def test_typography_never_touches_code_fenced_across_pieces() -> None:
    text = "a $ 5 b\n```\nc $ 5 d\n" + "x\n" * 50 + "```\ne $ 5 f\n"
    whole = N.clean(text)
    assert whole == text.replace("a $ 5", "a $5").replace("e $ 5", "e $5")
    chunks = [text[i : i + 7] for i in range(0, len(text), 7)]
    assert "".join(N.iter_clean(chunks, buffer=8)) == whole


# -- switches, streaming, the command line ---------------------------------------------------

SEED = Path(__file__).resolve().parent.parent / "seeds" / "002_6b5e4551183c8f78.txt"


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


# -- the table schema ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"entity": [{"canonical": "A", "context": "app"}]}, "entity 'A': context must be a list"),
        (
            {"entity": [{"canonical": "A", "context_scope": "page"}]},
            "context_scope must be one of document, sentence, not 'page'",
        ),
        (
            {"entity": [{"canonical": "A", "context_fuzzy": "yes"}]},
            "entity 'A': context_fuzzy must be true or false, not 'yes'",
        ),
        (
            {"entity": [{"canonical": "A", "honorific": "Mr. X"}]},
            "honorific must be one short word",
        ),
        ({"word": [{"canonical": "w"}]}, "word 'w': a word needs at least one alias"),
        (
            {"word": [{"canonical": "w", "aliases": [1]}]},
            "word 'w': aliases entry must be a string",
        ),
        ({"word": [{"aliases": ["x"]}]}, "word #1 has no canonical form"),
        ({"honorific": [{"garble": "Min.", "x": 1}]}, "honorific 'Min.': unknown key 'x'"),
        ({"honorific": [{}]}, "honorific #1 has no garble"),
        ({"word": {"canonical": "w"}}, "'word' must be an array of tables"),
        (
            {
                "entity": [
                    {"canonical": "A", "aliases": ["Bb"]},
                    {"canonical": "C", "context_aliases": ["Bb"]},
                ]
            },
            "context alias 'Bb' is already the alias 'Bb' of entity 'A'",
        ),
        (
            {"entity": [{"canonical": "A"}], "word": [{"canonical": "w", "aliases": ["A"]}]},
            "word alias 'A' is already a name of entity 'A'",
        ),
        (
            {"word": [{"canonical": "a", "aliases": ["b"]}, {"canonical": "c", "aliases": ["b"]}]},
            "word 'c': word alias 'b' is already an alias of word 'a'",
        ),
    ],
)
def test_schema_errors_name_the_entity_and_value(table: dict[str, Any], message: str) -> None:
    with pytest.raises(AliasTableError, match=r"^<mapping>: ") as e:
        table_from_mapping(table)
    assert message in str(e.value)


def test_schema_round_trips_through_toml(tmp_path: Path) -> None:
    from normalise import builtin_table

    path = tmp_path / "t.toml"
    path.write_text(builtin_table().to_toml(), encoding="utf-8")
    again = load_table(path)
    assert again.to_toml() == builtin_table().to_toml()
    assert len(again.words) >= 2 and len(again.honorifics) >= 1
    assert any(e.context_aliases for e in again.entities)


def test_old_tables_still_load() -> None:
    """Schema 1 tables without the new keys mean exactly what they meant."""
    table = table_from_mapping({"meta": {"schema": 1}, "entity": [{"canonical": "Acme"}]})
    assert table.words == () and table.honorifics == ()
    e = table.entities[0]
    assert (e.context_aliases, e.context, e.context_scope, e.honorific, e.context_fuzzy) == (
        (),
        (),
        "document",
        None,
        False,
    )


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
