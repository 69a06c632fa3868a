"""Compiled lookup structures, built once per table and settings."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from .config import Settings
from .keys import camel_boundaries, compact, deletes, fold, phonetic
from .scan import count_words
from .table import AliasTable, Entity
from .words import common_words

AMBIGUOUS = -1


class Target(NamedTuple):
    """A name that fuzzy matching can land on: a canonical name or an alias."""

    compact: str
    phonetic: str
    entity: int
    words: int


class Index:
    """Exact, compact and phonetic indexes over one alias table.

    Lookups never scan the table: exact names are a dict on the folded form, split and
    joined forms a dict on the compact form, and fuzzy candidates come from a dict on
    the phonetic key and its one-deletion neighbourhood (SymSpell's symmetric delete),
    so the cost of a lookup stays flat as the table grows.
    """

    def __init__(self, table: AliasTable, settings: Settings) -> None:
        self.settings = settings
        self.entities: tuple[Entity, ...] = table.entities
        self.exact: dict[str, tuple[int, str]] = {}
        self.compact_canonical: dict[str, int] = {}
        self.boundaries: list[frozenset[int]] = []
        self.targets: list[Target] = []
        fuzzy: defaultdict[str, list[int]] = defaultdict(list)
        max_words = 1
        for eid, e in enumerate(self.entities):
            self.exact[fold(e.canonical)] = (eid, "canonical")
            for a in e.aliases:
                self.exact[fold(a)] = (eid, "alias")
            for k in e.keep:
                self.exact[fold(k)] = (eid, "keep")
            c = compact(e.canonical)
            if c:
                old = self.compact_canonical.get(c)
                self.compact_canonical[c] = eid if old is None or old == eid else AMBIGUOUS
            self.boundaries.append(camel_boundaries(e.canonical))
            for name in (e.canonical, *e.aliases):
                words = count_words(name)
                max_words = max(max_words, words)
                tc = compact(name)
                if not tc:
                    continue
                tid = len(self.targets)
                tp = phonetic(tc)
                self.targets.append(Target(tc, tp, eid, words))
                for key in deletes(tp):
                    fuzzy[key].append(tid)
            for k in e.keep:
                max_words = max(max_words, count_words(k))
        self.fuzzy: dict[str, list[int]] = dict(fuzzy)
        self.max_words = max_words
        self._common: frozenset[str] | None = None

    @property
    def common(self) -> frozenset[str]:
        """Common English words (loaded on first use: most texts never need them)."""
        if self._common is None:
            self._common = common_words(self.settings.common_word_zipf)
        return self._common
