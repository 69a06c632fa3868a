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
from .base import EDGE_L, EDGE_R, FUZZY_METHODS, ChangeSet, Doc, Shared, matches, word_regex

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

    def _support(self, rule_id: int, pos: int, doc: Doc) -> str:
        """The context word of the rule that supports a change at ``pos``: in the
        document (or the sentence around ``pos``), as written or as the name pass
        rewrites it ("Bytdance" counts as "ByteDance"); "" when there is none."""
        rule = self.rules[rule_id]
        if rule.terms is None:
            return ""
        if rule.sentence:
            start, end = doc.sentence(pos)
            key = (rule_id, start)
            cached = doc.sentence_support.get(key)
            if cached is None:
                cached = _found(rule.terms, doc.text, start, end) or next(
                    (
                        found
                        for c in doc.changes_between(start, end)
                        if (found := _found(rule.terms, c.replacement))
                    ),
                    "",
                )
                doc.sentence_support[key] = cached
            return cached
        known = doc.rule_support.get(rule_id)
        if known is None:
            known = (
                doc.state.supported.get(rule_id)
                or _found(rule.terms, doc.text)
                or _found(rule.terms, doc.replacements)
            )
            doc.rule_support[rule_id] = known
            if known:
                doc.state.supported[rule_id] = known
        return known

    def run(self, doc: Doc) -> None:
        s = self.settings
        shared = self.shared
        text, state = doc.text, doc.state
        gated: list[tuple[int, int, Change]] = []  # (rule, entity, change) needing support
        kept: list[Change] = []
        for c in doc.names:
            eid = shared.entity_of.get(c.canonical)
            if eid is not None and c.method in FUZZY_METHODS and eid in self.gated_fuzzy:
                gated.append((self.gated_fuzzy[eid], eid, c))
                continue
            if eid is not None:
                shared.seen(eid, state)
            kept.append(c)
        phrases: list[tuple[int, int | None, Change]] = []
        if (s.context or s.words) and self.phrase_re is not None:
            phrase_at, _ = shared.starts(doc)
            base = ChangeSet(doc.names)  # every change of the name pass, gated or not
            for m in matches(self.phrase_re, text, phrase_at):
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
            # The supporting word goes with the change ("support"): the entity's own
            # name, or the context word that was found.
            supported_entities: dict[int, str] = {}
            for rule_id, eid, change in (*gated, *phrases):
                if eid is None or eid in supported_entities:
                    continue
                if shared.mentioned(eid, doc):
                    supported_entities[eid] = shared.entities[eid].canonical
                elif word := self._support(rule_id, change.start, doc):
                    supported_entities[eid] = word
            for rule_id, eid, change in (*gated, *phrases):
                support = (
                    supported_entities.get(eid, "")
                    if eid is not None
                    else self._support(rule_id, change.start, doc)
                )
                if support:
                    kept.append(change._replace(support=support))
                    if eid is not None:
                        shared.seen(eid, state)
        doc.out = ChangeSet(kept)


def _found(terms: regex.Pattern[str], text: str, start: int = 0, end: int | None = None) -> str:
    """The first context word of ``terms`` in ``text[start:end]``, or ""."""
    m = terms.search(text, start, len(text) if end is None else end)
    return m.group() if m is not None else ""
