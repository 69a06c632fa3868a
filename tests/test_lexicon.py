"""The known-name lexicon: what it knows, how it is weighed, and a user's own names."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from normalise import Normaliser, Settings, table_from_mapping
from normalise.keys import compact
from normalise.lexicon import LEVELS, SOURCES, USER, WORD, Lexicon, shipped_flags
from normalise.table import AliasTableError


def test_the_shipped_lexicon_holds_a_million_names() -> None:
    info = json.loads(
        (resources.files("normalise") / "data" / "names.json").read_text(encoding="utf-8")
    )
    assert info["distinct names as written (folded)"] >= 1_000_000
    assert info["keys"] >= 900_000
    assert set(info["by source"]) == {*SOURCES, "word"}


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("Beroun", "geonames"),  # a Czech town (GeoNames, 500 people or more)
        ("Huzhou", "geonames"),
        ("Bavière", "iso3166"),  # pycountry's French name of Bayern
        ("Katz", "person parts"),
        ("Ivanka Trump", "wikidata persons"),
    ],
)
def test_real_names_are_known_by_their_source(name: str, source: str) -> None:
    assert shipped_flags(compact(name)) & SOURCES[source]
    assert source in Lexicon().sources(compact(name))


@pytest.mark.parametrize("garble", ["Bytdance", "Tickcock", "Wallmart", "Kovid19", "Ausotria"])
def test_garbles_of_the_seed_corpus_are_not_names(garble: str) -> None:
    assert Lexicon().level([compact(garble)]) == "unknown"


def test_levels_count_sources_and_words() -> None:
    lex = Lexicon(["zarvonya"], shipped=False)
    assert lex.level(["zarvonya"]) == "one source"
    assert lex.level(["nothing"]) == "unknown"
    assert lex.level([]) == "unknown"
    shipped = Lexicon()
    beroun = shipped.level(["beroun"])
    assert LEVELS.index(beroun) >= LEVELS.index("two sources")
    # A word of a longer place name only ("Nuevo" of "Nuevo Laredo" and others).
    nuevo = shipped_flags("nuevo")
    assert nuevo & WORD


def test_a_masked_source_is_left_out() -> None:
    only_geonames = next(
        k for k in ("kolodeje", "hrotovice", "beroun") if shipped_flags(k) == SOURCES["geonames"]
    )
    assert Lexicon().level([only_geonames]) == "one source"
    assert Lexicon(mask=SOURCES["geonames"]).level([only_geonames]) == "unknown"
    assert Lexicon(mask=SOURCES["geonames"]).flags(only_geonames) & USER == 0


TABLE = {"entity": [{"canonical": "Zarvonia", "kind": "place"}]}


def test_a_name_entry_of_the_users_table_stops_a_repair() -> None:
    text = "Zarvonya said so."
    plain = Normaliser([table_from_mapping(TABLE)], builtin=False)
    assert plain.clean(text) == "Zarvonia said so."
    own = table_from_mapping({**TABLE, "name": [{"name": "Zarvonya", "kind": "place"}]})
    guarded = Normaliser([own], builtin=False)
    assert guarded.clean(text) == text
    assert guarded.why("Zarvonya") is None
    # Inside a longer span, the user's name is weighed as a known name, visibly.
    two = table_from_mapping(
        {"entity": [{"canonical": "Zarvonia Kelt"}], "name": [{"name": "Zarvonya"}]}
    )
    why = Normaliser([two], builtin=False).why("Zarvonya Kelt")
    assert why is not None
    assert any(
        e.comparison == "known name" and e.level == "name word" for e in why.candidates[0][1]
    )


def test_the_lexicon_is_weighed_visibly_and_can_be_switched_off() -> None:
    table = table_from_mapping({"entity": [{"canonical": "Berlin", "kind": "place"}]})
    on = Normaliser([table], builtin=False).why("Beroun")
    off = Normaliser([table], builtin=False, settings=Settings(known_names=False)).why("Beroun")
    assert on is not None and off is not None
    level = {e.comparison: e.level for e in on.candidates[0][1]}["known name"]
    assert LEVELS.index(level) >= LEVELS.index("one source")
    assert {e.comparison: e.level for e in off.candidates[0][1]}["known name"] == "unknown"
    assert sum(e.weight for e in on.candidates[0][1]) < sum(e.weight for e in off.candidates[0][1])


def test_a_name_entry_needs_a_name() -> None:
    with pytest.raises(AliasTableError, match="name #1 has no name"):
        table_from_mapping({"name": [{"kind": "place"}]})
    with pytest.raises(AliasTableError, match="unknown key"):
        table_from_mapping({"name": [{"name": "Beroun", "aliases": ["x"]}]})


def test_name_entries_survive_a_round_trip_through_toml(tmp_path: object) -> None:
    import pathlib

    from normalise.table import load_table

    assert isinstance(tmp_path, pathlib.Path)
    table = table_from_mapping({**TABLE, "name": [{"name": "Zarvonya", "kind": "place"}]})
    path = tmp_path / "t.toml"
    path.write_text(table.to_toml(), encoding="utf-8")
    again = load_table(path)
    assert [(n.name, n.kind) for n in again.names] == [("Zarvonya", "place")]
