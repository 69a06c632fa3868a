"""Real machine-translation output: the figures of ../shared/eval/realmt and
../shared/eval/realmt22, beside the peers.

    python benchmarks/realmt.py [--record]  # benchmarks/out/ or (--record) results/
    python benchmarks/realmt.py --peers  # the realmt22 peers too (slower)

Runs the evaluations' own scorers (``../shared/eval/realmt/score.py``, hand-checked gold
of 16 systems; ``../shared/eval/realmt22/score.py``, every WMT22 into-English system,
each change checked against the human reference) on this environment's command line,
for both scenarios (the built-in table alone, and with the newsroom gazetteer), and on
the two peers (exact replacement and ``extractOne`` at 85).
Only the scorer's summary figures are kept: its detail files quote the WMT text and go
to a temporary folder, never into the repository. The evaluation data is for measuring
only: nothing here feeds the tables, the weights or the tests.
"""

from __future__ import annotations

import argparse
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
REALMT22 = corpora.SHARED / "eval" / "realmt22"
SUMMARY22 = re.compile(
    r"reference-checked precision (?P<precision>[\d.]+)% \((?P<s>\d+) supported, "
    r"(?P<c>\d+) contradicted, (?P<u>\d+) unsupported\), lenient (?P<lenient>[\d.n/a]+)%?, "
    r"contradicted per 100k tokens (?P<cr>[\d.]+), unsupported per 100k (?P<ur>[\d.]+), "
    r"silver recall (?P<found>\d+)/(?P<cases>\d+) = [\d.]+% \(in scope (?P<sf>\d+)/(?P<sc>\d+)\)"
)
SUMMARY = re.compile(
    r"recall (?P<found>\d+)/(?P<cases>\d+) = [\d.]+%, precision (?P<precision>[\d.]+)% "
    r"\((?P<right>\d+) right, (?P<wrong>\d+) wrong\), wrong per 100k tokens (?P<rate>[\d.]+)"
)
STRICT = re.compile(r"strict precision .*?: (?:(?P<strict>[\d.]+)%|n/a)")


def systems(folder: Path) -> dict[str, list[str]]:
    """normalise and the two peers, as commands for the scorer of ``folder``."""

    def peer(name: str) -> list[str]:
        return [
            sys.executable,
            str(folder / "peers.py"),
            "--peer",
            name,
            "--normalise",
            f"{sys.executable} -m normalise",
        ]

    return {
        "normalise": [sys.executable, "-m", "normalise"],
        "exact": peer("exact"),
        "extractOne@85": peer("extractone"),
    }


SYSTEMS = systems(REALMT)


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


def score22(scenario: str, label: str) -> dict[str, object]:
    """One realmt22 scenario for normalise or a peer."""
    args = [sys.executable, str(REALMT22 / "score.py"), scenario]
    if label != "normalise":
        args += ["--label", re.sub(r"\W", "", label)]
    command = systems(REALMT22)[label]
    started = time.perf_counter()
    done = subprocess.run(
        [*args, "--", *command], capture_output=True, text=True, check=True, timeout=3600
    )
    m = SUMMARY22.search(done.stdout.strip().splitlines()[-1])
    if m is None:
        raise RuntimeError(f"unexpected scorer output: {done.stdout[-300:]}")
    return {
        "supported": int(m["s"]),
        "contradicted": int(m["c"]),
        "unsupported": int(m["u"]),
        "precision": float(m["precision"]) / 100,
        "contradicted_per_100k": float(m["cr"]),
        "unsupported_per_100k": float(m["ur"]),
        "silver_found": int(m["found"]),
        "silver_cases": int(m["cases"]),
        "silver_in_scope": f"{m['sf']}/{m['sc']}",
        "seconds": round(time.perf_counter() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", action="store_true", help="also score the peers on realmt22")
    parser.add_argument("--record", action="store_true", help=corpora.RECORD_HELP)
    args = parser.parse_args(argv)
    peers = args.peers
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
    results22: dict[str, dict[str, object]] = {}
    if (REALMT22 / "score.py").is_file():
        for scenario in ("builtin", "gazetteer"):
            results22[scenario] = {}
            for label in ("normalise", *(("exact", "extractOne@85") if peers else ())):
                results22[scenario][label] = score22(scenario, label)
                print("realmt22", scenario, label, results22[scenario][label], flush=True)
    out = corpora.results_dir(args.record)
    data = {"realmt": results, "realmt22": results22}
    (out / "realmt.json").write_text(json.dumps(data, indent=1) + "\n")
    (out / "realmt.md").write_text(to_markdown(results) + to_markdown22(results22))
    return 0


def to_markdown22(results: dict[str, dict[str, object]]) -> str:
    if not results:
        return ""
    lines = [
        "",
        "# Every WMT22 into-English system (../shared/eval/realmt22, dev)",
        "",
        "Each change is checked against the human reference: supported (S), contradicted",
        "(C: the reference keeps the original), unsupported (U: neither).",
        "",
        "| scenario | system | S / C / U | reference-checked precision | C per 100k "
        "| U per 100k | silver recall (in scope) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for scenario, systems in results.items():
        for label, r in systems.items():
            assert isinstance(r, dict)
            found, cases = r["silver_found"], r["silver_cases"]
            assert isinstance(found, int) and isinstance(cases, int)
            lines.append(
                f"| {scenario} | {label} | {r['supported']} / {r['contradicted']} / "
                f"{r['unsupported']} | {r['precision']:.1%} | {r['contradicted_per_100k']} "
                f"| {r['unsupported_per_100k']} | {found}/{cases} = {found / cases:.1%} "
                f"({r['silver_in_scope']}) |"
            )
    return "\n".join(lines) + "\n"


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
