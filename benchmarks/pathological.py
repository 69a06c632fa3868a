"""Linear time on pathological input: the cost of 10 MB against 1 MB, per input shape.

    python benchmarks/pathological.py [--sizes 1,10]

Each shape is generated deterministically; the figure is the ratio of the 10 MB time to
the 1 MB time (linear is 10; the target is at most 12), with a fresh normaliser per
run so that no cache carries over. The regular expressions must not backtrack
catastrophically and no step may scan a long line once per change.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable

from normalise import Normaliser, keys

MB = 1_000_000


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _words(rng_seed: int, make: Callable[[random.Random], str], sep: str) -> Callable[[int], str]:
    def build(size: int) -> str:
        rng = random.Random(rng_seed)
        parts: list[str] = []
        total = 0
        while total < size:
            w = make(rng)
            parts.append(w)
            total += len(w) + len(sep)
        return sep.join(parts)[:size]

    return build


def _capitalised(rng: random.Random) -> str:
    return rng.choice("BCDFGKLMNPRSTVZ") + "".join(rng.choice("aeioutkrnsl") for _ in range(6))


def _near_names(rng: random.Random) -> str:
    """Fuzzy candidates of many names, each a little different: the decision model's
    document evidence is judged for every one of them in one document."""
    name = rng.choice(["Bytedanse", "Pytedance", "Kirgizstan", "Venezuella", "Azerbaidjan"])
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + rng.choice("aeiou") + name[i + 1 :] + rng.choice(["", " Minh", " said"])


def _random_token(size: int) -> str:
    """One capitalised token of random consonants: fuzzy matching must not cost
    quadratic time or memory in its length."""
    rng = random.Random(4)
    return "B" + "".join(rng.choice("bcdfgklmnprstvz") for _ in range(size - 1))


_SYLLABLES = ["ka", "ro", "mi", "ten", "bar", "lo", "vi", "sen", "dra", "gu", "mo", "li"]


def _person(rng: random.Random) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize() for _ in range(2)
    )


def _people_table() -> list[dict[str, object]]:
    """20,000 invented people: the honorifics pass against a large table."""
    rng = random.Random(5)
    names: set[str] = set()
    while len(names) < 20_000:
        names.add(_person(rng))
    return [{"entity": [{"canonical": n, "kind": "person"} for n in sorted(names)]}]


def _honorifics(size: int) -> str:
    rng = random.Random(6)
    surnames = [_person(rng).split()[1] for _ in range(5_000)]
    parts: list[str] = []
    total = 0
    while total < size:
        part = f"Min. {rng.choice(surnames)} said. "
        parts.append(part)
        total += len(part)
    return "".join(parts)[:size]


def _distinct_words(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(12)).title()


def _garbled(rng: random.Random) -> str:
    return rng.choice(["Bytdance", "Tickcock's", "GOOGLE", "Kovid-19", "Tik Tok", "and", "the"])


SHAPES: dict[str, Callable[[int], str]] = {
    "punctuation": _repeat(".,;:!?()[]{}\"'"),
    "hyphens": _repeat("-"),
    "apostrophes": _repeat("'’"),
    "hyphenated capitals": _repeat("A-B-C-D-"),
    "one token": _repeat("a"),
    "one capitalised token": lambda size: "B" + "y" * (size - 1),
    "capitalised words in a row": _words(1, _capitalised, " "),
    "garbles on one line": _words(2, _garbled, " "),
    "near names on one line": _words(3, _near_names, " "),
    "one letter runs": _repeat("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "),
    "alternating scripts": _repeat("Tik Ток 抖音 تيك Tok "),
    "connectors": _repeat("Bank of the of the of "),
    # the context layer
    "context repairs": _repeat(
        "Safra Katz said. Ms. Katz and Min. Ellison , a pitchbook , $ 5 and  the Tick Tock app. "
    ),
    "gated words in one sentence": _repeat("pitchbook Corona virus Tick Tock Min. Katz "),
    "spaces before marks": _repeat(" , ;  ! $ "),
    # the reliability issue: P1, P2 (with TABLES below), P3 (time; memory: --memory)
    "one random capitalised token": _random_token,
    "garbled honorifics, 20k people": _honorifics,
    "distinct long capitalised words": _words(7, _distinct_words, " said.\n"),
}
# Tables other than the built-in one, by shape.
TABLES: dict[str, Callable[[], list[dict[str, object]]]] = {
    "garbled honorifics, 20k people": _people_table,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10", help="sizes in MB, comma-separated")
    parser.add_argument(
        "--memory", action="store_true", help="also the peak memory of streaming (P3)"
    )
    parser.add_argument(
        "--reports",
        action="store_true",
        help="only the reports: --diff=word, explain (table, html) on long lines and many lines",
    )
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    if args.reports:
        return _reports(sizes)
    Normaliser().explain("warm the word list: Bytdance")
    print(f"{'shape':28} " + " ".join(f"{s:g} MB (s)".rjust(11) for s in sizes) + "  ratio")
    worst = 0.0
    for name, make in SHAPES.items():
        tables = TABLES[name]() if name in TABLES else []
        times = []
        for size in sizes:
            text = make(int(size * MB))
            runs: list[float] = []
            while len(runs) < 7 and sum(runs) < 5.0:  # a median of up to 7 for quick shapes
                n = Normaliser(tables)
                # Each run starts cold: the key functions' module-wide caches would
                # otherwise remember the words of the run before (same text), which made
                # the 1 MB median of distinct words look 1.7x cheaper than its first run.
                keys.phonetic.cache_clear()
                keys.sound_key.cache_clear()
                t = time.perf_counter()
                n.clean(text)
                runs.append(time.perf_counter() - t)
            times.append(statistics.median(runs))
        ratio = times[-1] / max(times[0], 1e-9)
        worst = max(worst, ratio)
        print(f"{name:28} " + " ".join(f"{t:11.3f}" for t in times) + f"  {ratio:5.1f}x")
    print(f"worst ratio {worst:.1f}x (size ratio {sizes[-1] / sizes[0]:g}x)")
    if args.memory:
        print("\npeak memory streaming many distinct long capitalised words (normalise clean):")
        for size in sizes:
            print(f"  {size:g} MB: {_stream_memory(int(size * MB)):.0f} MB")
    return 0


REPORT_SHAPES: dict[str, Callable[[int], str]] = {
    "garbles on one line": lambda size: (
        _repeat("Bytdance and Tickcock met Wallmart. ")(size) + "\n"
    ),
    "garbles on short lines": _repeat("Bytdance said so.\nThe Tickcock app.\n"),
}
REPORTS = {
    "clean": ["clean", "-q"],
    "clean --diff=word": ["clean", "-q", "--diff=word"],
    "explain (table)": ["explain"],
    "explain --format html": ["explain", "--format", "html"],
}


def _reports(sizes: list[float]) -> int:
    """The time and peak memory of each report of the command line, per shape and size,
    in a fresh process each (issue 25, P1-P3: linear time, bounded page memory)."""
    import subprocess
    import tempfile

    probe = (
        "import sys; from normalise.cli import main; main(sys.argv[1:]); "
        "print([l.split()[1] for l in open('/proc/self/status') "
        "if l.startswith('VmHWM')][0], file=sys.stderr)"
    )
    print(
        f"{'shape / report (seconds, peak MB)':52} "
        + " ".join(f"{s:g} MB".rjust(14) for s in sizes)
    )
    with tempfile.TemporaryDirectory() as tmp:
        for shape, make in REPORT_SHAPES.items():
            paths = []
            for size in sizes:
                path = f"{tmp}/{shape.replace(' ', '_')}_{size:g}.txt"
                with open(path, "w", encoding="utf-8") as f:
                    f.write(make(int(size * MB)))
                paths.append(path)
            for report, argv in REPORTS.items():
                cells = []
                for path in paths:
                    t = time.perf_counter()
                    with open(f"{tmp}/out", "wb") as out:
                        done = subprocess.run(
                            [sys.executable, "-c", probe, *argv, path],
                            stdout=out,
                            stderr=subprocess.PIPE,
                            check=True,
                        )
                    seconds = time.perf_counter() - t
                    peak = int(done.stderr.decode().split()[-1]) / 1024
                    cells.append(f"{seconds:6.2f} {peak:5.0f}")
                print(f"{shape + ' / ' + report:52} " + " ".join(c.rjust(14) for c in cells))
    return 0


def _stream_memory(size: int) -> float:
    """Peak resident memory of ``normalise clean`` streaming ``size`` bytes of distinct
    long capitalised words from standard input, in MB (P3: bounded by the caches).

    The child reports its own high-water mark from ``/proc/self/status`` (VmHWM), not
    ``getrusage``: ``ru_maxrss`` survives ``exec`` and so would count this process's
    copy of the input, which is how an earlier version of this probe measured 249 MB
    at 60 MB. The input goes through a file, so this process never holds it."""
    import subprocess
    import tempfile

    probe = (
        "import sys; from normalise.cli import main; main(['clean', '-q']); "
        "print([l.split()[1] for l in open('/proc/self/status') "
        "if l.startswith('VmHWM')][0], file=sys.stderr)"
    )
    with tempfile.TemporaryFile() as f:
        rng = random.Random(7)
        written = 0
        while written < size:  # distinct words all the way, written a line at a time
            written += f.write(f"{_distinct_words(rng)} said.\n".encode())
        f.seek(0)
        done = subprocess.run(
            [sys.executable, "-c", probe],
            stdin=f,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
        )
    return int(done.stderr.decode().split()[-1]) / 1024


if __name__ == "__main__":
    sys.exit(main())
