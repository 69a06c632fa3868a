"""The quality benchmark: precision and recall, per method, beside the obvious peers.

    python benchmarks/quality.py [--record]  # benchmarks/out/ or (--record) results/

1. the seed corpus against the project's gold annotation (tests/data/seeds_gold.tsv);
2. generated garbles of every built-in entity (fixed seed; one and two edits; per kind);
3. real recorded variants: GeoNames cities (table of city names, their Latin alternate
   names in sentences) and OpenSanctions country names;
4. wrong changes per 100,000 tokens on clean real text (GUM, wikigold, NTREX, BBC), with
   the built-in table and with a large user table of real names;
5. the same figures for exact alias replacement only (flashtext-style) and for a naive
   ``rapidfuzz.process.extractOne`` per capitalised token at a cutoff.

Parts 3 to 5 need ../shared/corpora; without it they are skipped and say so.
"""

from __future__ import annotations

import argparse
import collections
import csv
import difflib
import json
import platform
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict
from importlib import metadata
from typing import Any

import regex
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from normalise import AliasTable, Entity, Normaliser, Settings, builtin_table, table_from_mapping
from normalise.garble import TRANSFORMS, garble
from normalise.keys import fold

WORDS = regex.compile(r"\S+")  # tokens as ../shared/eval/score.py counts them

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

ROOT, TOKEN, CAPITALISED = (
    corpora.ROOT,
    corpora.TOKEN,
    corpora.CAPITALISED,
)
TEMPLATES = [
    "On Monday, {} said it would appeal the ruling.",
    "Officials met {} in the capital last week.",
    "The deal with {} was announced on Sunday.",
]
SEED = 20201
Change = tuple[int, int, str, str]  # start, end, replacement, method
System = Callable[[str], list[Change]]


# -- systems -----------------------------------------------------------------------


def normalise_system(n: Normaliser) -> System:
    return lambda text: [(c.start, c.end, c.replacement, c.method) for c in n.explain(text)]


def exact_only(tables: Iterable[AliasTable], builtin: bool = True) -> System:
    """Listed aliases only, as an exact keyword replacer (flashtext) would: no fuzzy
    evidence and no context layer."""
    off = Settings(
        case=False,
        compact=False,
        phonetic=False,
        edit=False,
        document=False,
        context=False,
        honorifics=False,
        words=False,
        typography=False,
    )
    return normalise_system(Normaliser(list(tables), builtin=builtin, settings=off))


