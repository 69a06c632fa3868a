"""The context layer: repairs that need more than one name to decide.

The name pass (``Normaliser`` and ``normalise.matcher``) judges each run of capitalised
words on its own. This layer then reads the whole document, with the name pass's
changes, and adds:

- ``document``: once a person's full name was fixed ("Safra Katz" -> "Safra Catz"),
  later mentions of the garbled part alone ("Ms. Katz", "Katz said") get the same fix.
  A surname alone never changes without such an anchor earlier in the same document,
  nor when it is part of another name ("Alex Katz", "Katz's Delicatessen").
- ``context``: variants a table lists under ``context_aliases`` (and word garbles with
  ``context``) are replaced only when a context word occurs in the document (or the
  sentence, with ``context_scope = "sentence"``), or the entity is mentioned elsewhere
  in the document.
- ``honorific``: a garbled honorific ("Min.") before the surname of a person named in
  full in the document becomes that person's honorific: the table's ``honorific``,
  else the one the document uses for them, else what the garble ``means``.
- ``word``: word-level garbles that are not names ("fund-razor" -> "fundraiser").
- ``typography``: see ``normalise.typography``.

A document is one text given to ``explain``/``clean`` (one file or one JSONL record on
the command line). When a text is streamed (``iter_explain``), what was learnt from
earlier pieces carries forward in a ``DocState``; only support that appears further
than the current piece (1 MB by default) is not seen.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

import regex

from .config import Settings
from .keys import fold
from .models import Change, Method, replay
from .scan import TOKEN, in_url_or_handle
from .table import AliasTable, Entity
from .typography import Code, fixes

# Methods of the name pass: the changes that can anchor a document-level fix.
NAME_METHODS = frozenset({"alias", "case", "compact", "phonetic", "edit"})
FUZZY_METHODS = frozenset({"phonetic", "edit"})
# Real honorifics: a capitalised word before a surname that does not make it part of
# another name ("Ms. Katz", not "Alex Katz").
# Written with or without a full stop.
HONORIFICS = frozenset(
    {"Mr", "Ms", "Mrs", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "President", "Senator"}
    | {"Governor", "Minister", "Judge", "Justice"}
)
_EDGE_L = r"(?<![\p{L}\p{M}\p{N}\-])"
_EDGE_R = r"(?![\p{L}\p{M}\p{N}]|-[\p{L}\p{N}])"
_PREV = regex.compile(r"(\S+)[ \u00a0]+\Z")
_NEXT = regex.compile(r"(?:['’]s)?[ \u00a0]+(\S)")
_SPACES = regex.compile(r"[ \u00a0]+")
_SENTENCE_END = regex.compile(r"[.!?][\"”’)]*(?:\s|\Z)|\n")


def _word_regex(names: Iterable[str]) -> regex.Pattern[str] | None:
    """One pattern for whole-word occurrences of any of ``names``: a name with capitals
    is matched as written, a lower-case one in any case."""
    parts = []
    for name in sorted(set(names), key=len, reverse=True):
        escaped = regex.escape(name)
        parts.append(escaped if name != name.lower() else f"(?i:{escaped})")
    if not parts:
        return None
    return regex.compile(f"{_EDGE_L}(?:{'|'.join(parts)}){_EDGE_R}")


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


@dataclass(frozen=True, slots=True)
class _Phrase:
    replacement: str
    rule: int  # index into Context.rules
    method: Method


@dataclass(frozen=True, slots=True)
class _Rule:
    """The support an entity's gated variants (or a gated word) need."""

    canonical: str
    terms: regex.Pattern[str] | None
    sentence: bool  # context_scope = "sentence"
    entity: int | None  # an entity mentioned elsewhere also supports its variants


@dataclass(slots=True)
class DocState:
    """What a document taught so far; carried from piece to piece when streaming."""

    anchors: dict[str, tuple[str, str, float]] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    persons: set[int] = field(default_factory=set)  # people named in full
    mentioned: set[int] = field(default_factory=set)  # entities mentioned
    supported: set[int] = field(default_factory=set)  # rules with document support
    present: set[str] = field(default_factory=set)  # canonical names in the document
    in_fence: bool = False


