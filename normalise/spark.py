"""Clean a text column of a Spark DataFrame (``pip install 'mt-normalise[spark]'``)::

    from normalise.spark import clean_column
    cleaned = clean_column(articles, "text", tables=["my.toml"], explain="changes")
    cleaned.select("text_clean", "changes").show()

The tables are loaded and validated once, on the driver (a malformed table fails there,
with the usual message naming the file, entity and value), merged with the built-in
table, and shipped to the executors as a broadcast variable together with the
settings. Each executor's Python worker builds its ``Normaliser`` once, on the first
batch it sees, and keeps it for every later batch and task (Spark reuses Python workers).
Batches go through Arrow (``DataFrame.mapInArrow``), never row by row.

Each row is one document for the passes (``normalise.passes``), exactly as for
``Normaliser.clean``: results are identical to ``Normaliser.clean`` on the same texts.
"""

from __future__ import annotations

import collections
import hashlib
import pickle
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .config import Settings
from .core import Normaliser, replay
from .errors import NormaliseError
from .evidence import Evidence
from .models import Change
from .table import AliasTable, TableSource

if TYPE_CHECKING:
    import pyarrow
    from pyspark.sql import DataFrame

__all__ = ["EXPLANATION_FIELDS", "clean_column"]

# The fields of one explanation record, as in ``normalise explain --format jsonl``: the
# fields of ``Change``, with Arrow types derived from its annotations (the Spark types
# follow from them, _SPARK_TYPES). ``evidence`` is a list of (comparison, level, weight).
_ARROW = {"int": "int64", "str": "string", "float": "float64", "Method": "string"}


def _arrow_type(cls: type, name: str) -> str:
    annotation = cls.__annotations__[name]
    written = str(getattr(annotation, "__forward_arg__", annotation))  # as in the source
    return "evidence" if written.startswith("tuple[Evidence") else _ARROW[written]


_FIELD_TYPES = tuple((name, _arrow_type(Change, name)) for name in Change._fields)
_EVIDENCE_TYPES = tuple((name, _arrow_type(Evidence, name)) for name in Evidence._fields)
EXPLANATION_FIELDS = Change._fields
_SPARK_TYPES = {"int64": "LongType", "string": "StringType", "float64": "DoubleType"}

# One normaliser per executor process and payload (tables and settings), built on first use.
_NORMALISERS: dict[str, Normaliser] = {}
_BUILDS: collections.Counter[str] = collections.Counter()  # how often each was built


