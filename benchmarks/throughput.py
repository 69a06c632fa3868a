"""The speed benchmark: throughput against a bare tokenising pass, at table sizes from
100 to 100,000 entities, beside the obvious peers, all measured in one run.

    python benchmarks/throughput.py              # 1 and 10 MB corpora
    python benchmarks/throughput.py --full       # also 100 MB for the workers figure

Needs ../shared/corpora (the corpus is real news text, benchmarks/corpus.py) and the
``bench`` extra (flashtext, matplotlib). Writes throughput.{json,md,png} to benchmarks/out/
(with --record, to the tracked benchmarks/results/).

Throughput is reported as MB/s and as the ratio to a bare ``regex`` word-tokenising pass
over the same text in the same run (the stable figure on a noisy machine). Each timing
is the median of 3 runs for the quick systems, one run for the slow ones.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from normalise import AliasTable, Entity, Normaliser, builtin_table
from normalise.keys import fold

try:
    from . import corpora, corpus
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]
    import corpus  # type: ignore[no-redef]

ROOT, TOKEN, CAPITALISED = (
    corpora.ROOT,
    corpora.TOKEN,
    corpora.CAPITALISED,
)
TABLE_SIZES = (100, 1_000, 10_000, 100_000)
Change = tuple[int, int, int, str]  # document, start, end, replacement


def table_of(size: int) -> AliasTable:
    """The garbled (core) entities with their built-in aliases, padded with real names:
    GeoNames cities, Wikidata entity labels (English, CC0), then person names from
    OpenSanctions."""
    builtin = {e.canonical: e for e in builtin_table().entities}
    entities = [builtin[name] for name in corpus.core_entities()][:size]
    seen = {fold(n) for e in entities for n in (e.canonical, *e.aliases, *e.keep)}
    padding = [e.canonical for e in _cities().entities] + _wikidata() + _persons()
    for name in padding:
        if len(entities) >= size:
            break
        if fold(name) not in seen:
            seen.add(fold(name))
            entities.append(Entity(name, source="padding"))
    return AliasTable(tuple(entities))


def _cities() -> AliasTable:
    from quality import cities_table  # type: ignore[import-not-found]

    return cities_table()[0]  # type: ignore[no-any-return]


def _wikidata() -> list[str]:
    path = corpora.CORPORA / "wikidata_name_transliteration" / "wd_korean.tsv"
    with open(path, encoding="utf-8") as f:
        names = [line.split("\t", 1)[0].strip() for line in f]
    return [n for n in names if n[:1].isupper() and 2 < len(n) <= 60]


def _persons() -> list[str]:
    from quality import person_names

    return person_names(200_000)  # type: ignore[no-any-return]


def median_time(fn: Callable[[], object], runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def score(gold: list[tuple[int, int, int, str, str]], changes: list[Change]) -> dict[str, Any]:
    want = {(d, s, e): fold(c) for d, s, e, _, c in gold}
    tp = sum(1 for d, s, e, r in changes if want.get((d, s, e)) == fold(r))
    fp = len(changes) - tp
    return {
        "recall": round(tp / len(gold), 4) if gold else None,
        "precision": round(tp / len(changes), 4) if changes else None,
        "changes": len(changes),
        "wrong": fp,
    }


def run_normalise(n: Normaliser, docs: list[str], workers: int) -> list[Change]:
    """Every name change; typographic fixes (timed, but not names: the gold knows
    nothing of them) are left out of the precision and recall."""
    explained = n.explain_many(docs, workers=workers)
    return [
        (i, c.start, c.end, c.replacement)
        for i, cs in enumerate(explained)
        for c in cs
        if c.method != "typography"
    ]


def run_flashtext(table: AliasTable, docs: list[str]) -> Callable[[], list[Change]]:
    from flashtext import KeywordProcessor

    kp = KeywordProcessor(case_sensitive=True)
    for e in table.entities:
        for alias in e.aliases:
            kp.add_keyword(alias, e.canonical)

    def run() -> list[Change]:
        out = []
        for i, doc in enumerate(docs):
            for canonical, start, end in kp.extract_keywords(doc, span_info=True):
                out.append((i, start, end, canonical))
        return out

    return run


def run_extractone(table: AliasTable, docs: list[str]) -> Callable[[], list[Change]]:
    from quality import naive_extractone

    system = naive_extractone(table)
    return lambda: [
        (i, start, end, r) for i, doc in enumerate(docs) for start, end, r, _ in system(doc)
    ]


def child_memory(size: int, mb: float) -> dict[str, float]:
    """Memory of a fresh process that builds the index of a table of ``size`` entities
    and cleans an ``mb`` MB corpus: the peak resident size of the whole process (with the
    corpus and the padding sources loaded), and the peak memory traced while building
    the normaliser and cleaning (what normalise itself needs), in MB. The peak is the
    child's own VmHWM: ``ru_maxrss`` survives ``exec`` and would count this process."""
    code = (
        "import sys, tracemalloc; sys.path.insert(0, 'benchmarks');"
        "import throughput, corpus; from normalise import Normaliser;"
        f"c = corpus.build({mb}); t = throughput.table_of({size}); Normaliser().clean('x');"
        "tracemalloc.start(); n = Normaliser([t], builtin=False); n.clean_many(c.docs);"
        "print(tracemalloc.get_traced_memory()[1],"
        " [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    traced, rss = out.stdout.split()
    return {
        "normalise_mb": round(int(traced) / 1e6, 1),
        "process_rss_mb": round(int(rss) / 1024, 1),
    }


def cold_start() -> float:
    """Median wall time of `normalise clean` on a one-line file, in a new process."""
    exe = Path(sys.executable).with_name("normalise")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("Bytdance said Tickcock is safe.\n")
    times = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run([str(exe), "clean", "-q", f.name], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(mb: float, sizes: tuple[int, ...], workers: tuple[int, ...]) -> dict[str, Any]:
    c = corpus.build(mb)
    text = "\n\n".join(c.docs)
    size_mb = c.size / 1e6
    bare, _ = median_time(lambda: sum(1 for _ in TOKEN.finditer(text)))
    split, _ = median_time(lambda: len(text.split()))
    row: dict[str, Any] = {
        "mb": round(size_mb, 2),
        "documents": len(c.docs),
        "gold_garbles": len(c.gold),
        "repeated_from_document": c.repeated,
        "bare_regex_mb_s": round(size_mb / bare, 2),
        "str_split_mb_s": round(size_mb / split, 2),
        "tables": {},
    }
    for size in sizes:
        table = table_of(size)
        t = time.perf_counter()
        Normaliser([table], builtin=False)
        build = time.perf_counter() - t
        entry: dict[str, Any] = {"entities": len(table), "build_s": round(build, 2)}
        for w in workers:
            # A fresh normaliser each run (no cache carries over between runs), built
            # before the clock starts: the index build is reported on its own.
            timings: list[float] = []
            for _ in range(3 if mb <= 10 else 1):
                n = Normaliser([table], builtin=False)
                t = time.perf_counter()
                changes = run_normalise(n, c.docs, w)
                timings.append(time.perf_counter() - t)
            seconds = statistics.median(timings)
            entry[f"normalise_w{w}"] = {
                "mb_s": round(size_mb / seconds, 2),
                "ratio": round(bare / seconds, 3),
                **score(c.gold, changes),
            }
        seconds, changes = median_time(run_flashtext(table, c.docs))
        entry["flashtext"] = {
            "mb_s": round(size_mb / seconds, 2),
            "ratio": round(bare / seconds, 3),
            **score(c.gold, changes),
        }
        # The naive per-token extractOne is measured on a slice and its rate reported.
        part = c.docs[: max(1, len(c.docs) // 50)]
        part_mb = sum(len(d.encode()) for d in part) / 1e6
        part_gold = [g for g in c.gold if g[0] < len(part)]
        seconds, changes = median_time(run_extractone(table, part), 1)
        entry["extractOne"] = {
            "mb_s": round(part_mb / seconds, 3),
            "ratio": round(bare / (seconds * mb / part_mb), 4),
            "measured_on_mb": round(part_mb, 2),
            **score(part_gold, changes),
        }
        row["tables"][str(size)] = entry
        print(f"{mb:g} MB, {size} entities: {json.dumps(entry)}", flush=True)
    return row


def plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    row = report["runs"][-1] if report["runs"][-1]["mb"] < 50 else report["runs"][-2]
    sizes = [int(s) for s in row["tables"]]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, label in (
        ("normalise_w1", "normalise, 1 worker"),
        ("normalise_w2", "normalise, 2 workers"),
        ("flashtext", "flashtext (exact aliases)"),
        ("extractOne", "rapidfuzz extractOne/token"),
    ):
        ratios = [row["tables"][str(s)][key]["ratio"] for s in sizes]
        precision = [row["tables"][str(s)][key]["precision"] or 0 for s in sizes]
        a.plot(sizes, ratios, marker="o", label=label)
        b.plot(sizes, precision, marker="o", label=label)
    a.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    a.set(
        xscale="log",
        yscale="log",
        xlabel="table size (entities)",
        ylabel="throughput / bare regex pass",
        title=f"Throughput, {row['mb']} MB of news",
    )
    b.set(
        xscale="log",
        xlabel="table size (entities)",
        ylabel="precision on gold garbles",
        ylim=(0, 1.02),
        title="Precision",
    )
    a.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="also the 100 MB corpus")
    parser.add_argument("--sizes", default=",".join(map(str, TABLE_SIZES)))
    parser.add_argument("--record", action="store_true", help=corpora.RECORD_HELP)
    args = parser.parse_args(argv)
    if not corpora.available():
        print(f"no corpora at {corpora.CORPORA}", file=sys.stderr)
        return 2
    sizes = tuple(int(s) for s in args.sizes.split(","))
    Normaliser().explain("Warm the word-list cache: Bytdance")
    report: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": __import__("os").cpu_count(),
        },
        "versions": {
            p: metadata.version(p)
            for p in ("mt-normalise", "rapidfuzz", "jellyfish", "regex", "wordfreq", "flashtext")
        },
        "cold_start_s": round(cold_start(), 3),
        "runs": [measure(1, sizes, (1, 2)), measure(10, sizes, (1, 2))],
        "peak_memory": {str(s): child_memory(s, 1) for s in sizes},
    }
    if args.full:
        report["runs"].append(measure(100, (100, 100_000), (1, 2)))
    out = corpora.results_dir(args.record)
    (out / "throughput.json").write_text(json.dumps(report, indent=1) + "\n")
    plot(report, out / "throughput.png")
    md = to_markdown(report)
    (out / "throughput.md").write_text(md)
    print(md)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KB")
    return 0


def _cell(e: dict[str, Any], k: str) -> str:
    return f"{e[k]['mb_s']} MB/s ({e[k]['ratio']}×)" if k in e else "-"


def _pr(e: dict[str, Any], k: str) -> str:
    p = e[k]["precision"]
    return f"{p if p is not None else '-'} / {e[k]['recall']}"


def to_markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Speed benchmark",
        "",
        f"Python {r['machine']['python']}, {r['machine']['cpus']} CPUs; cold start of "
        f"`normalise clean` on one line: {r['cold_start_s']} s.",
        "",
    ]
    for row in r["runs"]:
        lines += [
            f"## {row['mb']} MB ({row['documents']} documents, {row['gold_garbles']} garbles; "
            f"bare regex {row['bare_regex_mb_s']} MB/s, str.split {row['str_split_mb_s']} MB/s)",
            "",
            "| entities | build | normalise w1 | normalise w2 | flashtext | extractOne | "
            "P / R normalise | P / R flashtext | P / R extractOne |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for size, e in row["tables"].items():
            lines.append(
                f"| {size} | {e['build_s']} s | {_cell(e, 'normalise_w1')} "
                f"| {_cell(e, 'normalise_w2')} | {_cell(e, 'flashtext')} "
                f"| {_cell(e, 'extractOne')} | {_pr(e, 'normalise_w1')} "
                f"| {_pr(e, 'flashtext')} | {_pr(e, 'extractOne')} |"
            )
        lines.append("")
    lines += [
        "Peak memory (fresh process, 1 MB corpus): "
        + ", ".join(
            f"{k} entities {v['normalise_mb']} MB traced in normalise "
            f"({v['process_rss_mb']} MB process)"
            for k, v in r["peak_memory"].items()
        ),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
