"""The garble generator: every transformation documented, applicable and reproducible."""

from __future__ import annotations

import pytest
from hypothesis import given

from normalise.garble import TRANSFORMS, garble, garbles
from normalise.testing import garble_kinds, garbled_names


@pytest.mark.parametrize("kind", sorted(TRANSFORMS))
def test_each_transformation_is_documented_with_an_example(kind: str) -> None:
    doc = TRANSFORMS[kind].__doc__ or ""
    assert '"' in doc and " for " in doc, kind


@pytest.mark.parametrize(
    ("name", "kind", "possible"),
    [
        ("TikTok", "split_word", {"Tik Tok"}),
        ("Walmart", "double_letter", {"Wallmart", "Walmmart", "Walmartt", "Walmarrt"}),
        ("Safra Catz", "merge_words", {"SafraCatz", "Safracatz"}),
        ("Google", "case_damage", {"GOOGLE", "GOogle", "GoOgle", "GooGle", "GoogLe", "GooglE"}),
        ("Zelensky", "romanisation", {"Zelenskyy", "Zelenskyy".replace("yy", "y"), "Zelenkhsky"}),
    ],
)
def test_transformations_make_the_real_artifacts(name: str, kind: str, possible: set[str]) -> None:
    got = {garble(name, seed=s, kinds=[kind]) for s in range(20)}
    assert got & possible
    assert got <= possible | {name} | {g for g in got if kind == "romanisation"}


def test_seeded_and_reproducible() -> None:
    assert garble("ByteDance", seed=7) == garble("ByteDance", seed=7)
    assert garbles("ByteDance", 5, seed=1) == garbles("ByteDance", 5, seed=1)
    variants = garbles("ByteDance", 5, seed=1)
    assert len(variants) == len(set(variants)) == 5 and "ByteDance" not in variants


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown garble kind 'typo'"):
        garble("TikTok", kinds=["typo"])


@given(garble_kinds().flatmap(lambda k: garbled_names("Safra Catz", kinds=[k], max_edits=2)))
def test_garbles_are_non_empty_text(name: str) -> None:
    assert name.strip() and "\n" not in name


def test_the_testing_helpers_take_what_normaliser_takes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 22: a mapping, a path or a list of tables, as ``Normaliser`` takes them."""
    from hypothesis import find

    from normalise.testing import entity_names, sentences

    mapping = {"entity": [{"canonical": "Oracle"}]}
    path = tmp_path / "t.toml"
    path.write_text('[[entity]]\ncanonical = "Sony"\n')
    assert find(entity_names(mapping), lambda n: True) == "Oracle"
    assert find(entity_names(str(path)), lambda n: True) == "Sony"
    both = {"Oracle", "Sony"}
    assert find(entity_names([mapping, path]), lambda n: n == "Sony") in both
    assert "Oracle" in find(sentences(mapping, garbled=False), lambda t: "Oracle" in t)


def test_a_failing_garbled_name_shows_the_string() -> None:
    from hypothesis import given, settings

    from normalise.testing import garbled_names

    @settings(max_examples=5, database=None)
    @given(garbled_names("ByteDance"))
    def never(name: str) -> None:
        raise AssertionError(name)

    try:
        never()
    except AssertionError as e:
        notes = "\n".join(getattr(e, "__notes__", []))
        assert "name='" in notes and "lambda" not in notes
    else:
        raise AssertionError("the property did not fail")
