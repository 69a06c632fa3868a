"""The decision model: transliteration keys, weighed evidence, the document's evidence,
explanations that carry it, and user tables that respell built-in entities."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from normalise import Normaliser, Settings, replay
from normalise.evidence import COMPARISONS, Weights, probability, shipped
from normalise.keys import compact, translit_key

TABLE = Normaliser(
    [
        {
            "entity": [
                {"canonical": "Krychowiak", "kind": "person"},
                {"canonical": "Jair Bolsonaro", "kind": "person"},
                {"canonical": "Kowalczyk"},
            ]
        }
    ]
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Raisi", "Laisi"),  # l/r
        ("Fujimori", "Hujimori"),  # f/hu
        ("Berlusconi", "Perlusconi"),  # b/p
        ("Vasiliev", "Wasiliew"),  # v/w
        ("Xinjiang", "Shinjiang"),  # x/sh
        ("Zhou", "Jou"),  # zh/j
        ("Tsoi", "Choi"),  # ts/ch
        ("Zelenskiy", "Zelensky"),  # -iy/-y endings
        ("Zelensky", "Zelenski"),
        ("Kovalchuk", "Kowaltschuk"),  # v/w, ch/tsch
        ("Mohammed", "Muhamad"),  # vowels, doubled letters
    ],
)
def test_transliteration_key_merges_what_scripts_confuse(a: str, b: str) -> None:
    assert translit_key(compact(a)) == translit_key(compact(b))


@pytest.mark.parametrize(
    ("a", "b"), [("Hasan", "Asan"), ("Marko", "Narko"), ("Beijing", "Nanjing"), ("Paris", "Lima")]
)
def test_transliteration_key_keeps_other_names_apart(a: str, b: str) -> None:
    assert translit_key(compact(a)) != translit_key(compact(b))


def test_shipped_weights_have_every_level_and_a_provenance() -> None:
    raw = json.loads(
        resources.files("normalise").joinpath("weights.json").read_text(encoding="utf-8")
    )
    assert raw["fitted_by"] == "tools/fit_weights.py"
    w = shipped()
    for comparison, levels in COMPARISONS.items():
        assert set(w.weights[comparison]) == set(levels), comparison
    # What the fit learnt, in the direction any reader expects.
    sim = w.weights["similarity"]
    assert sim["0.9"] > sim["0.8"] > sim["0.7"] > sim["0.5"]
    assert w.weights["frequency"]["unknown"] > w.weights["frequency"]["very common"]
    assert w.weights["document"]["canonical"] > w.weights["document"]["repeated"]
    assert w.weights["context"]["own name"] > w.weights["context"]["in longer name"]


def test_weights_missing_a_level_are_refused() -> None:
    data = {"prior": 0, "threshold": 0, "weights": {c: {} for c in COMPARISONS}}
    with pytest.raises(ValueError, match="lacks levels"):
        Weights.from_dict(data)


def test_every_fuzzy_change_carries_evidence_that_adds_up_to_its_score() -> None:
    text = "Bytedanse said so."
    (change,) = Normaliser().explain(text)
    assert change.method == "phonetic"
    assert change.evidence[0].comparison == "prior"
    comparisons = [e.comparison for e in change.evidence]
    assert {"similarity", "sound", "frequency", "context", "document"} <= set(comparisons)
    bits = sum(e.weight for e in change.evidence)
    assert change.score == round(probability(bits), 4)
    assert change.to_dict()["evidence"][1] == change.evidence[1].to_dict()
    assert replay(text, [change]) == "ByteDance said so."


def test_listed_aliases_need_no_weighing() -> None:
    (change,) = Normaliser().explain("Bytdance said so.")
    assert change.method == "alias" and change.evidence == () and change.score == 1.0


def test_why_lists_the_evidence_and_the_threshold() -> None:
    n = Normaliser()
    why = n.why("Bytedanse")
    assert why is not None and why.accepted
    bits = sum(e.weight for e in why.verdict.evidence)
    assert bits >= why.threshold
    assert why.candidates[0][0] == "ByteDance"
    assert n.why("Wallmart") is not None
    assert n.why("Xyzzy qwerty") is None


def test_a_higher_threshold_never_adds_a_change() -> None:
    text = "Bytedanse met Kovid-19 and Twittr in Kirgizstan."
    loose = Normaliser(settings=Settings(threshold_shift=-3.0)).explain(text)
    strict = Normaliser(settings=Settings(threshold_shift=3.0)).explain(text)
    strictest = Normaliser(settings=Settings(threshold_shift=30.0)).explain(text)
    assert {c[:5] for c in strictest} <= {c[:5] for c in strict} <= {c[:5] for c in loose}
    assert [c.method for c in strictest] == ["alias"]  # Kovid-19: listed, not weighed


def _levels(n: Normaliser, text: str, original: str) -> dict[str, str]:
    change = next(c for c in n.explain(text) if c.original == original)
    return {e.comparison: e.level for e in change.evidence}


def test_the_canonical_elsewhere_in_the_document_is_evidence() -> None:
    n = Normaliser(
        [{"entity": [{"canonical": "Kowalczyk"}]}],
        settings=Settings(threshold_shift=-30),
    )
    alone = _levels(n, "Kovalczyk said.", "Kovalczyk")
    supported = _levels(n, "Kowalczyk arrived. Kovalczyk said.", "Kovalczyk")
    repeated = _levels(n, "Kovalczyk came. Kovalczyk saw. Kovalczyk said.", "Kovalczyk")
    assert (alone["document"], supported["document"], repeated["document"]) == (
        "none",
        "canonical",
        "repeated",
    )


def test_a_word_inside_a_longer_unknown_name_is_evidence_against() -> None:
    n = Normaliser(
        [{"entity": [{"canonical": "Kowalczyk"}]}],
        settings=Settings(threshold_shift=-30),
    )
    assert _levels(n, "Kovalczyk said.", "Kovalczyk")["context"] == "own name"
    assert _levels(n, "Zbigniew Kovalczyk said.", "Kovalczyk")["context"] == "in longer name"
    # A neighbour that is itself a name of the table is not part of an unknown name.
    assert _levels(n, "Google Kovalczyk said.", "Kovalczyk")["context"] == "own name"


def test_document_evidence_keeps_a_second_run_from_changing_more() -> None:
    n = Normaliser([{"entity": [{"canonical": "Kowalczyk"}]}])
    text = "Kowalcyk arrived. Kovalczyk said. Kowalczyk left."
    once = n.clean(text)
    assert n.clean(once) == once


def test_a_surname_alone_becomes_the_surname() -> None:
    out = TABLE.clean("Jair Bolsonaro spoke. Later Bolsanaro said no.")
    assert out == "Jair Bolsonaro spoke. Later Bolsonaro said no."
    (change,) = TABLE.explain("Jair Bolsonaro spoke. Later Bolsanaro said no.")
    assert (change.replacement, change.canonical) == ("Bolsonaro", "Jair Bolsonaro")


def test_a_surname_of_the_table_is_not_respelled_as_another_persons() -> None:
    """Found by the P2 test of issue 15: with thousands of invented people, "Kadraro"
    (one person's surname) became "Kadralo" (another's). A surname as the table writes
    it is left alone; its neighbour still counts it as part of a longer name."""
    people = [
        {"canonical": "Viromo Kadraro", "kind": "person"},
        {"canonical": "Drabarbar Kadralo", "kind": "person"},
    ]
    n = Normaliser([{"entity": people}], builtin=False)
    text = "Drabarbar Kadralo arrived. Later Kadraro said no."
    assert n.clean(text) == text
    # a garble of either surname is still repaired
    assert n.clean("Drabarbar Kadralo arrived. Later Kadrallo said no.") == (
        "Drabarbar Kadralo arrived. Later Kadralo said no."
    )
    assert n.why("Kadraro") is None


def test_results_do_not_depend_on_batches() -> None:
    texts = ["Kowalczyk arrived. Kovalczyk said.", "Kovalczyk said.", "Bytedanse."] * 3
    assert TABLE.clean_many(texts, workers=2) == [TABLE.clean(t) for t in texts]


def test_user_tables_respell_builtin_entities() -> None:
    n = Normaliser(
        [
            {
                "entity": [
                    {"canonical": "Volodymyr Zelenskyy", "kind": "person"},
                    {"canonical": "Recep Tayyip Erdoğan", "kind": "person"},
                ]
            }
        ]
    )
    text = "Volodymyr Zelensky met Recep Tayyip Erdogan."
    assert n.clean(text) == "Volodymyr Zelenskyy met Recep Tayyip Erdoğan."
    assert n.clean("Volodymyr Zelenskyy met Recep Tayyip Erdoğan.") == (
        "Volodymyr Zelenskyy met Recep Tayyip Erdoğan."
    )


def test_respelling_leaves_other_names_and_styling_alone() -> None:
    n = Normaliser(
        [
            {
                "entity": [
                    {"canonical": "Brazzaville"},
                    {"canonical": "Estonian"},
                    {"canonical": "Nato"},
                ]
            }
        ]
    )
    text = "Brazzaville, Estonia, the Republic of the Congo, NATO and Nato."
    assert n.clean(text) == text


def test_the_docs_show_the_shipped_weights() -> None:
    from pathlib import Path

    from normalise.evidence import weights_table

    doc = (Path(__file__).resolve().parent.parent / "docs" / "decision-model.md").read_text(
        encoding="utf-8"
    )
    shown = doc.split("<!-- weights-table -->\n", 1)[1].split("<!-- /weights-table -->", 1)[0]
    assert shown == weights_table(shipped())


def test_the_docs_show_every_comparison_as_defined() -> None:
    from pathlib import Path

    from normalise.comparisons import table

    doc = (Path(__file__).resolve().parent.parent / "docs" / "decision-model.md").read_text(
        encoding="utf-8"
    )
    shown = doc.split("<!-- comparisons-table -->\n", 1)[1]
    assert shown.split("<!-- /comparisons-table -->", 1)[0] == table()


def test_document_evidence_can_be_switched_off() -> None:
    n = Normaliser(settings=Settings(document_evidence=False))
    (change,) = n.explain("Bytedanse said so.")
    assert "document" not in {e.comparison for e in change.evidence}
    assert change.score == round(probability(sum(e.weight for e in change.evidence)), 4)


def test_a_name_cut_into_one_word_more_or_fewer_is_a_candidate() -> None:
    """Candidates across word counts (issue 20): "Wang Lingli" for "Wong Ling Li", a
    given name written joined where the table splits it, is weighed as resegmented."""
    from normalise import Normaliser, table_from_mapping
    from normalise.matcher import _resegmented

    table = table_from_mapping({"entity": [{"canonical": "Wong Ling Li", "kind": "person"}]})
    n = Normaliser([table], builtin=False)
    why = n.why("Wang Lingli")
    assert why is not None and why.accepted
    assert {e.comparison: e.level for e in why.verdict.evidence}["words"] == "resegmented"
    assert n.clean("Wang Lingli said so.") == "Wong Ling Li said so."
    # Cut alike but for one cut, within a letter; not cut elsewhere.
    assert _resegmented(frozenset({4}), frozenset({4, 8}), 10, 10)
    assert _resegmented(frozenset({4}), frozenset({5, 8}), 10, 10)
    assert not _resegmented(frozenset({2}), frozenset({5, 8}), 10, 10)
    # One word against two: any cut would do, so none is taken ("Baha Mousa" is no
    # "Bahamas"); a part of one letter is an initial ("David E. Sanger"), not a cut.
    assert not _resegmented(frozenset(), frozenset({4}), 7, 9)
    assert not _resegmented(frozenset({5}), frozenset({5, 6}), 11, 12)


def _only_levels(n: Normaliser, text: str) -> dict[str, str]:
    (change,) = n.explain(text)
    return {e.comparison: e.level for e in change.evidence}


def test_marks_the_name_lacks_and_a_persons_surname_are_weighed() -> None:
    """Issue 20: a foreign name copied with its own accents, and a surface the document
    writes after a person's given name, weigh against a repair to a place."""
    from normalise import table_from_mapping

    table = table_from_mapping({"entity": [{"canonical": "Mivarsko", "kind": "place"}]})
    n = Normaliser([table], builtin=False, settings=Settings(threshold_shift=-20))
    w = shipped().weights
    assert _only_levels(n, "Mivársco said so.")["marks"] == "added"
    assert _only_levels(n, "Mivarsco said so.")["marks"] == "none"
    assert w["marks"]["added"] < w["marks"]["none"]
    text = "Felix Mivarsco spoke first."
    levels = [
        {e.comparison: e.level for e in c.evidence}
        for c in n.explain(f"{text} Later Mivarsco said so.")
        if c.start > len(text)
    ]
    assert levels and levels[0]["usage"] == "surname of a person"
    assert w["usage"]["surname of a person"] < w["usage"]["alone"]
    # For a person of the table, a surname after a given name is what it should be.
    people = table_from_mapping({"entity": [{"canonical": "Ana Mivarsko", "kind": "person"}]})
    p = Normaliser([people], builtin=False, settings=Settings(threshold_shift=-20))
    found = [c for c in p.explain(f"{text} Later Mivarsco said so.") if c.start > len(text)]
    assert found and {e.comparison: e.level for e in found[0].evidence}["usage"] != (
        "surname of a person"
    )
