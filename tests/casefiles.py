"""Read the case files in tests/cases (see tests/cases/README.md)."""

from __future__ import annotations

from pathlib import Path

import regex

CASES = Path(__file__).resolve().parent / "cases"
_ESCAPE = regex.compile(r"\\(?:u([0-9a-fA-F]{4})|([rnt\\]))")
_SIMPLE = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}


def unescape(field: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else _SIMPLE[m[2]], field)


def read(name: str) -> list[tuple[str, ...]]:
    rows = []
    for line in (CASES / name).read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#"):
            continue
        rows.append(tuple(unescape(f) for f in line.split("\t")))
    return rows
