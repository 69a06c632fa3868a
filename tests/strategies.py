"""Strategies for the project's own property tests, built on ``normalise.testing``."""

from __future__ import annotations

from hypothesis import strategies as st

from normalise import builtin_table
from normalise.testing import entity_names, garbled_names, lookalike_texts, sentences

CANONICALS = sorted(e.canonical for e in builtin_table().entities)
SEED_NAMES = ["ByteDance", "TikTok", "Walmart", "Safra Catz", "COVID-19", "Google", "Oracle"]


def entity_mentions() -> st.SearchStrategy[str]:
    """Names of the built-in table, the seed corpus's entities more often, some garbled."""
    names = st.one_of(entity_names(), st.sampled_from(SEED_NAMES))
    return st.one_of(names, names.flatmap(lambda n: garbled_names(n, max_edits=2)))


def texts() -> st.SearchStrategy[str]:
    """Arbitrary Unicode text, clean look-alike text, and text built from names."""
    return st.one_of(
        sentences(), lookalike_texts(), st.text(), st.text(alphabet=st.characters(codec="utf-8"))
    )


__all__ = ["CANONICALS", "entity_mentions", "sentences", "texts"]
