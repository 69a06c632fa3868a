"""One name in, the best ``Match`` or ``None`` out.

Evidence is tried cheapest first: exact name or alias -> damaged capitals -> split or
joined form -> phonetic key with close spelling -> edit distance with near phonetic key.
Ties are broken deterministically (score, then method, then table order).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import OSA, Levenshtein

from .index import AMBIGUOUS, Index
from .keys import common_prefix, compact, deletes, digits, fold, phonetic, sound_key
from .models import Match, Method
from .scan import Token

_STRUCTURAL_FLOOR = 0.5  # candidates below this similarity are not even ranked
_SHORT = 7  # below this many letters, a changed first letter is too weak evidence
_FIRST_CLASS = {
    ch: cls
    for cls, letters in enumerate(("aeiouy", "bp", "dt", "cgjkq", "fvw", "sxz"))
    for ch in letters
}


_INFLECTION_LETTERS = frozenset("aeiouyns")


def _inflected(a: str, b: str) -> bool:
    """True when two forms differ only in an ending, as inflected or derived words do:
    one extends the other by up to three letters ("Walmarts", "Yemenia", "Romani"), or
    their last letters differ in vowels, "s" and "n" only ("Argentines", "Malte").
    A letter dropped or doubled inside the ending ("Jordn", "Venezuella") or a changed
    consonant ("Denmarc") is a garble, not an inflection."""
    k = common_prefix(a, b)
    if k < min(len(a), len(b)) - 1:
        return False
    ta, tb = a[k:], b[k:]
    if _doubled(a, b):
        return False  # "Beijingg", "Venezuella"
    if not ta or not tb:
        return 0 < len(ta) + len(tb) <= 3
    if ta.endswith(tb) or tb.endswith(ta):
        return False
    return set(ta + tb) <= _INFLECTION_LETTERS


def _doubled(a: str, b: str) -> bool:
    """True when one string is the other with one letter doubled ("Venezuella")."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) != len(b) + 1:
        return False
    i = common_prefix(a, b)
    return i > 0 and a[i] == a[i - 1] and a[i + 1 :] == b[i:]


def decide(index: Index, span: str, words: Sequence[Token], *, fuzzy: bool = True) -> Match | None:
    """Decide what ``span`` (a candidate from running text, split into ``words``) is.

    Returns a ``Match`` with method ``exact`` for a name that must stay as it is (it
    still claims the span, so no shorter part of it is matched), a ``Match`` with
    another method for a repair, or ``None`` when there is no evidence either way.
    Fuzzy evidence too weak to act on (below the cutoff, or two names too close) comes
    back as method ``exact`` with a negative score: the span stays unchanged, and the
    caller weighs it against other spans by ``abs(score)``. With ``fuzzy=False`` only
    exact, case and compact evidence is looked at.
    """
    settings = index.settings
    kept = index.keep_case.get(span)
    if kept is not None:
        return Match(span, index.entities[kept].canonical, "exact", 1.0)
    hit = index.exact.get(fold(span))
    if hit is not None:
        eid, role = hit
        canonical = index.entities[eid].canonical
        if role == "keep" or span == canonical:
            return Match(span, canonical, "exact", 1.0)
        if role == "canonical":
            method: Method = (
                "case" if settings.case and _damaged(index, span, canonical, words) else "exact"
            )
            return Match(span, canonical, method, 1.0)
        if settings.aliases:
            return Match(span, canonical, "alias", 1.0)
    c = compact(span)
    if not c:
        return None
    eid = index.compact_canonical.get(c, AMBIGUOUS)
    if eid == AMBIGUOUS and (
        not fuzzy
        or not (settings.phonetic or settings.edit)
        or len(c) < settings.min_fuzzy_length
        or not any(ch.isalpha() for ch in c)
    ):
        return None  # the common case, decided before any per-word work
    names = [w for w in words if not w.connector]
    folded = [fold(w.text) for w in names]
    if eid != AMBIGUOUS:
        verdict = _split_verdict(index, eid, words, folded)
        if verdict == "styling":
            return Match(span, index.entities[eid].canonical, "exact", 1.0)
        if verdict == "garble" and settings.compact:
            return Match(span, index.entities[eid].canonical, "compact", 1.0)
    if not fuzzy or not (settings.phonetic or settings.edit) or len(c) < settings.min_fuzzy_length:
        return None
    if not any(ch.isalpha() for ch in c):
        return None
    if all(index.is_common(w) for w in folded):
        return None
    if len(folded) == 1 and index.is_known(folded[0]):
        return None  # a real word or name in its own right ("Germaine", "Withington")
    return _fuzzy(index, span, c, folded)