def naive_extractone(table: AliasTable, cutoff: float = 85.0) -> System:
    """rapidfuzz extractOne of every capitalised token against every name of the table."""
    names = [e.canonical for e in table.entities]
    alias_to = {a: e.canonical for e in table.entities for a in e.aliases}
    choices = names + list(alias_to)

    def run(text: str) -> list[Change]:
        out = []
        for m in CAPITALISED.finditer(text):
            hit = process.extractOne(m.group(), choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if hit is None:
                continue
            target = alias_to.get(hit[0], hit[0])
            if target != m.group():
                out.append((m.start(), m.end(), target, "extractOne"))
        return out

    return run


# -- scoring -----------------------------------------------------------------------


class Tally:
    """Counts cases, judged by the output text, and the methods of the changes made."""

    def __init__(self) -> None:
        self.found = self.missed = self.wrong = 0
        self.methods_found: collections.Counter[str] = collections.Counter()
        self.methods_wrong: collections.Counter[str] = collections.Counter()
        self.examples: list[str] = []

    def add_case(self, text: str, expected: str, changes: list[Change]) -> None:
        """The expected sentence is found; the input unchanged is missed; anything
        else is wrong."""
        out = text
        for start, end, replacement, _ in sorted(changes, reverse=True):
            out = out[:start] + replacement + out[end:]
        if out == expected:
            self.found += 1
            self.methods_found.update(method for *_, method in changes)
        elif out == text:
            self.missed += 1
        else:
            self.wrong += 1
            self.methods_wrong.update(method for *_, method in changes)
            if len(self.examples) < 10:
                self.examples.append(f"{text!r} -> {out!r}")

    def summary(self) -> dict[str, object]:
        total = self.found + self.missed + self.wrong
        changed = self.found + self.wrong
        return {
            "cases": total,
            "recall": round(self.found / total, 4) if total else None,
            "precision": round(self.found / changed, 4) if changed else None,
            "found": self.found,
            "wrong": self.wrong,
            "methods_of_found": dict(self.methods_found),
            "methods_of_wrong": dict(self.methods_wrong),
            "examples_of_wrong": self.examples,
        }


def score_cases(system: System, cases: list[tuple[str, str]]) -> Tally:
    """Each case is (variant, canonical), placed in a sentence."""
    tally = Tally()
    for i, (variant, canonical) in enumerate(cases):
        template = TEMPLATES[i % len(TEMPLATES)]
        text = template.format(variant)
        tally.add_case(text, template.format(canonical), system(text))
    return tally


# -- parts -------------------------------------------------------------------------


def _token_changes(a: str, b: str) -> set[tuple[int, int, str]]:
    """Token-level differences between two texts (as ``../shared/eval/score.py`` counts
    them): a changed token on its own, or a changed stretch of tokens."""
    ta, tb = WORDS.findall(a), WORDS.findall(b)
    out: set[tuple[int, int, str]] = set()
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if i2 - i1 == j2 - j1:
            out.update(
                (i, i + 1, tb[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                if ta[i] != tb[j]
            )
        else:
            out.add((i1, i2, " ".join(tb[j1:j2])))
    return out


def seeds(system: System) -> dict[str, object]:
    """Required (name) and stretch (context layer) garbles of the seed corpus found, and
    every other change, counted on tokens as the shared scorer counts them."""
    gold: dict[str, list[tuple[str, str, str]]] = collections.defaultdict(list)
    with open(ROOT / "tests" / "data" / "seeds_gold.tsv", encoding="utf-8") as f:
        for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t"):
            name, level, original, replacement, _ = row
            gold[name].append((level, original, replacement))
    totals = {"required": 0, "stretch": 0}
    found = {"required": 0, "stretch": 0}
    wrong_list = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out, pos = [], 0
        for start, end, replacement, _ in sorted(system(text)):
            out += [text[pos:start], replacement]
            pos = end
        got = _token_changes(text, "".join(out) + text[pos:])
        want = {}
        for level in ("required", "stretch"):
            expected = text
            for lvl, original, replacement in gold[path.name]:
                if lvl == level:
                    expected = expected.replace(original, replacement)
            want[level] = _token_changes(text, expected)
            totals[level] += len(want[level])
            found[level] += len(want[level] & got)
        tokens = WORDS.findall(text)
        for i1, i2, new in sorted(got - want["required"] - want["stretch"]):
            wrong_list.append(f"{path.name}: {' '.join(tokens[i1:i2])!r} -> {new!r}")
    return {
        "required": totals["required"],
        "found": found["required"],
        "stretch": totals["stretch"],
        "stretch_found": found["stretch"],
        "wrong": len(wrong_list),
        "wrong_list": wrong_list,
    }


def generated_cases(
    table: AliasTable, edits: int, per_kind: int = 2
) -> dict[str, list[tuple[str, str]]]:
    """Garbles of every entity, per transformation; a garble that is itself a name of the
    table (another entity's, or a kept form) is not a garble and is left out."""
    exact = {fold(n) for e in table.entities for n in (e.canonical, *e.aliases, *e.keep)}
    rng = random.Random(SEED + edits)
    out: dict[str, list[tuple[str, str]]] = {}
    for kind in sorted(TRANSFORMS):
        cases = []
        for e in table.entities:
            for _ in range(per_kind):
                variant = garble(e.canonical, seed=rng, kinds=[kind], edits=edits)
                if variant != e.canonical and fold(variant) not in exact - {fold(e.canonical)}:
                    cases.append((variant, e.canonical))
        out[kind] = cases
    return out


def generated(systems: dict[str, System], table: AliasTable) -> dict[str, object]:
    result: dict[str, object] = {}
    for edits in (1, 2):
        per_kind = generated_cases(table, edits)
        everything = [c for cases in per_kind.values() for c in cases]
        result[f"{edits}_edit"] = {
            name: {
                "all": score_cases(system, everything).summary(),
                "per_kind": {
                    k: score_cases(system, cases).summary()["recall"]
                    for k, cases in per_kind.items()
                }
                if name == "normalise"
                else None,
            }
            for name, system in systems.items()
        }
    return result


def cities_table() -> tuple[AliasTable, list[tuple[str, str, int]]]:
    names: dict[str, None] = {}
    variants = []
    path = corpora.CORPORA / "geonames_city_variants" / "cities_pop100k_latin_variants.jsonl"
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            names.setdefault(r["name"], None)
            for v in r["latin_alternatenames"]:
                if v[:1].isupper() and len(v) > 3 and fold(v) != fold(r["name"]):
                    distance = Levenshtein.distance(fold(v), fold(r["name"]))
                    variants.append((v, r["name"], distance))
    table = AliasTable(tuple(Entity(n, "place", source="geonames") for n in names))
    return table, variants


def person_names(limit: int) -> list[str]:
    path = corpora.CORPORA / "opensanctions_rigour_names" / "person_name_part_variants_latin.txt"
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            form = line.split(" => ")[0].split(", ")[0].strip()
            if form.isalpha() and len(form) > 2:
                out.append(form.title())
            if len(out) >= limit:
                break
    return out


def large_table(size: int) -> AliasTable:
    """Real names only: GeoNames cities, then person names from OpenSanctions."""
    cities, _ = cities_table()
    names = [e.canonical for e in cities.entities]
    seen = {fold(n) for n in names}
    for n in person_names(size * 2):
        if len(names) >= size:
            break
        if fold(n) not in seen:
            seen.add(fold(n))
            names.append(n)
    return table_from_mapping({"entity": [{"canonical": n} for n in names]}, "large")


def real_variants(n_cities: Normaliser, n_builtin: Normaliser) -> dict[str, object]:
    cities, variants = cities_table()
    rng = random.Random(SEED)
    sample = rng.sample(variants, min(3000, len(variants)))
    near = [(v, c) for v, c, d in sample if d <= 2]
    far = [(v, c) for v, c, d in sample if d > 2]
    path = corpora.CORPORA / "opensanctions_rigour_names" / "territory_name_variants.tsv"
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    country_cases = [
        (r["variant"], r["name"])
        for r in rows
        if r["is_country"] == "True"
        and r["strength"] == "weak"
        and r["variant"][:1].isupper()
        and all("LATIN" in unicodedata.name(ch, "") for ch in r["variant"] if ch.isalpha())
        and fold(r["variant"]) != fold(r["name"])
    ]
    country_cases = rng.sample(country_cases, min(2000, len(country_cases)))
    near_c = [(v, c) for v, c in country_cases if Levenshtein.distance(fold(v), fold(c)) <= 2]
    sys_c = normalise_system(n_cities)
    sys_b = normalise_system(n_builtin)
    return {
        "cities_table_size": len(cities),
        "cities_edit_distance_le_2": score_cases(sys_c, near).summary(),
        "cities_other_variants": score_cases(sys_c, far).summary(),
        "countries_edit_distance_le_2": score_cases(sys_b, near_c).summary(),
        "countries_other_weak_variants": score_cases(sys_b, country_cases).summary(),
    }


def clean_text(system: System, limit_tokens: int | None = None) -> dict[str, object]:
    out: dict[str, object] = {}
    all_tokens = all_changes = all_typo = 0
    for name, reader in corpora.CLEAN_TEXTS.items():
        tokens = typo = 0
        changes: collections.Counter[str] = collections.Counter()
        for text in reader():
            if limit_tokens is not None and tokens >= limit_tokens:
                break
            tokens += len(TOKEN.findall(text))
            for start, end, replacement, method in system(text):
                changes[f"{text[start:end]!r} -> {replacement!r} ({method})"] += 1
                typo += method == "typography"
        count = sum(changes.values()) - typo
        all_tokens += tokens
        all_changes += count
        all_typo += typo
        out[name] = {
            "tokens": tokens,
            "changes": count,
            "per_100k": round(count / tokens * 1e5, 2),
            "typography": typo,
            "typography_per_100k": round(typo / tokens * 1e5, 2),
            "every_change": dict(changes.most_common()),
        }
    out["all"] = {
        "tokens": all_tokens,
        "changes": all_changes,
        "per_100k": round(all_changes / all_tokens * 1e5, 2),
        "typography": all_typo,
        "typography_per_100k": round(all_typo / all_tokens * 1e5, 2),
    }
    return out


# -- report ------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help=corpora.RECORD_HELP)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    builtin = builtin_table()
    n = Normaliser()
    systems: dict[str, System] = {
        "normalise": normalise_system(n),
        "exact-only": exact_only([]),
        "extractOne@85": naive_extractone(builtin),
    }
    report: dict[str, object] = {
        "settings": asdict(Settings()),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "versions": {
            p: metadata.version(p) for p in ("mt-normalise", "rapidfuzz", "jellyfish", "wordfreq")
        },
        "seeds": {name: seeds(s) for name, s in systems.items()},
        "generated": generated(systems, builtin),
    }
    if corpora.available():
        cities, _ = cities_table()
        report["real_variants"] = real_variants(Normaliser([cities], builtin=False), n)
        report["clean_text_builtin"] = {
            name: clean_text(s, limit_tokens=None if name != "extractOne@85" else 60_000)
            for name, s in systems.items()
        }
        big = large_table(100_000)
        t = time.perf_counter()
        n_big = Normaliser([big])
        build = time.perf_counter() - t
        report["clean_text_large_table"] = {
            "entities": len(n_big.table),
            "build_seconds": round(build, 2),
            "normalise": clean_text(normalise_system(n_big)),
            "exact-only": clean_text(exact_only([big])),
            "extractOne@85 (first 20k tokens of each text)": clean_text(
                naive_extractone(n_big.table), limit_tokens=20_000
            ),
        }
    else:
        report["skipped"] = f"no corpora at {corpora.CORPORA}: parts 3-5 not run"
    report["seconds"] = round(time.perf_counter() - started, 1)
    out = corpora.results_dir(args.record)
    (out / "quality.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    markdown = to_markdown(report)
    (out / "quality.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


def _pct(x: object) -> str:
    return "-" if x is None else f"{100 * float(x):.1f}%"  # type: ignore[arg-type]


def _row(name: str, s: dict[str, Any]) -> str:
    recall, precision = _pct(s["recall"]), _pct(s["precision"])
    return f"| {name} | {s['cases']} | {recall} | {precision} | {s['wrong']} |"


def _rate(name: str, table: str, s: dict[str, Any]) -> str:
    typo = f"{s['typography']} ({s['typography_per_100k']})" if "typography" in s else "-"
    return f"| {name} | {table} | {s['tokens']} | {s['changes']} | {s['per_100k']} | {typo} |"


def to_markdown(r: dict[str, Any]) -> str:
    lines = ["# Quality benchmark", "", f"Run time {r['seconds']} s; settings: defaults.", ""]
    lines += [
        "## Seed corpus (token changes, as ../shared/eval/score.py counts them)",
        "",
        "| system | required found | stretch found | wrong |",
        "| --- | --- | --- | --- |",
    ]
    for name, s in r["seeds"].items():
        lines.append(
            f"| {name} | {s['found']}/{s['required']} | {s['stretch_found']}/{s['stretch']} "
            f"| {s['wrong']} |"
        )
    for edits in ("1_edit", "2_edit"):
        lines += ["", f"## Generated garbles of built-in entities, {edits.replace('_', ' ')}", ""]
        lines += [
            "| system | cases | recall | precision | wrong |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name, s in r["generated"][edits].items():
            lines.append(_row(name, s["all"]))
        kinds = r["generated"][edits]["normalise"]["per_kind"]
        lines += [
            "",
            "normalise recall per kind: " + ", ".join(f"{k} {_pct(v)}" for k, v in kinds.items()),
        ]
    if "real_variants" in r:
        rv = r["real_variants"]
        lines += [
            "",
            "## Real variants (normalise)",
            "",
            "| set | cases | recall | precision | wrong |",
            "| --- | --- | --- | --- | --- |",
        ]
        for key in (
            "cities_edit_distance_le_2",
            "cities_other_variants",
            "countries_edit_distance_le_2",
            "countries_other_weak_variants",
        ):
            lines.append(_row(key, rv[key]))
        lines += [
            "",
            "## Wrong changes per 100,000 tokens of clean text",
            "",
            "Name and word changes (every method but `typography`) on clean text are wrong by",
            "definition. Typographic fixes are counted apart: they rewrite real spacing",
            'defects of the source texts (" ." and " ," in BBC, "$ 800" in GUM), which',
            "`--no-typography` leaves alone.",
            "",
            "| system | table | tokens | changes | per 100k | typographic fixes (per 100k) |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, s in r["clean_text_builtin"].items():
            lines.append(_rate(name, "built-in", s["all"]))
        big = r["clean_text_large_table"]
        for name, s in big.items():
            if isinstance(s, dict):
                lines.append(_rate(name, f"{big['entities']} entities", s["all"]))
        lines += ["", "Every change made on clean text is listed in quality.json."]
    else:
        lines += ["", r["skipped"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
