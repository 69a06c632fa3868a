"""What the passes share: the document being worked on, its state, the change set, and
the compiled table.

A pass is a class with a ``name`` (the word its settings switch, its module and its
test file share), ``enabled(settings)``, a constructor taking the ``Shared`` compiled
table, and ``run(work)``, which adds its changes to ``work.out``. Passes run in the
order of ``normalise.passes.PASSES``; a change of an earlier pass wins over an
overlapping change of a later one (``ChangeSet.commit``).

A document is one text given to ``explain``/``clean`` (one file or one JSONL record on
the command line). A pass reads it through ``work.source``: each call gives the text
again, as pieces cut after line breaks with their offsets (one piece for a text in
memory; a file too big to hold is read again). A pass gathers what it needs from the
whole document first (its candidates, the facts they are judged on) and decides after,
so that a file read in pieces gets exactly the changes of the whole text. Nothing a
pass decides about one place reaches across a line break. When a text is streamed in
one pass (``Normaliser.iter_explain``), each window of it is a document of its own, and
what was learnt from earlier windows carries forward in a ``DocState``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

import regex

from ..config import Settings
from ..index import Index
from ..models import Change
from ..scan import TOKEN
from ..table import AliasTable, Entity

# Methods of the name pass: the changes that can anchor a document-level fix.
NAME_METHODS = frozenset({"alias", "case", "compact", "phonetic", "edit"})
FUZZY_METHODS = frozenset({"phonetic", "edit"})
# Real honorifics, written with or without a full stop: a capitalised word before a
# surname that does not make it part of another name ("Ms. Katz", not "Alex Katz").
# The first four are the ones a document's own usage is read from.
PERSONAL_HONORIFICS = ("Mr", "Ms", "Mrs", "Dr")
HONORIFICS = frozenset(
    {*PERSONAL_HONORIFICS, "Prof", "Sir", "Dame", "Lord", "Lady", "President", "Senator"}
    | {"Governor", "Minister", "Judge", "Justice"}
)
EDGE_L = r"(?<![\p{L}\p{M}\p{N}\-])"
EDGE_R = r"(?![\p{L}\p{M}\p{N}]|-[\p{L}\p{N}])"
_SENTENCE_END = regex.compile(r"[.!?][\"”’)]*(?:\s|\Z)|\n")


def word_regex(names: Iterable[str]) -> regex.Pattern[str] | None:
    """One pattern for whole-word occurrences of any of ``names``: a name with capitals
    is matched as written, a lower-case one in any case."""
    parts = []
    for name in sorted(set(names), key=len, reverse=True):
        escaped = regex.escape(name)
        parts.append(escaped if name != name.lower() else f"(?i:{escaped})")
    if not parts:
        return None
    return regex.compile(f"{EDGE_L}(?:{'|'.join(parts)}){EDGE_R}")


def matches(
    pattern: regex.Pattern[str], text: str, starts: list[int]
) -> Iterator[regex.Match[str]]:
    """Matches of ``pattern`` starting at the given positions, not overlapping."""
    end = 0
    for at in starts:
        if at < end:
            continue
        m = pattern.match(text, at)
        if m is not None:
            end = m.end()
            yield m


@dataclass(slots=True)
class DocState:
    """What a document taught so far; carried from piece to piece when streaming."""

    anchors: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)  # people named in full
    mentioned: set[int] = field(default_factory=set)  # entities mentioned
    supported: dict[int, str] = field(default_factory=dict)  # rule -> its supporting word
    present: set[str] = field(default_factory=set)  # canonical names put in by repairs
    seen: set[str] = field(default_factory=set)  # canonical names in the input
    in_fence: bool = False


class ChangeSet:
    """Non-overlapping changes, built pass by pass: a pass's candidates are checked
    against the changes of earlier passes (which win), then merged in one sweep."""

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self.items = sorted(changes)
        self._starts = [c.start for c in self.items]
        self._pending: list[Change] = []

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps a change of an earlier pass."""
        i = bisect.bisect_left(self._starts, end)  # the changes that start before ``end``
        return bool(i) and self.items[i - 1].end > start

    def add(self, change: Change) -> None:
        self._pending.append(change)

    def commit(self) -> None:
        """Merge the pending pass: a candidate overlapping an earlier change, or an
        earlier candidate of its own pass, is dropped."""
        if not self._pending:
            return
        merged: list[Change] = []
        last_end = -1
        for c in sorted(self._pending):
            if c.start >= last_end and not self.overlaps(c.start, c.end):
                merged.append(c)
                last_end = c.end
        self._pending = []
        self.items = sorted(self.items + merged)
        self._starts = [c.start for c in self.items]

    def sorted(self) -> list[Change]:
        self.commit()
        return self.items


