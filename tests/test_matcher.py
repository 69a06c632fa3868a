"""Matcher decisions that need a user table (the case files use the built-in one)."""

from __future__ import annotations

import pytest

from normalise import Normaliser, Settings, SettingsError

PLACES = Normaliser(
    [{"entity": [{"canonical": c} for c in ("Zürich", "Montréal", "Sana'a", "Buenavista", "Būsh")]}]
)


@pytest.mark.parametrize(
    "text",
    ["Zurich and Montreal", "Sanaa", "Buena Vista", "Bush said", "Guinea Bissau"],
)
def test_styling_variants_are_left_as_written(text: str) -> None:
    assert PLACES.clean(text) == text


def test_merged_and_styled_forms() -> None:
    n = Normaliser([{"entity": [{"canonical": "Safra Catz"}, {"canonical": "Lebron"}]}])
    assert n.clean("Safracatz and Covid19 cases") == "Safra Catz and COVID-19 cases"
    # Capitals of its own inside a word are styling, not damage.
    assert n.clean("LeBron and BoE; LEBRON and Lebron") == "LeBron and BoE; Lebron and Lebron"


def test_lost_inner_capital_of_a_brand_is_damage_even_when_the_word_is_common() -> None:
    # "paypal" and "playstation" are common words to wordfreq only because the brands
    # are; a capital inside a word marks the name, so the plain spelling is damage.
    # A common word that is an all-caps name stays ("Jane" for a band called "JANE").
    n = Normaliser(
        [
            {
                "entity": [
                    {"canonical": "PayPal"},
                    {"canonical": "PlayStation"},
                    {"canonical": "JANE"},
                ]
            }
        ],
        builtin=False,
    )
    assert n.clean("Paypal and Playstation; Jane") == "PayPal and PlayStation; Jane"
    assert n.clean("paypal and playstation") == "paypal and playstation"


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("Bytdance", "alias"),
        ("Bytedanse", "phonetic"),
        ("Pytedance", "phonetic"),
        ("Salesfalrce", "phonetic"),  # the transliteration keys agree
        ("Tik-Tok", "compact"),
        ("Tiktok", "case"),
        ("TikTok", "exact"),
    ],
)
def test_methods(normaliser: Normaliser, name: str, method: str) -> None:
    m = normaliser.match(name)
    assert m is not None and m.method == method


def test_methods_can_be_switched_off() -> None:
    off = Normaliser(settings=Settings(phonetic=False, edit=False, compact=False, aliases=False))
    assert off.clean("Bytedanse Salesfalrce Tik-Tok Bytdance Tiktok") == (
        "Bytedanse Salesfalrce Tik-Tok Bytdance TikTok"
    )
    assert Normaliser(settings=Settings(case=False)).clean("Tiktok") == "Tiktok"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"phonetic_cutoff": 1.5},
        {"margin": -0.1},
        {"min_fuzzy_length": 0},
        {"phonetic": "yes"},
        {"known_word_zipf": float("nan")},
        {"max_span_words": 2.5},
    ],
)
def test_bad_settings_raise_at_construction(kwargs: dict[str, object]) -> None:
    with pytest.raises(SettingsError):
        Settings(**kwargs)  # type: ignore[arg-type]


def test_normaliser_pickles_cheaply_and_correctly() -> None:
    """A pickle holds the merged table and the settings only: not the index, not the
    caches (so it does not grow with use), and the copy cleans exactly like the original,
    context layer included (Dask, Ray, multiprocessing and Spark rely on this)."""
    import pickle

    n = Normaliser(
        [{"entity": [{"canonical": "Kuaishou", "aliases": ["Kwaishou"]}]}],
        settings=Settings(typography=False),
    )
    fresh = len(pickle.dumps(n))
    text = "Kwaishou Bytdance, Safra Katz. Ms. Katz paid $ 5 for a fund-razor."
    for i in range(2000):
        n.clean(f"{text} Name{i} Other{i}")
    data = pickle.dumps(n)
    assert len(data) == fresh  # the caches are not pickled
    assert len(data) < 64_000  # about 23 kB: the table, not the index
    again = pickle.loads(data)
    assert again.settings == n.settings and again.table == n.table
    assert (
        again.clean(text)
        == n.clean(text)
        == ("Kuaishou ByteDance, Safra Catz. Ms. Catz paid $ 5 for a fundraiser.")
    )


def test_clean_many_with_workers_matches_serial(normaliser: Normaliser) -> None:
    texts = [f"Bytdance {i} and Tickcock’s users, Tik Tok {i}" for i in range(40)]
    assert normaliser.clean_many(texts, workers=2) == [normaliser.clean(t) for t in texts]


