"""What the pass tests share."""

from __future__ import annotations

from normalise import Normaliser

N = Normaliser()
OFF = {"document": False, "context": False, "honorifics": False, "words": False}


def methods(n: Normaliser, text: str) -> list[tuple[str, str, str]]:
    return [(c.original, c.replacement, c.method) for c in n.explain(text)]
