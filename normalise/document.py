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
from collections.abc import Callable, Iterable

import regex

from .evidence import Weights, probability
from .keys import fold
from .models import Change
from .scan import CONNECTORS, TOKEN

REPEATED = 3  # uses of the surface that, without the canonical, count as "repeated"


class DocumentFacts:
    """Word counts of one document, computed once, on first need.

    ``is_name_word`` tells whether a capitalised neighbour could be part of a longer
    name (no title, no very common word, no name of the table): see
    ``in_longer_name``. A word the document never writes in lower case counts too
    ("John" is a very common word to wordfreq, but not in lower case).
    """

    def __init__(self, text: str, is_name_word: Callable[[str, bool], bool] | None = None) -> None:
        self.text = text
        self._counts: Counter[str] | None = None
        self._is_name_word = is_name_word
        self._longer: dict[str, bool] = {}
        self._lower: set[str] | None = None

    def _name_word(self, word: str) -> bool:
        if self._is_name_word is None:
            return False
        if self._lower is None:
            self._lower = {w for w in TOKEN.findall(self.text) if w.islower()}
        return self._is_name_word(word, word.lower() not in self._lower)

    @property
    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter(fold(w) for w in TOKEN.findall(self.text))
        return self._counts

    def has_name(self, name: str) -> bool:
        """``name`` occurs in the document as whole words (in any case)."""
        words = [fold(w) for w in TOKEN.findall(name)]
        if not words or any(self.counts[w] == 0 for w in words):
            return False
        if len(words) == 1:
            return True
        pattern = r"[\s\-]+".join(regex.escape(w) for w in TOKEN.findall(name))
        return (
            regex.search(rf"(?<![\p{{L}}\p{{N}}]){pattern}(?![\p{{L}}\p{{N}}])", self.text, regex.I)
            is not None
        )

    def in_longer_name(self, surface: str) -> bool:
        """Whether the document writes ``surface`` somewhere as part of a longer name:
        joined by a space or hyphen to a capitalised word that is neither common nor a
        name of the table ("Pham Minh Chinh" makes "Chinh" a name part)."""
        known = self._longer.get(surface)
        if known is not None:
            return known
        found = False
        if self._is_name_word is not None and self.counts[fold(surface)] > 0:
            pattern = regex.compile(
                rf"(?:(?P<before>\p{{Lu}}[\p{{L}}\p{{M}}]+)[ \-])?"
                rf"(?<![\p{{L}}\p{{N}}]){regex.escape(surface)}(?![\p{{L}}\p{{N}}])"
                rf"(?:[ \-](?P<after>\p{{Lu}}[\p{{L}}\p{{M}}]+))?"
            )
            for m in pattern.finditer(self.text):
                if any(
                    word is not None and self._name_word(word)
                    for word in (m.group("before"), m.group("after"))
                ):
                    found = True
                    break
        self._longer[surface] = found
        return found

    def uses(self, surface: str) -> int:
        """How often the document uses ``surface``."""
        words = TOKEN.findall(surface)
        if len(words) == 1:
            return self.counts[fold(words[0])]
        return self.text.count(surface)


def level(change: Change, facts: DocumentFacts, present: set[str]) -> str:
    """The ``document`` level of a fuzzy candidate (see the module docstring)."""
    canonical = change.canonical
    if canonical in present or facts.has_name(canonical):
        present.add(canonical)
        return "canonical"
    own = {fold(w) for w in TOKEN.findall(change.original)}
    for word in TOKEN.findall(canonical):
        w = fold(word)
        if w in own or w in CONNECTORS or len(w) < 3:
            continue
        if facts.counts[w]:
            return "entity word"
    if facts.uses(change.original) >= REPEATED:
        return "repeated"
    return "none"


def usage(change: Change, facts: DocumentFacts) -> str:
    """The ``usage`` level of a fuzzy candidate: whether the document writes the surface
    somewhere as part of a longer name."""
    return "in a longer name" if facts.in_longer_name(change.original) else "alone"


def weigh(
    text: str,
    changes: list[Change],
    pending: Iterable[Change],
    weights: Weights,
    threshold: float,
    present: set[str],
    is_name_word: Callable[[str, bool], bool] | None = None,
) -> list[Change]:
    """``changes`` with the ``pending`` fuzzy candidates that the document's evidence
    carries to ``threshold`` added (with that evidence), in order of position.

    ``present`` holds the canonical names known to be in the document (from earlier
    pieces of a stream); the names accepted here are added to it.
    """
    facts = DocumentFacts(text, is_name_word)
    present.update(c.canonical for c in changes)
    waiting: dict[str, list[Change]] = {}
    accepted: list[Change] = []

    def judge(c: Change) -> bool:
        evidence = (
            *c.evidence,
            weights.item("document", level(c, facts, present)),
            weights.item("usage", usage(c, facts)),
        )
        bits = sum(e.weight for e in evidence)
        if bits < threshold:
            return False
        accepted.append(c._replace(score=round(probability(bits), 4), evidence=evidence))
        return True

    newly: list[str] = []
    for c in pending:
        if judge(c):
            if c.canonical not in present:
                present.add(c.canonical)
                newly.append(c.canonical)
        else:
            waiting.setdefault(c.canonical, []).append(c)
    # An accepted candidate puts its canonical name in the cleaned text: the entity's
    # other candidates are judged with that (so that a second run changes nothing).
    while newly:
        name = newly.pop()
        for c in waiting.pop(name, ()):
            judge(c)
    return sorted([*changes, *accepted])