class Context:
    """The context layer for one table and settings, compiled once."""

    def __init__(self, table: AliasTable, settings: Settings) -> None:
        self.settings = settings
        self.entities: tuple[Entity, ...] = table.entities
        self.entity_of = {e.canonical: i for i, e in enumerate(self.entities)}
        self.rules: list[_Rule] = []
        self.phrases: dict[str, _Phrase] = {}
        self.gated_fuzzy: dict[int, int] = {}  # entity -> rule
        for eid, e in enumerate(self.entities):
            if not (e.context_aliases or e.context or e.context_fuzzy):
                continue
            rule = len(self.rules)
            self.rules.append(
                _Rule(e.canonical, _word_regex(e.context), e.context_scope == "sentence", eid)
            )
            if e.context_fuzzy:
                self.gated_fuzzy[eid] = rule
            for alias in e.context_aliases:
                self._add_phrase(alias, e.canonical, rule, "context")
        for w in table.words:
            rule = len(self.rules)
            terms = _word_regex(w.context)
            self.rules.append(_Rule(w.canonical, terms, w.context_scope == "sentence", None))
            for alias in w.aliases:
                self._add_phrase(alias, w.canonical, rule, "context" if terms else "word")
        # Every phrase as written (and capitalised), longest first; a space in a phrase
        # matches any run of spaces ("Corona  virus").
        self.phrase_re = None
        literals: list[str] = []  # for the prefilter: see _candidates
        if self.phrases:
            parts = sorted(self.phrases, key=len, reverse=True)
            alternation = "|".join(
                r"[ \u00a0]+".join(regex.escape(w) for w in p.split(" ")) for p in parts
            )
            self.phrase_re = regex.compile(f"{_EDGE_L}(?:{alternation}){_EDGE_R}")
            literals.append(alternation)
        # People by surname (the last word of a full name of two or more words).
        self.surnames: dict[str, list[int]] = {}
        for eid, e in enumerate(self.entities):
            if e.kind == "person":
                words = TOKEN.findall(e.canonical)
                if len(words) >= 2:
                    self.surnames.setdefault(words[-1], []).append(eid)
        self.honorifics = {h.garble: h for h in table.honorifics}
        self.honorific_re = None
        if self.honorifics:
            alternation = "|".join(
                regex.escape(g) for g in sorted(self.honorifics, key=len, reverse=True)
            )
            self.honorific_re = regex.compile(
                rf"(?<![\p{{L}}\p{{M}}\p{{N}}.])(?P<h>{alternation})(?![\p{{L}}\p{{N}}])"
                rf"[ \u00a0]+(?P<name>\p{{Lu}}[\p{{L}}\p{{M}}]+)"
            )
            literals.append(alternation)
        # The full patterns begin with a look-behind, which the engine tries at every
        # position; one scan of the standard library's ``re`` for the bare literals is
        # several times faster, and the full patterns then run only where they are
        # (0.1 s per 3 MB of news before, 0.04 s after).
        self._prefilter = re.compile("|".join(literals)) if literals else None
        self._mention_res: dict[int, regex.Pattern[str] | None] = {}

    def _add_phrase(self, alias: str, canonical: str, rule: int, method: Method) -> None:
        self.phrases.setdefault(alias, _Phrase(canonical, rule, method))
        if alias[:1].islower():  # "Fund-razor" at the start of a sentence
            replacement = _capitalised(canonical) if canonical[:1].islower() else canonical
            self.phrases.setdefault(_capitalised(alias), _Phrase(replacement, rule, method))

    def _seen(self, eid: int, state: DocState) -> None:
        """A change to entity ``eid`` is in the document: it is mentioned, and a person
        it names is known there."""
        state.mentioned.add(eid)
        if self.entities[eid].kind == "person":
            state.persons.add(eid)

    def _candidates(self, text: str) -> tuple[list[int], list[int]]:
        """Where phrases and honorific garbles may start (see ``_prefilter``)."""
        phrases: list[int] = []
        honorifics: list[int] = []
        if self._prefilter is not None:
            # (Named groups would tell the two apart, but cost the scan its speed.)
            for m in self._prefilter.finditer(text):
                if m.group() in self.honorifics:
                    honorifics.append(m.start())
                else:
                    phrases.append(m.start())
        return phrases, honorifics

    @property
    def active(self) -> bool:
        s = self.settings
        return s.document or s.context or s.honorifics or s.words or s.typography

    # -- support -----------------------------------------------------------------------

    def _mentions(self, eid: int) -> regex.Pattern[str] | None:
        if eid not in self._mention_res:
            self._mention_res[eid] = _word_regex([self.entities[eid].canonical])
        return self._mention_res[eid]

    def _terms_near(self, rule_id: int, pos: int, doc: _Doc) -> bool:
        """A context word of the rule in the document (or the sentence around ``pos``),
        as written or as the name pass rewrites it ("Bytdance" counts as "ByteDance")."""
        rule = self.rules[rule_id]
        if rule.terms is None:
            return False
        if rule.sentence:
            start, end = doc.sentence(pos)
            key = (rule_id, start)
            cached = doc.sentence_support.get(key)
            if cached is None:
                cached = rule.terms.search(doc.text, start, end) is not None or any(
                    rule.terms.search(c.replacement) is not None
                    for c in doc.changes_between(start, end)
                )
                doc.sentence_support[key] = cached
            return cached
        known = doc.rule_support.get(rule_id)
        if known is None:
            known = (
                rule_id in doc.state.supported
                or rule.terms.search(doc.text) is not None
                or rule.terms.search(doc.replacements) is not None
            )
            doc.rule_support[rule_id] = known
            if known:
                doc.state.supported.add(rule_id)
        return known

    def _mentioned(self, eid: int, text: str, doc: _Doc) -> bool:
        """The entity is named in the document: its canonical name as written, or a
        change of the name pass to it (see ``apply``)."""
        if eid in doc.state.mentioned:
            return True
        if eid in doc.checked:
            return False
        doc.checked.add(eid)
        pattern = self._mentions(eid)
        if pattern is not None and pattern.search(text) is not None:
            doc.state.mentioned.add(eid)
            return True
        return False

    # -- the layer -----------------------------------------------------------------------

    def apply(self, text: str, changes: list[Change], state: DocState) -> list[Change]:
        """The name pass's ``changes`` to ``text`` with the context layer's added (and
        gated fuzzy matches without support removed), in order of position."""
        s = self.settings
        doc = _Doc(text, state, changes)
        gated: list[tuple[int, int, Change]] = []  # (rule, entity, change) needing support
        kept: list[Change] = []
        for c in changes:
            eid = self.entity_of.get(c.canonical)
            if eid is not None and c.method in FUZZY_METHODS and eid in self.gated_fuzzy:
                gated.append((self.gated_fuzzy[eid], eid, c))
                continue
            if eid is not None:
                self._seen(eid, state)
            kept.append(c)
        phrases: list[tuple[int, int | None, Change]] = []
        needs_scan = s.context or s.words or s.honorifics
        phrase_at, honorific_at = self._candidates(text) if needs_scan else ([], [])
        if (s.context or s.words) and self.phrase_re is not None:
            base = _Changes(changes)  # every change of the name pass, gated or not
            for m in _matches(self.phrase_re, text, phrase_at):
                phrase = self.phrases.get(_SPACES.sub(" ", m.group()))
                if phrase is None or not (s.words if phrase.method == "word" else s.context):
                    continue
                start, end = m.span()
                if in_url_or_handle(text, start, end) or base.overlaps(start, end):
                    continue
                rule = self.rules[phrase.rule]
                change = Change(
                    start, end, m.group(), phrase.replacement, rule.canonical, phrase.method, 1.0
                )
                if phrase.method == "word":
                    kept.append(change)
                else:
                    phrases.append((phrase.rule, rule.entity, change))
        if s.context:
            # Support is judged per entity as a whole: once one of its gated variants
            # is supported and replaced, its name is in the text, which would support the
            # others on a second run; so they are all replaced now (idempotence).
            supported_entities: set[int] = set()
            for rule_id, eid, change in (*gated, *phrases):
                if eid is None or eid in supported_entities:
                    continue
                if self._mentioned(eid, text, doc) or self._terms_near(rule_id, change.start, doc):
                    supported_entities.add(eid)
            for rule_id, eid, change in (*gated, *phrases):
                if eid in supported_entities or (
                    eid is None and self._terms_near(rule_id, change.start, doc)
                ):
                    kept.append(change)
                    if eid is not None:
                        self._seen(eid, state)
        out = _Changes(kept)
        if s.document:
            self._document(text, kept, doc, out)
            out.commit()
        if s.honorifics and self.honorific_re is not None:
            self._honorifics(text, kept, doc, out, honorific_at)
            out.commit()
        if s.typography:
            self._typography(text, out, state)
        return out.sorted()

    def _typography(self, text: str, out: _Changes, state: DocState) -> None:
        """Typographic fixes, judged on the text as the other changes leave it (so that
        a second run finds nothing more: "spread  Corona virus" becomes "spread
        coronavirus" in one run), and mapped back to offsets in ``text``."""
        earlier = out.sorted()
        after = replay(text, earlier) if earlier else text
        code = Code(after, state.in_fence)
        state.in_fence = code.ends_in_fence
        found = sorted(fixes(after, code))
        if not found:
            return
        # Where each earlier change lies in ``after``: (start, end, shift before it).
        spans = []
        shift = 0
        for c in earlier:
            spans.append((c.start + shift, c.start + shift + len(c.replacement)))
            shift += len(c.replacement) - (c.end - c.start)
        shifts = []
        shift = 0
        for c in earlier:
            shift += len(c.replacement) - (c.end - c.start)
            shifts.append(shift)  # the shift after change i
        starts = [a for a, _ in spans]
        for f in found:
            i = bisect.bisect_right(starts, f.start) - 1
            if i >= 0 and f.start < spans[i][1]:
                continue  # inside the replacement of another change
            if i + 1 < len(spans) and spans[i + 1][0] < f.end:
                continue  # reaches into the next replacement
            moved = shifts[i] if i >= 0 else 0
            out.add(
                Change(
                    f.start - moved,
                    f.end - moved,
                    f.original,
                    f.replacement,
                    f.rule,
                    "typography",
                    1.0,
                )
            )

    def _document(self, text: str, changes: list[Change], doc: _Doc, out: _Changes) -> None:
        state = doc.state
        start_of: dict[str, int] = {}  # anchors learnt in this piece: where they end
        for c in changes:
            if c.method not in NAME_METHODS:
                continue
            eid = self.entity_of.get(c.canonical)
            if eid is None or self.entities[eid].kind != "person":
                continue
            old_words = TOKEN.findall(c.original)
            new_words = TOKEN.findall(c.replacement)  # as written: "SAFRA CATZ" in a headline
            if len(old_words) < 2 or len(old_words) != len(new_words):
                continue
            for old, new in zip(old_words, new_words, strict=True):
                if fold(old) == fold(new) or len(old) < 3 or not old[:1].isupper():
                    continue
                if old in state.ambiguous:
                    continue
                known = state.anchors.get(old)
                if known is not None and known[0] != new:
                    state.ambiguous.add(old)  # one garble, two people: leave it alone
                    del state.anchors[old]
                    continue
                if known is None:
                    state.anchors[old] = (new, c.canonical, c.score)
                    start_of[old] = c.end
        if not state.anchors:
            return
        pattern = regex.compile(
            f"{_EDGE_L}(?:{'|'.join(regex.escape(a) for a in state.anchors)}){_EDGE_R}"
        )
        for m in pattern.finditer(text):
            word = m.group()
            start, end = m.span()
            anchor = state.anchors.get(word)
            if anchor is None or start < start_of.get(word, 0):
                continue  # only mentions after the anchor
            if out.overlaps(start, end) or in_url_or_handle(text, start, end):
                continue
            if _in_other_name(text, start, end, self.honorifics.keys()):
                continue
            new, canonical, score = anchor
            out.add(Change(start, end, word, new, canonical, "document", score))

    def _honorifics(
        self, text: str, changes: list[Change], doc: _Doc, out: _Changes, at: list[int]
    ) -> None:
        state = doc.state
        assert self.honorific_re is not None
        for m in _matches(self.honorific_re, text, at):
            start, end = m.span("h")
            if out.overlaps(start, end) or in_url_or_handle(text, start, end):
                continue
            name = m.group("name")
            anchor = state.anchors.get(name)
            surname = anchor[0] if anchor is not None else name
            people = [
                eid
                for eid in self.surnames.get(surname, ())
                if eid in state.persons or self._mentioned(eid, text, doc)
            ]
            if not people:
                continue
            for eid in people:
                state.persons.add(eid)
            garble = self.honorifics[m.group("h")]
            titles = {self._honorific_of(eid, surname, doc, garble.means) for eid in people}
            if len(titles) != 1:
                continue  # unknown, or two people of that surname with different ones
            title = titles.pop()
            if title is None or title == m.group("h"):
                continue
            canonical = self.entities[people[0]].canonical
            out.add(Change(start, end, m.group("h"), title, canonical, "honorific", 1.0))

    def _honorific_of(self, eid: int, surname: str, doc: _Doc, means: str | None) -> str | None:
        own = self.entities[eid].honorific
        if own is not None:
            return own
        if surname not in doc.used_honorific:
            doc.used_honorific[surname] = self._used_honorific(surname, doc.text)
        return doc.used_honorific[surname] or means

    @staticmethod
    def _used_honorific(surname: str, text: str) -> str | None:
        """The first real honorific the document puts before ``surname``."""
        used = regex.search(
            rf"(?<![\p{{L}}])(Mr\.?|Ms\.?|Mrs\.?|Dr\.?)[ \u00a0]+{regex.escape(surname)}{_EDGE_R}",
            text,
        )
        return used.group(1) if used is not None else None


