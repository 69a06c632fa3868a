"""The fuzzing benchmark: the library's guarantees on generated text over random tables.

    python benchmarks/fuzz.py [--texts 100000] [--tables 200] [--seed 1] [--record]

Texts are built, with a seeded generator, from the names of a random alias table (the
built-in one, or entities drawn from it and from real names, with their garbles as
aliases, kept names, context-gated variants, people with honorifics), their garbles
(``normalise.garble``), the same in capitals, filler words, headlines and datelines
in capitals, and joiners (spaces, punctuation, possessives, line breaks of every kind).
Each text is checked for:

- ``spans``: every change's span lies in the text, holds its original, and no two
  overlap (so the output is byte for byte the input outside the spans);
- ``replay``: ``replay(text, explain(text)) == clean(text)``;
- ``idempotence``: ``clean(clean(text)) == clean(text)``;
- ``streamed``: the text streamed in random chunks with a small buffer gives what it
  gives whole, read again as a file is (``Normaliser.iter_clean_reread``);
- ``workers``: ``clean_many(texts, workers=2)`` equals cleaning each text alone (once
  per table, over all its texts).

Writes ``fuzz.{json,md}`` to benchmarks/out/, or with ``--record`` to
benchmarks/results/. ``tests/test_fuzz.py`` runs a seeded sample in CI.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from normalise import AliasTable, Normaliser, builtin_table, replay, table_from_mapping
from normalise.garble import garble
from normalise.testing import LOOKALIKES

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

PROPERTIES = ("spans", "replay", "idempotence", "streamed", "workers")

_FILLER = [
    "the",
    "said",
    "on",
    "Monday",
    "The",
    "company",
    "app",
    "in",
    "a",
    "deal",
    "It",
    "and",
    "users",
    "of",
    "its",
    "New",
    "officials",
    "But",
    "reported",
    "WASHINGTON",
    "Reuters",
    "AP",
    "government",
    "its",
    "chief",
    "executive",
    "spokesman",
    "I",
    "A",
]
_CAPS_FILLER = [
    "BREAKING",
    "NEWS",
    "SAYS",
    "DEAL",
    "THE",
    "OF",
    "AND",
    "WITH",
    "TALKS",
    "US",
    "TRADE",
    "BAN",
]
_DATELINES = ["BEIJING (Reuters) -", "WASHINGTON (AP) —", "MOSCOW, March 3 (Reuters) -", "TAIPEI -"]
_JOINERS = [" "] * 6 + [", ", ". ", "\n", "\r\n", "\r", " - ", "'s ", "’s ", ' "', '" ', " (", ") "]
_HONORIFICS = ["Mr.", "Ms.", "Mrs.", "Dr.", "President", "Min."]
# Real names near table names (normalise.testing.LOOKALIKES and a few towns): a random
# table sometimes holds them as entities of its own.
_REAL_NAMES = [*LOOKALIKES, "Brno", "Plzen", "Hangzhou", "Kolin", "Gdynia", "Leuven"]


# -- tables -------------------------------------------------------------------------


def random_table(rng: random.Random, pool: list[dict[str, Any]]) -> AliasTable | None:
    """A table of 5 to 40 entities drawn from ``pool`` (the built-in table's entities),
    some renamed to real names, with garbles as aliases, kept names, context-gated
    variants and words; None (a quarter of the time) is the built-in table alone."""
    if rng.random() < 0.25:
        return None
    entities: dict[str, dict[str, Any]] = {}
    claimed: set[str] = set()
    for _ in range(rng.randint(5, 40)):
        base = dict(rng.choice(pool))
        name = base["canonical"] if rng.random() < 0.7 else rng.choice(_REAL_NAMES)
        if name.casefold() in claimed:
            continue
        entity: dict[str, Any] = {"canonical": name}
        if base.get("kind"):
            entity["kind"] = base["kind"]
        names = {name.casefold()}
        for key in ("aliases", "keep", "context_aliases"):
            if rng.random() < (0.6 if key == "aliases" else 0.15):
                variants = []
                for _ in range(rng.randint(1, 3)):
                    v = garble(name, seed=rng.randrange(1 << 30), edits=rng.randint(1, 2))
                    if v.casefold() not in names and v.casefold() not in claimed:
                        names.add(v.casefold())
                        variants.append(v)
                if variants:
                    entity[key] = variants
        if "context_aliases" in entity:
            entity["context"] = [rng.choice(_FILLER).lower(), "app"]
        if entity.get("kind") == "person" and rng.random() < 0.5:
            entity["honorific"] = rng.choice(["Mr.", "Ms."])
        if rng.random() < 0.05:
            entity["context_fuzzy"] = True
        claimed |= names
        entities[name] = entity
    data: dict[str, Any] = {"entity": list(entities.values())}
    if rng.random() < 0.2:
        data["honorific"] = [{"garble": "Min.", "means": "Mr."}]
    try:
        return table_from_mapping(data, "<fuzz>")
    except ValueError:  # a generated conflict (a garble that is another's name): skip it
        return None


def _pool() -> list[dict[str, Any]]:
    return [
        {"canonical": e.canonical, "kind": e.kind}
        for e in builtin_table().entities
        if len(e.canonical) <= 40
    ]


# -- texts --------------------------------------------------------------------------


def random_text(rng: random.Random, names: list[str], max_words: int = 16) -> str:
    """Running text, a headline or a dateline line of names, garbles and filler."""
    shape = rng.random()
    parts: list[str] = []
    if shape < 0.15:
        parts.append(rng.choice(_DATELINES) + " ")
    for _ in range(rng.randint(1, max_words)):
        r = rng.random()
        if r < 0.35:
            word = rng.choice(names)
            if rng.random() < 0.6:
                word = garble(word, seed=rng.randrange(1 << 30), edits=rng.randint(1, 2))
        elif r < 0.45:
            word = rng.choice(_HONORIFICS) + " " + rng.choice(names)
        elif r < 0.55:
            word = rng.choice(_CAPS_FILLER)
        else:
            word = rng.choice(_FILLER)
        if rng.random() < 0.12:
            word = word.upper()
        parts.append(word + rng.choice(_JOINERS))
    text = "".join(parts)
    if shape > 0.85:  # a headline: the whole text in capitals, or its first line
        head, sep, rest = text.partition("\n")
        text = (head.upper() + sep + rest) if rng.random() < 0.5 else text.upper()
    return text


def _chunks(rng: random.Random, text: str) -> Iterator[str]:
    i = 0
    while i < len(text):
        j = i + rng.randint(1, 40)
        yield text[i:j]
        i = j


# -- the run ------------------------------------------------------------------------


@dataclass
class Found:
    texts: int = 0
    tables: int = 0
    failures: collections.Counter[str] = field(default_factory=collections.Counter)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def fail(self, prop: str, text: str, table: int, detail: str) -> None:
        self.failures[prop] += 1
        shown = self.examples.setdefault(prop, [])
        shown.append({"text": text, "table": table, "detail": detail})
        shown.sort(key=lambda e: len(e["text"]))
        del shown[50:]  # the shortest (the report shows five)


def check_text(n: Normaliser, text: str, rng: random.Random, found: Found, table: int) -> str:
    """Check one text; its cleaned form."""
    changes = n.explain(text)
    cleaned = replay(text, changes)
    last = 0
    for c in changes:
        if not (last <= c.start <= c.end <= len(text)) or text[c.start : c.end] != c.original:
            found.fail("spans", text, table, repr(c))
            break
        last = c.end
    if n.clean(text) != cleaned:
        found.fail("replay", text, table, repr(n.clean(text)))
    again = n.clean(cleaned)
    if again != cleaned:
        found.fail("idempotence", text, table, f"{cleaned!r} -> {again!r}")
    buffer = rng.randint(1, 64)
    streamed = "".join(n.iter_clean_reread(_Reopen(text, rng), buffer=buffer))
    if streamed != cleaned:
        found.fail("streamed", text, table, f"buffer {buffer}: {streamed!r} != {cleaned!r}")
    return cleaned


class _Reopen:
    """A file's text that can be read twice, in the same random chunks each time."""

    def __init__(self, text: str, rng: random.Random) -> None:
        self.text = text
        self.seed = rng.randrange(1 << 30)

    def __call__(self) -> Iterator[str]:
        return _chunks(random.Random(self.seed), self.text)


def table_of(seed: int, number: int) -> AliasTable | None:
    """The random table ``number`` of a run with ``seed`` (None: the built-in table)."""
    return random_table(random.Random(seed * 1_000_003 + number), _pool())


def _normaliser(table: AliasTable | None) -> Normaliser:
    """The built-in table with ``table`` merged in, or ``table`` alone when the two
    contradict each other (a garble that is a name the built-in table keeps)."""
    if table is None:
        return Normaliser()
    try:
        return Normaliser([table])
    except ValueError:
        return Normaliser([table], builtin=False)


def run(
    texts: int, tables: int, seed: int, workers_check: bool = True, only: set[int] | None = None
) -> Found:
    """Check ``texts`` texts over ``tables`` random tables (or, with ``only``, the
    texts of those tables alone: the rest are generated and skipped)."""
    pool = _pool()
    found = Found()
    per_table = max(1, texts // tables)
    for t in range(tables):
        if only is not None and t not in only:
            continue
        rng = random.Random(seed * 1_000_003 + t)  # one generator per table
        table = random_table(rng, pool)
        n = _normaliser(table)
        names = [e.canonical for e in (table or builtin_table()).entities]
        batch = [random_text(rng, names) for _ in range(per_table)]
        cleaned = [check_text(n, text, rng, found, t) for text in batch]
        if workers_check and n.clean_many(batch, workers=2) != cleaned:
            wrong = next(i for i, c in enumerate(n.clean_many(batch, workers=2)) if c != cleaned[i])
            found.fail("workers", batch[wrong], t, "clean_many(workers=2) differs")
        found.texts += len(batch)
        found.tables += 1
    return found


def _markdown(found: Found, seconds: float, seed: int) -> str:
    out = io.StringIO()
    out.write(
        f"# Fuzzing\n\n`python benchmarks/fuzz.py --seed {seed}`: {found.texts:,} generated "
        f"texts over {found.tables} random tables, {seconds:.0f} s.\n\n"
        "| property | failures |\n| --- | --- |\n"
    )
    for prop in PROPERTIES:
        out.write(f"| {prop} | {found.failures[prop]:,} |\n")
    for prop, shown in found.examples.items():
        out.write(f"\n## {prop}: the shortest failures\n\n")
        for e in shown[:5]:
            out.write(f"- table {e['table']}: `{e['text']!r}`: {e['detail']}\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="these tables only (numbers, comma-separated)")
    parser.add_argument("--record", action="store_true", help=corpora.RECORD_HELP)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    only = {int(t) for t in args.only.split(",")} if args.only else None
    found = run(args.texts, args.tables, args.seed, only=only)
    seconds = time.perf_counter() - started
    out = corpora.results_dir(args.record)
    out.mkdir(parents=True, exist_ok=True)
    record = {
        "seed": args.seed,
        "texts": found.texts,
        "tables": found.tables,
        "seconds": round(seconds, 1),
        "failures": {p: found.failures[p] for p in PROPERTIES},
        "examples": found.examples,
    }
    (out / "fuzz.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    markdown = _markdown(found, seconds, args.seed)
    (out / "fuzz.md").write_text(markdown)
    print(markdown)
    return 1 if sum(found.failures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
