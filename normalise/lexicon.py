"""Known names: is a surface itself a real name of something?

Most capitalised words of foreign news that resemble a table name are correct names the
table does not know: Beroun is a Czech town, not a garble of Berlin. The decision model
cannot tell them from garbles by spelling alone, so it asks this lexicon of about a
million real names (GeoNames places, ISO 3166 subdivisions, territory names, person-name
parts and Wikidata person names, built by ``tools/build_lexicon.py``) and weighs what it
says as the comparison "known name".

The lexicon is a ``marisa_trie.BytesTrie`` (a compact static trie, memory-mapped: it
loads in a few milliseconds and its pages are shared by every worker process). Each key
is a name's compact form; its value is one byte: a bit per source that knows it as a
whole name and a bit for "a word of a longer known name". A user's own real names (a
newsroom's list of local people and places) come from ``[[name]]`` entries of an alias
table and count as a source of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Protocol

from .keys import compact

# One bit per independent source of whole names, and one for words of longer names.
SOURCES: dict[str, int] = {
    "geonames": 1,
    "iso3166": 2,
    "territories": 4,
    "person parts": 8,
    "wikidata persons": 16,
    "nicknames": 32,
}
USER = 64  # the [[name]] entries of the user's tables
# The sources of person names (a given name or surname).
PERSON_BITS = SOURCES["person parts"] | SOURCES["wikidata persons"] | SOURCES["nicknames"]
WORD = 128
# The values of a key: its flags, and the primary names of what it is a variant of
# ("kiev" -> "kyiv", "malavi" -> "malawi"): a variant of the candidate's own name is no
# evidence against a repair to it.
FLAGS, PRIMARY = b"F", b"="
_NAMES = {bit: name for name, bit in SOURCES.items()} | {USER: "your table"}
# How an explanation names each shipped source (``describe`` reads the shipped lexicon).
_SHOWN = {
    "geonames": "GeoNames place",
    "iso3166": "ISO 3166 name",
    "territories": "territory name",
    "person parts": "person-name part",
    "wikidata persons": "Wikidata person",
    "nicknames": "given name",
}

# The levels of the comparison, strongest for a garble first.
LEVELS = ("unknown", "name word", "one source", "two sources", "three sources")


class _Trie(Protocol):
    def get(self, key: str) -> list[bytes] | None: ...


@lru_cache(maxsize=1)
def _trie() -> _Trie | None:
    try:
        import marisa_trie
    except ImportError:  # pragma: no cover - a dependency; the model then knows no names
        return None
    raw = marisa_trie.BytesTrie()
    ref = resources.files("normalise") / "data" / "names.marisa"
    try:
        with resources.as_file(ref) as path:
            raw.mmap(str(path))
    except (OSError, ValueError):  # pragma: no cover - a broken install
        return None
    trie: _Trie = raw
    return trie


@lru_cache(maxsize=65536)
def _entry(key: str) -> tuple[int, frozenset[tuple[int, str]]]:
    trie = _trie()
    found = trie.get(key) if trie is not None else None
    if not found:
        return 0, frozenset()
    flags = 0
    primaries = set()
    for value in found:
        if value[:1] == FLAGS:
            flags |= value[1]
        else:
            primaries.add((value[1], value[2:].decode("utf-8")))
    return flags, frozenset(primaries)


def shipped_flags(key: str) -> int:
    """The flags the shipped lexicon holds for a compact ``key`` (0: unknown)."""
    return _entry(key)[0]


def same_entity(key: str, other: str) -> int:
    """The sources that know ``key`` and ``other`` as names of one place (one a variant
    of the other, or both of one primary name): "Malavi" and "Malawi"."""
    if key == other:
        return 0
    a, b = _entry(key)[1], _entry(other)[1]
    bits = 0
    for bit, primary in a:
        if primary == other:
            bits |= bit
    for bit, primary in b:
        if primary == key or (bit, primary) in a:
            bits |= bit
    return bits


class Lexicon:
    """The shipped lexicon plus the user's own names (compact keys)."""

    def __init__(self, extra: Iterable[str] = (), *, shipped: bool = True, mask: int = 0) -> None:
        self.extra = frozenset(extra)
        self.shipped = shipped
        # Sources to leave out (the fit measures a name drawn from one source against
        # the others: tools/fit_weights.py).
        self.mask = mask

    def flags(self, key: str) -> int:
        flags = shipped_flags(key) & ~self.mask if self.shipped else 0
        if flags == WORD and self.mask:
            flags = 0  # the word bit may come from the masked source alone
        if key in self.extra:
            flags |= USER
        return flags

    def level(self, keys: Iterable[str], target: str = "") -> str:
        """The level of the comparison for the compact ``keys`` a surface offers (the
        whole span first, then its words that differ from the candidate's): the number
        of sources that know the whole span as a name; else "name word" when every
        other key is a known name or a word of one. A span the lexicon knows as a
        variant of the candidate's own name ``target`` is "unknown": no evidence."""
        keys = list(keys)
        if not keys:
            return "unknown"
        flags = self.flags(keys[0])
        whole = flags & ~WORD
        if target and self.shipped and whole:
            whole &= ~same_entity(keys[0], target)
            if not whole:
                return "unknown"  # only a name of the candidate's own place
        if whole:
            return LEVELS[min(bin(whole).count("1"), 3) + 1]
        rest = keys[1:]
        if rest and all(self.flags(k) for k in rest):
            return "name word"
        if not rest and flags & WORD:
            return "name word"
        return "unknown"

    def sources(self, key: str) -> list[str]:
        """The sources that know ``key``, by name (for explanations)."""
        flags = self.flags(key)
        out = [name for bit, name in _NAMES.items() if flags & bit]
        if flags & WORD:
            out.append("word of a longer name")
        return out


def describe(surface: str) -> str:
    """Which sources know ``surface`` (or, for a name of several words, its words), for
    an explanation: "GeoNames place, person-name part"."""
    lexicon = Lexicon()
    shown = [_SHOWN[n] for n in lexicon.sources(compact(surface)) if n in _SHOWN]
    if not shown and " " in surface.strip():
        for word in surface.split():
            shown += [_SHOWN[n] for n in lexicon.sources(compact(word)) if n in _SHOWN]
    return ", ".join(dict.fromkeys(shown))
