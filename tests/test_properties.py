"""Invariants, checked by hypothesis over generated and arbitrary text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from normalise import AliasTable, Normaliser, Settings, builtin_table, replay
from normalise.testing import headlines, lookalike_texts

from .strategies import CANONICALS, entity_mentions, sentences, texts

N = Normaliser()
REVERSED = Normaliser([AliasTable(tuple(reversed(builtin_table().entities)))], builtin=False)


@given(texts())
# Shapes that once changed again on a second run (issue 15, W1): a repaired word that
# turned a headline into prose, and an ellipsis taken for a domain's dot.
@example("Grece RECEP TAYYIP ERDOGAN\n")
@example("He paused...Bytdance , the company said.\n")
# A given name that a compact repair joins into a place ("Leso Tho" -> "Lesotho") is no
# person's name for the word after it (issue 20).
@example("Leso Tho Airpus ")
def test_idempotent(text: str) -> None:
    once = N.clean(text)
    assert N.clean(once) == once


@given(headlines())
# Shapes the fuzzer found (issue 24): a repair that joins words in capitals changes how
# many words of the line are in capitals ("BYTE DANCE" -> "BYTEDANCE" left a line that
# was no headline any more, and a second run repaired the capitals).
@example("BEIJING (Reuters) - BYTE DANCE. \nByte Dance. \n")
@example("TIK TOK SAYS NO\nBYTE DANCE BANS TIK TOK\n")
@example("its\rJersey\rapp IREL AND. BREAKING, ")
@example("deal. Reuters SAN MARIN - I - SERBIA AND MONTENEJRO\rSynt Maarten\rA")
@example("TRADE) reported\rBREAKING\r\nSAN FRANCEeSCO REUTERS) ")
def test_headlines_are_idempotent(text: str) -> None:
    """One decision about the capitals of a replacement, taken once."""
    once = N.clean(text)
    assert N.clean(once) == once


@given(texts())
def test_replay_reproduces_output(text: str) -> None:
    assert replay(text, N.explain(text)) == N.clean(text)


@given(texts())
def test_offsets_valid_ordered_and_local(text: str) -> None:
    changes = N.explain(text)
    pos = 0
    outside = []
    for c in changes:
        assert pos <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.original
        assert c.original != c.replacement
        assert 0.0 < c.score <= 1.0
        outside.append(text[pos : c.start])
        pos = c.end
    outside.append(text[pos:])
    # Output differs from input only inside replaced spans.
    out = N.clean(text)
    rebuilt = []
    for piece, c in zip(outside, [*changes, None], strict=True):
        rebuilt.append(piece)
        if c is not None:
            rebuilt.append(c.replacement)
    assert "".join(rebuilt) == out


@given(st.sampled_from(CANONICALS), st.sampled_from(["", "The ", "said "]))
def test_canonical_names_are_fixed_points(name: str, before: str) -> None:
    text = f"{before}{name} said."
    assert N.clean(text) == text
    m = N.match(name)
    assert m is not None and m.canonical == name and m.method == "exact"


@given(sentences())
def test_independent_of_table_order(text: str) -> None:
    assert REVERSED.explain(text) == N.explain(text)


STRICT = Normaliser(settings=Settings(phonetic_cutoff=0.85, edit_cutoff=0.9))


@given(entity_mentions())
def test_higher_cutoff_never_adds_a_match(name: str) -> None:
    strict = STRICT.match(name)
    if strict is not None and strict.is_change:
        loose = N.match(name)
        assert loose == strict


@given(sentences())
def test_higher_cutoff_never_adds_changes(text: str) -> None:
    # The spans and replacements; a change's score and evidence may differ, since the
    # document's evidence counts the other changes accepted in it.
    loose = {c[:6] for c in N.explain(text)}
    assert {c[:6] for c in STRICT.explain(text)} <= loose


@given(st.lists(sentences(), max_size=6))
def test_clean_many_serial_equals_single(texts_: list[str]) -> None:
    assert N.clean_many(texts_) == [N.clean(t) for t in texts_]


@given(lookalike_texts())
def test_lookalike_text_is_left_alone(text: str) -> None:
    assert N.explain(text) == []


# Support for a context repair, the full name of a person before an honorific, and the
# canonical name as evidence for a fuzzy candidate are looked for in the whole document,
# but a stream only sees the pieces so far; every other part carries forward exactly
# (tests/test_context.py checks that).
NO_LOOKAHEAD = Normaliser(
    settings=Settings(context=False, honorifics=False, document_evidence=False)
)


@given(texts(), st.lists(st.integers(min_value=1, max_value=40), min_size=1), st.integers(1, 60))
def test_streaming_equals_whole_text(text: str, sizes: list[int], buffer: int) -> None:
    N = NO_LOOKAHEAD
    chunks, pos, i = [], 0, 0
    while pos < len(text):
        step = sizes[i % len(sizes)]
        chunks.append(text[pos : pos + step])
        pos, i = pos + step, i + 1
    assert "".join(N.iter_clean(chunks, buffer=buffer)) == N.clean(text)
    assert [c for _, cs in N.iter_explain(chunks, buffer=buffer) for c in cs] == N.explain(text)


@given(
    st.one_of(texts(), headlines()),
    st.lists(st.integers(min_value=1, max_value=40), min_size=1),
    st.integers(1, 60),
)
def test_a_text_read_again_gets_the_whole_texts_changes(
    text: str, sizes: list[int], buffer: int
) -> None:
    """Issue 24: read again in pieces (as a big file is), with the document's evidence
    and every pass that looks ahead on, the changes are exactly the whole text's."""

    def reopen() -> list[str]:
        chunks, pos, i = [], 0, 0
        while pos < len(text):
            step = sizes[i % len(sizes)]
            chunks.append(text[pos : pos + step])
            pos, i = pos + step, i + 1
        return chunks

    assert "".join(N.iter_clean_reread(reopen, buffer=buffer)) == N.clean(text)
    assert [c for _, cs in N.iter_explain_reread(reopen, buffer=buffer) for c in cs] == (
        N.explain(text)
    )


@given(
    st.characters(categories=("Lu", "Ll", "Lt", "Lo")),
    st.sampled_from(CANONICALS),
    st.sampled_from(["", " said so.", " users grew."]),
)
@example("Y", "ByteDance", " users grew.")  # "Generation Y ByteDance" lost its Y (issue 25, W1)
@example("Ä", "TikTok", "")
@example("И", "ByteDance", " said so.")
def test_a_letter_standing_alone_beside_a_name_is_kept(letter: str, name: str, rest: str) -> None:
    """No letter of any script is deleted with a name beside it: a one-letter word at
    the edge of a span is never taken into a fuzzy repair."""
    for text in (f"Generation {letter} {name}{rest}", f"{letter} {name}{rest}"):
        for c in N.explain(text):
            assert letter not in c.original.split(), (text, c)
