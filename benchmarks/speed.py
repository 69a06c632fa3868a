"""Throughput as a ratio to a bare ``regex`` tokenising pass over the same text.

    python benchmarks/speed.py

Texts: the seed corpus, and (when ../shared/corpora is present) the BBC subset. Each
figure is the median of 5 runs, all measured in this one run; "first pass" uses a fresh
normaliser (empty caches, word list not yet loaded), "warm" the same normaliser again.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import regex

from normalise import Normaliser

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def median_time(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(name: str, text: str) -> None:
    mb = len(text.encode("utf-8")) / 1e6
    bare = median_time(lambda: sum(1 for _ in TOKEN.finditer(text)))
    firsts = []
    for _ in range(3):
        fresh = Normaliser()
        firsts.append(median_time(lambda fresh=fresh: fresh.explain(text), runs=1))
    first = statistics.median(firsts)
    warm_n = Normaliser()
    warm_n.explain(text)
    warm = median_time(lambda: warm_n.explain(text))
    print(
        f"{name:8} {mb:6.2f} MB  bare regex {mb / bare:6.1f} MB/s  "
        f"normalise first pass {mb / first:5.1f} MB/s ({bare / first:.2f}x)  "
        f"warm {mb / warm:5.1f} MB/s ({bare / warm:.2f}x)"
    )


def main() -> int:
    Normaliser().explain("Warm the word list cache: Bytdance")
    measure(
        "seeds", "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    )
    if corpora.available():
        measure("bbc", "\n\n".join(corpora.bbc()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
