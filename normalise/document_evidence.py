"""The document's evidence for fuzzy candidates of the name pass.

A candidate "Bytedanse" -> "ByteDance" is likelier a garble when the document names
ByteDance elsewhere (or, for a name of several words, another word of it: "Bolsonaro"
beside "Jair"), and likelier an unfamiliar correct name when the document uses the
surface again and again while the canonical name never appears ("Chinh" in a story
about Pham Minh Chinh is not "China"). That is the ``document`` comparison of
``normalise.evidence``, weighed with the rest.

Decisions stay consistent within a document, so a second run changes nothing more:
once a candidate of an entity is accepted, its canonical name counts as present in the
document for every other candidate of that entity (as it will be in the cleaned text).
Nothing here reaches across documents, so results never depend on how inputs are split
into batches, workers or partitions.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import regex

from .comparisons import BY_NAME, DOCUMENT_SCOPE, Place
from .evidence import Weights, score, total
from .keys import compact, fold
from .lexicon import PERSON_BITS, shipped_flags
from .models import Change, replay
from .scan import TOKEN

if TYPE_CHECKING:
    from .passes.base import Source

_CAPITALISED = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{Lu}[\p{L}\p{M}]+(?![\p{L}\p{M}\p{N}])")


class DocumentFacts:
    """What the document tells about a set of candidates, read in one pass over it
    (``read``): how often each word of their surfaces and canonical names is used, the
    capitalised words written beside each surface, the words the document writes in
    lower case, and whether each canonical name is written in it.

    ``is_name_word`` tells whether a capitalised neighbour could be part of a longer
    name (no title, no very common word, no name of the table): see
    ``in_longer_name``. A word the document never writes in lower case counts too
    ("John" is a very common word to wordfreq, but not in lower case).

    Every fact but ``written`` is read on the document as it will be written: with
    ``repairs`` (the name pass's decided repairs, and the weighed ones accepted so far)
    made. A second run reads that text, so the evidence for a name it has left alone is
    the same there ("GAHANA Torinidad and Tobago" reads as "GAHANA Trinidad and
    Tobago"; "Katz" repaired at one mention is no longer used beside a given name
    there). Nothing is read across a line break, so a document read in pieces gives the
    facts of the whole text.
    """

    def __init__(self, is_name_word: Callable[[str, bool], bool] | None = None) -> None:
        self._is_name_word = is_name_word
        self.counts: Counter[str] = Counter()  # the words of interest, as written
        self._written: set[str] = set()  # the words of interest in the input
        self._found: set[str] = set()  # names of several words written in the input
        self._found_after: set[str] = set()  # ... and in the text with the repairs made
        self._names_of: dict[str, tuple[str, ...]] = {}  # canonical -> the names it has
        self._left: dict[str, set[str]] = {}  # surface -> capitalised words before it
        self._right: dict[str, set[str]] = {}  # surface -> capitalised words after it
        self._lower: set[str] = set()
        self._name_words: dict[str, bool] = {}

    @classmethod
    def read(
        cls,
        source: Source,
        repairs: Iterable[Change],
        candidates: Iterable[Change],
        is_name_word: Callable[[str, bool], bool] | None = None,
        names_of: Callable[[str], tuple[str, ...]] = lambda canonical: (),
    ) -> DocumentFacts:
        """The facts about ``candidates`` in the document ``source``, read with
        ``repairs`` made. ``names_of(canonical)``: the entity's other names that name
        it as written (kept names, context-gated variants)."""
        facts = cls(is_name_word)
        candidates = list(candidates)
        surfaces = {c.original for c in candidates}
        for s in surfaces:
            facts._left[s], facts._right[s] = set(), set()
        for c in candidates:
            if c.canonical not in facts._names_of:
                facts._names_of[c.canonical] = (c.canonical, *names_of(c.canonical))
        words = {fold(w) for c in candidates for w in TOKEN.findall(c.original)}
        words |= {
            fold(w) for names in facts._names_of.values() for n in names for w in TOKEN.findall(n)
        }
        several: dict[str, regex.Pattern[str]] = {}
        for names in facts._names_of.values():
            for name in names:
                pattern = _written_pattern(name)
                if pattern is not None:
                    several[name] = pattern
        ordered = sorted(repairs)
        starts = [c.start for c in ordered]
        for offset, piece in source():
            end = offset + len(piece)
            lo, hi = bisect.bisect_left(starts, offset), bisect.bisect_left(starts, end)
            view = piece
            if hi > lo:
                local = [
                    c._replace(start=c.start - offset, end=c.end - offset) for c in ordered[lo:hi]
                ]
                view = replay(piece, local)
            # Counted as written first, folded once per distinct word.
            written = Counter(TOKEN.findall(piece))
            facts._written.update(f for w in written if (f := _fold_word(w)) in words)
            shown = written if view is piece else Counter(TOKEN.findall(view))
            for w, k in shown.items():
                folded = _fold_word(w)
                if folded in words:
                    facts.counts[folded] += k
                if w.islower():
                    facts._lower.add(w)
            for name, pattern in several.items():
                if name not in facts._found and pattern.search(piece) is not None:
                    facts._found.add(name)
                if name in facts._found_after:
                    continue
                if name in facts._found if view is piece else pattern.search(view) is not None:
                    facts._found_after.add(name)
            for before, after in _adjacent(view):
                if before in surfaces:
                    facts._right[before].add(after)
                if after in surfaces:
                    facts._left[after].add(before)
        return facts

    def _name_word(self, word: str) -> bool:
        known = self._name_words.get(word)
        if known is None:
            assert self._is_name_word is not None
            known = self._is_name_word(word, word.lower() not in self._lower)
            self._name_words[word] = known
        return known

    def written(self, canonical: str) -> bool:
        """The entity is named in the input: its canonical name, or another name of it
        (``names_of``), as whole words (in any case; "Latvia's" names Latvia; the words
        of a longer name on one line)."""
        return any(self._is_written(n) for n in self._names_of.get(canonical, (canonical,)))

    def _is_written(self, name: str) -> bool:
        words = [fold(w) for w in TOKEN.findall(name)]
        if not words or any(w not in self._written for w in words):
            return False
        return len(words) == 1 or name in self._found

    def has_name(self, name: str) -> bool:
        """``name`` occurs in the document as it will be written, with the repairs
        made: as written, or put there by a repair (of its own entity, or of another:
        "Boeing737" -> "Boeing 737" writes "Boeing")."""
        words = [fold(w) for w in TOKEN.findall(name)]
        if not words or any(self.counts[w] == 0 for w in words):
            return False
        return len(words) == 1 or name in self._found_after

    def in_longer_name(self, surface: str) -> bool:
        """Whether the document writes ``surface`` (one word) somewhere as part of a
        longer name: joined by a space or hyphen to a capitalised word that may be part
        of a name ("Pham Minh Chinh" makes "Chinh" a name part)."""
        if self._is_name_word is None:
            return False
        beside = self._left.get(surface, set()) | self._right.get(surface, set())
        return any(self._name_word(w) for w in beside)

    def after_person(self, surface: str) -> bool:
        """Whether the document writes ``surface`` somewhere right after a word that
        the lexicon knows as a person's name ("Felix Slováček"): a surname, as news
        writes a person's full name first and the surname alone after ("Leso Tho
        Airpus" is "Lesotho Airpus" once repaired, and "Tho" no given name)."""
        if self._is_name_word is None:
            return False
        return any(self._name_word(w) and _person_word(w) for w in self._left.get(surface, ()))

    def uses(self, surface: str) -> int:
        """How often the document uses ``surface`` (for several words, at most)."""
        return min((self.counts[fold(w)] for w in TOKEN.findall(surface)), default=0)


def _fold_word(word: str) -> str:
    """A word folded, less a possessive ending: "Latvia's" is a use of "Latvia"."""
    return fold(word[:-2] if word.endswith(("'s", "’s")) else word)


def _written_pattern(name: str) -> regex.Pattern[str] | None:
    """The pattern of a name of several words as written in a line (any case, words
    joined by spaces or hyphens); None for a name of one word."""
    words = TOKEN.findall(name)
    if len(words) < 2:
        return None
    joined = r"(?:[^\S\r\n]|-)+".join(regex.escape(w) for w in words)
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}]){joined}(?![\p{{L}}\p{{N}}])", regex.I)