def _in_other_name(text: str, start: int, end: int, garbles: Collection[str]) -> bool:
    """True when the word at ``text[start:end]`` is part of a longer capitalised name:
    a capitalised word before it that is not an honorific and does not end a sentence
    ("Alex Katz"), or a capitalised word after it ("Katz's Delicatessen")."""
    prev = _PREV.search(text, max(0, start - 40), start)
    if prev is not None:
        word = prev.group(1)
        if (
            word[:1].isupper()
            and word.rstrip(".") not in HONORIFICS
            and word not in garbles
            and not word.endswith((".", "!", "?", ":", ";", ",", '"', "”", ")"))
        ):
            return True
    after = _NEXT.match(text, end, min(len(text), end + 40))
    return after is not None and after.group(1).isupper()


def _matches(
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


class _Doc:
    """Per-call facts about one document (or piece), computed on demand."""

    def __init__(self, text: str, state: DocState, changes: list[Change]) -> None:
        self.text = text
        self.state = state
        self.changes = changes  # the name pass's
        self.replacements = "\n".join(c.replacement for c in changes)
        self.rule_support: dict[int, bool] = {}
        self.sentence_support: dict[tuple[int, int], bool] = {}
        self.used_honorific: dict[str, str | None] = {}
        self._change_starts = [c.start for c in changes]
        self.checked: set[int] = set()
        self._ends: list[int] | None = None

    def changes_between(self, start: int, end: int) -> list[Change]:
        """The name pass's changes that start in ``[start, end)``."""
        lo = bisect.bisect_left(self._change_starts, start)
        hi = bisect.bisect_left(self._change_starts, end)
        return self.changes[lo:hi]

    def sentence(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence around ``pos`` (cut at ., !, ? and line breaks)."""
        if self._ends is None:
            self._ends = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect.bisect_right(self._ends, pos)
        start = self._ends[i - 1] if i else 0
        end = self._ends[i] if i < len(self._ends) else len(self.text)
        return start, end


class _Changes:
    """Non-overlapping changes, built layer by layer: a layer's candidates are checked
    against the changes of earlier layers (which win), then merged in one sweep."""

    def __init__(self, changes: list[Change]) -> None:
        self.items = sorted(changes)
        self._starts = [c.start for c in self.items]
        self._pending: list[Change] = []

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps a change of an earlier layer."""
        i = bisect.bisect_left(self._starts, end)  # the changes that start before ``end``
        return bool(i) and self.items[i - 1].end > start

    def add(self, change: Change) -> None:
        self._pending.append(change)

    def commit(self) -> None:
        """Merge the pending layer: a candidate overlapping an earlier change, or an
        earlier candidate of its own layer, is dropped."""
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
