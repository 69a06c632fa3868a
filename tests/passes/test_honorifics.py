"""The honorifics pass."""

from __future__ import annotations

from normalise import Normaliser, Settings
from tests.passes.common import methods

# -- 3. honorifics -------------------------------------------------------------------------


def test_honorific_from_the_document_when_the_table_has_none() -> None:
    table = {"entity": [{"canonical": "Jan Novak", "kind": "person"}]}
    n = Normaliser([table], builtin=False, settings=Settings(typography=False))
    text = "Jan Novak spoke. Dr. Novak left. Min. Novak came back."
    assert n.clean(text) == text  # no honorific garbles in this table
    with_garbles = {**table, "honorific": [{"garble": "Min."}]}
    n = Normaliser([with_garbles], builtin=False)
    assert n.clean(text) == "Jan Novak spoke. Dr. Novak left. Dr. Novak came back."
    # neither the table nor the document says which honorific: left alone
    assert n.clean("Jan Novak spoke. Min. Novak left.") == "Jan Novak spoke. Min. Novak left."


def test_honorific_means_is_the_last_resort() -> None:
    table = {
        "entity": [{"canonical": "Jan Novak", "kind": "person"}],
        "honorific": [{"garble": "Herr", "means": "Mr."}],
    }
    n = Normaliser([table], builtin=False)
    assert methods(n, "Jan Novak spoke. Herr Novak left.") == [("Herr", "Mr.", "honorific")]


def test_honorific_two_people_of_one_surname_with_different_honorifics() -> None:
    table = {
        "entity": [
            {"canonical": "Jan Novak", "kind": "person", "honorific": "Mr."},
            {"canonical": "Eva Novak", "kind": "person", "honorific": "Ms."},
        ],
        "honorific": [{"garble": "Min."}],
    }
    n = Normaliser([table], builtin=False)
    text = "Jan Novak and Eva Novak spoke. Min. Novak left."
    assert n.clean(text) == text
    assert n.clean("Jan Novak spoke. Min. Novak left.") == "Jan Novak spoke. Mr. Novak left."
