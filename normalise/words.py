"""English word frequencies from ``wordfreq``: the guards that keep ordinary words and
real names unchanged.

Importing wordfreq and reading its English list costs about 0.4 s, more than the whole
cold start of the command line should. The words at or above a Zipf floor are therefore
cached as a small text file (``word<TAB>zipf``; 174,000 words and 2.5 MB for Zipf 1.5,
read back in about 40 ms) in the user cache directory, keyed by wordfreq's version and
the floor. If the cache cannot be written, it is simply rebuilt next time.
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


def _build(floor: float) -> dict[str, float]:
    import wordfreq

    least = 10.0 ** (floor - 9.0)
    freqs = wordfreq.get_frequency_dict("en", wordlist="best")
    return {word: round(math.log10(freq) + 9.0, 2) for word, freq in freqs.items() if freq >= least}


@lru_cache(maxsize=4)
def word_zipfs(floor: float) -> dict[str, float]:
    """Lower-case English words whose Zipf frequency is at least ``floor``, with it."""
    if math.isinf(floor) and floor > 0:
        return {}
    try:
        version = metadata.version("wordfreq")
    except metadata.PackageNotFoundError:  # pragma: no cover - wordfreq is a dependency
        version = "unknown"
    path = cache_dir() / f"zipf-en-wordfreq{version}-floor{floor:g}.tsv"
    try:
        with open(path, encoding="utf-8") as f:
            return {word: float(z) for word, z in (line.split("\t") for line in f)}
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    zipfs = _build(floor)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".zipf-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.writelines(f"{word}\t{z}\n" for word, z in zipfs.items() if "\t" not in word)
        os.replace(tmp, path)
    except OSError:
        pass
    return zipfs
