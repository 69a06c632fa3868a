"""Rewrite the output of every console example in README.md and docs/*.md.

    .venv/bin/python tools/refresh_examples.py        # after a refit or a change of output

Each ```console block is a list of ``$ command`` lines, each followed by what it prints;
tests/test_readme.py runs them and compares. After a change that moves scores or
evidence (a refit of the weights), this runs every command as the test does and writes
what it printed back, so that the examples stay true; review the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CONSOLE = regex.compile(r"(```console\n)(.*?)(```)", regex.DOTALL)


def run(command: str) -> str:
    """What the test compares: standard output, or standard error for a failure."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "100"
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    shown = proc.stdout if proc.returncode == 0 else proc.stderr
    return shown.decode().rstrip("\n")


def refresh(block: str) -> str:
    out: list[str] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(line)
            printed = run(line[2:])
            if printed:
                out.extend(printed.split("\n"))
    return "\n".join(out) + "\n"


def main() -> int:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        new = CONSOLE.sub(lambda m: m.group(1) + refresh(m.group(2)) + m.group(3), text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"rewrote {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
