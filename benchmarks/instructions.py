"""Instruction counts (callgrind): the library against the bare pass, per backend.

    python benchmarks/instructions.py          # 1 MB of real news, the built-in table
    python benchmarks/instructions.py --mb 2

Wall time on a shared 2-core machine moves with the load; instruction counts do not
(the same binary, input and environment give the same count). Each case runs in a
child process under ``valgrind --tool=callgrind`` twice: once with only the set-up (the
imports, the corpus, the Normaliser built and warmed up on one line), once with the set-up
and the work; the difference is the work's count. Cases: the bare ``regex`` tokenising
pass of benchmarks/throughput.py, and ``Normaliser().clean`` of every document with the
native core and with the pure-Python reference (``NORMALISE_BACKEND``).
Writes instructions.{json,md} to benchmarks/out/ (--record: benchmarks/results/).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

CHILD = """
import sys
sys.path.insert(0, {bench!r})
import corpus, corpora
from normalise import Normaliser
docs = corpus.build({mb}).docs
n = Normaliser()
n.clean("Bytdance said so.")
if {work!r} == "bare":
    sum(1 for d in docs for _ in corpora.TOKEN.finditer(d))
elif {work!r} == "clean":
    for d in docs:
        n.clean(d)
"""
TOTAL = re.compile(r"Collected : (\d+)")


def count(mb: float, work: str, backend: str) -> int:
    """Instructions of one child process (``work`` "none" is the set-up alone)."""
    code = CHILD.format(bench=str(Path(__file__).resolve().parent), mb=mb, work=work)
    env = {**os.environ, "NORMALISE_BACKEND": backend, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={tmp}/out",
                sys.executable,
                "-c",
                code,
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    found = TOTAL.search(proc.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no total:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--record", action="store_true", help=corpora.RECORD_HELP)
    args = parser.parse_args(argv)
    rows: dict[str, int] = {}
    for backend in ("native", "python"):
        setup = count(args.mb, "none", backend)
        rows[f"set-up ({backend})"] = setup
        if backend == "native":
            rows["bare regex pass"] = count(args.mb, "bare", backend) - setup
        rows[f"normalise clean, {backend} backend"] = count(args.mb, "clean", backend) - setup
        print(backend, rows, flush=True)
    bare = rows["bare regex pass"]
    result = {"mb": args.mb, "instructions": rows}
    out = corpora.results_dir(args.record)
    (out / "instructions.json").write_text(json.dumps(result, indent=1) + "\n")
    lines = [
        "# Instruction counts (callgrind)",
        "",
        f"{args.mb} MB of real news (benchmarks/corpus.py), the built-in table; the work's",
        "count is the child process's total less its set-up (imports, corpus, Normaliser).",
        "",
        "| what | instructions | ratio to the bare pass |",
        "| --- | --- | --- |",
    ]
    for what, n in rows.items():
        if what.startswith("set-up"):
            continue
        lines.append(f"| {what} | {n / 1e9:.2f} G | {bare / n:.3f}× |")
    (out / "instructions.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
