"""The batch core: many texts, optionally across a process pool, in input order."""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from .errors import NormaliseError, UsageError
from .models import Change


class Texts(Protocol):
    """What the batch core needs of a normaliser (``normalise.Normaliser`` has it)."""

    def clean(self, text: str) -> str: ...

    def explain(self, text: str) -> list[Change]: ...

    def warm(self) -> object: ...


def max_workers() -> int:
    """The most worker processes a run may start: 8 per CPU, at most 64 (more only
    share the same CPUs, and each holds a copy of the normaliser's caches)."""
    return min(64, 8 * (os.cpu_count() or 1))


def check_workers(workers: object) -> int:
    """``workers`` when it is a whole number from 1 to ``max_workers()``; else a
    ``UsageError`` (a ``ValueError``) that says the range."""
    limit = max_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= limit:
        raise UsageError(
            f"workers must be a whole number from 1 to {limit} (8 per CPU), not {workers!r}"
        )
    return workers


_worker: Texts | None = None


def _init(normaliser: Texts) -> None:
    global _worker
    _worker = normaliser


def _run(job: tuple[str, list[str]]) -> list[Any]:
    assert _worker is not None
    method, texts = job
    fn = getattr(_worker, method)
    return [fn(t) for t in texts]


# One pool, kept for the next call with the same normaliser and number of workers: a
# command-line run over a folder cleans it 64 files at a time, and a new pool per batch
# (each worker copying the normaliser and reading the word list again) made two workers
# several times slower than one. A call with another normaliser or number of workers
# shuts the kept pool down first, so at most one pool is ever alive.
_kept: tuple[tuple[int, int], ProcessPoolExecutor] | None = None


def _pool(normaliser: Texts, workers: int) -> ProcessPoolExecutor:
    global _kept
    key = (id(normaliser), workers)
    if _kept is not None and _kept[0] == key:
        return _kept[1]
    close_pool()
    normaliser.warm()  # the workers, forked from here, share what it loads
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(normaliser,))
    _kept = (key, pool)
    return pool


def close_pool() -> None:
    """Shut the kept worker pool down (it also ends with the process)."""
    global _kept
    if _kept is not None:
        _kept[1].shutdown(wait=True, cancel_futures=True)
        _kept = None


def _chunks(texts: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(texts), size):
        yield texts[i : i + size]


def map_texts(normaliser: Texts, method: str, texts: Iterable[str], *, workers: int) -> list[Any]:
    """Apply ``normaliser.<method>`` to every text; identical results for any ``workers``."""
    return submit_texts(normaliser, method, texts, workers=workers)()


def submit_texts(
    normaliser: Texts, method: str, texts: Iterable[str], *, workers: int
) -> Callable[[], list[Any]]:
    """``map_texts``, started: with several workers the texts are handed to the pool at
    once, and the function returned collects the results (in order), so that the caller
    can read the next inputs and write the last outputs meanwhile. With one worker the
    work is done when the results are collected."""
    if isinstance(texts, str | bytes):
        raise TypeError("texts must be an iterable of str, not a single string (use clean)")
    check_workers(workers)
    items = list(texts)
    for i, t in enumerate(items):
        if not isinstance(t, str):
            raise TypeError(f"text #{i} must be str, not {type(t).__name__}")
    fn = getattr(normaliser, method)
    if workers == 1 or len(items) < 2:
        return lambda: [fn(t) for t in items]
    # Chunks of roughly equal character counts keep both workers busy; the pool is fed
    # in order and map() returns in order, so the result does not depend on chunking.
    size = max(1, min(256, len(items) // (workers * 8) or 1))
    pool = _pool(normaliser, workers)
    try:
        parts = pool.map(_run, ((method, c) for c in _chunks(items, size)))
    except BrokenProcessPool as e:
        close_pool()
        raise NormaliseError(f"a worker process died; no results were returned ({e})") from None

    def collect() -> list[Any]:
        try:
            out: list[Any] = []
            for part in parts:
                out.extend(part)
            return out
        except BrokenProcessPool as e:
            close_pool()
            raise NormaliseError(f"a worker process died; no results were returned ({e})") from None

    return collect


def iter_texts(
    normaliser: Texts, method: str, texts: Iterable[str], *, workers: int = 1, chunk: int = 64
) -> Iterator[Any]:
    """``normaliser.<method>`` of each text, yielded in input order as they are done:
    for a progress bar (``tqdm(n.imap_clean(texts), total=len(texts))``) or input too big
    to hold. With several workers, ``chunk`` texts go to a worker at a time and at most
    two chunks per worker are in flight, so memory stays bounded."""
    if isinstance(texts, str | bytes):
        raise TypeError("texts must be an iterable of str, not a single string (use clean)")
    check_workers(workers)

    def checked() -> Iterator[str]:
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"text #{i} must be str, not {type(t).__name__}")
            yield t

    fn = getattr(normaliser, method)
    if workers == 1:
        for t in checked():
            yield fn(t)
        return
    pool = _pool(normaliser, workers)
    source = checked()
    window: deque[Future[list[Any]]] = deque()
    try:
        while True:
            part = list(itertools.islice(source, chunk))
            if part:
                window.append(pool.submit(_run, (method, part)))
            if window and (not part or len(window) >= 2 * workers):
                yield from window.popleft().result()
            if not part and not window:
                return
    except BrokenProcessPool as e:
        close_pool()
        raise NormaliseError(f"a worker process died; no results were returned ({e})") from None
