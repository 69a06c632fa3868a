"""Hypothesis strategies for property tests of text cleaning (needs ``hypothesis``;
install with ``pip install mt-normalise[testing]``).

>>> from hypothesis import given
>>> from normalise import Normaliser
>>> from normalise.testing import garbled_names, sentences
>>> n = Normaliser()
>>> @given(sentences())
... def test_idempotent(text):
...     assert n.clean(n.clean(text)) == n.clean(text)
>>> test_idempotent()
>>> @given(garbled_names("ByteDance", kinds=["split_word", "double_letter"]))
... def test_found(name):
...     assert n.clean(f"{name} said.") == "ByteDance said."
>>> test_found()
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

try:
    from hypothesis import strategies as st
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "normalise.testing needs hypothesis: pip install 'mt-normalise[testing]'"
    ) from e

from .config import Settings
from .core import _as_table
from .garble import TRANSFORMS, garble
from .table import AliasTable, TableSource, builtin_table, merge_tables
from .words import word_zipfs

# The word list a default Normaliser loads on its first fuzzy decision, loaded when this
# module is imported: inside a hypothesis example the first load (a few seconds on a
# new machine, 40 ms from the cache) would exceed the example's deadline.
word_zipfs(min(Settings().common_word_zipf, Settings().known_word_zipf))

__all__ = [
    "LOOKALIKES",
    "entity_names",
    "garble_kinds",
    "garbled_names",
    "headlines",
    "lookalike_texts",
    "sentences",
]

# Ordinary text around names: sentence starts, titles, common words, a dateline.
_FILLER = [
    "the",
    "said",
    "on",
    "Monday",
    "The",
    "company",
    "app",
    "in",
    "a",
    "deal",
    "It",
    "and",
    "Mr.",
    "Ms.",
    "users",
    "of",
    "its",
    "New",
    "WASHINGTON",
    "officials",
    "But",
    "reported",
]
_JOINERS = [" ", " ", " ", ", ", ". ", "\n", "\r\n", " - ", "'s ", "’s ", ' "', '" ', " (", ") "]

LOOKALIKES = [
    "Hawaii",
    "Tic Tac",
    "tick tock",
    "Germaine",
    "Withington",
    "Koreans",
    "Walmarts",
    "Sidney",
    "Katz",
    "Trump",
    "Ellison",
    "oracle",
    "apple",
    "Boeing 737",
    "Guinea Bissau",
    "Tim Koogle",
    "New Castle",
    "Reading",
    "Nice",
    "Bath",
    "Said",
]
"""Real words and names that look like entities of the built-in table but are not
garbles of them: text made of them must come out unchanged."""


def garble_kinds() -> st.SearchStrategy[str]:
    """The name of one garble transformation (see ``normalise.garble.TRANSFORMS``)."""
    return st.sampled_from(sorted(TRANSFORMS))


def garbled_names(
    name: str, *, kinds: Sequence[str] | None = None, max_edits: int = 1
) -> st.SearchStrategy[str]:
    """Garbled variants of ``name``, as machine translation produces them.

    ``kinds`` limits the transformations; ``max_edits`` is how many are stacked. A
    failing example shows the garbled string itself.
    """
    if kinds is not None:
        garble("x", kinds=kinds)  # validates the names now, not at draw time
    return _garbled(name, kinds, max_edits)


@st.composite
def _garbled(draw: st.DrawFn, name: str, kinds: Sequence[str] | None, max_edits: int) -> str:
    rng = draw(st.randoms(use_true_random=False))
    edits = draw(st.integers(min_value=1, max_value=max_edits))
    return garble(name, seed=rng, kinds=kinds, edits=edits)


Tables = TableSource | AliasTable | Iterable[TableSource | AliasTable]


def _table(table: Tables | None) -> AliasTable:
    """What ``Normaliser`` accepts as tables (an ``AliasTable``, a mapping, a path, or a
    list of them, merged), as one table; None is the built-in one."""
    if table is None:
        return builtin_table()
    if isinstance(table, AliasTable | str | os.PathLike | Mapping):
        return _as_table(table)
    return merge_tables([_as_table(t) for t in table])


def entity_names(table: Tables | None = None) -> st.SearchStrategy[str]:
    """Canonical names of a table (the built-in one by default; anything ``Normaliser``
    takes as tables)."""
    return st.sampled_from(sorted(e.canonical for e in _table(table).entities))


def sentences(
    table: Tables | None = None, *, garbled: bool = True, max_words: int = 14
) -> st.SearchStrategy[str]:
    """Running text of filler words and entity names of ``table``, some garbled when
    ``garbled``, joined by spaces, punctuation, possessives and line breaks."""
    names = entity_names(table)
    mention = st.one_of(names, names.flatmap(garbled_names)) if garbled else names
    piece = st.one_of(st.sampled_from(_FILLER), mention)
    return st.lists(st.tuples(piece, st.sampled_from(_JOINERS)), max_size=max_words).map(
        lambda parts: "".join(w + j for w, j in parts)
    )


def lookalike_texts(max_words: int = 10) -> st.SearchStrategy[str]:
    """Clean text built from ``LOOKALIKES`` and filler: nothing in it is a garble.

    (No ALL-CAPS filler: a capitalised name shouted mid-sentence, "GOOGLE", is repaired.)
    """
    filler = [w for w in _FILLER if not w.isupper()]
    piece = st.one_of(st.sampled_from(LOOKALIKES), st.sampled_from(filler))
    return st.lists(st.tuples(piece, st.sampled_from(_JOINERS)), max_size=max_words).map(
        lambda parts: "".join(w + j for w, j in parts)
    )


# Words of headlines and datelines in capitals.
_SHOUTED = ["BREAKING", "NEWS", "SAYS", "DEAL", "WITH", "AND", "OF", "THE", "TALKS", "BAN"]
_DATELINES = ["BEIJING (Reuters) - ", "WASHINGTON (AP) — ", "MOSCOW, March 3 (Reuters) - "]


def headlines(table: Tables | None = None, *, max_words: int = 8) -> st.SearchStrategy[str]:
    """Lines in capitals with names of ``table`` in them, garbled or not, split or
    joined ("BYTE DANCE"), often after a dateline or above a line of prose that names
    them again: the shapes in which a repair decides the capitals of its replacement.
    Cleaning such text twice must change nothing more."""
    names = entity_names(table)
    mention = st.one_of(names, names.flatmap(garbled_names)).map(str.upper)
    word = st.one_of(mention, st.sampled_from(_SHOUTED), st.sampled_from(_FILLER))
    line = st.lists(
        st.tuples(word, st.sampled_from([" ", " ", ", ", " - ", ". "])),
        min_size=1,
        max_size=max_words,
    ).map(lambda parts: "".join(w + j for w, j in parts))
    before = st.sampled_from(["", "", *_DATELINES])
    after = st.one_of(st.just(""), sentences(table, max_words=6).map(lambda s: "\n" + s))
    return st.tuples(before, line, after).map(lambda t: "".join(t))
