"""The name pass: every run of capitalised words, judged span by span.

Each run ("Bytdance CEO Zhang Yiming") is cut into spans, and each span is judged by
``normalise.matcher.decide`` against the alias table: exact names and aliases, damaged
capitals, merged or split words, and fuzzy candidates with their weighed evidence
(``normalise.evidence``). A fuzzy candidate then gains the evidence of its run (part of
a longer unknown name or not) and of the document (``normalise.document_evidence``) and
is accepted when the total reaches the threshold. Decisions per distinct run are cached:
news text is Zipfian, so most runs repeat.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple, TypeVar

from .. import document_evidence
from ..comparisons import BY_NAME, Run
from ..config import Settings
from ..evidence import Evidence, score, total
from ..keys import compact, fold
from ..matcher import Verdict, candidates, decide
from ..models import Change, Method
from ..scan import (
    RUN,
    TOKEN,
    LineInfo,
    Token,
    ends_dateline,
    headline,
    in_url_or_handle,
    tokens,
)
from ..screen import LONG_RUN, native_screen
from .base import FUZZY_METHODS, HONORIFICS, ChangeSet, Doc, Shared

# A decision for one distinct run of capitalised words. News text is Zipfian, so most
# runs repeat: 66% of the 495 runs of the seed corpus and 79% of the 57,564 runs of the
# 3.3 MB BBC subset are repeats, and with the run and span caches a second pass over the
# BBC text runs at 1.4x the bare tokenising pass against 0.4x for the first; on the
# repeated 100 MB corpus 1.16x against 0.52x on fresh 10 MB (benchmarks/throughput.py).
# Both caches are cleared when they reach this many entries (a few tens of MB).
_RUN_CACHE_SIZE = 200_000
# ...or when their keys hold this many characters: a stream of many distinct long
# capitalised words would otherwise grow them to hundreds of MB (bounded by bytes, not
# entries).
_CACHE_CHARS = 2_000_000

_K = TypeVar("_K")
_V = TypeVar("_V")


class _Cache(dict[_K, _V]):
    """A dict cleared when it reaches ``_RUN_CACHE_SIZE`` entries or its keys
    ``_CACHE_CHARS`` characters (counted by ``make_room``)."""

    __slots__ = ("chars",)

    def __init__(self) -> None:
        super().__init__()
        self.chars = 0

    def make_room(self, key: str) -> None:
        """Count ``key`` against the bound, clearing the cache at the bound."""
        self.chars += len(key)
        if len(self) >= _RUN_CACHE_SIZE or self.chars >= _CACHE_CHARS:
            self.clear()
            self.chars = len(key)


_VERY_COMMON = 4.0  # Zipf: the "very common" level of normalise.comparisons.frequency_level
# Capitalised words that never make a name longer ("Prime Minister Chinh", "The Hague").
_TITLE_WORDS = frozenset(
    {"the", "a", "an", "prime", "premier", "general", "king", "queen", "prince", "princess"}
    | {"pope", "chairman", "chancellor", "secretary", "ambassador", "spokesman"}
)
_LONG_RUN = LONG_RUN  # words
_SCREEN_AFTER = 200  # distinct runs decided before the native screen is built


class Pick(NamedTuple):
    """A span of a run chosen for a change: offsets relative to the run. A fuzzy pick
    (``phonetic``, ``edit``) still awaits the document's evidence; ``evidence`` then
    holds the name's and the run's."""

    start: int
    end: int
    canonical: str
    method: Method
    score: float
    replacement: str
    evidence: tuple[Evidence, ...]


_Decision = tuple[Pick, ...]


class Why(NamedTuple):
    """What ``Normaliser.why`` found for one name."""

    verdict: Verdict
    accepted: bool  # the verdict is a match (for a fuzzy one: its total >= threshold)
    threshold: float
    candidates: tuple[tuple[str, tuple[Evidence, ...]], ...]  # (canonical, evidence)


class Names:
    """The name pass for one table and settings; its caches grow with use."""

    name: ClassVar[str] = "names"

    def __init__(self, shared: Shared) -> None:
        self.index = index = shared.index
        self.settings = settings = shared.settings
        w = index.weights
        self._best_document = (
            w.best("document") + w.best("usage") if settings.document_evidence else 0.0
        )
        self._max_words = min(settings.max_span_words, index.max_words + 1)
        self._runs: _Cache[str, _Decision] = _Cache()
        self._spans: _Cache[str | tuple[str], Verdict | None] = _Cache()
        # The native core's run screen (normalise/screen.py), built once this many
        # distinct runs were decided (building it reads the word list and the index:
        # some 0.2 s, more than a short input costs to decide without it); False with
        # the reference backend.
        self._screen: Any = None
        self._misses = 0

    @staticmethod
    def enabled(settings: Settings) -> bool:
        return True  # each method has its own switch (``Settings.aliases`` ...)

    def run(self, doc: Doc) -> None:
        doc.names = self.changes(doc.text, doc)
        doc.out = ChangeSet(doc.names)

    # -- one name -------------------------------------------------------------------

    def warm(self) -> None:
        """The word list and the native screen, loaded now (``Normaliser.warm``)."""
        self.index.zipfs  # noqa: B018
        if self._screen is None:
            screen = native_screen(self.index, self._max_words)
            self._screen = screen if screen is not None else False

    def why(self, name: str) -> Why | None:
        """See ``Normaliser.why``."""
        name = name.strip()
        words = tokens(name)
        if not words:
            return None
        m = decide(self.index, name, words)
        if m is None:
            return None
        if m.method == "keep" and fold(name) in self.index.context_names:
            # A context-gated variant: replaced only where the document supports it
            # (the context pass), so `match` names it so rather than "keep".
            m = m._replace(method="context")
        threshold = self.index.threshold
        found: list[tuple[str, tuple[Evidence, ...]]] = []
        if m.rejected or m.method in FUZZY_METHODS:
            c = compact(name)
            folded = [fold(w.text) for w in words if not w.connector]
            place = self._alone_place()
            for cand in candidates(self.index, c, folded):
                canonical = self.index.entities[cand.entity].canonical
                found.append((canonical, (*cand.evidence, *place)))
        if m.method not in FUZZY_METHODS:
            return Why(m, not m.rejected, threshold, tuple(found))
        evidence = (*m.evidence, *self._alone_place())
        verdict = m._replace(score=score(evidence), evidence=evidence)
        return Why(verdict, total(evidence) >= threshold, threshold, tuple(found))

    def is_person(self, canonical: str) -> bool:
        hit = self.index.exact.get(fold(canonical))
        return hit is not None and self.index.entities[hit[0]].kind == "person"

    def name_like(self, word: str, never_lower: bool = False) -> bool:
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
        spans.make_room(word)
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

    # -- one run ----------------------------------------------------------------------

    def _settled(self, run: str) -> _Decision:
        """The run's decision, settled: when the repaired run would itself be repaired by
        a listed, capitals or compact change ("Papuanew Guineaa" -> "Papuanew Guinea",
        which is "Papua New Guinea" joined wrongly), that change is made now, composed
        with the first, so that cleaning twice changes nothing more."""
        claimed: set[int] = set()
        picks = self._decide_run(run, claimed)
        composed = False
        for _ in range(3):
            if not picks:
                break
            repaired, spans = _apply(run, picks)
            again = [g for g in self._decide_run(repaired) if g.method not in FUZZY_METHODS]
            if not again:
                break
            picks = _compose(run, picks, repaired, spans, again)
            composed = True
        return self._recontext(run, picks, claimed) if composed else picks

    def _recontext(self, run: str, picks: _Decision, claimed: set[int]) -> _Decision:
        """The fuzzy picks of a composed decision with the run's evidence judged again:
        a word the composed changes cover is claimed now, as a second run, reading the
        repaired run, finds it ("Gyinea-B Issau Egypd": "Gyinea" -> "Guinea" first left
        "Issau" beside "Egypd" a word of a longer name; "Guinea-Bissau" claims it)."""
        words = tokens(run)
        first = {w.start: k for k, w in enumerate(words)}
        last = {w.end: k for k, w in enumerate(words)}
        claimed = set(claimed)
        for p in picks:
            claimed.update(k for k, w in enumerate(words) if p.start <= w.start < p.end)
        out: list[Pick] = []
        for p in picks:
            i, j = first.get(p.start), last.get(p.end)
            if p.method not in FUZZY_METHODS or i is None or j is None:
                out.append(p)
                continue
            level = BY_NAME["context"].level(Run(words, i, j + 1, claimed, self.name_like))
            assert level is not None
            evidence = (
                *(e for e in p.evidence if e.comparison != "context"),
                self.index.weights.item("context", level),
            )
            if total(evidence) + self._best_document < self.index.threshold:
                continue
            out.append(p._replace(score=score(evidence), evidence=evidence))
        return tuple(out)

    def _decide_run(self, run: str, claimed_out: set[int] | None = None) -> _Decision:
        """Choose spans left to right. At each word, every span starting there is judged,
        and the one with the strongest evidence wins (the longest among equals): exact
        names and aliases (score 1) beat fuzzy evidence, so "Bitdance" wins over
        "Bitdance CEO". Weak fuzzy evidence still claims its span unchanged, which keeps
        the choice independent of the cutoffs: a higher cutoff never adds a change.
        """
        words = tokens(run)
        found = []
        spans = self._spans
        spans.make_room(run)
        i = 0
        n = len(words)
        # A run of dozens of capitalised words is a table, a list or junk, not prose
        # with names in it: there, spans of several words are matched exactly only,
        # which keeps the cost linear (benchmarks/pathological.py: 43 s for 1 MB of
        # such words before, see docs/benchmarks.md for after).
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
                if m is not None and (chosen is None or m.strength > chosen.strength):
                    chosen, chosen_j = m, j
            if chosen is None:
                i += 1
                continue
            if (chosen.method in FUZZY_METHODS or chosen.evidence) and chosen_j - i > 1:
                # A listed garble inside a fuzzy span ("The Bytdance", where "Bytdance"
                # is an alias) is known, the span around it a guess: the span ends
                # before it, and the listed garble is judged from its own word.
                inner = self._listed_inside(run, words, i, chosen_j)
                if inner is not None:
                    chosen, chosen_j = None, i + 1
                    for j in range(inner, i, -1):
                        if words[j - 1].connector:
                            continue
                        m = spans.get(run[words[i].start : words[j - 1].end])
                        if m is not None and (chosen is None or m.strength > chosen.strength):
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
        if claimed_out is not None:
            claimed_out.update(claimed)
        return tuple(found)

    def _listed_inside(self, run: str, words: list[Token], i: int, end: int) -> int | None:
        """The first word after ``i`` and before ``end`` that starts a listed change (an
        alias, a case or compact repair: no fuzzy evidence), or None."""
        spans = self._spans
        for k in range(i + 1, end):
            if not words[k].startable:
                continue
            for j in range(min(len(words), k + self._max_words), k, -1):
                if words[j - 1].connector:
                    continue
                key = (run[words[k].start : words[j - 1].end],)
                if key in spans:
                    m = spans[key]
                else:
                    m = spans[key] = decide(self.index, key[0], words[k:j], fuzzy=False)
                if m is not None and m.is_change and not m.rejected:
                    return k
        return None

    def _pick(
        self, words: list[Token], i: int, j: int, m: Verdict, claimed: set[int]
    ) -> Pick | None:
        """A change for ``words[i:j]``; for a fuzzy match, with the run's evidence added,
        or None when even the best document evidence could not carry it."""
        start, end = words[i].start, words[j - 1].end
        replacement = m.replacement if m.replacement is not None else m.canonical
        if m.method not in FUZZY_METHODS:
            return Pick(start, end, m.canonical, m.method, m.score, replacement, ())
        if _repeats_neighbour(words, i, j, replacement):
            # "Shanghai Changhai Hospital" is never "Shanghai Shanghai Hospital".
            return None
        context = BY_NAME["context"].level(Run(words, i, j, claimed, self.name_like))
        assert context is not None
        item = self.index.weights.item("context", context)
        evidence = (*m.evidence, item)
        if total(evidence) + self._best_document < self.index.threshold:
            return None
        return Pick(start, end, m.canonical, m.method, score(evidence), replacement, evidence)

    # -- the document -----------------------------------------------------------------

    def changes(self, text: str, doc: Doc) -> list[Change]:
        """Every change to a run of capitalised words, in order of position."""
        changes: list[Change] = []
        pending: list[Change] = []  # fuzzy candidates awaiting the document's evidence
        lines: LineInfo | None = None
        # Changes in capitals only because their line is a headline: start -> the
        # replacement in the name's own capitals (see _settle_headlines).
        shouted: dict[int, str] = {}
        held: list[Change] = []  # of those, the ones a headline leaves as they are
        runs = self._runs
        for m in RUN.finditer(text):
            run = m.group()
            decision = runs.get(run)
            if decision is None:
                screen = self._screen
                if screen is None:
                    self._misses += 1
                    if self._misses >= _SCREEN_AFTER:
                        screen = native_screen(self.index, self._max_words)
                        self._screen = screen if screen is not None else False
                # A run the screen rules out holds no change: its decision is ().
                decision = self._settled(run) if not screen or screen.maybe(run) else ()
                runs.make_room(run)
                runs[run] = decision
            if not decision:
                continue
            base = m.start()
            run_caps: int | None = None  # ALL-CAPS words in the run as written, once
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
                        run_caps = _written_caps(run, decision)
                    if (
                        lines.starts_line(start)
                        or ends_dateline(text, end)
                        # more words in capitals than its own: "SOUTH GEORGIA AND"
                        or run_caps > _caps_words(replacement.upper())
                    ):
                        replacement = replacement.upper()
                    elif lines.is_headline(start):
                        shouted[start] = replacement
                        replacement = replacement.upper()
                    elif method == "case" and sum(ch.isalpha() for ch in original) < (
                        self.settings.min_caps_length
                    ):
                        continue
                replacement = _without_doubled_end(replacement, text, end)
                change = Change(
                    start, end, original, replacement, canonical, method, pick.score, pick.evidence
                )
                if replacement == original:
                    if start in shouted:  # no change on a headline; maybe on prose
                        held.append(change)
                    continue
                if method in FUZZY_METHODS:
                    pending.append(change)
                else:
                    changes.append(change)
        if pending and self.settings.document_evidence:
            changes = document_evidence.weigh(
                text,
                changes,
                pending,
                self.index.weights,
                self.index.threshold,
                doc.state.present,
                self.name_like,
                self.is_person,
                doc.state.seen,
            )
        elif pending:
            threshold = self.index.threshold
            accepted = [c for c in pending if total(c.evidence) >= threshold]
            changes = sorted([*changes, *accepted])
        if shouted:
            assert lines is not None
            changes = self._settle_headlines(text, changes, held, shouted, lines)
        return changes

    def _settle_headlines(
        self,
        text: str,
        changes: list[Change],
        held: list[Change],
        shouted: dict[int, str],
        lines: LineInfo,
    ) -> list[Change]:
        """Keep a repair in capitals for being on a headline only when the line, as it
        will be written, is still a headline; else write the name in its own capitals.

        A repair can change how many words a line has in capitals ("BYTE DANCE" is one
        word once joined), and a second run would judge the line as written and repair
        the capitals then ("BYTEDANCE" -> "ByteDance"). Judged here on the line with
        this pass's changes made in capitals, the decision is one a second run shares:
        if that line is a headline, the second run reads the same line; if it is not,
        the line with the names in their own capitals has fewer words in capitals and
        more in small letters, so it is not one either. (This pass's changes are the
        only ones whose capitals depend on the line; later passes keep a word's case.)
        """
        by_line: dict[int, list[Change]] = {}
        for c in changes:
            by_line.setdefault(lines.line_start(c.start), []).append(c)
        kept: dict[int, list[Change]] = {}
        for c in held:
            kept.setdefault(lines.line_start(c.start), []).append(c)
            by_line.setdefault(lines.line_start(c.start), [])
        out: list[Change] = []
        for start, here in by_line.items():
            if not any(c.start in shouted for c in here) and start not in kept:
                out.extend(here)
                continue
            end = lines.line_end(start)
            parts, at = [], start
            for c in here:
                parts += [text[at : c.start], c.replacement]
                at = c.end
            if headline("".join(parts) + text[at:end]):
                out.extend(here)
                continue
            for c in sorted(here + kept.get(start, [])):
                plain = shouted.get(c.start)
                if plain is None:
                    out.append(c)
                    continue
                if c.method == "case" and sum(ch.isalpha() for ch in c.original) < (
                    self.settings.min_caps_length
                ):
                    continue  # an acronym, as on any line of prose
                plain = _without_doubled_end(plain, text, c.end)
                if plain != c.original:
                    out.append(c._replace(replacement=plain))
        return sorted(out)


def _without_doubled_end(replacement: str, text: str, end: int) -> str:
    """``replacement`` less the punctuation it ends with when the text goes on with that
    same punctuation: "Ferdinand Marcos Jr." for "Frdinand Marcos Jr" before "." is
    written without its own period, never "Jr.. said"."""
    tail = len(replacement) - len(replacement.rstrip(".!?"))
    if tail and text.startswith(replacement[-tail:], end):
        return replacement[:-tail]
    return replacement


def _repeats_neighbour(words: list[Token], i: int, j: int, replacement: str) -> bool:
    """Whether ``replacement`` of ``words[i:j]`` would repeat the words just before or
    just after the span."""
    wanted = [fold(w) for w in TOKEN.findall(replacement)]
    k = len(wanted)
    if not k:
        return False
    before = [fold(w.text) for w in words[max(0, i - k) : i]]
    after = [fold(w.text) for w in words[j : j + k]]
    return wanted in (before, after)


def _apply(run: str, picks: _Decision) -> tuple[str, list[tuple[int, int]]]:
    """The run with the picks applied, and where each pick's replacement lies in it.
    A span in capitals inside a run with more words in capitals is written in capitals,
    as ``Names.changes`` writes it ("SERBIA AND MONTENEJRO": "SERBIA AND MONTENEGRO",
    which a second run reads as the capitals of "Serbia and Montenegro")."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    length = 0
    run_caps = _written_caps(run, picks)
    for p in picks:
        original = run[p.start : p.end]
        replacement = p.replacement
        if original.isupper() and run_caps > _caps_words(replacement.upper()):
            replacement = replacement.upper()
        out.append(run[pos : p.start])
        length += p.start - pos
        spans.append((length, length + len(replacement)))
        out.append(replacement)
        length += len(replacement)
        pos = p.end
    out.append(run[pos:])
    return "".join(out), spans


def _compose(
    run: str,
    picks: _Decision,
    repaired: str,
    spans: list[tuple[int, int]],
    again: list[Pick],
) -> _Decision:
    """The picks of ``run`` with the changes ``again`` to the repaired run folded in:
    each of those covers, in ``run``, its own letters and every pick it touches; a fuzzy
    pick it covers keeps the composed change fuzzy (its evidence still to be weighed
    against the document), with the final name as canonical."""

    def back(x: int, *, end: bool) -> int:
        # A position of the repaired run as a position of the run.
        shift = 0
        for p, (a, b) in zip(picks, spans, strict=True):
            if x < a or (end and x == a):
                break
            if x < b:
                return p.end if end else p.start
            shift = b - p.end
        return x - shift

    result: list[Pick] = []
    used: set[int] = set()
    for g in again:
        covered = [
            i
            for i, (a, b) in enumerate(spans)
            if (a < g.end and g.start < b) or (a == b and g.start <= a <= g.end)
        ]
        start = min([back(g.start, end=False), *(picks[i].start for i in covered)])
        end = max([back(g.end, end=True), *(picks[i].end for i in covered)])
        # The final text of [start, end): the repaired run there, with g applied.
        new_start = _forward(start, picks, spans)
        new_end = _forward(end, picks, spans)
        text = repaired[new_start : g.start] + g.replacement + repaired[g.end : new_end]
        fuzzy = [picks[i] for i in covered if picks[i].method in FUZZY_METHODS]
        if fuzzy:
            f = fuzzy[0]
            result.append(Pick(start, end, g.canonical, f.method, f.score, text, f.evidence))
        else:
            score = min([g.score, *(picks[i].score for i in covered)])
            result.append(Pick(start, end, g.canonical, g.method, score, text, g.evidence))
        used.update(covered)
    result += [p for i, p in enumerate(picks) if i not in used]
    result.sort(key=lambda p: p.start)
    merged: list[Pick] = []
    for p in result:  # overlapping compositions keep the first
        if merged and p.start < merged[-1].end:
            continue
        merged.append(p)
    return tuple(merged)


def _forward(x: int, picks: _Decision, spans: list[tuple[int, int]]) -> int:
    """A pick boundary (or a position outside every pick) of the run, in the repaired run."""
    shift = 0
    for p, (_, b) in zip(picks, spans, strict=True):
        if x <= p.start:
            break
        if x >= p.end:
            shift = b - p.end
    return x + shift


def _written_caps(run: str, picks: _Decision) -> int:
    """The words in capitals of ``run`` as it will be written: the picks made, the
    replacement of a span in capitals in capitals too ("SAN FRANCEeSCO REUTERS" is
    written "San Francisco REUTERS", one such word: "REUTERS" is then repaired as a
    name shouted in prose, as a second run would; "SOUTH GEORGIA AND" keeps three)."""
    parts, at = [], 0
    for p in picks:
        original = run[p.start : p.end]
        parts += [run[at : p.start], p.replacement.upper() if original.isupper() else p.replacement]
        at = p.end
    parts.append(run[at:])
    return _caps_words("".join(parts))


def _caps_words(text: str) -> int:
    return sum(1 for w in TOKEN.findall(text) if len(w) > 1 and w.isupper())
