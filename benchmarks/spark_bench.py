"""Rows per second on a local Spark (``local[N]``) against ``clean_many(workers=N)``.

    python benchmarks/spark_bench.py                 # 20,000 rows, local[2]
    python benchmarks/spark_bench.py --rows 100000 --cores 2
    spark-submit benchmarks/spark_bench.py --master yarn --rows 1000000 --cores 80

The rows are real news articles (the BBC subset of ../shared/corpora, or the seed corpus
when it is missing), repeated to the wanted count, each with a number appended so that
no two rows are equal. Both sides clean the same texts with the built-in table and
default settings, produce the explanation too, and are checked to agree. Spark's time
is the median of 3 jobs after one warm-up job (which starts the Python workers and builds
their normalisers); ``clean_many``'s is the median of 3 calls, each starting its own
process pool. Writes spark.{json,md} to benchmarks/out/ (--record: benchmarks/results/).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

from normalise import Normaliser

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]


def articles(rows: int) -> list[str]:
    if corpora.available():
        base = list(corpora.bbc())
    else:
        seeds = Path(__file__).resolve().parent.parent / "seeds"
        base = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    return [f"{base[i % len(base)]}\n{i}" for i in range(rows)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cores", type=int, default=2, help="and workers of clean_many")
    parser.add_argument("--master", help="the Spark master (default local[CORES])")
    parser.add_argument("--record", action="store_true", help=corpora.RECORD_HELP)
    args = parser.parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from normalise.spark import clean_column

    texts = articles(args.rows)
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    n = Normaliser()

    local_times = []
    for _ in range(3):
        t = time.perf_counter()
        expected = n.explain_many(texts, workers=args.cores)
        local_times.append(time.perf_counter() - t)

    spark = (
        SparkSession.builder.master(args.master or f"local[{args.cores}]")
        .appName("normalise-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "id long, text string")
    df = df.repartition(args.cores * 4).cache()
    df.count()
    out = clean_column(df, "text", explain="changes")
    spark_times = []
    for run in range(4):
        t = time.perf_counter()
        rows = out.select("id", "text_clean", "changes").collect()
        if run:  # the first job starts the Python workers and builds their normalisers
            spark_times.append(time.perf_counter() - t)
    spark.stop()
    by_id = {r["id"]: r for r in rows}
    agree = all(
        [c.asDict() for c in by_id[i]["changes"]] == [c.to_dict() for c in expected[i]]
        for i in range(len(texts))
    )
    local = statistics.median(local_times)
    remote = statistics.median(spark_times)
    report = {
        "rows": len(texts),
        "megabytes": round(megabytes, 1),
        "cores": args.cores,
        "identical_results": agree,
        "clean_many_seconds": round(local, 2),
        "spark_seconds": round(remote, 2),
        "clean_many_rows_per_s": round(len(texts) / local),
        "spark_rows_per_s": round(len(texts) / remote),
        "spark_to_clean_many": round(local / remote, 2),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "versions": {p: metadata.version(p) for p in ("mt-normalise", "pyspark", "pyarrow")},
    }
    out = corpora.results_dir(args.record)
    (out / "spark.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    md = [
        "# Spark benchmark",
        "",
        f"{report['rows']:,} news articles ({report['megabytes']} MB), built-in table, "
        f"explanations on, {args.cores} cores; median of 3. Results identical: {agree}.",
        "",
        "| system | seconds | rows/s |",
        "| --- | --- | --- |",
        f"| `clean_many(workers={args.cores})` (explain_many) | {report['clean_many_seconds']} "
        f"| {report['clean_many_rows_per_s']:,} |",
        f"| Spark `local[{args.cores}]`, `clean_column` | {report['spark_seconds']} "
        f"| {report['spark_rows_per_s']:,} |",
        "",
        f"Spark runs at {report['spark_to_clean_many']}x the rows per second of `clean_many`.",
    ]
    (out / "spark.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
