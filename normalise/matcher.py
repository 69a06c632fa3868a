"""One name in, the best ``Match`` or ``None`` out.

Evidence is tried cheapest first: exact name or alias -> damaged capitals -> split or
joined form -> phonetic key with close spelling -> edit distance with near phonetic key.
Ties are broken deterministically (score, then method, then table order).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import OSA, Levenshtein

from .index import AMBIGUOUS, Index
from .keys import compact, deletes, digits, fold, phonetic
from .models import Match, Method
from .scan import Token

# Endings that make a different word of a name ("Walmarts", "Koreans", "Googler"):
# a candidate that is the target plus one of these is never a garble of it.
_DERIVED_SUFFIXES = frozenset(
    "s es er ers an ans ian ians ese ist ists ism ite ites i is n ns ed ing ly".split()
)
_STRUCTURAL_FLOOR = 0.5  # candidates below this similarity are not even ranked


def _derived(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    return b.startswith(a) and b[len(a) :] in _DERIVED_SUFFIXES


def decide(index: Index, span: str, words: Sequence[Token]) -> Match | None:
    """Decide what ``span`` (a candidate from running text, split into ``words``) is.

    Returns a ``Match`` with method ``exact`` for a name that must stay as it is (it
    still claims the span), a ``Match`` with another method for a repair, or ``None``.
    """
    settings = index.settings
    hit = index.exact.get(fold(span))
    if hit is not None:
        eid, role = hit
        canonical = index.entities[eid].canonical
        if role == "keep" or span == canonical:
            return Match(span, canonical, "exact", 1.0)
        if role == "canonical":
            return Match(span, canonical, "case" if settings.case else "exact", 1.0)
        if settings.aliases:
            return Match(span, canonical, "alias", 1.0)
    c = compact(span)
    if not c:
        return None
    names = [w for w in words if not w.connector]
    if settings.compact:
        eid = index.compact_canonical.get(c, AMBIGUOUS)
        if eid != AMBIGUOUS and _split_is_plausible(index, eid, names):
            return Match(span, index.entities[eid].canonical, "compact", 1.0)
    if not (settings.phonetic or settings.edit) or len(c) < settings.min_fuzzy_length:
        return None
    if not any(ch.isalpha() for ch in c):
        return None
    common = index.common
    if all(fold(w.text) in common for w in names):
        return None
    return _fuzzy(index, span, c, names)


def _split_is_plausible(index: Index, eid: int, names: Sequence[Token]) -> bool:
    """A split form ("Byte Dance") counts when it splits the name where the name has a
    word boundary ("ByteDance"), or when its parts are not all common words."""
    if len(names) <= 1:
        return True
    cuts = set()
    pos = 0
    for w in names[:-1]:
        pos += len(compact(w.text))
        cuts.add(pos)
    if cuts <= index.boundaries[eid]:
        return True
    return not all(fold(w.text) in index.common for w in names)


def _fuzzy(index: Index, span: str, c: str, names: Sequence[Token]) -> Match | None:
    settings = index.settings
    p = phonetic(c)
    d_digits = digits(c)
    seen: set[int] = set()
    for key in deletes(p):
        seen.update(index.fuzzy.get(key, ()))
    # Words of the span that are names of some entity: a multi-word span that contains
    # another entity's name is not a garble of this one ("Oracle Katz").
    owners = set()
    if len(names) > 1:
        for w in names:
            hit = index.exact.get(fold(w.text))
            if hit is not None:
                owners.add(hit[0])
    best: dict[int, tuple[float, int, Method]] = {}
    for tid in sorted(seen):
        target = index.targets[tid]
        if abs(target.words - len(names)) > 1 or digits(target.compact) != d_digits:
            continue
        if owners - {target.entity}:
            continue
        pd = Levenshtein.distance(p, target.phonetic, score_cutoff=1)
        method: Method
        if pd == 0 and settings.phonetic:
            method = "phonetic"
        elif pd == 1 and settings.edit:
            method = "edit"
        else:
            continue
        distance = OSA.distance(c, target.compact)
        if distance == 0 or _derived(c, target.compact):
            continue
        score = 1.0 - distance / max(len(c), len(target.compact))
        if score < _STRUCTURAL_FLOOR:
            continue
        rank = 1 if method == "phonetic" else 0
        old = best.get(target.entity)
        if old is None or (score, rank) > (old[0], old[1]):
            best[target.entity] = (score, rank, method)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    eid, (score, _, method) = ranked[0]
    if len(ranked) > 1 and score - ranked[1][1][0] < settings.margin:
        return None
    cutoff = settings.phonetic_cutoff if method == "phonetic" else settings.edit_cutoff
    if score < cutoff:
        return None
    return Match(span, index.entities[eid].canonical, method, round(score, 4))
