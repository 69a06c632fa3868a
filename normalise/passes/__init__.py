"""The repairs, one module each, run in the order of ``PASSES``.

| pass | module | settings switch | methods of its changes |
| --- | --- | --- | --- |
| names | ``passes.names`` | ``aliases``, ``case``, ``compact``, ``phonetic``, ``edit`` | the same |
| context | ``passes.context`` | ``context`` (and ``words``) | ``context``, ``word`` |
| document | ``passes.document`` | ``document`` | ``document`` |
| honorifics | ``passes.honorifics`` | ``honorifics`` | ``honorific`` |
| typography | ``passes.typography`` | ``typography`` | ``typography`` |

Each pass reads the document (``base.Work``: its source, read piece by piece) and what the
earlier passes decided, and adds its changes to ``work.out``; an earlier pass's change
wins over an overlapping later one.
Adding a repair means adding a module with a class like these and a line below.
"""

from __future__ import annotations

from ..config import Settings
from ..index import Index
from ..keys import fold
from ..models import Change
from ..table import AliasTable
from .base import Doc, DocState, Pass, Shared, Source, Work, cut, whole
from .context import Context
from .document import Document
from .honorifics import Honorifics
from .names import Names
from .typography import Typography

PASSES: tuple[type[Pass], ...] = (Names, Context, Document, Honorifics, Typography)

__all__ = ["PASSES", "Doc", "DocState", "Pipeline", "Source", "Work", "cut", "whole"]


class Pipeline:
    """Every pass, compiled once for one table and settings."""

    def __init__(self, table: AliasTable, settings: Settings, index: Index) -> None:
        shared = Shared(table, settings, index)
        passes = [p(shared) for p in PASSES]  # all compiled: they share one prefilter
        names = passes[0]
        assert isinstance(names, Names)
        self.names: Names = names
        self.passes = tuple(p for p in passes if p.enabled(settings))
        self.rejected = index.rejected

    def run(self, source: Source, state: DocState) -> list[Change]:
        """Every change to the document ``source`` reads (with ``state`` carried from
        earlier windows of a stream), in order of position."""
        work = Work(source, state)
        for p in self.passes:
            p.run(work)
            work.out.commit()
        changes = work.out.sorted()
        if self.rejected:
            # An editor's rejections ([[rejected]]) hold for every pass: the name pass
            # never proposes one; a later pass (a surname fixed with its full name, a
            # context-gated variant) is held back here.
            changes = [c for c in changes if (fold(c.original), c.canonical) not in self.rejected]
        return changes
