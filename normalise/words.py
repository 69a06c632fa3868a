"""English word frequencies from ``wordfreq``: the guards that keep ordinary words and
real names unchanged.

Importing wordfreq and reading its English list costs about 0.4 s, more than the whole
cold start of the command line should. The words at or above a Zipf floor are therefore
cached as a small text file (``word<TAB>zipf``; 174,000 words and 2.5 MB for Zipf 1.5,
read back in about 40 ms) in the user cache directory, keyed by wordfreq's version and
the floor. The file starts with a version and a SHA-256 of its words, and is read only
when it is a regular file of this user, not too big, in a folder of this user that
others cannot write, and matches its checksum; otherwise the words are rebuilt from
wordfreq. If the cache cannot be written, it is simply rebuilt next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import stat
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


_MAGIC = "# normalise word cache 2"
_MAX_CACHE_BYTES = 32 * 1024 * 1024  # the real file is about 2.5 MB


@lru_cache(maxsize=4)
def word_zipfs(floor: float) -> dict[str, float]:
    """Lower-case English words whose Zipf frequency is at least ``floor``, with it."""
    if math.isinf(floor) and floor > 0:
        return {}
    try:
        version = metadata.version("wordfreq")
    except metadata.PackageNotFoundError:  # pragma: no cover - wordfreq is a dependency
        version = "unknown"
    folder = cache_dir()
    path = folder / f"zipf-en-wordfreq{version}-floor{floor:g}.tsv"
    cached = _read_cache(path)
    if cached is not None:
        return cached
    zipfs = _build(floor)
    _write_cache(folder, path, zipfs)
    return zipfs


def _trusted_folder(folder: Path) -> bool:
    """A cache folder is used only when it is a real folder of this user (or root's),
    not writable by others: a file planted in a shared folder must not change results."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid not in (os.getuid(), 0):
        return False
    return not st.st_mode & stat.S_IWOTH


def _read_cache(path: Path) -> dict[str, float] | None:
    """The cached words, or None when the cache is missing or cannot be trusted: not a
    regular file of this user (a FIFO, a link to /dev/zero), too big, of another
    version, or not matching its checksum (empty, truncated, planted)."""
    if not _trusted_folder(path.parent):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if (
            not stat.S_ISREG(st.st_mode)
            or st.st_uid != os.getuid()
            or st.st_size > _MAX_CACHE_BYTES
        ):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(_MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    header, _, body = data.partition(b"\n")
    expected = f"{_MAGIC} sha256={hashlib.sha256(body).hexdigest()}".encode()
    if header != expected:
        return None
    try:
        return {
            word: float(z) for word, z in (line.split("\t") for line in body.decode().splitlines())
        }
    except (UnicodeDecodeError, ValueError):
        return None


def _write_cache(folder: Path, path: Path, zipfs: dict[str, float]) -> None:
    """Write the cache atomically, in a folder private to this user; nothing is left
    behind when it cannot be written (it is simply rebuilt next time)."""
    body = "".join(f"{word}\t{z}\n" for word, z in zipfs.items() if "\t" not in word)
    data = body.encode()
    header = f"{_MAGIC} sha256={hashlib.sha256(data).hexdigest()}\n".encode()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    if not _trusted_folder(folder):
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".zipf-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(header + data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
