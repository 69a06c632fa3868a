"""Hypothesis strategies for the project's own property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from normalise import builtin_table

CANONICALS = sorted(e.canonical for e in builtin_table().entities)
SEED_NAMES = ["ByteDance", "TikTok", "Walmart", "Safra Catz", "COVID-19", "Google", "Oracle"]

FILLER = [
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
    "US",
    "users",
    "Washington",
    "of",
    "its",
    "New",
    "Tic",
    "Tac",
    "Hawaii",
    "tick",
    "tock",
    "Ms.",
    "Katz",
    "Apple",
    "apple",
    "Reading",
    "May",
    "WASHINGTON",
    "NEWS",
]
PUNCT = [" ", " ", " ", ", ", ". ", "\n", "\r\n", " - ", "'s ", "’s ", ' "', '" ', " (", ") ", "-"]


@st.composite
def garbled(draw: st.DrawFn, name: str) -> str:
    """A simple garble of ``name``: a letter doubled, dropped, swapped or the case damaged."""
    letters = list(name)
    positions = [i for i, ch in enumerate(letters) if ch.isalpha()]
    if not positions:
        return name
    i = draw(st.sampled_from(positions))
    kind = draw(st.sampled_from(["double", "drop", "swap", "upper", "lower", "split"]))
    if kind == "double":
        letters.insert(i, letters[i])
    elif kind == "drop" and len(positions) > 4:
        del letters[i]
    elif kind == "swap":
        sounds = {
            "c": "k",
            "k": "c",
            "b": "p",
            "p": "b",
            "t": "d",
            "d": "t",
            "s": "z",
            "z": "s",
            "v": "w",
            "w": "v",
            "g": "j",
            "i": "y",
            "y": "i",
        }
        ch = letters[i]
        repl = sounds.get(ch.lower(), ch)
        letters[i] = repl.upper() if ch.isupper() else repl
    elif kind == "upper":
        return name.upper()
    elif kind == "lower":
        return name[:1] + name[1:].lower()
    elif kind == "split" and 0 < i < len(letters) - 1:
        letters.insert(i, " ")
    return "".join(letters)


def entity_mentions() -> st.SearchStrategy[str]:
    names = st.sampled_from(CANONICALS + SEED_NAMES * 5)
    return st.one_of(names, names.flatmap(garbled))


def sentences() -> st.SearchStrategy[str]:
    """Running text mixing filler words, punctuation and (garbled) entity names."""
    piece = st.one_of(st.sampled_from(FILLER), entity_mentions())
    return st.lists(st.tuples(piece, st.sampled_from(PUNCT)), max_size=14).map(
        lambda parts: "".join(w + p for w, p in parts)
    )


def texts() -> st.SearchStrategy[str]:
    """Arbitrary Unicode text, and text built from names and filler."""
    return st.one_of(sentences(), st.text(), st.text(alphabet=st.characters(codec="utf-8")))
