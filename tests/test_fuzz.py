"""A seeded sample of the fuzzing benchmark (``benchmarks/fuzz.py``): generated text
over random tables keeps every guarantee (spans, replay, idempotence, the same changes
for a text read again in pieces as for the whole text, any number of workers). The
full run, 100,000 texts, is a benchmark; its counts are in benchmarks/results/fuzz.md."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fuzz():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import fuzz as module
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_text_over_random_tables_keeps_the_guarantees(fuzz, seed: int) -> None:  # type: ignore[no-untyped-def]
    found = fuzz.run(texts=1_500, tables=15, seed=seed)
    assert found.texts == 1_500
    failed = {p: found.failures[p] for p in fuzz.PROPERTIES if found.failures[p]}
    assert not failed, (failed, found.examples)
