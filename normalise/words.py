"""Common English words, from ``wordfreq``: the guard that keeps ordinary words unchanged.

Importing wordfreq and reading its English list costs about 0.4 s, more than the whole
cold start of the command line should. The set of words at or above a Zipf threshold is
therefore cached as a text file (about 40,000 words for Zipf 3) in the user cache
directory, keyed by wordfreq's version and the threshold. If the cache cannot be
written, the set is simply rebuilt next time.
"""

from __future__ import annotations

import math
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path


def cache_dir() -> Path:
    """Where derived data is cached: ``$NORMALISE_CACHE_DIR`` or the XDG cache directory."""
    explicit = os.environ.get("NORMALISE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "normalise"


def _build(threshold: float) -> frozenset[str]:
    import wordfreq

    least = 10.0 ** (threshold - 9.0)
    freqs = wordfreq.get_frequency_dict("en", wordlist="best")
    return frozenset(word for word, freq in freqs.items() if freq >= least)


@lru_cache(maxsize=4)
def common_words(threshold: float) -> frozenset[str]:
    """Lower-case English words whose Zipf frequency is at least ``threshold``."""
    if math.isinf(threshold) and threshold > 0:
        return frozenset()
    try:
        version = metadata.version("wordfreq")
    except metadata.PackageNotFoundError:  # pragma: no cover - wordfreq is a dependency
        version = "unknown"
    path = cache_dir() / f"common-en-wordfreq{version}-zipf{threshold:g}.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        pass
    words = _build(threshold)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".common-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(sorted(words)))
        os.replace(tmp, path)
    except OSError:
        pass
    return words
