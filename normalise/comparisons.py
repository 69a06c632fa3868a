"""Every comparison of the decision model, each defined once.

A comparison is one question asked of a fuzzy candidate (a span of running text and a
name of the table it resembles): its levels, what it looks at, its scope (what it
reads: the span and one name, the span's candidates together, the run of capitalised
words, the document), which population of ``tools/fit_weights.py`` fits it, and the
function that gives its level. The matcher, the passes, the fit and the docs all read
``ALL``: adding evidence is one ``Comparison`` here and a refit.

A level of ``None`` from a comparison of scope "name" means the pair is no candidate at
all (below the similarity floor, a derived word, no sound evidence): those comparisons
are the candidate generator's filters too, so a full scan of the table and the index
agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from rapidfuzz.distance import Levenshtein

from .keys import MIN_TRANSLIT_KEY, common_prefix, compact, fold, translit_key
from .scan import CONNECTORS, TOKEN

if TYPE_CHECKING:
    from .document_evidence import DocumentFacts
    from .index import Index, Target
    from .models import Change
    from .scan import Token

Scope = Literal["name", "rivals", "run", "document"]
Population = Literal["pairs", "texts"]

SCOPES: dict[Scope, str] = {
    "name": "the span and one name of the table (`normalise.matcher.candidates`)",
    "rivals": "the span's candidates together (`normalise.matcher.candidates`)",
    "run": "the run of capitalised words (`normalise.passes.names`, per run)",
    "document": "the document (`normalise.document_evidence`, per document)",
}

REPEATED = 3  # uses of the surface that, without the canonical, count as "repeated"


# -- what each scope reads ------------------------------------------------------------


class Pair(NamedTuple):
    """A span (compact, with its folded words and keys) and one name of the table."""

    span: str
    folded: Sequence[str]
    target: Target
    similarity: float
    phonetic: str
    sound_key: str
    translit: str
    marks: bool  # the span has letters with marks
    shared: frozenset[str]  # words of the span that the name has too
    resegmented: bool  # one word more or fewer than the name
    table: Index  # the compiled table (word frequencies, the lexicon)


class Rivals(NamedTuple):
    """A candidate's similarity beside those of the span's other candidates."""

    similarity: float
    others: Sequence[float]


class Run(NamedTuple):
    """A span ``words[i:j]`` of a run, the words other spans claimed, and the test of a
    word that could be part of a longer name."""

    words: Sequence[Token]
    i: int
    j: int
    claimed: set[int]
    name_like: Callable[[str], bool]


class Place(NamedTuple):
    """A candidate change in its document. ``present`` holds the canonical names the
    document's repairs (or earlier pieces of a stream) put there; ``seen`` the names
    earlier pieces of a stream showed."""

    change: Change
    facts: DocumentFacts
    present: set[str]
    seen: set[str] | None
    is_person: Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One comparison: ``level(facts)`` gives one of ``levels`` (or None: see the module
    docstring). ``fit`` names the population of the fit that weighs it: "pairs" (names
    looked up alone) or "texts" (names in running text)."""

    name: str
    levels: tuple[str, ...]
    scope: Scope
    fit: Population
    looks_at: str
    level: Callable[[Any], str | None]


# -- the levels of the name alone -----------------------------------------------------

SIMILARITY_LEVELS = ("0.95", "0.9", "0.85", "0.8", "0.75", "0.7", "0.65", "0.6", "0.5")
_INFLECTION_LETTERS = frozenset("aeiouyns")


def similarity_level(similarity: float) -> str | None:
    """The similarity level (1 - edits / length), or None below the structural floor."""
    for level in SIMILARITY_LEVELS:
        if similarity >= float(level) - 1e-9:
            return level
    return None


def length_level(letters: int) -> str:
    if letters >= 11:
        return "11+"
    if letters >= 8:
        return "8-10"
    if letters >= 6:
        return "6-7"
    return "5" if letters == 5 else "4"


def frequency_level(zipf: float) -> str:
    """How common the surface is as an English word or name (wordfreq's Zipf scale):
    a term-frequency adjustment, graded rather than a veto."""
    if zipf < 1.0:
        return "unknown"
    if zipf < 2.0:
        return "rare"
    if zipf < 3.0:
        return "uncommon"
    if zipf < 4.0:
        return "common"
    return "very common"


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


def ending(a: str, b: str) -> str:
    """How two forms differ at the end: "extended" when one is the other with up to
    three letters added, as derived words are ("Lithuanian", "Walmarts"); "vowel
    ending" when only final vowels, "s" or "n" differ ("Argentine", "Zelenskiy" and
    "Zelensky" count as such too); "other" for anything else."""
    if not _inflected(a, b):
        return "other"
    k = common_prefix(a, b)
    return "extended" if k == min(len(a), len(b)) else "vowel ending"


