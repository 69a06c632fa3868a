"""The seed corpus: every known garble fixed, nothing else changed."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pytest

from normalise import Normaliser, replay

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


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_required_garbles_fixed_and_nothing_else(normaliser: Normaliser, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = text
    for original, replacement, count in _gold("required").get(path.name, []):
        assert expected.count(original) == count, original
        expected = expected.replace(original, replacement)
    assert normaliser.clean(text) == expected
    assert replay(text, normaliser.explain(text)) == expected


def test_seed_gold_counts_every_required_garble() -> None:
    total = sum(c for rows in _gold("required").values() for _, _, c in rows)
    assert total == 30


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_without_listed_garbles(path: Path) -> None:
    """With the seed garbles removed from the table, the matcher still finds most."""
    from normalise import AliasTable, Entity, builtin_table

    bare = AliasTable(
        tuple(Entity(e.canonical, e.kind, (), e.keep, e.source) for e in builtin_table().entities)
    )
    n = Normaliser([bare], builtin=False)
    text = path.read_text(encoding="utf-8")
    want = {o for o, _, _ in _gold("required").get(path.name, [])}
    got = {c.original for c in n.explain(text)}
    assert got <= want  # never a wrong change
    # Syllable substitutions ("Tickcock", "TickTalk") and "TickTock", a real word,
    # need the table; everything else is found by phonetic, edit or compact evidence.
    assert want - got <= {"Tickcock", "TickTalk", "TickTock"}
