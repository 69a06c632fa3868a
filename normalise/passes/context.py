"""The context pass: replacements that need support in the document.

- ``context``: variants a table lists under ``context_aliases`` (and word garbles with
  ``context``) are replaced only when a context word occurs in the document (or the
  sentence, with ``context_scope = "sentence"``), or the entity is mentioned elsewhere
  in the document. Fuzzy matches of an entity with ``context_fuzzy`` (from the name
  pass) need the same support, and are dropped without it.
- ``word``: word-level garbles that are not names ("fund-razor" -> "fundraiser"),
  switched by ``Settings.words``. They are phrases like the context-gated variants and
  found by the same scan, so they live here.

Support is judged on the text as written and on the name pass's replacements
("Bytdance" counts as "ByteDance").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import regex

from ..config import Settings
from ..models import Change, Method
from ..scan import in_url_or_handle
from .base import (
    EDGE_L,
    EDGE_R,
    FUZZY_METHODS,
    ChangeSet,
    Doc,
    Shared,
    Work,
    matches,
    word_regex,
)

_SPACES = regex.compile(r"[ \u00a0]+")


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


class Context:
    """The context pass (with word garbles) for one table, compiled once."""

    name: ClassVar[str] = "context"

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.settings = shared.settings
        self.rules: list[_Rule] = []
        self.phrases: dict[str, _Phrase] = {}
        self.gated_fuzzy: dict[int, int] = {}  # entity -> rule
        for eid, e in enumerate(shared.entities):
            if not (e.context_aliases or e.context or e.context_fuzzy):
                continue
            rule = len(self.rules)
            self.rules.append(
                _Rule(e.canonical, word_regex(e.context), e.context_scope == "sentence", eid)
            )
            if e.context_fuzzy:
                self.gated_fuzzy[eid] = rule
            for alias in e.context_aliases:
                self._add_phrase(alias, e.canonical, rule, "context")
        for w in shared.table.words:
            rule = len(self.rules)
            terms = word_regex(w.context)
            self.rules.append(_Rule(w.canonical, terms, w.context_scope == "sentence", None))
            for alias in w.aliases:
                self._add_phrase(alias, w.canonical, rule, "context" if terms else "word")
        # Every phrase as written (and capitalised), longest first; a space in a phrase
        # matches any run of spaces ("Corona  virus").
        self.phrase_re = None
        if self.phrases:
            parts = sorted(self.phrases, key=len, reverse=True)
            alternation = "|".join(
                r"[ \u00a0]+".join(regex.escape(w) for w in p.split(" ")) for p in parts
            )
            self.phrase_re = regex.compile(f"{EDGE_L}(?:{alternation}){EDGE_R}")
            shared.add_literals(alternation)

    @staticmethod
    def enabled(settings: Settings) -> bool:
        # Always run: without the switch, gated fuzzy matches lack support and go.
        return True

    def _add_phrase(self, alias: str, canonical: str, rule: int, method: Method) -> None:
        self.phrases.setdefault(alias, _Phrase(canonical, rule, method))
        if alias[:1].islower():  # "Fund-razor" at the start of a sentence
            replacement = _capitalised(canonical) if canonical[:1].islower() else canonical
            self.phrases.setdefault(_capitalised(alias), _Phrase(replacement, rule, method))

    def _by_sentence(self, rule_id: int) -> bool:
        rule = self.rules[rule_id]
        return rule.sentence and rule.terms is not None

    def _sentence_support(self, rule_id: int, pos: int, doc: Doc, work: Work) -> str:
        """The context word of a sentence-scoped rule in the sentence around ``pos`` of
        the piece ``doc``, as written or as the name pass rewrites it; "" for none."""
        rule = self.rules[rule_id]
        assert rule.terms is not None
        start, end = doc.sentence(pos)
        return _found(rule.terms, doc.text, start, end) or next(
            (
                found
                for c in work.changes_between(doc.offset + start, doc.offset + end)
                if (found := _found(rule.terms, c.replacement))
            ),
            "",
        )

    def _document_support(self, rules: set[int], work: Work) -> dict[int, str]:
        """The context word of each document-scoped rule of ``rules``: the first in the
        document as written (one read for all of them), or in the name pass's
        replacements ("Bytdance" counts as "ByteDance"); "" for none. What an earlier
        window of a stream found counts."""
        support = {r: work.state.supported.get(r, "") for r in rules}
        wanted = {r for r in rules if not support[r] and self.rules[r].terms is not None}
        if wanted:
            for doc in work.pieces():
                for r in list(wanted):
                    terms = self.rules[r].terms
                    assert terms is not None
                    if found := _found(terms, doc.text):
                        support[r] = found
                        wanted.discard(r)
                if not wanted:
                    break
        for r in wanted:
            terms = self.rules[r].terms
            assert terms is not None
            support[r] = _found(terms, work.replacements)
        for r, word in support.items():
            if word:
                work.state.supported[r] = word
        return support

    def run(self, work: Work) -> None:
        s = self.settings
        shared = self.shared
        state = work.state
        gated: list[tuple[int, int, Change]] = []  # (rule, entity, change) needing support
        kept: list[Change] = []
        for c in work.names:
            eid = shared.entity_of.get(c.canonical)
            if eid is not None and c.method in FUZZY_METHODS and eid in self.gated_fuzzy:
                gated.append((self.gated_fuzzy[eid], eid, c))
                continue
            if eid is not None:
                shared.seen(eid, state)
            kept.append(c)
        phrases: list[tuple[int, int | None, Change]] = []
        in_sentence: dict[int, str] = {}  # change start -> its sentence's support word
        find_phrases = (s.context or s.words) and self.phrase_re is not None
        by_sentence = sorted(
            (c.start, rule) for rule, _, c in gated if self._by_sentence(rule) and s.context
        )
        if find_phrases or by_sentence:
            base = ChangeSet(work.names)  # every change of the name pass, gated or not
            for doc in work.pieces():
                text, offset = doc.text, doc.offset
                for at, rule_id in by_sentence:
                    if offset <= at < offset + len(text):
                        in_sentence[at] = self._sentence_support(rule_id, at - offset, doc, work)
                if not find_phrases:
                    continue
                assert self.phrase_re is not None
                phrase_at, _ = shared.starts(doc)
                for m in matches(self.phrase_re, text, phrase_at):
                    phrase = self.phrases.get(_SPACES.sub(" ", m.group()))
                    if phrase is None or not (s.words if phrase.method == "word" else s.context):
                        continue
                    start, end = m.span()
                    if in_url_or_handle(text, start, end) or base.overlaps(
                        offset + start, offset + end
                    ):
                        continue
                    rule = self.rules[phrase.rule]
                    change = Change(
                        offset + start,
                        offset + end,
                        m.group(),
                        phrase.replacement,
                        rule.canonical,
                        phrase.method,
                        1.0,
                    )
                    if phrase.method == "word":
                        kept.append(change)
                        continue
                    phrases.append((phrase.rule, rule.entity, change))
                    if self._by_sentence(phrase.rule):
                        in_sentence[change.start] = self._sentence_support(
                            phrase.rule, start, doc, work
                        )
        if s.context and (gated or phrases):
            self._gate(work, gated, phrases, in_sentence, kept)
        work.out = ChangeSet(kept)

    def _gate(
        self,
        work: Work,
        gated: list[tuple[int, int, Change]],
        phrases: list[tuple[int, int | None, Change]],
        in_sentence: dict[int, str],
        kept: list[Change],
    ) -> None:
        """Keep the gated changes that the document supports. Support is judged per
        entity as a whole: once one of its gated variants is supported and replaced,
        its name is in the text, which would support the others on a second run; so
        they are all replaced now (idempotence). The supporting word goes with the
        change ("support"): the entity's own name, or the context word found."""
        shared = self.shared
        candidates = [*gated, *phrases]
        named = shared.mentioned({eid for _, eid, _ in candidates if eid is not None}, work)

        def support_of(rule_id: int, change: Change, doc_support: dict[int, str]) -> str:
            if self.rules[rule_id].sentence:
                return in_sentence.get(change.start, "")
            return doc_support.get(rule_id, "")

        needed = {
            rule_id
            for rule_id, eid, _ in candidates
            if not self.rules[rule_id].sentence and (eid is None or eid not in named)
        }
        doc_support = self._document_support(needed, work) if needed else {}
        supported_entities: dict[int, str] = {}
        for rule_id, eid, change in candidates:
            if eid is None or eid in supported_entities:
                continue
            if eid in named:
                supported_entities[eid] = shared.entities[eid].canonical
            elif word := support_of(rule_id, change, doc_support):
                supported_entities[eid] = word
        for rule_id, eid, change in candidates:
            support = (
                supported_entities.get(eid, "")
                if eid is not None
                else support_of(rule_id, change, doc_support)
            )
            if support:
                kept.append(change._replace(support=support))
                if eid is not None:
                    shared.seen(eid, work.state)


def _found(terms: regex.Pattern[str], text: str, start: int = 0, end: int | None = None) -> str:
    """The first context word of ``terms`` in ``text[start:end]``, or ""."""
    m = terms.search(text, start, len(text) if end is None else end)
    return m.group() if m is not None else ""
