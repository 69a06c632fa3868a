"""Rewrite the output of every console example in README.md and docs/*.md, and the
table of comparisons in docs/decision-model.md (from normalise/comparisons.py).

    .venv/bin/python tools/refresh_examples.py        # after a refit or a change of output

Each ```console block is a list of ``$ command`` lines, each followed by what it prints;
tests/test_readme.py runs them and compares. After a change that moves scores or
evidence (a refit of the weights), this runs every command as the test does and writes
what it printed back, so that the examples stay true; review the diff before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The pages and the runner the test compares with.
from normalise.comparisons import table  # noqa: E402
from tests.test_readme import PAGES, printed  # noqa: E402

CONSOLE = regex.compile(r"(```console\n)(.*?)(```)", regex.DOTALL)
COMPARISONS = regex.compile(
    r"(<!-- comparisons-table -->\n)(.*?)(<!-- /comparisons-table -->)", regex.DOTALL
)


def refresh(block: str) -> str:
    out: list[str] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(line)
            shown = printed(line[2:])
            if shown:
                out.extend(shown.split("\n"))
    return "\n".join(out) + "\n"


def main() -> int:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        new = CONSOLE.sub(lambda m: m.group(1) + refresh(m.group(2)) + m.group(3), text)
        new = COMPARISONS.sub(lambda m: m.group(1) + table() + m.group(3), new)
        if new != text:
            page.write_text(new, encoding="utf-8")
            print(f"rewrote {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
