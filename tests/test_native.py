"""The native core against the pure-Python reference: the same keys, the same screen,
the same changes with the same evidence and scores (issue 21's equivalence suite).

The native core is built by the README's set-up (hatch_build.py runs cargo); where it
is not built, these tests are skipped, and ``.ci/run`` checks that it is built there.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from pathlib import Path

import jellyfish
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from normalise import Normaliser, backend, table_from_mapping
from normalise.comparisons import ending
from normalise.keys import compact, fold, phonetic, sound_key, translit_key
from normalise.scan import RUN
from normalise.screen import Screen, native_screen

native = pytest.importorskip("normalise._native")

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"

letters = st.text(alphabet=string.ascii_lowercase, min_size=0, max_size=14)
compacts = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=0, max_size=14)
ascii_text = st.text(alphabet=string.ascii_letters + string.digits + " '`-.,", max_size=40)


@settings(max_examples=2000)
@given(letters)
def test_metaphone_is_jellyfishs(word: str) -> None:
    assert native.metaphone(word) == jellyfish.metaphone(word)


def test_metaphone_of_every_common_word() -> None:
    from normalise.words import word_zipfs

    words = [w for w in word_zipfs(1.5) if w.isascii() and w.isalpha() and w.islower()]
    assert len(words) > 50_000
    differ = [w for w in words if native.metaphone(w) != jellyfish.metaphone(w)]
    assert differ == []


@settings(max_examples=1000)
@given(compacts)
def test_keys_are_the_references(c: str) -> None:
    assert native.phonetic(c) == phonetic(c)
    assert native.sound_key(c) == sound_key(c)
    assert native.translit_key(c) == translit_key(c)


@settings(max_examples=1000)
@given(ascii_text)
def test_fold_and_compact_are_the_references(text: str) -> None:
    assert native.fold(text) == fold(text)
    assert native.compact(text) == compact(text)


@settings(max_examples=1000)
@given(compacts, compacts)
def test_distance_and_ending_are_the_references(a: str, b: str) -> None:
    assert native.osa(a, b) == OSA.distance(a, b)
    if a and b:
        got = native.ending(a, b)
        assert got == ending(a, b)


def test_non_ascii_text_is_refused_by_the_key_functions() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        native.fold("Zürich")


# -- the screen ---------------------------------------------------------------------------


def _runs(texts: Iterator[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        for m in RUN.finditer(text):
            seen.setdefault(m.group(), None)
    return list(seen)


def _texts() -> Iterator[str]:
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    gum = CORPORA / "gum_cc_prose" / "gum_docs.jsonl"
    if gum.is_file():  # real prose, as the fit's clean text (../shared/corpora)
        with gum.open(encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)["text"]


def _both(n: Normaliser) -> tuple[Screen, object]:
    names = n.names
    screen = native_screen(n.index, names._max_words)
    assert screen is not None
    return Screen(n.index, names._max_words), screen


@pytest.mark.parametrize(
    "table",
    [None, {"entity": [{"canonical": "Wong Ling Li", "kind": "person"}, {"canonical": "Oracle"}]}],
)
def test_the_screen_rules_out_only_runs_without_a_change(table: dict | None) -> None:
    n = Normaliser([table_from_mapping(table)] if table else (), builtin=table is None)
    reference, screen = _both(n)
    runs = _runs(_texts())
    assert len(runs) > 1000
    out = 0
    for run in runs:
        maybe = screen.maybe(run)  # type: ignore[attr-defined]
        if run.isascii():
            assert maybe == reference.maybe(run), run
        else:
            assert maybe
        if not maybe:
            out += 1
            assert n.names._settled(run) == (), run
    assert out > len(runs) / 3  # the screen earns its keep


names = st.sampled_from(
    [
        "ByteDance",
        "TikTok",
        "Safra Catz",
        "Walmart",
        "Oracle",
        "Microsoft",
        "COVID-19",
        "Xi Jinping",
        "Bosnia and Herzegovina",
        "Papua New Guinea",
        "Wong Ling Li",
    ]
)
garbled = st.builds(
    lambda name, cut, extra: name[:cut] + extra + name[cut + 1 :],
    names,
    st.integers(0, 8),
    st.sampled_from(["", "a", "e", "k", "t", "i"]),
)
words = st.sampled_from(["The", "Mr", "said", "of", "and", "Monday", "Bank", "New", "He"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(garbled, words, names), min_size=1, max_size=6))
def test_the_screen_never_rules_out_a_change_of_generated_text(parts: list[str]) -> None:
    n = _shared()
    reference, screen = _both(n)
    for run in _runs(iter([" ".join(parts)])):
        if not screen.maybe(run):  # type: ignore[attr-defined]
            assert n.names._settled(run) == (), run
        if run.isascii():
            assert screen.maybe(run) == reference.maybe(run)  # type: ignore[attr-defined]


_SHARED: list[Normaliser] = []


def _shared() -> Normaliser:
    if not _SHARED:
        _SHARED.append(Normaliser())
    return _SHARED[0]


# -- whole outputs --------------------------------------------------------------------------


def _explain(monkeypatch: pytest.MonkeyPatch, choice: str, texts: list[str]) -> list[object]:
    monkeypatch.setenv("NORMALISE_BACKEND", choice)
    backend.native.cache_clear()
    try:
        n = Normaliser()
        return [n.explain(t) for t in texts]
    finally:
        backend.native.cache_clear()


def test_both_backends_make_the_same_changes_with_the_same_evidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = list(_texts())
    python = _explain(monkeypatch, "python", texts)
    rust = _explain(monkeypatch, "native", texts)
    assert rust == python
    assert sum(len(c) for c in python) > 30  # type: ignore[arg-type]


def test_the_backend_can_be_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALISE_BACKEND", "python")
    backend.native.cache_clear()
    assert backend.name() == "python"
    monkeypatch.setenv("NORMALISE_BACKEND", "native")
    backend.native.cache_clear()
    assert backend.name().startswith("native ")
    monkeypatch.setenv("NORMALISE_BACKEND", "rust")
    backend.native.cache_clear()
    with pytest.raises(ValueError, match="NORMALISE_BACKEND='rust'"):
        backend.name()
    backend.native.cache_clear()
