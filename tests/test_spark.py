"""normalise.spark on a local Spark (local[2]): results identical to Normaliser.clean.

These tests need pyspark (in the dev extra) and Java 17. Without Java, deselect them
explicitly: ``pytest -m "not spark"``. They never skip on their own, so CI cannot pass
without running them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from normalise import AliasTableError, NormaliseError, Normaliser, Settings

from .conftest import SEEDS

pytestmark = pytest.mark.spark

TABLE = """
[[entity]]
canonical = "Kuaishou"
kind = "org"
aliases = ["Kwaishou"]
"""


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - a developer set-up problem, not a skip
        pytest.fail("the Spark tests need pyspark: pip install -e '.[dev]' (or -m 'not spark')")
    # The executors' Python must be this one, which has normalise installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("normalise-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "3")  # several batches
        .getOrCreate()
    )
    yield session
    session.stop()


def _texts() -> list[str | None]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return [
        *seeds,
        None,
        "Kwaishou and Bitdance met Safra Katz. Ms. Katz said no.",
        "",
        "Tick Tock went the clock.",
        "a deal worth $ 20 billion , they said",
        "Tickcock’s users\r\nGOOGLE",
    ]


def test_clean_column_identical_to_clean(spark: Any, tmp_path: Path) -> None:
    from normalise.spark import clean_column

    table = tmp_path / "mine.toml"
    table.write_text(TABLE, encoding="utf-8")
    texts = _texts()
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "id long, text string")
    out = clean_column(df, "text", tables=[table], explain="changes")
    table.unlink()  # the table was loaded on the driver and shipped: the file is not needed
    rows = sorted(out.collect(), key=lambda r: r["id"])
    local = Normaliser([_table(TABLE)])
    assert [r["text"] for r in rows] == texts
    assert [r["text_clean"] for r in rows] == [None if t is None else local.clean(t) for t in texts]
    for row, text in zip(rows, texts, strict=True):
        if text is None:
            assert row["changes"] is None
            continue
        got = [c.asDict(recursive=True) for c in row["changes"]]
        # Spark's schema is fixed: every record has "support" ("" unless a context change).
        assert got == [{**c.to_dict(), "support": c.support} for c in local.explain(text)]
    assert out.columns == ["id", "text", "text_clean", "changes"]


def _table(text: str) -> Any:
    import tomllib

    from normalise import table_from_mapping

    return table_from_mapping(tomllib.loads(text))


def test_settings_builtin_and_output_name(spark: Any) -> None:
    from normalise.spark import clean_column

    texts = ["Bytdance paid $ 5 to Kwaishou.", "Wallmart"]
    df = spark.createDataFrame([(t,) for t in texts], "text string")
    settings = Settings(typography=False)
    out = clean_column(
        df, "text", tables=[_table(TABLE)], builtin=False, settings=settings, output="text"
    )
    local = Normaliser([_table(TABLE)], builtin=False, settings=settings)
    assert out.columns == ["text"]
    assert sorted(r["text"] for r in out.collect()) == sorted(local.clean(t) for t in texts)


def test_bad_columns_and_tables_fail_on_the_driver(spark: Any) -> None:
    from normalise.spark import clean_column

    df = spark.createDataFrame([(1, "x")], "n long, text string")
    with pytest.raises(NormaliseError, match="column 'n' holds bigint, not strings"):
        clean_column(df, "n")
    with pytest.raises(NormaliseError, match="no column 'body'"):
        clean_column(df, "body")
    with pytest.raises(NormaliseError, match="would overwrite"):
        clean_column(df, "text", explain="text")
    with pytest.raises(AliasTableError, match="entity 'X': aliases must be a list"):
        clean_column(df, "text", tables=[{"entity": [{"canonical": "X", "aliases": "Y"}]}])


def test_each_executor_process_builds_its_normaliser_once(spark: Any) -> None:
    """Every batch of a task, and every task of a reused Python worker, finds the
    normaliser already built: one build per process and payload."""
    import pickle
    import uuid

    import pyarrow as pa

    n = Normaliser([_table(TABLE)])
    payload = pickle.dumps((n.table, n.settings))
    key = f"test-{uuid.uuid4()}"

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from normalise import spark as ns

        for batch in batches:
            cleaned = ns.executor_normaliser(key, payload).clean("Kwaishou")
            rows = batch.num_rows
            yield pa.RecordBatch.from_pydict(
                {
                    "pid": [os.getpid()] * rows,
                    "builds": [ns._BUILDS[key]] * rows,
                    "cleaned": [cleaned] * rows,
                }
            )

    df = spark.createDataFrame([(f"row {i}",) for i in range(60)], "text string").repartition(6)
    rows = df.mapInArrow(run, "pid long, builds long, cleaned string").collect()
    assert len(rows) == 60
    assert {r["builds"] for r in rows} == {1}
    assert {r["cleaned"] for r in rows} == {"Kuaishou"}
    assert len({r["pid"] for r in rows}) <= 2  # local[2]: two reused Python workers


def test_readme_three_line_example(spark: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """The Spark example of docs/scaling.md, run as written, with a user table: the cleaned column
    and explanations equal the local result."""
    import regex

    from .conftest import ROOT

    readme = (ROOT / "docs" / "scaling.md").read_text(encoding="utf-8")
    block = regex.search(r"<!-- spark-example[^>]*-->\n```python\n(.*?)```", readme, regex.S)
    assert block is not None
    code = block.group(1)
    assert len(code.strip().splitlines()) == 3
    (tmp_path / "my_aliases.toml").write_text(TABLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    texts = ["Kwaishou and Bitdance met Safra Katz. Ms. Katz said no.", "Tik Tok $ 5"]
    articles = spark.createDataFrame([(t,) for t in texts], "text string")
    scope: dict[str, Any] = {"articles": articles}
    exec(code, scope)
    local = Normaliser(["my_aliases.toml"])
    rows = {r["text_clean"]: r["changes"] for r in scope["cleaned"].collect()}
    assert set(rows) == {local.clean(t) for t in texts}
    for text in texts:
        got = [c.asDict(recursive=True) for c in rows[local.clean(text)]]
        # Spark's schema is fixed: every record has "support" ("" unless a context change).
        assert got == [{**c.to_dict(), "support": c.support} for c in local.explain(text)]


def test_example_script_cleans_a_parquet_archive(spark: Any, tmp_path: Path) -> None:
    import runpy

    from .conftest import ROOT

    texts = ["Kwaishou and Bitdance.", None, "Tickcock’s users"]
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    spark.createDataFrame(
        [(i, t) for i, t in enumerate(texts)], "id long, body string"
    ).write.parquet(str(source))
    table = tmp_path / "t.toml"
    table.write_text(TABLE, encoding="utf-8")
    script = runpy.run_path(str(ROOT / "examples" / "spark_clean.py"))
    argv = [str(source), str(target), "--column", "body", "--aliases", str(table)]
    assert script["main"]([*argv, "--explain", "changes"]) == 0
    rows = sorted(spark.read.parquet(str(target)).collect(), key=lambda r: r["id"])
    local = Normaliser([str(table)])
    assert [r["body_clean"] for r in rows] == [None if t is None else local.clean(t) for t in texts]