def _level(name: str, place: Place) -> str:
    level = BY_NAME[name].level(place)
    assert level is not None
    return level


def _adjacent(text: str) -> Iterator[tuple[str, str]]:
    """Every two capitalised words of ``text`` joined by one space or hyphen."""
    prev: regex.Match[str] | None = None
    for m in _CAPITALISED.finditer(text):
        if prev is not None and prev.end() + 1 == m.start() and text[prev.end()] in " -":
            yield prev.group(), m.group()
        prev = m


def _person_word(word: str) -> bool:
    return bool(shipped_flags(compact(word)) & PERSON_BITS)


def weigh(
    source: Source,
    changes: list[Change],
    pending: Iterable[Change],
    weights: Weights,
    threshold: float,
    present: set[str],
    is_name_word: Callable[[str, bool], bool] | None = None,
    is_person: Callable[[str], bool] = lambda canonical: True,
    seen: set[str] | None = None,
    names_of: Callable[[str], tuple[str, ...]] = lambda canonical: (),
) -> list[Change]:
    """``changes`` with the ``pending`` fuzzy candidates that the document's evidence
    carries to ``threshold`` added (with that evidence), in order of position. The
    document is read from ``source`` once per round (see below); ``names_of`` gives an
    entity's other names, that name it too where written.

    ``present`` holds the canonical names known to be in the document (from earlier
    windows of a stream); the names accepted here are added to it.
    """
    present.update(c.canonical for c in changes)
    waiting = sorted(pending)
    accepted: list[Change] = []
    # An accepted candidate puts its canonical name, and its words, in the cleaned text:
    # the candidates still waiting are judged again with them (the name present, the
    # document read with it repaired), until none more is accepted, so that a second
    # run changes nothing. Acceptance only grows, so this ends; the rounds are bounded
    # for hostile input (a line of near names), where a second run may then change more.
    for _ in range(_ROUNDS):
        facts = DocumentFacts.read(source, [*changes, *accepted], waiting, is_name_word, names_of)
        before = len(accepted)
        still: list[Change] = []
        for c in waiting:
            place = Place(c, facts, present, seen, is_person)
            found = [weights.item(d.name, _level(d.name, place)) for d in DOCUMENT_SCOPE]
            evidence = (*c.evidence, *found)
            if total(evidence) < threshold:
                still.append(c)
                continue
            accepted.append(c._replace(score=score(evidence), evidence=evidence))
            present.add(c.canonical)
        waiting = still
        if len(accepted) == before or not waiting:
            break
    return sorted([*changes, *accepted])


_ROUNDS = 8
