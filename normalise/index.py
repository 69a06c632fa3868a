"""Compiled lookup structures, built once per table and settings."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from .comparisons import frequency_level, similarity_level
from .config import Settings
from .evidence import COMPARISONS, Evidence, Weights, shipped
from .keys import (
    MIN_TRANSLIT_KEY,
    boundaries,
    compact,
    deletes,
    digits,
    fold,
    phonetic,
    sound_key,
    strip_marks,
    translit_key,
)
from .lexicon import Lexicon
from .scan import CONNECTORS, TOKEN, count_words
from .table import AliasTable, Entity
from .words import word_zipfs

AMBIGUOUS = -1


def _frozen(index: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {key: tuple(ids) for key, ids in index.items()}


def _length_at_most(level: str, letters: int) -> bool:
    """Whether the length level ``level`` can describe a name of at most ``letters``."""
    low = int(level.rstrip("+").split("-")[0])
    return low <= letters


class Target(NamedTuple):
    """A name that fuzzy matching can land on: a canonical name or an alias."""

    compact: str
    phonetic: str
    sound: str  # the coarser sound key (keys.sound_key)
    entity: int
    words: frozenset[str]  # the folded words of the name
    digits: str  # its digits, which a fuzzy match must keep ("COVID-19")
    translit: str = ""  # the transliteration key (keys.translit_key)
    replacement: str | None = None  # a part of the canonical name: what replaces a match
    marks: bool = False  # the name has letters with marks ("Zürich")
    cuts: frozenset[int] = frozenset()  # where its words start in ``compact``


class Index:
    """Exact, compact and phonetic indexes over one alias table.

    Lookups never scan the table: exact names are a dict on the folded form, split and
    joined forms a dict on the compact form, and fuzzy candidates come from a dict on
    the phonetic key and its one-deletion neighbourhood (SymSpell's symmetric delete),
    so the cost of a lookup stays flat as the table grows.
    """

    def __init__(
        self, table: AliasTable, settings: Settings, weights: Weights | None = None
    ) -> None:
        self.settings = settings
        self.weights = weights if weights is not None else shipped()
        self.entities: tuple[Entity, ...] = table.entities
        self.exact: dict[str, tuple[int, str]] = {}
        # Variants replaced only with support in the document (context_aliases): the
        # name pass keeps them as written, and `match` says what they are.
        self.context_names: set[str] = set()
        self.keep_case: dict[str, int] = {}
        self.compact_canonical: dict[str, int] = {}
        # The surnames of people, compact: one written as the table writes it is that
        # person's name alone, never a garble of another person's ("Kadraro" of
        # "Viromo Kadraro" is not "Kadralo" of "Drabarbar Kadralo").
        self.surnames: frozenset[str] = frozenset()
        self.boundaries: list[tuple[frozenset[int], frozenset[int]]] = []
        self.targets: list[Target] = []
        fuzzy: defaultdict[str, list[int]] = defaultdict(list)
        sound: defaultdict[str, list[int]] = defaultdict(list)
        translit: defaultdict[str, list[int]] = defaultdict(list)
        max_words = 1
        surnames: set[str] = set()
        for eid, e in enumerate(self.entities):
            own = fold(e.canonical)
            for a in e.aliases:
                self.exact[fold(a)] = (eid, "alias")
            # Variants that need context are the context layer's: the name pass leaves
            # them as written, as it does kept names.
            self.context_names.update(fold(k) for k in e.context_aliases)
            for k in (*e.keep, *e.context_aliases):
                if fold(k) == own:
                    self.keep_case[k] = eid  # "Nato" beside "NATO": kept exactly as written
                elif fold(k) not in self.exact:  # a canonical of another entity wins
                    self.exact[fold(k)] = (eid, "keep")
            c = compact(e.canonical)
            if c:
                old = self.compact_canonical.get(c)
                self.compact_canonical[c] = eid if old is None or old == eid else AMBIGUOUS
            self.boundaries.append(boundaries(e.canonical))
            names: list[tuple[str, str | None]] = [(n, None) for n in (e.canonical, *e.aliases)]
            if e.kind == "person":
                # A surname alone is a name of its own: "Bossonaro said" -> "Bolsonaro
                # said", never "Jair Bolsonaro said".
                parts = TOKEN.findall(e.canonical)
                if len(parts) >= 2 and parts[-1] not in CONNECTORS:
                    names.append((parts[-1], parts[-1]))
                    surnames.add(compact(parts[-1]))
            for name, part in names:
                words = count_words(name)
                max_words = max(max_words, words)
                tc = compact(name)
                if len(tc) < settings.min_fuzzy_length:
                    continue  # short names need exact evidence
                tid = len(self.targets)
                tp = phonetic(tc)
                folded = frozenset(fold(w) for w in TOKEN.findall(name) if w not in CONNECTORS)
                ts = sound_key(tc)
                tk = translit_key(tc)
                marked = strip_marks(name) != name
                cuts = boundaries(name)[0]
                self.targets.append(
                    Target(tc, tp, ts, eid, folded, digits(tc), tk, part, marked, cuts)
                )
                for key in deletes(tp):
                    fuzzy[key].append(tid)
                sound[ts].append(tid)
                if len(tk) >= MIN_TRANSLIT_KEY:
                    translit[tk].append(tid)
            for k in (*e.keep, *e.context_aliases):
                max_words = max(max_words, count_words(k))
        canonical_of: dict[str, int] = {}
        for eid, e in enumerate(self.entities):  # canonical names win over kept ones
            key = fold(e.canonical)
            other = canonical_of.get(key)
            if other is None:
                canonical_of[key] = eid
                self.exact[key] = (eid, "canonical")
            else:
                # Two canonical names that differ only in case ("NATO", "Nato"): each is
                # kept exactly as written, and no other casing is repaired to either.
                self.keep_case[e.canonical] = eid
                self.keep_case[self.entities[other].canonical] = other
                self.exact[key] = (other, "keep")
        self.surnames = frozenset(surnames)
        # An editor's rejections ([[rejected]]): (folded surface, canonical) pairs that
        # are never a change, whatever the evidence.
        self.rejected: frozenset[tuple[str, str]] = frozenset(r.key for r in table.rejected)
        # Tuples, not lists: a table of 100,000 names has millions of entries here.
        self.fuzzy: dict[str, tuple[int, ...]] = _frozen(fuzzy)
        self.sound: dict[str, tuple[int, ...]] = _frozen(sound)
        self.translit: dict[str, tuple[int, ...]] = _frozen(translit)
        # How many words the fuzzy targets have: a span of another count has none.
        self.word_counts = frozenset(len(t.words) for t in self.targets)
        self.max_words = max_words
        # The longest fuzzy target: a span over twice as long is below the similarity
        # floor (0.5) against every one, so it is never looked up (a 100,000-letter
        # token would otherwise cost quadratic time and memory).
        self.max_compact = max((len(t.compact) for t in self.targets), default=0)
        self._zipfs: dict[str, float] | None = None
        # Real names that are not garbles: the shipped lexicon and the table's own
        # [[name]] entries (normalise.lexicon).
        self.lexicon = Lexicon((compact(n.name) for n in table.names), shipped=settings.known_names)
        self._bounds: dict[tuple[str, int], bool] = {}
        # The prior, with the density term: a correct name lands near some entry by
        # chance more often in a larger table (Settings.density_weight scales the fitted
        # term; 0.1, the default, applies it as fitted).
        w = self.weights
        self.prior = w.prior + w.density(len(self.targets), settings.density_weight / 0.1)
        self.threshold = w.threshold + settings.threshold_shift
        self.prior_item = Evidence("prior", f"{len(self.targets)} names", round(self.prior, 2))

    @property
    def zipfs(self) -> dict[str, float]:
        """The word list: folded word -> English Zipf frequency (loaded on first use)."""
        self.zipf("")
        assert self._zipfs is not None
        return self._zipfs

    def zipf(self, word: str) -> float:
        """English Zipf frequency of a folded word (0 when rare or unknown).

        The word list is loaded on first use: most texts never reach a fuzzy decision.
        """
        if self._zipfs is None:
            s = self.settings
            self._zipfs = word_zipfs(min(s.common_word_zipf, s.known_word_zipf))
        return self._zipfs.get(word, 0.0)

    def hopeless(self, word: str, letters: int) -> bool:
        """True when a single word could not reach the fitted threshold as a garble of
        any name, whatever else the evidence said: a word this common ("Monday",
        "President") is not weighed at all. The bound takes each comparison at its best
        (the most generous prior, the best length up to this word's), and depends on
        the fitted weights alone, never on the settings, so a stricter threshold never
        changes which spans are weighed (and so never adds a change)."""
        return self.hopeless_level(frequency_level(self.zipf(word)), letters)

    def hopeless_level(self, level: str, letters: int) -> bool:
        """``hopeless`` for a word of frequency level ``level``."""
        bound = self._bounds.get((level, min(letters, 11)))
        if bound is None:
            w = self.weights
            # The shortest level, "4", is every length below five too.
            lengths = [lv for lv in COMPARISONS["length"] if _length_at_most(lv, max(letters, 4))]
            # At least one edit: the closest a name can be is 1 - 1 / (letters + 1).
            closest = similarity_level(1 - 1 / (letters + 1)) or COMPARISONS["similarity"][-1]
            similar = [lv for lv in COMPARISONS["similarity"] if float(lv) <= float(closest)]
            best = (
                w.prior
                + w.density(w.density_floor, 1.0)
                + w.weights["frequency"][level]
                + w.weights["words"]["one"]
                + max(w.weights["length"][lv] for lv in lengths)
                + max(w.weights["similarity"][lv] for lv in similar)
                + sum(
                    w.best(comparison)
                    for comparison in COMPARISONS
                    if comparison not in ("frequency", "words", "length", "similarity")
                )
            )
            bound = best < w.threshold
            self._bounds[(level, min(letters, 11))] = bound
        return bound

    def is_common(self, word: str) -> bool:
        return self.zipf(word) >= self.settings.common_word_zipf

    def is_known(self, word: str) -> bool:
        return self.zipf(word) >= self.settings.known_word_zipf
