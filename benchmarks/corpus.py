"""A deterministic builder of large garbled news corpora with gold, from real text.

The text is real and varied: the BBC, GUM, NTREX and WMT English texts in
../shared/corpora plus the seed articles (about 8 MB in all). Mentions of the garbled
entities found in it are replaced, at a fixed rate, by garbles from
``normalise.garble``, and each replacement is recorded as gold. A corpus larger than the
real text repeats it, with fresh garbles in each copy; ``repeated`` says from which
document on the text repeats, so figures can be quoted on the non-repeated part.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from normalise import AliasTable, builtin_table
from normalise.garble import garble

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

MB = 1_000_000
GARBLE_RATE = 0.3  # share of entity mentions garbled
CORE = 100  # entities that get garbled (the seeds' and the countries most often met)


@dataclass
class Corpus:
    docs: list[str]
    # (document, start, end, garble, canonical)
    gold: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    repeated: int | None = None  # index of the first repeated document, if any

    @property
    def size(self) -> int:
        return sum(len(d.encode("utf-8")) for d in self.docs)


def real_documents() -> Iterator[str]:
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    for path in sorted(seeds.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    yield from corpora.bbc()
    yield from corpora.gum()
    yield from _paragraphs(corpora.ntrex(), 12)
    yield from _paragraphs(corpora.wmt_english(), 12)


def _paragraphs(lines: Iterator[str], n: int) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == n:
            yield "\n".join(batch)
            batch = []
    if batch:
        yield "\n".join(batch)


def _seed_gold() -> list[list[tuple[int, int, str, str]]]:
    """The required garbles of each seed article, located in its text."""
    import csv
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pairs: dict[str, list[tuple[str, str]]] = {}
    with open(root / "tests" / "data" / "seeds_gold.tsv", encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            if row[1] == "required":
                pairs.setdefault(row[0], []).append((row[2], row[3]))
    out = []
    for path in sorted((root / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = []
        for original, canonical in pairs.get(path.name, []):
            for m in regex.finditer(rf"(?<!\w){regex.escape(original)}(?!\w)", text):
                found.append((m.start(), m.end(), original, canonical))
        out.append(sorted(found))
    return out


def core_entities(table: AliasTable | None = None) -> list[str]:
    """The entities whose mentions get garbled: every non-country entity of the built-in
    table, then the countries, up to ``CORE`` names."""
    table = table or builtin_table()
    others = [e.canonical for e in table.entities if e.kind != "country"]
    countries = [e.canonical for e in table.entities if e.kind == "country"]
    return (others + countries)[:CORE]


def build(size_mb: float, seed: int = 1) -> Corpus:
    """A corpus of about ``size_mb`` megabytes with garbled mentions and their gold."""
    names = sorted(core_entities(), key=len, reverse=True)
    pattern = regex.compile(
        r"(?<![\p{L}\p{N}])(?:" + "|".join(regex.escape(n) for n in names) + r")(?![\p{L}\p{N}])"
    )
    real = list(real_documents())
    seed_gold = _seed_gold()
    rng = random.Random(seed)
    corpus = Corpus([])
    total = 0
    copy = 0
    while total < size_mb * MB:
        if copy == 1 and corpus.repeated is None:
            corpus.repeated = len(corpus.docs)
        for number, doc in enumerate(real):
            if number < len(seed_gold):  # a seed article: its own garbles are the gold
                for start, end, original, canonical in seed_gold[number]:
                    corpus.gold.append((len(corpus.docs), start, end, original, canonical))
                corpus.docs.append(doc)
                total += len(doc.encode("utf-8"))
                continue
            out: list[str] = []
            pos = 0
            for m in pattern.finditer(doc):
                if rng.random() >= GARBLE_RATE:
                    continue
                variant = garble(m.group(), seed=rng, kinds=None, edits=1)
                if variant == m.group():
                    continue
                out.append(doc[pos : m.start()])
                start = sum(len(p) for p in out)
                out.append(variant)
                corpus.gold.append(
                    (len(corpus.docs), start, start + len(variant), variant, m.group())
                )
                pos = m.end()
            out.append(doc[pos:])
            text = "".join(out)
            corpus.docs.append(text)
            total += len(text.encode("utf-8"))
            if total >= size_mb * MB:
                break
        copy += 1
    return corpus
