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

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

import regex

from .comparisons import BY_NAME, DOCUMENT_SCOPE, Place
from .evidence import Weights, score, total
from .keys import compact, fold
from .lexicon import PERSON_BITS, shipped_flags
from .models import Change, replay
from .scan import TOKEN

_CAPITALISED = regex.compile(r"(?<![\p{L}\p{M}\p{N}])\p{Lu}[\p{L}\p{M}]+(?![\p{L}\p{M}\p{N}])")


class DocumentFacts:
    """Word counts of one document, computed once, on first need.

    ``is_name_word`` tells whether a capitalised neighbour could be part of a longer
    name (no title, no very common word, no name of the table): see
    ``in_longer_name``. A word the document never writes in lower case counts too
    ("John" is a very common word to wordfreq, but not in lower case).

    Every fact but ``has_name`` is read on the document as it will be written
    (``repairs``): the name pass's decided repairs made, and the weighed ones accepted
    so far. A second run reads that text, so the evidence for a name it has left alone
    is the same there ("GAHANA Torinidad and Tobago" reads as "GAHANA Trinidad and
    Tobago"; "Katz" repaired at one mention is no longer used beside a given name
    there).
    """

    def __init__(self, text: str, is_name_word: Callable[[str, bool], bool] | None = None) -> None:
        self.text = text
        self.view = text  # the text with ``repairs`` made
        self._is_name_word = is_name_word
        self._repairs: list[Change] = []
        self._names: dict[str, bool] = {}
        self._input_counts: Counter[str] | None = None
        self._forget()

    def _forget(self) -> None:
        self._counts: Counter[str] | None = None
        self._longer: set[str] | None = None  # words written beside a name word
        self._persons: set[str] | None = None  # words written after a person's name word
        self._lower: set[str] | None = None
        self._name_words: dict[str, bool] = {}

    @property
    def repairs(self) -> list[Change]:
        """The repairs the facts are read through (see the class). Setting them forgets
        what was read."""
        return self._repairs

    @repairs.setter
    def repairs(self, changes: list[Change]) -> None:
        self._repairs = sorted(changes)
        self.view = replay(self.text, self._repairs) if self._repairs else self.text
        self._forget()

    def _name_word(self, word: str) -> bool:
        known = self._name_words.get(word)
        if known is None:
            assert self._is_name_word is not None
            if self._lower is None:
                self._lower = {w for w in TOKEN.findall(self.view) if w.islower()}
            known = self._is_name_word(word, word.lower() not in self._lower)
            self._name_words[word] = known
        return known

    @property
    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter(fold(w) for w in TOKEN.findall(self.view))
        return self._counts

    def has_name(self, name: str) -> bool:
        """``name`` occurs in the document as written, as whole words (in any case). (A
        name put there by a repair is the level "repaired elsewhere", of equal weight:
        a reviewer sees what a change rests on.)"""
        known = self._names.get(name)
        if known is not None:
            return known
        if self._input_counts is None:
            self._input_counts = Counter(fold(w) for w in TOKEN.findall(self.text))
        words = [fold(w) for w in TOKEN.findall(name)]
        if not words or any(self._input_counts[w] == 0 for w in words):
            found = False
        elif len(words) == 1:
            found = True
        else:
            pattern = r"[\s\-]+".join(regex.escape(w) for w in TOKEN.findall(name))
            found = (
                regex.search(
                    rf"(?<![\p{{L}}\p{{N}}]){pattern}(?![\p{{L}}\p{{N}}])", self.text, regex.I
                )
                is not None
            )
        self._names[name] = found
        return found

    def in_longer_name(self, surface: str) -> bool:
        """Whether the document writes ``surface`` (one word) somewhere as part of a
        longer name: joined by a space or hyphen to a capitalised word that may be part
        of a name ("Pham Minh Chinh" makes "Chinh" a name part). Found for every word in
        one pass over the document."""
        if self._longer is None:
            self._read_neighbours()
        assert self._longer is not None
        return surface in self._longer

    def after_person(self, surface: str) -> bool:
        """Whether the document writes ``surface`` somewhere right after a word that
        the lexicon knows as a person's name ("Felix Slováček"): a surname, as news
        writes a person's full name first and the surname alone after ("Leso Tho
        Airpus" is "Lesotho Airpus" once repaired, and "Tho" no given name)."""
        if self._persons is None:
            self._read_neighbours()
        assert self._persons is not None
        return surface in self._persons

    def _read_neighbours(self) -> None:
        self._longer, self._persons = set(), set()
        if self._is_name_word is None:
            return
        for before, after in _adjacent(self.view):
            if self._name_word(after):
                self._longer.add(before)
            if self._name_word(before):
                self._longer.add(after)
                if _person_word(before):
                    self._persons.add(after)

    def uses(self, surface: str) -> int:
        """How often the document uses ``surface`` (for several words, at most)."""
        return min((self.counts[fold(w)] for w in TOKEN.findall(surface)), default=0)


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
    text: str,
    changes: list[Change],
    pending: Iterable[Change],
    weights: Weights,
    threshold: float,
    present: set[str],
    is_name_word: Callable[[str, bool], bool] | None = None,
    is_person: Callable[[str], bool] = lambda canonical: True,
    seen: set[str] | None = None,
) -> list[Change]:
    """``changes`` with the ``pending`` fuzzy candidates that the document's evidence
    carries to ``threshold`` added (with that evidence), in order of position.

    ``present`` holds the canonical names known to be in the document (from earlier
    pieces of a stream); the names accepted here are added to it.
    """
    facts = DocumentFacts(text, is_name_word)
    facts.repairs = changes
    present.update(c.canonical for c in changes)
    waiting = sorted(pending)
    accepted: list[Change] = []

    def judge(c: Change) -> bool:
        place = Place(c, facts, present, seen, is_person)
        found = [weights.item(d.name, _level(d.name, place)) for d in DOCUMENT_SCOPE]
        evidence = (*c.evidence, *found)
        if total(evidence) < threshold:
            return False
        accepted.append(c._replace(score=score(evidence), evidence=evidence))
        present.add(c.canonical)
        return True

    # An accepted candidate puts its canonical name, and its words, in the cleaned text:
    # the candidates still waiting are judged again with them (the name present, the
    # neighbour read as repaired), until none more is accepted, so that a second run
    # changes nothing. Acceptance only grows, so this ends; the rounds are bounded for
    # hostile input (a line of near names), where a second run may then change more.
    for _ in range(_ROUNDS):
        before = len(accepted)
        waiting = [c for c in waiting if not judge(c)]
        if len(accepted) == before or not waiting:
            break
        facts.repairs = [*changes, *accepted]
    return sorted([*changes, *accepted])


_ROUNDS = 8
