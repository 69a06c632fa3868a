"""``Normaliser``: clean, explain and match; module-level convenience functions."""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from .config import Settings
from .errors import InputError, UsageError
from .index import Index
from .models import Change, Match
from .models import replay as replay  # where it always was: normalise.core.replay
from .passes import DocState, Pipeline, cut, whole
from .passes.names import Why
from .table import (
    AliasTable,
    TableSource,
    builtin_table,
    load_table,
    merge_tables,
    table_from_mapping,
)

__all__ = ["Normaliser", "Why", "clean", "default_normaliser", "explain", "match", "replay"]


def _as_table(source: TableSource | AliasTable) -> AliasTable:
    if isinstance(source, AliasTable):
        return source
    if isinstance(source, str | os.PathLike):
        return load_table(source)
    return table_from_mapping(source)


class Normaliser:
    """Repairs garbled names in text using an alias table and fuzzy evidence.

    >>> from normalise import Normaliser
    >>> n = Normaliser()
    >>> n.clean("Bytdance said Tickcock's users are safe.")
    "ByteDance said TikTok's users are safe."
    >>> n.match("Wallmart")
    Match(name='Wallmart', canonical='Walmart', method='alias', score=1.0)
    """

    def __init__(
        self,
        tables: Iterable[TableSource | AliasTable] = (),
        *,
        builtin: bool = True,
        settings: Settings | None = None,
    ) -> None:
        if isinstance(tables, str | os.PathLike) or hasattr(tables, "keys"):
            raise TypeError("tables must be a list of paths, mappings or AliasTables")
        loaded = [_as_table(t) for t in tables]
        if builtin:
            loaded.insert(0, builtin_table())
        self.table: AliasTable = merge_tables(loaded)
        self.settings: Settings = settings if settings is not None else Settings()
        if not isinstance(self.settings, Settings):
            raise TypeError(f"settings must be a Settings, not {type(self.settings).__name__}")
        self.index = Index(self.table, self.settings)
        self.pipeline = Pipeline(self.table, self.settings, self.index)
        self.names = self.pipeline.names  # the name pass, with its caches

    def __repr__(self) -> str:
        return f"<Normaliser entities={len(self.table)} settings={self.settings!r}>"

    def __getstate__(self) -> dict[str, Any]:
        return {"table": self.table, "settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__([state["table"]], builtin=False, settings=state["settings"])  # type: ignore[misc]

    def warm(self) -> Normaliser:
        """Load now what the first fuzzy decision would load (the English word list,
        about 40 ms from its cache, a few seconds the first time), so that the first
        call is as fast as the rest: for hypothesis's deadlines, or a service's first
        request; and the native core's run screen, so that worker processes forked
        afterwards share both. Returns the normaliser."""
        self.names.warm()
        return self

    # -- matching -----------------------------------------------------------------

    def match(self, name: str) -> Match | None:
        """The best canonical match for one name, or ``None``.

        A name that is already canonical matches itself with method ``exact``.
        """
        found = self.why(name)
        if found is None or not found.accepted:
            return None
        return found.verdict.to_match()

    def why(self, name: str) -> Why | None:
        """What ``match`` decides for one name, and why: the verdict, the weighed
        evidence of every candidate (the chosen one first), the threshold, and whether
        the evidence reaches it. The name is judged as a document of its own: on its own
        line, with no other mention of anything. ``None`` when nothing resembles it.
        """
        return self.names.why(name)

    # -- text ---------------------------------------------------------------------

    def explain(self, text: str) -> list[Change]:
        """Every change ``clean`` would make to ``text``, in order of position.

        ``text`` is one document: the passes that read beyond one name
        (``normalise.passes``) read all of it.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        return self._explain(text, DocState())

    def _explain(self, text: str, state: DocState) -> list[Change]:
        return self.pipeline.run(whole(text), state)

    def clean(self, text: str) -> str:
        """``text`` with every garbled name replaced by its canonical form."""
        return replay(text, self.explain(text))

    def iter_explain(
        self, chunks: Iterable[str], *, buffer: int = 1 << 20
    ) -> Iterator[tuple[str, list[Change]]]:
        """Explain a text given as a stream of chunks, read once, with bounded memory
        (for a text that can be read again, ``iter_explain_reread`` gives exactly
        ``explain``'s changes).

        Yields ``(piece, changes)``: consecutive pieces of the text, each cut just after a
        line break once at least ``buffer`` characters have gathered, with the changes
        of that piece (offsets into the whole text). Each piece is judged as it comes:
        nothing the passes decide reaches across a line break (runs, headlines,
        datelines, URLs all stay within a line), and the passes carry what they learnt
        (fixed names, people named, support found, open code fences, canonical names
        present) from piece to piece, so the result is that of ``explain`` on the whole
        text, except that support for a ``context`` repair, or a canonical name as the
        document's evidence for a fuzzy candidate (``Settings.document_evidence``), that
        first appears in a later piece is not seen, nor is a later garble of a name
        that shows it ambiguous. Memory is bounded by ``buffer`` plus the longest line.
        """
        _check_buffer(buffer)
        state = DocState()
        for offset, piece in cut(chunks, buffer):
            changes = self._explain(piece, state)
            yield piece, [c._replace(start=c.start + offset, end=c.end + offset) for c in changes]

    def iter_clean(self, chunks: Iterable[str], *, buffer: int = 1 << 20) -> Iterator[str]:
        """``clean`` for a text given as a stream of chunks, read once (see
        ``iter_explain``)."""
        return _cleaned(self.iter_explain(chunks, buffer=buffer))

    def iter_explain_reread(
        self, reopen: Callable[[], Iterable[str]], *, buffer: int = 1 << 20
    ) -> Iterator[tuple[str, list[Change]]]:
        """Explain a text that can be read again, with bounded memory: ``reopen()``
        gives its chunks from the start each time it is called (a file opened again).

        The text is read a few times: the passes gather what they need from the whole
        document first (their candidates, the facts these are judged on), then decide,
        and a last read yields ``(piece, changes)`` as ``iter_explain`` does. The changes
        are exactly those of ``explain`` on the whole text, whatever ``buffer`` is.
        Memory is bounded by ``buffer``, the longest line, the changes and the facts
        the candidates are judged on. A text that reads differently one time from the
        next raises ``InputError``.
        """
        _check_buffer(buffer)
        lengths: list[int] = []

        def source() -> Iterator[tuple[int, str]]:
            read = 0
            for i, (offset, piece) in enumerate(cut(reopen(), buffer)):
                if (i < len(lengths) and lengths[i] != len(piece)) or i > len(lengths):
                    raise InputError("the text changed while it was read")
                if i == len(lengths):
                    lengths.append(len(piece))
                read += 1
                yield offset, piece
            if read != len(lengths):
                raise InputError("the text changed while it was read")

        changes = self.pipeline.run(source, DocState())
        starts = [c.start for c in changes]
        for offset, piece in source():
            lo = bisect.bisect_left(starts, offset)
            hi = bisect.bisect_left(starts, offset + len(piece))
            yield piece, changes[lo:hi]

    def iter_clean_reread(
        self, reopen: Callable[[], Iterable[str]], *, buffer: int = 1 << 20
    ) -> Iterator[str]:
        """``clean`` for a text that can be read again (see ``iter_explain_reread``):
        ``"".join(n.iter_clean_reread(reopen)) == n.clean("".join(reopen()))``."""
        return _cleaned(self.iter_explain_reread(reopen, buffer=buffer))

    def clean_many(self, texts: Iterable[str], *, workers: int = 1) -> list[str]:
        """Clean many texts; results are in input order and identical for any ``workers``."""
        from .batch import map_texts

        return map_texts(self, "clean", texts, workers=workers)

    def explain_many(self, texts: Iterable[str], *, workers: int = 1) -> list[list[Change]]:
        """``explain`` for many texts, in input order."""
        from .batch import map_texts

        return map_texts(self, "explain", texts, workers=workers)

    def imap_clean(self, texts: Iterable[str], *, workers: int = 1) -> Iterator[str]:
        """``clean`` of each text, yielded in input order as it is done: wrap it in a
        progress bar (``tqdm(n.imap_clean(texts), total=len(texts))``), or clean more
        texts than memory holds. Results are those of ``clean_many``."""
        from .batch import iter_texts

        return iter_texts(self, "clean", texts, workers=workers)

    def imap_explain(self, texts: Iterable[str], *, workers: int = 1) -> Iterator[list[Change]]:
        """``explain`` of each text, in input order, as it is done (see ``imap_clean``)."""
        from .batch import iter_texts

        return iter_texts(self, "explain", texts, workers=workers)

    def submit_explain(
        self, texts: Iterable[str], *, workers: int = 1
    ) -> Callable[[], list[list[Change]]]:
        """``explain_many``, started: returns the function that collects its results
        (see ``batch.submit_texts``); the command line reads and writes meanwhile."""
        from .batch import submit_texts

        return submit_texts(self, "explain", texts, workers=workers)


def _check_buffer(buffer: object) -> None:
    if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 1:
        raise UsageError(f"buffer must be a whole number >= 1, not {buffer!r}")


def _cleaned(explained: Iterable[tuple[str, list[Change]]]) -> Iterator[str]:
    """The pieces of an explained stream, cleaned."""
    offset = 0
    for piece, changes in explained:
        yield replay(
            piece, [c._replace(start=c.start - offset, end=c.end - offset) for c in changes]
        )
        offset += len(piece)


@lru_cache(maxsize=1)
def default_normaliser() -> Normaliser:
    """The shared normaliser with the built-in table and default settings."""
    return Normaliser()


def clean(text: str) -> str:
    """Clean ``text`` with the built-in table and default settings.

    >>> clean("Safra Katz and Larry Ellison met Wallmart.")
    'Safra Catz and Larry Ellison met Walmart.'
    """
    return default_normaliser().clean(text)


def explain(text: str) -> list[Change]:
    """Explain ``clean(text)``: one ``Change`` record per rewritten span.

    >>> [(c.start, c.end, c.replacement, c.method) for c in explain("The Kovid-19 crisis")]
    [(4, 12, 'COVID-19', 'alias')]
    """
    return default_normaliser().explain(text)


def match(name: str) -> Match | None:
    """The best canonical match for one name with the built-in table."""
    return default_normaliser().match(name)