def _damaged(index: Index, span: str, canonical: str, words: Sequence[Token]) -> bool:
    """Whether ``span`` is ``canonical`` with damaged capitals, worth repairing.

    Shouted ("GOOGLE") or with capitals lost ("Tiktok") it is; a span that differs in
    anything but capitals (an apostrophe: "Yan'an"), that has capitals of its own inside
    a word ("LeBron", "BoE"), that would lose capitals ("Min-Woo"), or whose words are
    common words ("Jane" for a band called "JANE") is written that way on purpose.
    """
    if span.lower() != canonical.lower():
        return False
    if span.isupper():
        return True
    if any(ch.isupper() for w in words for ch in w.text[1:]):
        return False
    if len(span) == len(canonical) and any(
        a.isupper() and not b.isupper() for a, b in zip(span, canonical, strict=True)
    ):
        return False
    return not all(index.is_common(fold(w.text)) for w in words if not w.connector)


def _split_verdict(index: Index, eid: int, words: Sequence[Token], folded: list[str]) -> str:
    """Judge a span whose letters and digits are exactly those of a canonical name.

    "styling" when its words are the name's words, differing only in accents,
    punctuation, capitals or the kind of separator ("Zurich" for "Zürich", "Guinea
    Bissau" for "Guinea-Bissau"): left as written. "garble" when it runs the name's
    words together ("Safracatz"), or splits a word where a capital marks one ("Byte
    Dance") or into parts that are not all known words. Otherwise "no".
    """
    cuts = set()
    pos = 0
    for w in words[:-1]:  # connectors included: "da" in "Lula da Silva" is a word too
        pos += len(compact(w.text))
        cuts.add(pos)
    separated, camel = index.boundaries[eid]
    if cuts == separated:
        return "styling"
    if cuts < separated:
        known = len(folded) == 1 and index.is_known(folded[0])
        return "no" if known else "garble"  # "Newcastle" is a word, not "New Castle"
    if cuts - separated <= camel and separated <= cuts:
        return "garble"
    return "no" if all(index.is_known(w) for w in folded) else "garble"


def _fuzzy(index: Index, span: str, c: str, folded: list[str]) -> Match | None:
    settings = index.settings
    p = phonetic(c)
    span_digits = digits(c)
    seen: set[int] = set()
    for key in deletes(p):
        seen.update(index.fuzzy.get(key, ()))
    s_key = sound_key(c)
    seen.update(index.sound.get(s_key, ()))
    # Words of the span that name some entity: a multi-word span holding another
    # entity's name is not a garble of this one ("Oracle Katz").
    owners = set()
    if len(folded) > 1:
        for w in folded:
            hit = index.exact.get(w)
            if hit is not None:
                owners.add(hit[0])
    all_known = all(index.is_known(w) for w in folded)
    best: dict[int, tuple[float, int, Method]] = {}
    for tid in sorted(seen):
        target = index.targets[tid]
        n_target = len(target.words)
        if n_target != len(folded) or target.digits != span_digits:
            continue  # a change of word count is left to the exact "compact" evidence
        if owners - {target.entity}:
            continue
        shared = target.words.intersection(folded)
        if all_known and not shared:
            continue  # a phrase of real words ("Czechoslovak Jew")
        tc = target.compact
        if _inflected(c, tc):
            continue  # only the ending differs: an inflection ("Koreans", "Yemenia")
        if c[0] != tc[0] and (
            min(len(c), len(tc)) < _SHORT or _FIRST_CLASS.get(c[0]) != _FIRST_CLASS.get(tc[0])
        ):
            # Another first letter makes another name ("Koogle", "Changhai" for Shanghai,
            # "Haifeng" for Kaifeng), unless the name is long and the letters sound alike
            # ("Kovid-19", "Pytedance").
            continue
        # Evidence, strongest first: 2 = same metaphone key; 1 = same coarse sound key
        # only ("Malavi", "Lipya"); 0 = metaphone keys one step apart.
        if p == target.phonetic:
            strength = 2
        elif target.sound == s_key:
            strength = 1
        elif Levenshtein.distance(p, target.phonetic, score_cutoff=1) == 1:
            strength = 0
        else:
            continue
        method: Method = "phonetic" if strength else "edit"
        if not (settings.phonetic if strength else settings.edit):
            continue
        if strength == 0 and min(len(c), len(tc)) < settings.min_edit_length:
            continue
        distance = OSA.distance(c, tc)
        if distance == 0:
            continue
        score = 1.0 - distance / max(len(c), len(tc))
        if score < _STRUCTURAL_FLOOR:
            continue
        old = best.get(target.entity)
        if old is None or (score, strength) > (old[0], old[1]):
            best[target.entity] = (score, strength, method)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    eid, (score, strength, method) = ranked[0]
    # Only the same metaphone key earns the lower cutoff; the coarse key does not.
    cutoff = settings.phonetic_cutoff if strength == 2 else settings.edit_cutoff
    cutoff += index.density_penalty
    if (len(ranked) > 1 and score - ranked[1][1][0] < settings.margin) or score < cutoff:
        # Near a name but not near enough, or near two: reported with method "exact"
        # (no change) and its score, so the caller can still let it claim the span.
        return Match(span, index.entities[eid].canonical, "exact", -round(score, 4))
    return Match(span, index.entities[eid].canonical, method, round(score, 4))
