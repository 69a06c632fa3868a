"""The context pass: context-gated variants and word garbles."""

from __future__ import annotations

from normalise import Normaliser
from tests.passes.common import N, methods

# -- 2. context-gated aliases ----------------------------------------------------------------

GATED = {
    "entity": [
        {
            "canonical": "Zoomify",
            "kind": "product",
            "context_aliases": ["Zoom Ify"],
            "context": ["video", "Zoomify Inc"],
        },
        {"canonical": "Kwikstore", "context_aliases": ["Quick Store"]},  # mention only
        {
            "canonical": "Brightlane",
            "kind": "org",
            "context": ["logistics"],
            "context_scope": "sentence",
            "context_fuzzy": True,
        },
    ]
}


def test_context_alias_needs_a_context_word() -> None:
    n = Normaliser([GATED], builtin=False)
    assert n.clean("Zoom Ify is down.") == "Zoom Ify is down."
    assert methods(n, "Zoom Ify is down. The video calls failed.") == [
        ("Zoom Ify", "Zoomify", "context")
    ]
    # a context word with capitals must match as written; a lower-case one in any case
    assert (
        n.clean("Zoom Ify is down. VIDEO calls failed.") == "Zoomify is down. VIDEO calls failed."
    )
    assert n.clean("Zoom Ify. zoomify inc said.") == "Zoom Ify. zoomify inc said."


def test_context_alias_supported_by_another_mention_of_the_entity() -> None:
    n = Normaliser([GATED], builtin=False)
    assert n.clean("Quick Store opened.") == "Quick Store opened."
    assert n.clean("Quick Store opened. Kwikstore said so.") == (
        "Kwikstore opened. Kwikstore said so."
    )


def test_context_fuzzy_needs_support_in_the_sentence() -> None:
    n = Normaliser([GATED], builtin=False)
    assert n.clean("Brightlain won. Its logistics grew.") == "Brightlain won. Its logistics grew."
    assert n.clean("Brightlain logistics won.") == "Brightlane logistics won."
    # without the gate, the same fuzzy match needs no support
    open_table = {"entity": [{"canonical": "Brightlane", "kind": "org"}]}
    assert Normaliser([open_table], builtin=False).clean("Brightlain won.") == "Brightlane won."


def test_builtin_gated_examples() -> None:
    assert N.clean("Tick Tock: the clock is ticking.") == "Tick Tock: the clock is ticking."
    assert N.clean("TICK TOCK") == "TICK TOCK"
    assert N.clean("Tick Tock is banned. TikTok said so.") == "TikTok is banned. TikTok said so."
    assert N.clean("The novel Corona virus.") == "The novel coronavirus."


# -- 4. word garbles -------------------------------------------------------------------------


def test_word_garbles_as_written_or_capitalised_only() -> None:
    assert N.clean("a fund-razor, a Fund-razor") == "a fundraiser, a Fundraiser"
    assert N.clean("a FUND-RAZOR or a fund-razorblade") == "a FUND-RAZOR or a fund-razorblade"


def test_user_word_table() -> None:
    table = {"word": [{"canonical": "stakeholder", "aliases": ["steak-holder"]}]}
    n = Normaliser([table], builtin=False)
    assert methods(n, "each steak-holder") == [("steak-holder", "stakeholder", "word")]
