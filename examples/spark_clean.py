"""Clean the text column of a Parquet archive on a Spark cluster.

    spark-submit examples/spark_clean.py INPUT.parquet OUTPUT.parquet [--column text]
        [--table my_aliases.toml ...] [--explain changes]

The alias tables are read on the driver and shipped to the executors; the executors
need normalise installed (docs/scaling.md, "Installing": a local-mode command first,
then a cluster's).
"""

from __future__ import annotations

import argparse
import sys

from pyspark.sql import SparkSession

from normalise.spark import clean_column


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--column", default="text")
    parser.add_argument(
        "--table", "--aliases", dest="aliases", action="append", default=[], metavar="PATH"
    )
    parser.add_argument("--explain", metavar="COLUMN", help="also write the explanations")
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("normalise-clean").getOrCreate()
    articles = spark.read.parquet(args.input)
    cleaned = clean_column(articles, args.column, tables=args.aliases, explain=args.explain)
    cleaned.write.mode("overwrite").parquet(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