def _doubled(a: str, b: str) -> bool:
    """True when one string is the other with one letter doubled ("Venezuella")."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) != len(b) + 1:
        return False
    i = common_prefix(a, b)
    return i > 0 and a[i] == a[i - 1] and a[i + 1 :] == b[i:]


def first_letter(a: str, b: str) -> str:
    """ "same", "alike" (letters a round trip through another script confuses: l/r,
    s/x/z, b/p/v/w, c/k/g, ...) or "other" ("Embape" for "Mbappe")."""
    if a[0] == b[0]:
        return "same"
    if translit_key(a[:2])[:1] == translit_key(b[:2])[:1]:
        return "alike"
    return "other"


def _similarity(p: Pair) -> str | None:
    return similarity_level(p.similarity)


def _sound(p: Pair) -> str | None:
    # The strongest sound evidence; without any, the name is no candidate (the index
    # finds exactly these, so a full scan of the table agrees with it).
    t = p.target
    if p.phonetic == t.phonetic:
        return "metaphone"
    if t.sound == p.sound_key:
        return "sound key"
    if t.translit == p.translit and len(p.translit) >= MIN_TRANSLIT_KEY:
        return "transliteration"
    if Levenshtein.distance(p.phonetic, t.phonetic, score_cutoff=1) == 1:
        return "metaphone near"
    return None


def _ending(p: Pair) -> str | None:
    level = ending(p.span, p.target.compact)
    # One form is the other with up to three letters added: a derived word
    # ("Lithuanian", "Walmarts", "Czechoslovak"), never weighed as a garble.
    return None if level == "extended" else level


def _frequency(p: Pair) -> str:
    zipf = max((p.table.zipf(w) for w in p.folded if w not in p.shared), default=0.0)
    return frequency_level(zipf)


def _known(p: Pair) -> str:
    # The whole span first, then (for several words) its words the name lacks.
    differing = [compact(w) for w in p.folded if w not in p.shared] if len(p.folded) > 1 else []
    return p.table.lexicon.level([p.span, *differing], p.target.compact)


def _words(p: Pair) -> str:
    if p.resegmented:
        return "resegmented"
    if len(p.folded) == 1:
        return "one"
    if len(p.shared) == len(p.folded) - 1:
        return "others shared"
    return "some shared" if p.shared else "none shared"


# -- the levels of the rivals, the run and the document -------------------------------

CONTESTED = 0.1  # another entity this close in similarity contests the best


def _competition(r: Rivals) -> str:
    contested = any(other >= r.similarity - CONTESTED for other in r.others)
    return "contested" if contested else "alone"


def _context(r: Run) -> str:
    # Another capitalised word joined to the span that is neither a connector, a title
    # nor a very common word makes it part of a longer name ("Pham Minh Chinh",
    # "Kabardino-Balkaria"): evidence of an unfamiliar name, not a garble.
    words = r.words
    longer = any(
        0 <= k < len(words)
        and k not in r.claimed
        and not words[k].connector
        and words[k].startable
        and r.name_like(words[k].text)
        for k in (r.i - 1, r.j)
    )
    return "in longer name" if longer else "own name"


def _document(p: Place) -> str:
    change, facts, present, seen = p.change, p.facts, p.present, p.seen
    canonical = change.canonical
    if (seen is not None and canonical in seen) or facts.written(canonical):
        if seen is not None:
            seen.add(canonical)  # for the later windows of a stream
        return "canonical"
    if canonical in present or facts.has_name(canonical):
        # Put there by a repair (of the same entity, or of another whose name holds it,
        # or in an earlier window of a stream): its own level, so that a reviewer sees
        # what the change rests on.
        return "repaired elsewhere"
    own = {fold(w) for w in TOKEN.findall(change.original)}
    for word in TOKEN.findall(canonical):
        w = fold(word)
        if w in own or w in CONNECTORS or len(w) < 3:
            continue
        if facts.counts[w]:
            return "entity word"
    if facts.uses(change.original) >= REPEATED:
        return "repeated"
    return "none"


def _usage(p: Place) -> str:
    facts, original = p.facts, p.change.original
    if facts.after_person(original) and not p.is_person(p.change.canonical):
        return "surname of a person"
    return "in a longer name" if facts.in_longer_name(original) else "alone"


# -- the registry ---------------------------------------------------------------------

# Strongest-for-a-garble level first; the order of ``ALL`` is the order of the evidence
# in every explanation.
ALL: tuple[Comparison, ...] = (
    Comparison(
        "similarity",
        SIMILARITY_LEVELS,
        "name",
        "pairs",
        "1 − edits / length of the folded letters (OSA distance), in levels from 0.5 to "
        "0.95; below 0.5 no candidate",
        _similarity,
    ),
    Comparison(
        "sound",
        ("metaphone", "sound key", "transliteration", "metaphone near"),
        "name",
        "pairs",
        "the strongest sound evidence: same metaphone key; same coarse sound key (b/p, "
        "d/t, c/g/k/q, f/v/w, s/x/z); same transliteration key (`normalise.keys."
        "translit_key`: l/r, f/h/hu, b/p/v/w, s/sh/x/z, ts/ch/zh/j, k/kh/g/q, vowels and "
        "-iy/-y/-i endings); or metaphone one step apart. A name with none of these is "
        "no candidate",
        _sound,
    ),
    Comparison(
        "first letter",
        ("same", "alike", "other"),
        "name",
        "pairs",
        "same; alike (letters a round trip through another script confuses); other. A "
        'changed first letter is weighed, not a wall: "Embape" for Mbappé can still be '
        "a garble",
        lambda p: first_letter(p.span, p.target.compact),
    ),
    Comparison(
        "length",
        ("11+", "8-10", "6-7", "5", "4"),
        "name",
        "pairs",
        "the shorter of the two, in letters",
        lambda p: length_level(min(len(p.span), len(p.target.compact))),
    ),
    Comparison(
        "ending",
        ("other", "vowel ending"),
        "name",
        "pairs",
        'only final vowels, "s" or "n" differ (an inflection-like ending) or not; one '
        'the other with up to three letters added is a derived word ("Walmarts"), no '
        "candidate",
        _ending,
    ),
    Comparison(
        "frequency",
        ("unknown", "rare", "uncommon", "common", "very common"),
        "name",
        "pairs",
        "how common the surface (its words the name lacks) is as an English word or "
        "name (wordfreq's Zipf scale): the term-frequency adjustment of record linkage, "
        "graded instead of a veto",
        _frequency,
    ),
    Comparison(
        "known name",
        ("unknown", "name word", "one source", "two sources", "three sources"),
        "name",
        "pairs",
        "whether the surface is itself a real name of something: known to one, two or "
        "three and more independent sources of [the lexicon](#the-known-name-lexicon) "
        "as a whole name, only as a word of longer names, or unknown. A name the "
        'lexicon knows only as another name of the candidate\'s own place ("Malavi" for '
        "Malawi) is unknown here: no evidence against",
        _known,
    ),
    Comparison(
        "marks",
        ("none", "added"),
        "name",
        "pairs",
        "the surface has letters with marks (accents, hačeks) that the name lacks: a "
        'foreign name copied as its own language writes it ("Slováček"), seldom a '
        "garble of an English spelling",
        lambda p: "added" if p.marks and not p.target.marks else "none",
    ),
    Comparison(
        "words",
        ("one", "others shared", "some shared", "none shared", "resegmented"),
        "name",
        "texts",
        'one word; or, for a name of several words, all others shared ("Pham Minh …"), '
        "some shared, none; or resegmented: one word more or fewer, cut where the other "
        'is whole ("Wang Lingli" for "Wong Ling Li")',
        _words,
    ),
    Comparison(
        "competition",
        ("alone", "contested"),
        "rivals",
        "pairs",
        "another entity within 0.1 similarity",
        _competition,
    ),
    Comparison(
        "context",
        ("own name", "in longer name"),
        "run",
        "texts",
        "the span stands alone, or is joined to other capitalised words that are no "
        "title, no very common word and no candidate for a name of the table (part of a "
        'longer unfamiliar name: "Kabardino-Balkaria")',
        _context,
    ),
    Comparison(
        "document",
        ("canonical", "repaired elsewhere", "entity word", "none", "repeated"),
        "document",
        "texts",
        "the canonical name elsewhere in the input; the canonical put there by a repair "
        'of the same entity elsewhere in the document ("repaired elsewhere": its own '
        "level, see below); another word of a multi-word name there; nothing; or the "
        "surface used three times or more while the canonical never appears",
        _document,
    ),
    Comparison(
        "usage",
        ("alone", "in a longer name", "surname of a person"),
        "document",
        "texts",
        "whether the document writes the surface anywhere right after a word the "
        "lexicon knows as a person's name while the candidate is no person (\"Felix "
        'Slováček" is no garble of Slovakia: news names a person in full first and by '
        "surname after), or as part of a longer name (as for context; a very common "
        "word the document never writes in lower case, such as a first name, counts as "
        "a name)",
        _usage,
    ),
)

BY_NAME: dict[str, Comparison] = {c.name: c for c in ALL}
NAME_SCOPE: tuple[Comparison, ...] = tuple(c for c in ALL if c.scope == "name")
DOCUMENT_SCOPE: tuple[Comparison, ...] = tuple(c for c in ALL if c.scope == "document")


def table() -> str:
    """The comparisons as a Markdown table (docs/decision-model.md shows it)."""
    lines = [
        "| comparison | levels | what it looks at | what it reads | fitted on |",
        "| --- | --- | --- | --- | --- |",
    ]
    fitted = {"pairs": "names alone (stage A)", "texts": "names in text (stage B)"}
    for c in ALL:
        levels = ", ".join(c.levels)
        lines.append(
            f"| {c.name} | {levels} | {c.looks_at} | {SCOPES[c.scope]} | {fitted[c.fit]} |"
        )
    return "\n".join(lines) + "\n"
