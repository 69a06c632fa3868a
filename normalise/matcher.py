"""One name in, the best ``Match`` or ``None`` out.

Evidence is tried cheapest first: exact name or alias -> damaged capitals -> split or
joined form -> fuzzy candidates (phonetic, transliteration and edit-distance neighbours),
each weighed by the decision model of ``normalise.evidence``. Ties are broken
deterministically (weight, then similarity, then table order).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .comparisons import BY_NAME, NAME_SCOPE, Pair, Rivals
from .evidence import COMPARISONS, Evidence, score, total
from .index import AMBIGUOUS, Index, Target
from .keys import compact, deletes, digits, fold, phonetic, sound_key, strip_marks, translit_key
from .models import Match, Method
from .scan import Token

_FLOOR = float(COMPARISONS["similarity"][-1])  # the weakest similarity level


class Verdict(NamedTuple):
    """What the matcher decided about one span: a ``Match`` with the evidence behind it.

    ``rejected`` marks a candidate that a cutoff or a too-close runner-up rules out: it
    still claims the span, unchanged, with method ``exact`` and the ``score`` of its
    evidence (see ``decide``). ``replacement`` is the part of the canonical name that
    replaces the span, when it is not the whole of it (a surname alone).
    """

    name: str
    canonical: str
    method: Method
    score: float
    evidence: tuple[Evidence, ...] = ()
    replacement: str | None = None
    rejected: bool = False

    @property
    def is_change(self) -> bool:
        return self.method not in ("exact", "keep")

    @property
    def strength(self) -> float:
        """How strongly the verdict claims its span, against other spans of the run."""
        return self.score

    def to_match(self) -> Match:
        return Match(self.name, self.canonical, self.method, self.score)


def decide(
    index: Index, span: str, words: Sequence[Token], *, fuzzy: bool = True
) -> Verdict | None:
    """See ``_decide``; a change an editor rejected ([[rejected]]: this surface is not
    that entity) comes back as a claim without change, as a ruled-out candidate does."""
    if fuzzy and len(words) > 1 and (len(words[0].text) == 1 or len(words[-1].text) == 1):
        # A word of one letter at the edge of a span ("A Bytdance", "Generation Y
        # ByteDance") is an article, a pronoun or a label, not part of a garbled name:
        # such a span is matched exactly only, so that it neither swallows the letter
        # nor claims the name beside it ("A ByteDance spokesman" still finds "Bytdance").
        fuzzy = False
    verdict = _decide(index, span, words, fuzzy=fuzzy)
    if (
        verdict is not None
        and index.rejected
        and verdict.is_change
        and (fold(span), verdict.canonical) in index.rejected
    ):
        return verdict._replace(method="exact", replacement=None, rejected=True)
    return verdict


def _decide(
    index: Index, span: str, words: Sequence[Token], *, fuzzy: bool = True
) -> Verdict | None:
    """Decide what ``span`` (a candidate from running text, split into ``words``) is.

    Returns a ``Verdict`` with method ``exact`` for a name that must stay as it is (it
    still claims the span, so no shorter part of it is matched), a ``Verdict`` with
    another method for a repair, or ``None`` when there is no evidence either way.

    A fuzzy match (``phonetic``, ``edit``) is a candidate, not yet a verdict: its
    ``evidence`` holds the weighed comparisons of the name alone, its ``score`` the
    probability they give, and the caller adds the evidence of the place (the run of
    capitalised words, the document) before comparing the total with the threshold.
    A candidate that no evidence could carry (below a similarity cutoff, or two
    entities too close) comes back ``rejected``, as method ``exact``: the span stays
    unchanged, and the caller weighs it against other spans by its ``strength``.
    With ``fuzzy=False`` only exact, case and compact evidence is looked at.
    """
    settings = index.settings
    kept = index.keep_case.get(span)
    if kept is not None:
        canonical = index.entities[kept].canonical
        return Verdict(span, canonical, "exact" if span == canonical else "keep", 1.0)
    hit = index.exact.get(fold(span))
    if hit is not None:
        eid, role = hit
        canonical = index.entities[eid].canonical
        if span == canonical:
            return Verdict(span, canonical, "exact", 1.0)
        if role == "keep":
            return Verdict(span, canonical, "keep", 1.0)
        if role == "canonical":
            method: Method = (
                "case" if settings.case and _damaged(index, span, canonical, words) else "exact"
            )
            return Verdict(span, canonical, method, 1.0)
        if settings.aliases:
            return Verdict(span, canonical, "alias", 1.0)
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
            return Verdict(span, index.entities[eid].canonical, "exact", 1.0)
        if verdict == "garble" and settings.compact:
            return Verdict(span, index.entities[eid].canonical, "compact", 1.0)
    if not fuzzy or not (settings.phonetic or settings.edit) or len(c) < settings.min_fuzzy_length:
        return None
    if len(c) > 2 * index.max_compact:
        return None  # below the similarity floor against every name of the table
    if not any(ch.isalpha() for ch in c):
        return None
    if len(folded) == 1:
        if index.hopeless(folded[0], len(c)):
            return None
        if c in index.surnames:
            return None  # a person's surname as written: left alone, and still name-like
    elif all(index.is_common(w) for w in folded):
        return None  # a phrase of common words ("The President", "Red Cross Day")
    if c in index.lexicon.extra:
        return None  # a real name of the user's tables ([[name]]): never a fuzzy repair
    found = candidates(index, c, folded)
    if not found:
        return None
    return _verdict(index, span, found)


class Candidate(NamedTuple):
    """One name of the table that a span resembles, with the evidence of the name alone."""

    entity: int
    target: Target
    similarity: float
    method: Method
    evidence: tuple[Evidence, ...]
    bits: float  # prior plus the evidence


def candidates(index: Index, c: str, folded: list[str]) -> list[Candidate]:
    """Every name of the table that the compact span ``c`` (with its folded words)
    resembles, best first, one per entity, each with its weighed evidence."""
    n_words = len(folded)
    counts = index.word_counts
    if n_words not in counts and n_words - 1 not in counts and n_words + 1 not in counts:
        return []
    weights = index.weights
    p = phonetic(c)
    span_digits = digits(c)
    seen: set[int] = set()
    for key in deletes(p):
        seen.update(index.fuzzy.get(key, ()))
    span_marks = any(strip_marks(w) != w for w in folded)
    span_cuts = _cuts(folded)
    s_key = sound_key(c)
    seen.update(index.sound.get(s_key, ()))
    t_key = translit_key(c)
    seen.update(index.translit.get(t_key, ()))
    if not seen:
        return []
    # Words of the span that name some entity: a multi-word span holding another
    # entity's name is not a garble of this one ("Oracle Katz").
    owners = set()
    if len(folded) > 1:
        for w in folded:
            hit = index.exact.get(w)
            if hit is not None:
                owners.add(hit[0])
    best: dict[int, tuple[float, float, int, Candidate]] = {}
    ids = sorted(seen)
    # Below half the letters in common a name is no candidate: one call into rapidfuzz
    # sorts that out for every name the index offers (most are far), which is about
    # twice as fast as a Python loop over them.
    near = process.extract(
        c,
        [index.targets[tid].compact for tid in ids],
        scorer=OSA.normalized_similarity,
        score_cutoff=_FLOOR - 1e-9,
        limit=None,
    )
    for _, _, k in sorted(near, key=lambda hit: hit[2]):
        tid = ids[k]
        target = index.targets[tid]
        if target.digits != span_digits:
            continue
        resegmented = len(target.words) != n_words
        if resegmented and (
            abs(len(target.words) - n_words) != 1
            or not _resegmented(span_cuts, target.cuts, len(c), len(target.compact))
        ):
            continue
        if owners - {target.entity}:
            continue
        tc = target.compact
        distance = OSA.distance(c, tc)
        if distance == 0:
            continue
        pair = Pair(
            c,
            folded,
            target,
            1.0 - distance / max(len(c), len(tc)),
            p,
            s_key,
            t_key,
            span_marks,
            frozenset(target.words.intersection(folded)),
            resegmented,
            index,
        )
        weighed = _weigh(index, pair)
        if weighed is None:
            continue
        items, method = weighed
        similarity = pair.similarity
        bits = total(items)
        cand = Candidate(target.entity, target, similarity, method, tuple(items), bits)
        old = best.get(target.entity)
        rank = (bits, similarity, -tid)
        if old is None or rank > old[:3]:
            best[target.entity] = (bits, similarity, -tid, cand)
    ranked = sorted(best.values(), key=lambda v: (-v[0], -v[1], v[3].entity))
    out = []
    competition = BY_NAME["competition"]
    for i, (_, similarity, _, cand) in enumerate(ranked):
        others = [other.similarity for j, (*_, other) in enumerate(ranked) if j != i]
        level = competition.level(Rivals(similarity, others))
        assert level is not None
        item = weights.item("competition", level)
        out.append(cand._replace(evidence=(*cand.evidence, item), bits=cand.bits + item.weight))
    out.sort(key=lambda cand: (-cand.bits, -cand.similarity, cand.entity))
    return out


def _weigh(index: Index, pair: Pair) -> tuple[list[Evidence], Method] | None:
    """The prior and the weighed comparisons of the name alone, with the method their
    sound evidence gives; None when one of them says the pair is no candidate (see
    ``normalise.comparisons``) or the method is switched off. The method is settled as
    soon as the sound is known, before the word-list and lexicon lookups."""
    settings = index.settings
    items = [index.prior_item]
    method: Method = "phonetic"
    for comparison in NAME_SCOPE:
        level = comparison.level(pair)
        if level is None:
            return None
        items.append(index.weights.item(comparison.name, level))
        if comparison.name == "sound":
            method = "edit" if level == "metaphone near" else "phonetic"
            if not (settings.phonetic if method == "phonetic" else settings.edit):
                return None
            shorter = min(len(pair.span), len(pair.target.compact))
            if method == "edit" and shorter < settings.min_edit_length:
                return None
    return items, method


def _cuts(folded: list[str]) -> frozenset[int]:
    """Where the words of a span start in its compact form."""
    out, pos = set(), 0
    for w in folded[:-1]:
        pos += len(compact(w))
        out.add(pos)
    return frozenset(out)


def _resegmented(a: frozenset[int], b: frozenset[int], la: int, lb: int) -> bool:
    """Whether two names of ``la`` and ``lb`` letters, each of two words or more, are
    cut alike but for one cut, where one splits a word that the other has whole (each
    cut of the one with fewer cuts within a letter of a cut of the other, and no part
    of the one with more shorter than two letters): "Wang Lingli" and "Wong Ling Li";
    not "David Slager" and "David E. Sanger", nor "Baha Mousa" and "Bahamas"."""
    if abs(len(a) - len(b)) != 1 or not a or not b:
        return False
    (few, _), (many, length) = sorted(((a, la), (b, lb)), key=lambda cut: len(cut[0]))
    edges = [0, *sorted(many), length]
    if any(y - x < 2 for x, y in itertools.pairwise(edges)):
        return False
    return all(any(abs(x - y) <= 1 for y in many) for x in few)


def _verdict(index: Index, span: str, found: list[Candidate]) -> Verdict:
    """The best candidate as a ``Verdict``: a fuzzy candidate to weigh further, or a claim
    without change when a cutoff or a too-close runner-up rules it out."""
    settings = index.settings
    best = found[0]
    canonical = index.entities[best.entity].canonical
    metaphone = any(e.comparison == "sound" and e.level == "metaphone" for e in best.evidence)
    cutoff = settings.phonetic_cutoff if metaphone else settings.edit_cutoff
    runner_up = max((c.similarity for c in found[1:]), default=-1.0)
    if best.similarity < cutoff or (
        runner_up >= 0 and best.similarity - runner_up < settings.margin
    ):
        return Verdict(span, canonical, "exact", score(best.evidence), best.evidence, rejected=True)
    return Verdict(
        span,
        canonical,
        best.method,
        score(best.evidence),
        best.evidence,
        best.target.replacement,
    )


def _damaged(index: Index, span: str, canonical: str, words: Sequence[Token]) -> bool:
    """Whether ``span`` is ``canonical`` with damaged capitals, worth repairing.

    Shouted ("GOOGLE") or with capitals lost ("Tiktok") it is; a span that differs in
    anything but capitals (an apostrophe: "Yan'an"), that has capitals of its own inside
    a word ("LeBron", "BoE"), that would lose capitals ("Min-Woo"), or whose words are
    common words ("Jane" for a band called "JANE") is written that way on purpose,
    unless the name has a capital inside a word: "Youtube" is no word of its own.
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
    if _camel(canonical):
        return True  # "Youtube", "Paypal": a brand's inner capital is no common word's
    return not all(index.is_common(fold(w.text)) for w in words if not w.connector)


