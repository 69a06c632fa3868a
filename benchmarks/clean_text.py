"""Wrong changes per 100,000 tokens on clean real text (GUM, wikigold, NTREX, BBC).

    python benchmarks/clean_text.py

Every change made is listed, so a reader can judge it. Needs ../shared/corpora.
"""

from __future__ import annotations

import collections
import sys

import regex

from normalise import Normaliser

try:
    from . import corpora
except ImportError:  # run as a script
    import corpora  # type: ignore[no-redef]

TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*")


def main() -> int:
    if not corpora.available():
        print(f"no corpora at {corpora.CORPORA}", file=sys.stderr)
        return 2
    n = Normaliser()
    total_tokens = total_changes = 0
    for name, reader in corpora.CLEAN_TEXTS.items():
        tokens = 0
        changes: collections.Counter[tuple[str, str, str, float]] = collections.Counter()
        for text in reader():
            tokens += len(TOKEN.findall(text))
            changes.update((c.original, c.replacement, c.method, c.score) for c in n.explain(text))
        count = sum(changes.values())
        total_tokens += tokens
        total_changes += count
        print(
            f"{name:10} {tokens:>8} tokens {count:>4} changes {count / tokens * 1e5:6.2f} per 100k"
        )
        for (original, replacement, method, score), k in changes.most_common():
            print(f"    {k:>3} x {original!r} -> {replacement!r} ({method}, {score})")
    rate = total_changes / total_tokens * 1e5
    print(f"{'all':10} {total_tokens:>8} tokens {total_changes:>4} changes {rate:6.2f} per 100k")
    return 0


if __name__ == "__main__":
    sys.exit(main())