# A document as the passes read it: each call gives its text again, as (offset, piece)
# pairs in order, each piece ending after a line break (or at the end of the text).
Source = Callable[[], Iterable[tuple[int, str]]]


class whole:
    """A text in memory as a source: one piece."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __call__(self) -> Iterable[tuple[int, str]]:
        return ((0, self.text),)


def cut(chunks: Iterable[str], buffer: int) -> Iterator[tuple[int, str]]:
    """``chunks`` of a text as pieces cut just after a line break once at least
    ``buffer`` characters have gathered, with their offsets."""
    pieces: list[str] = []
    size = offset = 0
    for chunk in chunks:
        at = chunk.rfind("\n") + 1
        if at and size + at >= buffer:
            piece = "".join(pieces) + chunk[:at]
            yield offset, piece
            offset += len(piece)
            pieces, size = [chunk[at:]], len(chunk) - at
        else:
            pieces.append(chunk)
            size += len(chunk)
    piece = "".join(pieces)
    if piece:
        yield offset, piece


class Work:
    """One document being worked on: where to read it, the state carried in from earlier
    windows of a stream, the name pass's changes and the change set (offsets into the
    whole document)."""

    def __init__(self, source: Source, state: DocState) -> None:
        self.source = source
        self.state = state
        self.names: list[Change] = []  # the name pass's changes (set by that pass)
        self.out = ChangeSet()
        self.mentioned: dict[int, bool] = {}  # entity -> named as written (Shared.mentioned)
        text = getattr(source, "text", None)
        self._whole = Doc(text) if isinstance(text, str) else None
        self._replacements: str | None = None
        self._change_starts: list[int] | None = None

    def pieces(self) -> Iterator[Doc]:
        """One read of the document, piece by piece. A text in memory is one piece,
        kept with what the passes learnt of it (its words, where phrases may start)."""
        if self._whole is not None:
            yield self._whole
            return
        for offset, text in self.source():
            yield Doc(text, offset)

    @property
    def replacements(self) -> str:
        """The name pass's replacements, one a line (support may be in them)."""
        if self._replacements is None:
            self._replacements = "\n".join(c.replacement for c in self.names)
        return self._replacements

    def changes_between(self, start: int, end: int) -> list[Change]:
        """The name pass's changes that start in ``[start, end)``."""
        if self._change_starts is None:
            self._change_starts = [c.start for c in self.names]
        lo = bisect.bisect_left(self._change_starts, start)
        hi = bisect.bisect_left(self._change_starts, end)
        return self.names[lo:hi]


