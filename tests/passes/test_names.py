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