def _need(module: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        raise NormaliseError(
            f"normalise.spark needs {module.split('.')[0]}: pip install 'mt-normalise[spark]'"
        ) from None


def clean_column(
    df: DataFrame,
    column: str,
    *,
    tables: Sequence[TableSource | AliasTable] = (),
    builtin: bool = True,
    settings: Settings | None = None,
    output: str | None = None,
    explain: str | None = None,
) -> DataFrame:
    """``df`` with a cleaned copy of the string column ``column``.

    Args:
        df: a Spark DataFrame.
        column: the name of a string column; null values stay null.
        tables: user alias tables (paths, parsed mappings or ``AliasTable``), as for
            ``Normaliser``.
        builtin: include the built-in table.
        settings: matching settings (``normalise.Settings``).
        output: the name of the cleaned column (default ``<column>_clean``; give
            ``column`` itself to replace it).
        explain: when given, the name of an explanation column: an array of structs
            (start, end, original, replacement, canonical, method, score, evidence:
            an array of (comparison, level, weight)), null for a null text.

    Raises ``NormaliseError`` when the column is missing or is not a
    string column, and ``AliasTableError`` for a malformed table.
    """
    types = _need("pyspark.sql.types")
    if column not in df.columns:
        raise NormaliseError(f"no column {column!r} (columns: {', '.join(df.columns)})")
    kind = df.schema[column].dataType
    if not isinstance(kind, types.StringType):
        raise NormaliseError(
            f"column {column!r} holds {kind.simpleString()}, not strings: cast it first"
        )
    output = output or f"{column}_clean"
    if explain is not None and explain in (output, column):
        raise NormaliseError(f"the explanation column {explain!r} would overwrite a text column")
    # Load and validate on the driver; the executors get the merged table and settings.
    normaliser = Normaliser(tables, builtin=builtin, settings=settings)
    payload = pickle.dumps((normaliser.table, normaliser.settings), protocol=5)
    key = hashlib.sha256(payload).hexdigest()
    shipped = _broadcast(df, payload)

    fields = [f for f in df.schema.fields if f.name not in (output, explain)]
    fields.append(types.StructField(output, types.StringType(), True))
    if explain is not None:
        fields.append(types.StructField(explain, _explanation_type(types), True))
    schema = types.StructType(fields)
    names = [f.name for f in schema.fields]

    def run(batches: Iterable[pyarrow.RecordBatch]) -> Iterator[pyarrow.RecordBatch]:
        data = shipped.value if hasattr(shipped, "value") else shipped
        yield from _clean_batches(batches, key, data, column, output, explain, names)

    return df.mapInArrow(run, schema)


def _broadcast(df: DataFrame, payload: bytes) -> Any:
    """A broadcast variable on classic Spark; the bytes themselves (shipped with the
    function) where there is no SparkContext, as on Spark Connect."""
    try:
        return df.sparkSession.sparkContext.broadcast(payload)
    except Exception:
        return payload


def _explanation_type(types: Any) -> Any:
    def spark(fields: tuple[tuple[str, str], ...]) -> Any:
        out = []
        for name, kind in fields:
            if kind == "evidence":
                kind_type = types.ArrayType(spark(_EVIDENCE_TYPES), False)
            else:
                kind_type = getattr(types, _SPARK_TYPES[kind])()
            out.append(types.StructField(name, kind_type, False))
        return types.StructType(out)

    return types.ArrayType(spark(_FIELD_TYPES), True)


def executor_normaliser(key: str, payload: bytes) -> Normaliser:
    """The normaliser of this process for one payload, built on first use."""
    n = _NORMALISERS.get(key)
    if n is None:
        table, settings = pickle.loads(payload)
        n = _NORMALISERS[key] = Normaliser([table], builtin=False, settings=settings)
        _BUILDS[key] += 1
    return n


def _clean_batches(
    batches: Iterable[pyarrow.RecordBatch],
    key: str,
    payload: bytes,
    column: str,
    output: str,
    explain: str | None,
    names: list[str],
) -> Iterator[pyarrow.RecordBatch]:
    import pyarrow as pa

    n = executor_normaliser(key, payload)
    for batch in batches:
        texts = batch.column(column).to_pylist()
        cleaned: list[str | None] = []
        records: list[list[dict[str, object]] | None] = []
        for text in texts:
            if text is None:
                cleaned.append(None)
                records.append(None)
                continue
            changes = n.explain(text)
            cleaned.append(replay(text, changes))
            if explain is not None:
                records.append([{**c.to_dict(), "support": c.support} for c in changes])
        columns = {name: batch.column(name) for name in batch.schema.names if name in names}
        columns[output] = pa.array(cleaned, type=pa.string())
        if explain is not None:
            columns[explain] = pa.array(records, type=_arrow_explanation(pa))
        yield pa.RecordBatch.from_arrays([columns[name] for name in names], names=names)


def _arrow_explanation(pa: Any) -> Any:
    def arrow(fields: tuple[tuple[str, str], ...]) -> Any:
        return pa.struct(
            [
                pa.field(
                    name,
                    pa.list_(arrow(_EVIDENCE_TYPES)) if kind == "evidence" else getattr(pa, kind)(),
                    nullable=False,
                )
                for name, kind in fields
            ]
        )

    return pa.list_(arrow(_FIELD_TYPES))
