"""``Normaliser``: clean, explain and match; module-level convenience functions."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from . import document
from .config import Settings
from .context import HONORIFICS, Context, DocState
from .evidence import Evidence, score, total
from .index import Index
from .keys import compact, fold
from .matcher import Verdict, candidates, decide
from .models import Change, Match, Method
from .models import replay as replay  # where it always was: normalise.core.replay
from .scan import RUN, TOKEN, LineInfo, Token, in_url_or_handle, tokens
from .table import (
    AliasTable,
    TableSource,
    builtin_table,
    load_table,
    merge_tables,
    table_from_mapping,
)

# A decision for one distinct run of capitalised words: (start, end, canonical, method,
# score) relative to the run. News text is Zipfian, so most runs repeat: 66% of the 495
# runs of the seed corpus and 79% of the 57,564 runs of the 3.3 MB BBC subset are
# repeats, and with the run and span caches a second pass over the BBC text runs at
# 1.4x the bare tokenising pass against 0.4x for the first; on the repeated 100 MB
# corpus 1.16x against 0.52x on fresh 10 MB (benchmarks/throughput.py).
# Both caches are cleared when they reach this many entries (a few tens of MB).
_Decision = tuple["_Pick", ...]
_RUN_CACHE_SIZE = 200_000
_FUZZY: frozenset[str] = frozenset({"phonetic", "edit"})
_VERY_COMMON = 4.0  # Zipf: the "very common" level of normalise.evidence.frequency_level
# Capitalised words that never make a name longer ("Prime Minister Chinh", "The Hague").
_TITLE_WORDS = frozenset(
    {"the", "a", "an", "prime", "premier", "general", "king", "queen", "prince", "princess"}
    | {"pope", "chairman", "chancellor", "secretary", "ambassador", "spokesman"}
)
_LONG_RUN = 40  # words


class _Pick(NamedTuple):
    """A span of a run chosen for a change: offsets relative to the run. A fuzzy pick
    (``phonetic``, ``edit``) still awaits the document's evidence (``Normaliser._names``);
    ``evidence`` then holds the name's and the run's."""

    start: int
    end: int
    canonical: str
    method: Method
    score: float
    replacement: str
    evidence: tuple[Evidence, ...]


class Why(NamedTuple):
    """What ``Normaliser.why`` found for one name."""

    verdict: Verdict
    accepted: bool  # the verdict is a match (for a fuzzy one: its total >= threshold)
    threshold: float
    candidates: tuple[tuple[str, tuple[Evidence, ...]], ...]  # (canonical, evidence)


def _as_table(source: TableSource | AliasTable) -> AliasTable:
    if isinstance(source, AliasTable):
        return source
    if isinstance(source, str | os.PathLike):
        return load_table(source)
    return table_from_mapping(source)


class Normaliser:
    """Repairs garbled names in text using an alias table and fuzzy evidence.

    >>> from normalise import Normaliser
    >>> n = Normaliser()
    >>> n.clean("Bytdance said Tickcock's users are safe.")
    "ByteDance said TikTok's users are safe."
    >>> n.match("Wallmart")
    Match(name='Wallmart', canonical='Walmart', method='alias', score=1.0)
    """

    def __init__(
        self,
        tables: Iterable[TableSource | AliasTable] = (),
        *,
        builtin: bool = True,
        settings: Settings | None = None,
    ) -> None:
        if isinstance(tables, str | os.PathLike) or hasattr(tables, "keys"):
            raise TypeError("tables must be a list of paths, mappings or AliasTables")
        loaded = [_as_table(t) for t in tables]
        if builtin:
            loaded.insert(0, builtin_table())
        self.table: AliasTable = merge_tables(loaded)
        self.settings: Settings = settings if settings is not None else Settings()
        if not isinstance(self.settings, Settings):
            raise TypeError(f"settings must be a Settings, not {type(self.settings).__name__}")
        self.index = Index(self.table, self.settings)
        self.context = Context(self.table, self.settings)
        w = self.index.weights
        self._best_document = (
            w.best("document") + w.best("usage") if self.settings.document_evidence else 0.0
        )
        self._max_words = min(self.settings.max_span_words, self.index.max_words + 1)
        self._runs: dict[str, _Decision] = {}
        self._spans: dict[str | tuple[str], Verdict | None] = {}

    def __repr__(self) -> str:
        return f"<Normaliser entities={len(self.table)} settings={self.settings!r}>"

    def __getstate__(self) -> dict[str, Any]:
        return {"table": self.table, "settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__([state["table"]], builtin=False, settings=state["settings"])  # type: ignore[misc]

    # -- matching -----------------------------------------------------------------

    def match(self, name: str) -> Match | None:
        """The best canonical match for one name, or ``None``.

        A name that is already canonical matches itself with method ``exact``.
        """
        found = self.why(name)
        if found is None or not found.accepted:
            return None
        return found.verdict.to_match()

    def why(self, name: str) -> Why | None:
        """What ``match`` decides for one name, and why: the verdict, the weighed
        evidence of every candidate (the chosen one first), the threshold, and whether
        the evidence reaches it. The name is judged as a document of its own: on its own
        line, with no other mention of anything. ``None`` when nothing resembles it.
        """
        name = name.strip()
        words = tokens(name)
        if not words:
            return None
        m = decide(self.index, name, words)
        if m is None:
            return None
        threshold = self.index.threshold
        found: list[tuple[str, tuple[Evidence, ...]]] = []
        if m.method in _FUZZY or m.score < 0:
            c = compact(name)
            folded = [fold(w.text) for w in words if not w.connector]
            place = self._alone_place()
            for cand in candidates(self.index, c, folded):
                canonical = self.index.entities[cand.entity].canonical
                found.append((canonical, (*cand.evidence, *place)))
        if m.method not in _FUZZY:
            return Why(m, m.score >= 0, threshold, tuple(found))
        evidence = (*m.evidence, *self._alone_place())
        verdict = m._replace(score=score(evidence), evidence=evidence)
        return Why(verdict, total(evidence) >= threshold, threshold, tuple(found))

    def _name_like(self, word: str, never_lower: bool = False) -> bool:
        """A capitalised word that may be part of an unfamiliar longer name: no title
        ("President", "Ms"), no name of the table, and not a very common English word
        (names such as "Minh" are common enough in wordfreq; "The" and "Prime" far
        commoner) unless the document never writes it in lower case (``never_lower``:
        "John" is a very common word to wordfreq, but not in lower case)."""
        w = fold(word)
        return (
            word.rstrip(".") not in HONORIFICS
            and w not in _TITLE_WORDS
            and w not in self.index.exact
            and (never_lower or self.index.zipf(w) < _VERY_COMMON)
            and self._word_verdict(word) is None
        )

    def _word_verdict(self, word: str) -> Verdict | None:
        """What the matcher says of one word alone (from the span cache): a word that is
        a candidate for a name of the table, repaired or not, is no part of an unknown
        name (so judging a neighbour does not change once it is repaired)."""
        spans = self._spans
        if word in spans:
            return spans[word]
        if len(spans) >= _RUN_CACHE_SIZE:
            spans.clear()
        verdict = spans[word] = decide(self.index, word, tokens(word))
        return verdict

    def _alone_place(self) -> tuple[Evidence, ...]:
        w = self.index.weights
        if not self.settings.document_evidence:
            return (w.item("context", "own name"),)
        return (
            w.item("context", "own name"),
            w.item("document", "none"),
            w.item("usage", "alone"),
        )

    def _decide_run(self, run: str) -> _Decision:
        """Choose spans left to right. At each word, every span starting there is judged,
        and the one with the strongest evidence wins (the longest among equals): exact
        names and aliases (score 1) beat fuzzy evidence, so "Bitdance" wins over
        "Bitdance CEO". Weak fuzzy evidence still claims its span unchanged, which keeps
        the choice independent of the cutoffs: a higher cutoff never adds a change.
        """
        words = tokens(run)
        found = []
        spans = self._spans
        if len(spans) >= _RUN_CACHE_SIZE:
            spans.clear()
        i = 0
        n = len(words)
        # A run of dozens of capitalised words is a table, a list or junk, not prose
        # with names in it: there, spans of several words are matched exactly only,
        # which keeps the cost linear (benchmarks/pathological.py: 43 s for 1 MB of
        # such words before, see the README for after).
        long_run = n > _LONG_RUN
        claimed: set[int] = set()  # words in a chosen span
        picked: list[tuple[int, int, Verdict]] = []
        while i < n:
            if not words[i].startable:
                i += 1
                continue
            chosen = None
            chosen_j = i + 1
            for j in range(min(n, i + self._max_words), i, -1):
                last = words[j - 1]
                if last.connector:
                    continue
                start, end = words[i].start, last.end
                span = run[start:end]
                # The verdict on a span depends on the span alone; single words ("The",
                # "Microsoft") recur across many different runs.
                if long_run and j - i > 1:
                    # A verdict without fuzzy evidence is cached apart: the result must
                    # not depend on what the cache saw before.
                    key = (span,)
                    if key in spans:
                        m = spans[key]
                    else:
                        m = spans[key] = decide(self.index, span, words[i:j], fuzzy=False)
                elif span in spans:
                    m = spans[span]
                else:
                    m = spans[span] = decide(self.index, span, words[i:j])
                if m is not None and (chosen is None or abs(m.score) > abs(chosen.score)):
                    chosen, chosen_j = m, j
            if chosen is None:
                i += 1
                continue
            claimed.update(range(i, chosen_j))
            if chosen.is_change:
                picked.append((i, chosen_j, chosen))
            i = chosen_j
        # The run's evidence is judged once every span is chosen: a neighbour that is a
        # name of the table (or a candidate for one) is not part of a longer unknown
        # name, whether or not it is repaired (so a second run judges alike).
        for i, j, chosen in picked:
            pick = self._pick(words, i, j, chosen, claimed)
            if pick is not None:
                found.append(pick)
        return tuple(found)

    def _pick(
        self, words: list[Token], i: int, j: int, m: Verdict, claimed: set[int]
    ) -> _Pick | None:
        """A change for ``words[i:j]``; for a fuzzy match, with the run's evidence added,
        or None when even the best document evidence could not carry it."""
        start, end = words[i].start, words[j - 1].end
        replacement = m.replacement if m.replacement is not None else m.canonical
        if m.method not in _FUZZY:
            return _Pick(start, end, m.canonical, m.method, m.score, replacement, ())
        weights = self.index.weights
        # Another capitalised word joined to the span that is neither a connector, a
        # title nor a very common word makes it part of a longer name ("Pham Minh
        # Chinh", "Kabardino-Balkaria"): evidence of an unfamiliar name, not a garble.
        longer = any(
            0 <= k < len(words)
            and k not in claimed
            and not words[k].connector
            and words[k].startable
            and self._name_like(words[k].text)
            for k in (i - 1, j)
        )
        item = weights.item("context", "in longer name" if longer else "own name")
        evidence = (*m.evidence, item)
        if total(evidence) + self._best_document < self.index.threshold:
            return None
        return _Pick(start, end, m.canonical, m.method, score(evidence), replacement, evidence)

    # -- text ---------------------------------------------------------------------

    def explain(self, text: str) -> list[Change]:
        """Every change ``clean`` would make to ``text``, in order of position.

        ``text`` is one document: the context layer (``normalise.context``) reads all
        of it.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        return self._explain(text, DocState())

    def _explain(self, text: str, state: DocState) -> list[Change]:
        changes = self._names(text, state)
        if self.context.active:
            changes = self.context.apply(text, changes, state)
        return changes

    def _names(self, text: str, state: DocState) -> list[Change]:
        """The name pass: every change to a run of capitalised words."""
        changes: list[Change] = []
        pending: list[Change] = []  # fuzzy candidates awaiting the document's evidence
        lines: LineInfo | None = None
        runs = self._runs
        for m in RUN.finditer(text):
            run = m.group()
            decision = runs.get(run)
            if decision is None:
                decision = self._decide_run(run)
                if len(runs) >= _RUN_CACHE_SIZE:
                    runs.clear()
                runs[run] = decision
            if not decision:
                continue
            base = m.start()
            run_caps: int | None = None  # ALL-CAPS words in the run, counted once
            for pick in decision:
                rs, re_, canonical, method = pick.start, pick.end, pick.canonical, pick.method
                start, end = base + rs, base + re_
                original = run[rs:re_]
                if in_url_or_handle(text, start, end):
                    continue
                replacement = pick.replacement
                if original.isupper():  # ALL-CAPS: a headline, dateline or shouted name
                    if lines is None:
                        lines = LineInfo(text)
                    if run_caps is None:
                        run_caps = _caps_words(run)
                    if (
                        lines.is_headline(start)
                        or lines.starts_line(start)
                        or run_caps > _caps_words(original)  # "SOUTH GEORGIA AND"
                    ):
                        replacement = replacement.upper()
                    elif method == "case" and sum(ch.isalpha() for ch in original) < (
                        self.settings.min_caps_length
                    ):
                        continue
                if replacement == original:
                    continue
                change = Change(
                    start, end, original, replacement, canonical, method, pick.score, pick.evidence
                )
                if method in _FUZZY:
                    pending.append(change)
                else:
                    changes.append(change)
        if pending and self.settings.document_evidence:
            changes = document.weigh(
                text,
                changes,
                pending,
                self.index.weights,
                self.index.threshold,
                state.present,
                self._name_like,
            )
        elif pending:
            threshold = self.index.threshold
            accepted = [c for c in pending if total(c.evidence) >= threshold]
            changes = sorted([*changes, *accepted])
        return changes

    def clean(self, text: str) -> str:
        """``text`` with every garbled name replaced by its canonical form."""
        return replay(text, self.explain(text))

    def iter_explain(
        self, chunks: Iterable[str], *, buffer: int = 1 << 20
    ) -> Iterator[tuple[str, list[Change]]]:
        """Explain a text given as a stream of chunks, with bounded memory.

        Yields ``(piece, changes)``: consecutive pieces of the text, each cut just after a
        line break once at least ``buffer`` characters have gathered, with the changes
        of that piece (offsets into the whole text). Nothing the name pass decides
        reaches across a line break (runs, headlines, datelines, URLs all stay within a
        line), and the context layer carries what it learnt (fixed names, people named,
        support found, open code fences, canonical names present) from piece to piece,
        so the result is that of ``explain`` on the whole text, except that support for
        a ``context`` repair, or a canonical name as the document's evidence for a fuzzy
        candidate (``Settings.document_evidence``), that first appears in a later piece
        is not seen. Memory is bounded by ``buffer`` plus the longest line.
        """
        if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 1:
            raise ValueError(f"buffer must be a whole number >= 1, not {buffer!r}")
        pieces: list[str] = []
        size = 0
        offset = 0
        state = DocState()
        for chunk in chunks:
            cut = chunk.rfind("\n") + 1
            if cut and size + cut >= buffer:
                piece = "".join(pieces) + chunk[:cut]
                yield piece, self._shifted(piece, offset, state)
                offset += len(piece)
                pieces, size = [chunk[cut:]], len(chunk) - cut
            else:
                pieces.append(chunk)
                size += len(chunk)
        piece = "".join(pieces)
        if piece:
            yield piece, self._shifted(piece, offset, state)

    def _shifted(self, piece: str, offset: int, state: DocState) -> list[Change]:
        return [
            c._replace(start=c.start + offset, end=c.end + offset)
            for c in self._explain(piece, state)
        ]

    def iter_clean(self, chunks: Iterable[str], *, buffer: int = 1 << 20) -> Iterator[str]:
        """``clean`` for a text given as a stream of chunks (see ``iter_explain``):
        ``"".join(n.iter_clean(chunks)) == n.clean("".join(chunks))``."""
        offset = 0
        for piece, changes in self.iter_explain(chunks, buffer=buffer):
            yield replay(
                piece, [c._replace(start=c.start - offset, end=c.end - offset) for c in changes]
            )
            offset += len(piece)

    def clean_many(self, texts: Iterable[str], *, workers: int = 1) -> list[str]:
        """Clean many texts; results are in input order and identical for any ``workers``."""
        from .batch import map_texts

        return map_texts(self, "clean", texts, workers=workers)

    def explain_many(self, texts: Iterable[str], *, workers: int = 1) -> list[list[Change]]:
        """``explain`` for many texts, in input order."""
        from .batch import map_texts

        return map_texts(self, "explain", texts, workers=workers)


def _caps_words(text: str) -> int:
    return sum(1 for w in TOKEN.findall(text) if len(w) > 1 and w.isupper())


@lru_cache(maxsize=1)
def default_normaliser() -> Normaliser:
    """The shared normaliser with the built-in table and default settings."""
    return Normaliser()


def clean(text: str) -> str:
    """Clean ``text`` with the built-in table and default settings.

    >>> clean("Safra Katz and Larry Ellison met Wallmart.")
    'Safra Catz and Larry Ellison met Walmart.'
    """
    return default_normaliser().clean(text)


def explain(text: str) -> list[Change]:
    """Explain ``clean(text)``: one ``Change`` record per rewritten span.

    >>> [(c.start, c.end, c.replacement, c.method) for c in explain("The Kovid-19 crisis")]
    [(4, 12, 'COVID-19', 'alias')]
    """
    return default_normaliser().explain(text)


def match(name: str) -> Match | None:
    """The best canonical match for one name with the built-in table."""
    return default_normaliser().match(name)
