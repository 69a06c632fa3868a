"""``Normaliser``: clean, explain and match; module-level convenience functions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from .config import Settings
from .index import Index
from .models import Change, Match
from .models import replay as replay  # where it always was: normalise.core.replay
from .passes import DocState, Pipeline
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
        return self.pipeline.run(text, state)

    def clean(self, text: str) -> str:
        """``text`` with every garbled name replaced by its canonical form."""
        return replay(text, self.explain(text))

    def iter_explain(
        self, chunks: Iterable[str], *, buffer: int = 1 << 20
    ) -> Iterator[tuple[str, list[Change]]]:
        """Explain a text given as a stream of chunks, with bounded memory.

        Yields ``(piece, changes)``: consecutive pieces of the text, each cut just after a
        line break once at least ``buffer`` characters have gathered, with the changes
        of that piece (offsets into the whole text). Nothing the name pass decides
        reaches across a line break (runs, headlines, datelines, URLs all stay within a
        line), and the passes carry what they learnt (fixed names, people named,
        support found, open code fences, canonical names present) from piece to piece,
        so the result is that of ``explain`` on the whole text, except that support for
        a ``context`` repair, or a canonical name as the document's evidence for a fuzzy
        candidate (``Settings.document_evidence``), that first appears in a later piece
        is not seen. Memory is bounded by ``buffer`` plus the longest line.
        """
        if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 1:
            raise ValueError(f"buffer must be a whole number >= 1, not {buffer!r}")
        pieces: list[str] = []
        size = 0
        offset = 0
        state = DocState()
        for chunk in chunks:
            cut = chunk.rfind("\n") + 1
            if cut and size + cut >= buffer:
                piece = "".join(pieces) + chunk[:cut]
                yield piece, self._shifted(piece, offset, state)
                offset += len(piece)
                pieces, size = [chunk[cut:]], len(chunk) - cut
            else:
                pieces.append(chunk)
                size += len(chunk)
        piece = "".join(pieces)
        if piece:
            yield piece, self._shifted(piece, offset, state)

    def _shifted(self, piece: str, offset: int, state: DocState) -> list[Change]:
        return [
            c._replace(start=c.start + offset, end=c.end + offset)
            for c in self._explain(piece, state)
        ]

    def iter_clean(self, chunks: Iterable[str], *, buffer: int = 1 << 20) -> Iterator[str]:
        """``clean`` for a text given as a stream of chunks (see ``iter_explain``):
        ``"".join(n.iter_clean(chunks)) == n.clean("".join(chunks))``."""
        offset = 0
        for piece, changes in self.iter_explain(chunks, buffer=buffer):
            yield replay(
                piece, [c._replace(start=c.start - offset, end=c.end - offset) for c in changes]
            )
            offset += len(piece)

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