class Doc:
    """One piece of a document (the whole text when it is read whole), with facts
    about it computed on demand: ``offset`` is where it starts in the document."""

    def __init__(self, text: str, offset: int = 0) -> None:
        self.text = text
        self.offset = offset
        self._ends: list[int] | None = None
        self._starts: tuple[list[int], list[int]] | None = None
        self.words: frozenset[str] | None = None  # the piece's words (``TOKEN``)
        self.pairs: frozenset[tuple[str, str]] | None = None  # words side by side

    def sentence(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence around ``pos`` (cut at ., !, ? and line breaks),
        in the piece."""
        if self._ends is None:
            self._ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect.bisect_right(self._ends, pos)
        start = self._ends[i - 1] if i else 0
        end = self._ends[i] if i < len(self._ends) else len(self.text)
        return start, end


class Shared:
    """The table compiled once for the passes that read beyond one name: entities by
    canonical name, people by surname, honorific garbles, and one prefilter for where
    phrases and honorific garbles may start."""

    def __init__(self, table: AliasTable, settings: Settings, index: Index) -> None:
        self.table = table
        self.settings = settings
        self.index = index
        self.entities: tuple[Entity, ...] = table.entities
        self.entity_of = {e.canonical: i for i, e in enumerate(self.entities)}
        # People by surname (the last word of a full name of two or more words).
        self.surnames: dict[str, list[int]] = {}
        for eid, e in enumerate(self.entities):
            if e.kind == "person":
                words = TOKEN.findall(e.canonical)
                if len(words) >= 2:
                    self.surnames.setdefault(words[-1], []).append(eid)
        self.honorifics = {h.garble: h for h in table.honorifics}
        self._mention_res: dict[int, regex.Pattern[str] | None] = {}
        self._name_words: dict[int, tuple[str, ...]] = {}
        self._prefilter: re.Pattern[str] | None = None
        self._literals: list[str] = []

    def add_literals(self, alternation: str) -> None:
        """Let the prefilter find the starts of a pass's pattern (an alternation of
        escaped literals)."""
        self._literals.append(alternation)
        # The full patterns begin with a look-behind, which the engine tries at every
        # position; one scan of the standard library's ``re`` for the bare literals is
        # several times faster, and the full patterns then run only where they are
        # (0.1 s per 3 MB of news before, 0.04 s after).
        self._prefilter = re.compile("|".join(self._literals))

    def starts(self, doc: Doc) -> tuple[list[int], list[int]]:
        """Where phrases and honorific garbles may start in the document."""
        if doc._starts is None:
            phrases: list[int] = []
            honorifics: list[int] = []
            if self._prefilter is not None:
                # (Named groups would tell the two apart, but cost the scan its speed.)
                for m in self._prefilter.finditer(doc.text):
                    if m.group() in self.honorifics:
                        honorifics.append(m.start())
                    else:
                        phrases.append(m.start())
            doc._starts = (phrases, honorifics)
        return doc._starts

    def seen(self, eid: int, state: DocState) -> None:
        """A change to entity ``eid`` is in the document: it is mentioned, and a person
        it names is known there."""
        state.mentioned.add(eid)
        if self.entities[eid].kind == "person":
            state.persons.add(eid)

    def mentioned(self, eids: Iterable[int], work: Work) -> set[int]:
        """The entities of ``eids`` named in the document: a change to it (``seen``), or
        its canonical name as written anywhere (one read of the document for all the
        entities not known yet)."""
        found = {eid for eid in eids if eid in work.state.mentioned or work.mentioned.get(eid)}
        unknown = {eid for eid in eids if eid not in found and eid not in work.mentioned}
        if unknown:
            for doc in work.pieces():
                for eid in list(unknown):
                    if self.written(eid, doc):
                        unknown.discard(eid)
                        work.mentioned[eid] = True
                        found.add(eid)
                if not unknown:
                    break
            for eid in unknown:
                work.mentioned[eid] = False
        for eid in found:
            work.state.mentioned.add(eid)
        return found

    def written(self, eid: int, doc: Doc) -> bool:
        """The entity's canonical name is written in the piece ``doc``."""
        # Every word of the name must be a word of the piece: one set lookup each saves
        # a scan of the whole piece per person (with a table of 20,000 people and many
        # garbled honorifics, that scan made the pass quadratic).
        if doc.words is None:
            doc.words, doc.pairs = _words_and_pairs(doc.text)
        if eid not in self._name_words:
            name = self.entities[eid].canonical
            # (A name in lower case is matched in any case: no prefilter for it.)
            self._name_words[eid] = tuple(TOKEN.findall(name)) if name != name.lower() else ()
        words = self._name_words[eid]
        if not all(w in doc.words for w in words):
            return False
        assert doc.pairs is not None
        if not all(pair in doc.pairs for pair in itertools.pairwise(words)):
            return False
        if eid not in self._mention_res:
            self._mention_res[eid] = word_regex([self.entities[eid].canonical])
        pattern = self._mention_res[eid]
        return pattern is not None and pattern.search(doc.text) is not None


def _words_and_pairs(text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The words of a text, and the pairs of words written one after the other with
    at most three other characters between them (spaces, a hyphen, "&", ". "): a name of
    several words is mentioned only where its words stand so."""
    words = set()
    pairs = set()
    previous = None
    end = -1
    for m in TOKEN.finditer(text):
        word = m.group()
        words.add(word)
        if previous is not None and _JOINED.fullmatch(text, end, m.start()):
            pairs.add((previous, word))
        previous, end = word, m.end()
    return frozenset(words), frozenset(pairs)


_JOINED = regex.compile(r"[^\p{L}\p{M}\p{N}]{0,3}")


class Pass(Protocol):
    """One repair (see the module's docstring)."""

    name: ClassVar[str]

    def __init__(self, shared: Shared) -> None: ...

    @staticmethod
    def enabled(settings: Settings) -> bool: ...

    def run(self, work: Work) -> None: ...
