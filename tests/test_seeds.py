"""The seed corpus: every known garble fixed, nothing else changed."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pytest

from normalise import Normaliser, Settings, replay

from .conftest import SEEDS, SHARED, TESTS

GOLD = TESTS / "data" / "seeds_gold.tsv"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _gold(level: str) -> dict[str, list[tuple[str, str, int]]]:
    out: dict[str, list[tuple[str, str, int]]] = {}
    with open(GOLD, encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            name, lvl, original, replacement, count = row
            if lvl == level:
                out.setdefault(name, []).append((original, replacement, int(count)))
    return out


def test_seed_copy_matches_shared() -> None:
    assert len(SEED_FILES) == 5
    shared = SHARED / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared is not beside the project")
    for path in SEED_FILES:
        assert filecmp.cmp(path, shared / path.name, shallow=False), path.name


def _expected(path: Path, levels: tuple[str, ...]) -> str:
    text = path.read_text(encoding="utf-8")
    expected = text
    for level in levels:
        for original, replacement, count in _gold(level).get(path.name, []):
            assert expected.count(original) == count, original
            expected = expected.replace(original, replacement)
    return expected


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_all_garbles_fixed_and_nothing_else(normaliser: Normaliser, path: Path) -> None:
    """Required (name) and stretch (context layer) garbles: all fixed, nothing else."""
    text = path.read_text(encoding="utf-8")
    expected = _expected(path, ("required", "stretch"))
    assert normaliser.clean(text) == expected
    assert replay(text, normaliser.explain(text)) == expected
    assert normaliser.clean(expected) == expected


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_required_garbles_without_context_layer(path: Path) -> None:
    """With the context layer switched off, the name pass alone fixes the required
    garbles and nothing else."""
    off = Settings(document=False, context=False, honorifics=False, words=False, typography=False)
    n = Normaliser(settings=off)
    text = path.read_text(encoding="utf-8")
    assert n.clean(text) == _expected(path, ("required",))


def test_seed_stretch_methods() -> None:
    """Each part of the context layer shows up in the explanation under its own name."""
    n = Normaliser()
    methods = {
        (c.original, c.replacement, c.method)
        for path in SEED_FILES
        for c in n.explain(path.read_text(encoding="utf-8"))
        if c.method not in ("alias", "case", "compact", "phonetic", "edit")
    }
    assert methods == {
        ("$ 20", "$20", "typography"),
        ("$ 10", "$10", "typography"),
        ("$ 100", "$100", "typography"),
        ("Katz", "Catz", "document"),
        ("Min.", "Mr.", "honorific"),
        ("fund-razor", "fundraiser", "word"),
        ("pitchbook", "PitchBook", "context"),
        ("Corona virus", "coronavirus", "context"),
    }


def test_seed_gold_counts_every_garble() -> None:
    assert sum(c for rows in _gold("required").values() for _, _, c in rows) == 30
    assert sum(c for rows in _gold("stretch").values() for _, _, c in rows) == 8


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_without_listed_garbles(path: Path) -> None:
    """With the seed garbles removed from the table, the matcher still finds most."""
    from normalise import AliasTable, Entity, builtin_table

    bare = AliasTable(
        tuple(Entity(e.canonical, e.kind, (), e.keep, e.source) for e in builtin_table().entities)
    )
    off = Settings(document=False, context=False, honorifics=False, words=False, typography=False)
    n = Normaliser([bare], builtin=False, settings=off)
    text = path.read_text(encoding="utf-8")
    want = {o for o, _, _ in _gold("required").get(path.name, [])}
    got = {c.original for c in n.explain(text)}
    assert got <= want  # never a wrong change
    # Syllable substitutions ("Tickcock", "TickTalk"), "TickTock", a real word, and
    # "Safra Katz", whose "Katz" is a common surname, need the table; everything else
    # is found by phonetic, edit or compact evidence.
    assert want - got <= {"Tickcock", "TickTalk", "TickTock", "Safra Katz"}