def test_one_worker_pool_serves_every_batch_of_a_normaliser(normaliser: Normaliser) -> None:
    """A folder is cleaned 64 files at a time: the pool (and each worker's copy of the
    normaliser) is made once, not once per batch (issue 21); another normaliser gets a
    pool of its own, and the old one is shut down."""
    from normalise import batch

    texts = [f"Bytdance {i} said so." for i in range(8)]
    normaliser.clean_many(texts, workers=2)
    assert batch._kept is not None
    first = batch._kept[1]
    assert normaliser.clean_many(texts, workers=2) == [normaliser.clean(t) for t in texts]
    assert batch._kept[1] is first
    other = Normaliser()
    other.clean_many(texts, workers=2)
    assert batch._kept[1] is not first
    batch.close_pool()
    assert batch._kept is None


def test_version_starts_without_the_package() -> None:
    """`normalise --version` answers without importing the matcher (fast start)."""
    import subprocess
    import sys

    code = (
        "import sys; from normalise.cli import main; main(['--version']); "
        "print(sorted(m for m in ('normalise.core', 'normalise.index', 'rapidfuzz') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"
    assert out.stdout.startswith("normalise ")


def test_long_runs_match_single_words_and_exact_names(normaliser: Normaliser) -> None:
    filler = " ".join(["Alpha", "Bravo", "Charlie", "Delta"] * 12)  # a 48-word run
    text = f"{filler} Bytdance Tik Tok Larry Ellison Larry Elisson {filler}"
    changes = normaliser.explain(text)
    out = normaliser.clean(text)
    assert "ByteDance TikTok Larry Ellison" in out
    # Spans of several words are matched exactly only inside such a run: "Elisson" is
    # repaired as the surname alone, not with "Larry" as the full name.
    (elisson,) = [c for c in changes if "Elisson" in c.original]
    assert (elisson.original, elisson.replacement) == ("Elisson", "Ellison")
    (full,) = [c for c in normaliser.explain("He met Larry Elisson.")]
    assert (full.original, full.replacement) == ("Larry Elisson", "Larry Ellison")


def test_case_repair_only_of_damaged_capitals() -> None:
    n = Normaliser(
        [{"entity": [{"canonical": c} for c in ("JANE", "LiSA", "Kim Min-woo", "Yan’an")]}],
        builtin=False,
    )
    # Common words, capitals that would be lost, other apostrophes: written on purpose.
    text = "Jane and Lisa met Kim Min-Woo in Yan'an."
    assert n.clean(text) == text
    assert n.clean("KIM MIN-WOO said") == "KIM MIN-WOO said"  # a shouted phrase stays
    assert Normaliser([{"entity": [{"canonical": "SoftBank"}]}]).clean("Softbank") == "SoftBank"


def test_first_letter_is_weighed() -> None:
    n = Normaliser(
        [{"entity": [{"canonical": c} for c in ("Shanghai", "Kaifeng", "Kovalenko")]}],
        builtin=False,
    )
    # Another first letter is evidence against a garble, weighed with the rest: enough
    # to leave "Haifeng" (Kaifeng), not always enough ("Changhai", a known failure).
    assert n.clean("Haifeng said") == "Haifeng said"
    assert n.clean("Covalenko said") == "Kovalenko said"


def test_accents_with_connectors_are_styling() -> None:
    n = Normaliser([{"entity": [{"canonical": "Luiz Inácio Lula da Silva"}]}], builtin=False)
    assert n.clean("Luiz Inacio Lula da Silva spoke.") == "Luiz Inacio Lula da Silva spoke."


def test_match_says_keep_for_a_name_the_table_keeps(normaliser: Normaliser) -> None:
    kept = normaliser.match("Douyin")
    assert kept is not None and (kept.canonical, kept.method, kept.is_change) == (
        "TikTok",
        "keep",
        False,
    )
    exact = normaliser.match("TikTok")
    assert exact is not None and exact.method == "exact"
    assert normaliser.clean("Douyin and TikTok") == "Douyin and TikTok"


def test_imap_clean_yields_in_order_for_a_progress_bar(normaliser: Normaliser) -> None:
    """Issue 22: an iterator that tqdm can wrap, in input order, for any workers."""
    texts = (f"Bytdance {i} said." for i in range(150))  # a generator: never held whole
    it = normaliser.imap_clean(texts, workers=2)
    assert next(it) == "ByteDance 0 said."
    rest = list(it)
    assert rest == [f"ByteDance {i} said." for i in range(1, 150)]
    explained = list(normaliser.imap_explain(["Wallmart said.", "Nothing."]))
    assert [len(c) for c in explained] == [1, 0]
