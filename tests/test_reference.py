"""The fast path against a slow, obviously correct reference.

The index finds fuzzy candidates through a dict on phonetic keys and their one-deletion
neighbourhood. The reference looks at every name in the table instead, with plain
dynamic-programming distances; the two must agree on every name.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import OSA, Levenshtein

from normalise import Normaliser

from .strategies import entity_mentions

FAST = Normaliser()


class _EveryTarget(dict[str, tuple[int, ...]]):
    """A stand-in for the phonetic index that returns every target for any key."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self._all = tuple(range(n))

    def get(self, key: str, default: object = None) -> tuple[int, ...]:  # type: ignore[override]
        return self._all


# A normaliser of its own (its own run and span caches), whose phonetic, sound-key and
# transliteration-key indexes are replaced by a full scan of every target.
SLOW = Normaliser()
SLOW.index.fuzzy = _EveryTarget(len(SLOW.index.targets))
SLOW.index.sound = _EveryTarget(len(SLOW.index.targets))
SLOW.index.translit = _EveryTarget(len(SLOW.index.targets))
SLOW.names._screen = False  # every run decided in full (the native screen reads the index)


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def osa(a: str, b: str) -> int:
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@given(entity_mentions())
def test_index_agrees_with_full_scan(name: str) -> None:
    assert FAST.match(name) == SLOW.match(name)


@given(entity_mentions().map(lambda s: f"The {s} said, and {s}'s rival"))
def test_index_agrees_with_full_scan_in_text(text: str) -> None:
    assert FAST.explain(text) == SLOW.explain(text)


@given(st.text(alphabet="abcdekst", max_size=9), st.text(alphabet="abcdekst", max_size=9))
def test_distances_agree_with_plain_dynamic_programming(a: str, b: str) -> None:
    assert Levenshtein.distance(a, b) == levenshtein(a, b)
    assert OSA.distance(a, b) == osa(a, b)
