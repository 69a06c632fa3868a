"""The document pass: a garbled part of a name fixed where the full name was."""

from __future__ import annotations

import pytest

from normalise import Normaliser
from tests.passes.common import N

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


def test_a_garbled_surname_after_the_full_name_written_right() -> None:
    """Issue 22: "Safra Catz ... Ms. Katz": the table's alias "Safra Katz" makes "Katz"
    a garble of her surname, once the document names her; never before, nor inside
    another name."""
    from normalise import Normaliser

    n = Normaliser()
    text = "Safra Catz met Bytdance. Ms. Katz said no. Alex Katz paints."
    assert n.clean(text) == "Safra Catz met ByteDance. Ms. Catz said no. Alex Katz paints."
    assert n.clean("Ms. Katz spoke before Safra Catz.") == "Ms. Katz spoke before Safra Catz."