def _camel(name: str) -> bool:
    """Whether a word of ``name`` has a capitalised word inside it ("YouTube", "iPhone");
    "LiSA" and "BoE", with capitals to the end, do not."""
    return any(
        a.islower() and b.isupper() and c.islower()
        for a, b, c in zip(name, name[1:], name[2:], strict=False)
    )


def _capitals(name: str) -> frozenset[int]:
    """Where the capitals of a name stand, as offsets into ``compact(name)``."""
    out = set()
    pos = 0
    for ch in name:
        if ch.isalnum():
            if ch.isupper() and pos:
                out.add(pos)
            pos += len(compact(ch))
    return frozenset(out)


def _split_verdict(index: Index, eid: int, words: Sequence[Token], folded: list[str]) -> str:
    """Judge a span whose letters and digits are exactly those of a canonical name.

    "styling" when its words are the name's words, differing only in accents,
    punctuation, capitals or the kind of separator ("Zurich" for "Zürich", "Guinea
    Bissau" for "Guinea-Bissau"): left as written. "garble" when it runs the name's
    words together ("Safracatz"), or splits a word where a capital marks one ("Byte
    Dance"), or splits one word of a name of several ("Xi Jin Ping"), or into parts
    that are not all known words. Otherwise "no".
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
    if (
        separated
        and separated <= cuts
        and not (cuts - separated) & _capitals(index.entities[eid].canonical)
    ):
        # Every word of the name is there, one of them split into syllables ("Xi Jin
        # Ping" for "Xi Jinping"): the words left whole anchor it, even where the
        # syllables are words of their own. A name of one word has no such anchor
        # ("Sales Force", "New Castle" stay), and a cut before a capital is styling
        # ("JP Morgan Chase" for "JPMorgan Chase").
        return "garble"
    return "no" if all(index.is_known(w) for w in folded) else "garble"
