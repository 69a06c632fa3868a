"""The run screen: can any span of a run of capitalised words be a change at all?

The name pass decides each distinct run once (``passes/names.py``); most runs of real
news ("The", "Monday", "Mr Smith") hold no name of the table and nothing near one, and
deciding them costs most of the pass. The screen answers a weaker question cheaply: it
says "no" only when no span of the run could be a change, by the same lookups the
matcher starts with (exact and compact names, the fuzzy index's keys, the cheap guards
before candidate generation), and "maybe" otherwise. A run screened out is decided as
``()``, which is what the full decision gives it; a run screened in is decided in full.
So the screen changes no result, only the cost (``tests/test_screen.py`` checks both the
"no" answers against full decisions and the native screen against this one).

This module is the reference; ``normalise._native.Screen`` (the Rust core, when built)
answers the same question, the same way, for runs of ASCII text, and says "maybe" to
every other run. The name pass uses only the native screen: with the reference backend
every run is decided in full, which is what the screen is checked against.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import OSA

from .comparisons import BY_NAME, Pair, frequency_level
from .index import AMBIGUOUS, Index
from .keys import (
    compact,
    deletes,
    digits,
    fold,
    phonetic,
    sound_key,
    translit_key,
)
from .scan import Token, tokens

LONG_RUN = 40  # words: a longer run's spans of several words are matched exactly only


class Screen:
    """``maybe(run)``: False only when no span of ``run`` can be a change (see the
    module docstring). ``max_words`` is the name pass's longest span in words."""

    def __init__(self, index: Index, max_words: int) -> None:
        self.index = index
        self.max_words = max_words

    def maybe(self, run: str) -> bool:
        words = tokens(run)
        n = len(words)
        long_run = n > LONG_RUN
        for i in range(n):
            if not words[i].startable:
                continue
            for j in range(min(n, i + self.max_words), i, -1):
                last = words[j - 1]
                if last.connector:
                    continue
                span = run[words[i].start : last.end]
                if self.span_maybe(span, words[i:j], fuzzy=not (long_run and j - i > 1)):
                    return True
        return False

    def span_maybe(self, span: str, words: Sequence[Token], *, fuzzy: bool) -> bool:
        """False only when ``matcher.decide`` gives ``span`` no change."""
        index = self.index
        settings = index.settings
        if span in index.keep_case:
            return False  # kept as written
        hit = index.exact.get(fold(span))
        if hit is not None:
            eid, role = hit
            if span == index.entities[eid].canonical or role == "keep":
                return False
            if role == "canonical":
                return settings.case
            if settings.aliases:
                return True
        c = compact(span)
        if not c:
            return False
        if index.compact_canonical.get(c, AMBIGUOUS) != AMBIGUOUS:
            return True  # a split or joined form, perhaps
        if not fuzzy or not (settings.phonetic or settings.edit):
            return False
        if len(c) < settings.min_fuzzy_length or len(c) > 2 * index.max_compact:
            return False
        if not any(ch.isalpha() for ch in c):
            return False
        folded = [fold(w.text) for w in words if not w.connector]
        if len(folded) == 1:
            if index.hopeless(folded[0], len(c)) or c in index.surnames:
                return False
        elif all(index.is_common(w) for w in folded):
            return False
        if c in index.lexicon.extra:
            return False
        counts = index.word_counts
        k = len(folded)
        if k not in counts and k - 1 not in counts and k + 1 not in counts:
            return False
        return self.any_candidate(c)

    def any_candidate(self, c: str) -> bool:
        """Whether a name the index offers for ``c`` passes the candidate filters of
        the comparisons of the name alone (digits, the similarity floor, no derived
        ending, some sound evidence, the method's switch): what ``matcher.candidates``
        requires before it weighs anything. Its other filters (resegmentation, words
        of other entities) can only remove candidates, and are left out."""
        index = self.index
        settings = index.settings
        p, s_key, t_key = phonetic(c), sound_key(c), translit_key(c)
        seen: set[int] = set()
        for key in deletes(p):
            seen.update(index.fuzzy.get(key, ()))
        seen.update(index.sound.get(s_key, ()))
        seen.update(index.translit.get(t_key, ()))
        span_digits = digits(c)
        for tid in seen:
            t = index.targets[tid]
            if t.digits != span_digits:
                continue
            distance = OSA.distance(c, t.compact)
            if distance == 0:
                continue
            # The filters are the comparisons' own level functions (None: no candidate).
            pair = Pair(
                c,
                (),
                t,
                1 - distance / max(len(c), len(t.compact)),
                p,
                s_key,
                t_key,
                False,
                frozenset(),
                False,
                index,
            )
            if any(BY_NAME[name].level(pair) is None for name in ("similarity", "ending")):
                continue
            sound = BY_NAME["sound"].level(pair)
            if sound is None:
                continue
            if sound != "metaphone near":
                if settings.phonetic:
                    return True
            elif settings.edit and min(len(c), len(t.compact)) >= settings.min_edit_length:
                return True
        return False

    def hopeless_table(self) -> list[list[bool]]:
        """``index.hopeless`` for every frequency level (rows, in the order of the
        comparison's levels) and length 0 to 11 (columns): what the native screen reads
        instead of the word list's frequencies."""
        from .comparisons import BY_NAME

        zipf_of = {"unknown": 0.0, "rare": 1.0, "uncommon": 2.0, "common": 3.0}
        out = []
        for level in BY_NAME["frequency"].levels:
            zipf = zipf_of.get(level, 4.0)
            assert frequency_level(zipf) == level
            out.append([self.index.hopeless_level(level, letters) for letters in range(12)])
        return out


def native_screen(index: Index, max_words: int) -> object | None:
    """The native core's screen for ``index`` (``normalise._native.Screen``), or None
    when the reference backend decides (``normalise.backend``)."""
    from . import backend

    module = backend.native()
    if module is None:
        return None
    settings = index.settings
    entities = index.entities
    screen: object = module.Screen(
        set(index.keep_case),
        {key: (entities[eid].canonical, role) for key, (eid, role) in index.exact.items()},
        {c for c, eid in index.compact_canonical.items() if eid != AMBIGUOUS},
        [(t.compact, t.phonetic, t.sound, t.translit, t.digits) for t in index.targets],
        index.fuzzy,
        index.sound,
        index.translit,
        set(index.surnames),
        set(index.lexicon.extra),
        set(index.word_counts),
        index.max_compact,
        index.zipfs,
        Screen(index, max_words).hopeless_table(),
        (
            settings.case,
            settings.aliases,
            settings.phonetic,
            settings.edit,
            settings.min_fuzzy_length,
            settings.min_edit_length,
            settings.common_word_zipf,
            max_words,
        ),
    )
    return screen
