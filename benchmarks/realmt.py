"""Real machine-translation output: the figures of ../shared/eval/realmt, beside the peers.

    python benchmarks/realmt.py          # writes benchmarks/results/realmt.{json,md}

Runs the evaluation's own scorer (``../shared/eval/realmt/score.py``) on this
environment's command line, for both scenarios (the built-in table alone, and with the
newsroom gazetteer), and on its two peers (exact replacement and ``extractOne`` at 85).
Only the scorer's summary figures are kept: its detail files quote the WMT text and go
to a temporary folder, never into the repository. The evaluation data is for measuring
only: nothing here feeds the tables, the weights or the tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

REALMT = corpora.SHARED / "eval" / "realmt"
SUMMARY = re.compile(
    r"recall (?P<found>\d+)/(?P<cases>\d+) = [\d.]+%, precision (?P<precision>[\d.]+)% "
    r"\((?P<right>\d+) right, (?P<wrong>\d+) wrong\), wrong per 100k tokens (?P<rate>[\d.]+)"
)
STRICT = re.compile(r"strict precision .*?: (?:(?P<strict>[\d.]+)%|n/a)")
SYSTEMS = {
    "normalise": [sys.executable, "-m", "normalise"],
    "exact": [
        sys.executable,
        str(REALMT / "peers.py"),
        "--peer",
        "exact",
        "--normalise",
        f"{sys.executable} -m normalise",
    ],
    "extractOne@85": [
        sys.executable,
        str(REALMT / "peers.py"),
        "--peer",
        "extractone",
        "--normalise",
        f"{sys.executable} -m normalise",
    ],
}


def score(scenario: str, label: str, command: list[str], out: Path) -> dict[str, object]:
    args = [sys.executable, str(REALMT / "score.py"), scenario, "--out", str(out)]
    if label != "normalise":
        args += ["--label", re.sub(r"\W", "", label)]
    started = time.perf_counter()
    done = subprocess.run(
        [*args, "--", *command], capture_output=True, text=True, check=True, timeout=1800
    )
    lines = done.stdout.strip().splitlines()
    m = SUMMARY.search(lines[-1])
    strict = STRICT.search(lines[-2])
    if m is None or strict is None:
        raise RuntimeError(f"unexpected scorer output: {lines[-2:]}")
    found, cases = int(m["found"]), int(m["cases"])
    return {
        "recall": round(found / cases, 4) if cases else None,
        "found": found,
        "cases": cases,
        "precision": float(m["precision"]) / 100,
        "strict_precision": float(strict["strict"]) / 100 if strict["strict"] else None,
        "right": int(m["right"]),
        "wrong": int(m["wrong"]),
        "wrong_per_100k_tokens": float(m["rate"]),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    if not (REALMT / "score.py").is_file():
        print(f"skipped: {REALMT} is not there", file=sys.stderr)
        return 0
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in ("builtin", "gazetteer"):
            results[scenario] = {}
            for label, command in SYSTEMS.items():
                results[scenario][label] = score(scenario, label, command, Path(tmp))
                print(scenario, label, results[scenario][label], flush=True)
    corpora.RESULTS.mkdir(parents=True, exist_ok=True)
    (corpora.RESULTS / "realmt.json").write_text(json.dumps(results, indent=1) + "\n")
    (corpora.RESULTS / "realmt.md").write_text(to_markdown(results))
    return 0


def to_markdown(results: dict[str, dict[str, object]]) -> str:
    lines = [
        "# Real machine-translated news (../shared/eval/realmt, dev)",
        "",
        "| scenario | system | recall | precision (right / wrong) | strict precision "
        "| wrong per 100k MT tokens |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for scenario, systems in results.items():
        for label, r in systems.items():
            assert isinstance(r, dict)
            lines.append(
                f"| {scenario} | {label} | {r['found']}/{r['cases']} = {r['recall']:.1%} "
                f"| {r['precision']:.1%} ({r['right']} / {r['wrong']}) "
                f"| {_pct(r['strict_precision'])} | {r['wrong_per_100k_tokens']} |"
            )
    return "\n".join(lines) + "\n"


def _pct(x: object) -> str:
    return f"{x:.1%}" if isinstance(x, float) else "n/a"


if __name__ == "__main__":
    raise SystemExit(main())
