"""The known-name lexicon's cost: opening it, looking names up, memory, start-up.

    python benchmarks/lexicon.py [--record]  # benchmarks/out/ or (--record) results/

Targets (issue 20): opened in under 50 ms, under 50 MB resident, and `normalise clean`
of one line no slower than without the lexicon plus 0.1 s. Each figure is the median
of several runs in fresh processes (the lexicon is opened once per process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

RUNS = 9
PROBE = """
import resource, time
import normalise.lexicon as lexicon
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
lexicon._trie()
t1 = time.perf_counter()
keys = [f"{a}{b}ova" for a in "bcdfghjklmnprstvz" for b in "aeiou"] * 40
for k in keys:
    lexicon._entry.__wrapped__(k)  # past the cache: the trie itself
t2 = time.perf_counter()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(t1 - t0, (t2 - t1) / len(keys), (after - before) / 1024)
"""
LINE = b"Bytedanse met Slovacek in Berun.\n"


def probe() -> tuple[float, float, float]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    open_s, lookup_s, rss_mb = (float(x) for x in done.stdout.split())
    return open_s, lookup_s, rss_mb


def one_line(*options: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "normalise", "clean", "-q", *options],
        input=LINE,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help=corpora.RECORD_HELP)
    args = parser.parse_args(argv)
    probes = [probe() for _ in range(RUNS)]
    with_lexicon = [one_line() for _ in range(RUNS)]
    without = [one_line("--no-known-names") for _ in range(RUNS)]
    results = {
        "open_ms": round(statistics.median(p[0] for p in probes) * 1000, 2),
        "lookup_us": round(statistics.median(p[1] for p in probes) * 1e6, 2),
        "resident_mb": round(statistics.median(p[2] for p in probes), 1),
        "one_line_s": round(statistics.median(with_lexicon), 3),
        "one_line_without_s": round(statistics.median(without), 3),
        "runs": RUNS,
    }
    out = corpora.results_dir(args.record)
    (out / "lexicon.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / "lexicon.md").write_text(
        "# The known-name lexicon's cost\n\n"
        f"Medians of {RUNS} fresh processes.\n\n"
        "| measure | result | target |\n| --- | --- | --- |\n"
        f"| open (memory-map) | {results['open_ms']} ms | < 50 ms |\n"
        f"| one lookup (uncached) | {results['lookup_us']} µs | |\n"
        f"| resident memory it adds (with marisa-trie's import) | {results['resident_mb']} MB "
        "| < 50 MB |\n"
        f"| `normalise clean` of one line | {results['one_line_s']} s | "
        f"≤ {results['one_line_without_s']} + 0.1 s |\n"
        f"| the same with `--no-known-names` | {results['one_line_without_s']} s | |\n"
    )
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
