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

import bisect
from dataclasses import dataclass, field
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
from .base import FUZZY_METHODS, HONORIFICS, ChangeSet, Doc, Shared, Work

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

    def run(self, work: Work) -> None:
        work.names = self.changes(work)
        work.out = ChangeSet(work.names)

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

    def other_names(self, canonical: str) -> tuple[str, ...]:
        """The names of an entity that name it as written, besides its canonical one:
        the names it keeps and its context-gated variants."""
        hit = self.index.exact.get(fold(canonical))
        if hit is None:
            return ()
        e = self.index.entities[hit[0]]
        return (*e.keep, *e.context_aliases)

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
        with the first, and a fuzzy candidate the repaired run shows elsewhere is added,
        so that cleaning twice changes nothing more."""
        claimed: set[int] = set()
        picks = self._decide_run(run, claimed)
        composed = False
        for _ in range(3):
            if not picks:
                break
            repaired, spans = _apply(run, picks)
            # Listed, capitals and compact changes of the repaired run fold into the
            # picks; a fuzzy candidate joins them where it touches none (a span the
            # first decision read as part of a longer one: "SERBEEA AND MONTENEGRO
            # Serbeea" first took "MONTENEGRO Serbeea" together).
            again = [
                g
                for g in self._decide_run(repaired)
                if g.method not in FUZZY_METHODS
                or not any(a < g.end and g.start < b for a, b in spans)
            ]
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

    def changes(self, work: Work) -> list[Change]:
        """Every change to a run of capitalised words, in order of position: the picks
        of every piece first, then the fuzzy ones weighed with the whole document's
        evidence, then the capitals of repairs on headlines settled."""
        found = _Found()
        for doc in work.pieces():
            self._collect(doc, found)
        changes = found.decided
        if found.pending and self.settings.document_evidence:
            changes = document_evidence.weigh(
                work.source,
                changes,
                found.pending,
                self.index.weights,
                self.index.threshold,
                work.state.present,
                self.name_like,
                self.is_person,
                work.state.seen,
                self.other_names,
            )
        elif found.pending:
            threshold = self.index.threshold
            accepted = [c for c in found.pending if total(c.evidence) >= threshold]
            changes = sorted([*changes, *accepted])
        if found.shouted:
            changes = self._settle_capitals(changes, found)
        return changes

    def _collect(self, doc: Doc, found: _Found) -> None:
        """The picks of every run of one piece, as changes (offsets in the document)."""
        text, offset = doc.text, doc.offset
        lines: LineInfo | None = None
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
            among: list[bool] | None = None  # each pick: beside words in capitals
            for k, pick in enumerate(decision):
                rs, re_, canonical, method = pick.start, pick.end, pick.canonical, pick.method
                start, end = base + rs, base + re_
                original = run[rs:re_]
                if in_url_or_handle(text, start, end):
                    continue
                replacement = pick.replacement
                shouted = False
                if original.isupper():  # ALL-CAPS: a headline, dateline or shouted name
                    if lines is None:
                        lines = LineInfo(text)
                    if among is None:
                        among = _shouted_among(run, decision)
                    if lines.starts_line(start) or among[k]:
                        replacement = replacement.upper()
                    elif (dated := ends_dateline(text, end)) or lines.is_headline(start):
                        # In capitals as the line is written now; settled once the
                        # line's other repairs are known (see _settle_capitals).
                        shouted = True
                        found.shouted[offset + start] = replacement
                        if dated:
                            found.dated.add(offset + start)
                        line_start = lines.line_start(start)
                        found.lines[offset + line_start] = text[line_start : lines.line_end(start)]
                        replacement = replacement.upper()
                    elif method == "case" and sum(ch.isalpha() for ch in original) < (
                        self.settings.min_caps_length
                    ):
                        continue
                replacement = _without_doubled_end(replacement, text, end)
                change = Change(
                    offset + start,
                    offset + end,
                    original,
                    replacement,
                    canonical,
                    method,
                    pick.score,
                    pick.evidence,
                )
                if replacement == original:
                    if shouted:  # no change on a headline; maybe on prose
                        found.held.append(change)
                    continue
                if method in FUZZY_METHODS:
                    found.pending.append(change)
                else:
                    found.decided.append(change)

    def _settle_capitals(self, changes: list[Change], found: _Found) -> list[Change]:
        """Keep a repair in capitals for its line (a headline) or for what follows it (a
        dateline's date, agency and dash) only where the line, as it will be written,
        is still one; else write the name in its own capitals.

        A repair can change how many words a line has in capitals ("BYTE DANCE" is one
        word once joined) or how long a dateline's tail is, and a second run would judge
        the line as written and repair the capitals then ("BYTEDANCE" -> "ByteDance").
        Judged here on the line with this pass's changes made, the decision is one a
        second run shares: a name written in its own capitals makes the line less of a
        headline, and leaves the tails the same length, so the names are settled one
        way only, until none changes. (This pass's changes are the only ones whose
        capitals depend on the line; later passes keep a word's case.)
        """
        lines = found.lines
        starts = sorted(lines)

        def line_of(pos: int) -> int | None:
            i = bisect.bisect_right(starts, pos) - 1
            if i < 0 or pos > starts[i] + len(lines[starts[i]]):
                return None
            return starts[i]

        by_line: dict[int, list[Change]] = {}
        out: list[Change] = []
        for c in [*changes, *found.held]:
            at = line_of(c.start)
            if at is None:
                out.append(c)
            else:
                by_line.setdefault(at, []).append(c)
        for start, here in by_line.items():
            out.extend(self._settle_line(lines[start], start, sorted(here), found))
        return sorted(c for c in out if c.replacement != c.original)

    def _settle_line(
        self, line: str, start: int, here: list[Change], found: _Found
    ) -> list[Change]:
        """The changes of one line (``held`` ones among them, with no change yet), the
        capitals of those in ``found.shouted`` settled (see ``_settle_capitals``)."""
        loud = {c.start for c in here if c.start in found.shouted}
        while True:
            parts, at, length, ends = [], 0, 0, {}
            for c in here:
                parts.append(line[at : c.start - start])
                length += c.start - start - at + len(c.replacement)
                ends[c.start] = length
                parts.append(c.replacement)
                at = c.end - start
            written = "".join(parts) + line[at:]
            is_headline = headline(written)
            quiet = {
                pos
                for pos in loud
                if not is_headline
                and not (pos in found.dated and ends_dateline(written, ends[pos]))
            }
            if not quiet:
                return here
            loud -= quiet
            settled = []
            for c in here:
                if c.start not in quiet:
                    settled.append(c)
                    continue
                if c.method == "case" and sum(ch.isalpha() for ch in c.original) < (
                    self.settings.min_caps_length
                ):
                    continue  # an acronym, as on any line of prose
                plain = _without_doubled_end(found.shouted[c.start], line, c.end - start)
                settled.append(c._replace(replacement=plain))
            here = settled


@dataclass
class _Found:
    """What the name pass found in a document's pieces: changes decided, fuzzy ones to
    weigh, and for the repairs in capitals for their headline or dateline, their lines
    (line start -> line) and their replacements in the name's own capitals (change
    start -> replacement); ``held`` are those names a repair in capitals would leave
    as written."""

    decided: list[Change] = field(default_factory=list)
    pending: list[Change] = field(default_factory=list)
    shouted: dict[int, str] = field(default_factory=dict)
    dated: set[int] = field(default_factory=set)  # of those, a dateline's place
    lines: dict[int, str] = field(default_factory=dict)
    held: list[Change] = field(default_factory=list)


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
    among = _shouted_among(run, picks)
    for p, shouted in zip(picks, among, strict=True):
        original = run[p.start : p.end]
        replacement = p.replacement
        if original.isupper() and shouted:
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


def _shouted_among(run: str, picks: _Decision) -> list[bool]:
    """For each pick, whether the run as it will be written holds words in capitals
    beside its replacement: the picks made (the replacement of a span in capitals in
    capitals too), the written run cut into runs again (a repair can end a run: "BOEI
    NG737 SAYS" is written "BOEING 737 SAYS", and "737" starts no run), and the words
    in capitals of the runs the replacement lies in counted ("SOUTH GEORGIA AND" keeps
    its capitals; "SAN FRANCEeSCO REUTERS" is written "San Francisco REUTERS", and
    "REUTERS" is repaired as a name shouted in prose, as a second run would)."""
    parts, at, length = [], 0, 0
    spans: list[tuple[int, int, int]] = []  # where each replacement lies, its own capitals
    for p in picks:
        original = run[p.start : p.end]
        replacement = p.replacement.upper() if original.isupper() else p.replacement
        parts.append(run[at : p.start])
        length += p.start - at
        spans.append((length, length + len(replacement), _caps_words(replacement)))
        parts.append(replacement)
        length += len(replacement)
        at = p.end
    parts.append(run[at:])
    written = "".join(parts)
    runs = [(m.start(), m.end(), _caps_words(m.group())) for m in RUN.finditer(written)]
    return [
        sum(caps for a, b, caps in runs if a < end and start < b) > own for start, end, own in spans
    ]


def _caps_words(text: str) -> int:
    return sum(1 for w in TOKEN.findall(text) if len(w) > 1 and w.isupper())
