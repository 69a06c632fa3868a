"""The name pass: runs of capitalised words, judged span by span (the matcher's own
decisions are in tests/test_matcher.py, the weights in tests/test_evidence.py)."""

from __future__ import annotations

from normalise import Normaliser, Settings
from tests.passes.common import N, methods


def test_a_headline_keeps_its_capitals_and_prose_its_case() -> None:
    text = "BYTDANCE BUYS TIKTOK\nBytdance said."
    assert N.clean(text) == "BYTEDANCE BUYS TIKTOK\nByteDance said."


def test_urls_and_handles_are_left_alone() -> None:
    text = "See https://bytdance.com/x and @Bytdance."
    assert N.clean(text) == text


def test_fuzzy_changes_carry_the_evidence_of_run_and_document() -> None:
    (change,) = N.explain("Bytedanse said.")
    comparisons = [e.comparison for e in change.evidence]
    assert change.method == "phonetic"
    assert comparisons[0] == "prior" and {"context", "document", "usage"} <= set(comparisons)
    without = Normaliser(settings=Settings(document_evidence=False)).explain("Bytedanse said.")
    assert {e.comparison for e in without[0].evidence}.isdisjoint({"document", "usage"})


def test_the_name_pass_alone() -> None:
    off = Normaliser(
        settings=Settings(
            document=False, context=False, honorifics=False, words=False, typography=False
        )
    )
    assert methods(off, "Safra Katz met Bytdance . Katz said") == [
        ("Safra Katz", "Safra Catz", "alias"),
        ("Bytdance", "ByteDance", "alias"),
    ]


def test_a_canonical_ending_in_a_period_does_not_double_it() -> None:
    """Issue 22, item 4: "Ferdinand Marcos Jr." for "Frdinand Marcos Jr" before a
    period is written with one period; where the text has none, the canonical's own
    comes in."""
    from normalise import table_from_mapping

    table = table_from_mapping(
        {"entity": [{"canonical": "Ferdinand Marcos Jr.", "kind": "person"}]}
    )
    n = Normaliser([table], builtin=False)
    assert n.clean("Frdinand Marcos Jr. said so.") == "Ferdinand Marcos Jr. said so."
    assert n.clean("Frdinand Marcos Jr said so.") == "Ferdinand Marcos Jr. said so."
    once = n.clean("Frdinand Marcos Jr. said so.")
    assert n.clean(once) == once


def test_a_repair_never_repeats_its_neighbour() -> None:
    """Issue 20: "Shanghai Changhai Hospital" is never "Shanghai Shanghai Hospital"."""
    from normalise import table_from_mapping

    table = table_from_mapping({"entity": [{"canonical": "Zarvonia", "kind": "place"}]})
    n = Normaliser([table], builtin=False)
    assert n.clean("Zarvonya said so.") == "Zarvonia said so."
    assert n.clean("Zarvonia Zarvonya Hospital said so.") == "Zarvonia Zarvonya Hospital said so."
