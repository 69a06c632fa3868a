"""One frozen, keyword-only settings object for all matching knobs."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Literal

from .errors import SettingsError

# The kinds of value a setting takes: the metadata that validation, the command
# line's options, --help and the settings table of the docs all read.
Kind = Literal["switch", "fraction", "number", "count"]
_KIND_RULE = {
    "switch": "true or false",
    "fraction": "a number from 0 to 1",
    "number": "a number",
    "count": "a whole number >= 1",
}


def _setting(default: Any, kind: Kind, help: str) -> Any:
    return dataclasses.field(default=default, metadata={"kind": kind, "help": help})


@dataclass(frozen=True, kw_only=True, slots=True)
class Settings:
    """Every matching option, validated on construction.

    Each default is chosen for precision first; see docs/library.md for the
    measurements. Each field's help, kind and default are in its metadata
    (``setting_fields``), which the command line and the docs read.
    """

    aliases: bool = _setting(True, "switch", 'replace listed aliases ("Tickcock" -> "TikTok")')
    case: bool = _setting(
        True, "switch", 'repair damaged capitals of a canonical name ("Tiktok" -> "TikTok")'
    )
    compact: bool = _setting(
        True, "switch", 'repair split or joined forms of a canonical name ("Tik Tok" -> "TikTok")'
    )
    phonetic: bool = _setting(True, "switch", "allow fuzzy matches whose phonetic keys are equal")
    edit: bool = _setting(
        True, "switch", "allow fuzzy matches whose phonetic keys differ by one step"
    )
    threshold_shift: float = _setting(
        0.0,
        "number",
        "bits added to the fitted threshold of the decision model (normalise.evidence): "
        "positive is stricter, negative bolder",
    )
    document_evidence: bool = _setting(
        True,
        "switch",
        "weigh the document's evidence for fuzzy candidates (the canonical name elsewhere "
        "in it, a surface it uses again and again)",
    )
    known_names: bool = _setting(
        True,
        "switch",
        "weigh whether a surface is itself a real name (the shipped lexicon of about a "
        "million places and person names, and the tables' [[name]] entries) against a "
        "fuzzy repair",
    )
    phonetic_cutoff: float = _setting(
        0.6,
        "fraction",
        "least similarity (1 - edits / length, on the folded letters) for any change with "
        "the same metaphone key, whatever the weighed evidence says; higher is stricter",
    )
    edit_cutoff: float = _setting(
        0.6,
        "fraction",
        "the same for weaker phonetic evidence: only the coarse sound or transliteration "
        "key agrees, or metaphone keys one step apart",
    )
    margin: float = _setting(
        0.02,
        "fraction",
        "refuse a fuzzy match when the runner-up (another entity) is within this much "
        "similarity of the best",
    )
    min_fuzzy_length: int = _setting(
        5,
        "count",
        "fewest letters and digits a span (and the name it resembles) needs for fuzzy matching",
    )
    min_edit_length: int = _setting(6, "count", "fewest letters and digits for an edit match")
    common_word_zipf: float = _setting(
        3.0,
        "number",
        "a word whose English Zipf frequency (from wordfreq) is at least this is a common "
        'word: a span made only of common words is never joined up ("Tic Tac" stays), nor '
        "given other capitals; inf switches it off (for fuzzy matches how common a word "
        "is is weighed, not a rule)",
    )
    known_word_zipf: float = _setting(
        1.5,
        "number",
        'a single word at least this frequent is a real word or name ("Newcastle"), never '
        "split up to match a name of several words",
    )
    density_weight: float = _setting(
        0.1,
        "fraction",
        "in a large table a real name lands near some entry by chance more often: the "
        "prior falls by the fitted number of bits per tenfold growth of the table, scaled "
        "by this over 0.1 (0.1 as fitted; 0 switches it off)",
    )
    min_caps_length: int = _setting(
        5,
        "count",
        'fewest letters an ALL-CAPS word needs before its capitals are repaired ("GOOGLE" '
        '-> "Google"); shorter ones are taken for acronyms',
    )
    max_span_words: int = _setting(
        6, "count", 'most words (including connectors such as "of") in one candidate'
    )
    document: bool = _setting(
        True,
        "switch",
        'fix later partial mentions ("Ms. Katz") of a person whose full name was fixed '
        'earlier in the same document ("Safra Katz" -> "Safra Catz")',
    )
    context: bool = _setting(
        True,
        "switch",
        "replace the variants a table lists under context_aliases (and word garbles with "
        "context) only when the document or sentence supports them",
    )
    honorifics: bool = _setting(
        True,
        "switch",
        'repair garbled honorifics ("Min. Ellison" -> "Mr. Ellison") before a person named '
        "in full in the same document",
    )
    words: bool = _setting(
        True, "switch", 'replace the word-level garbles of the tables ("fund-razor")'
    )
    typography: bool = _setting(
        True,
        "switch",
        "repair typographic artifacts: a space after a currency sign or before "
        "punctuation, doubled spaces inside a sentence",
    )

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            kind: Kind = f.metadata["kind"]
            if kind == "switch":
                ok = isinstance(value, bool)
            elif isinstance(value, bool):
                ok = False
            elif kind == "fraction":
                ok = isinstance(value, int | float) and 0.0 <= value <= 1.0
            elif kind == "number":
                ok = isinstance(value, int | float) and not math.isnan(value)
            else:
                ok = isinstance(value, int) and value >= 1
            if not ok:
                raise SettingsError(f"{f.name} must be {_KIND_RULE[kind]}, not {value!r}")

    def replace(self, **changes: object) -> Settings:
        """A copy with some settings changed (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


# The setting "aliases" (replace listed aliases) would clash with the option --aliases
# PATH (the old spelling of --table): its option, and its key in [tool.normalise], is
# "alias-matches" ("aliases = true/false" is still read there).
_OPTION_NAMES = {"aliases": "alias-matches"}


def option_name(setting: str) -> str:
    """The command-line option (without ``--``) and configuration key of a setting."""
    return _OPTION_NAMES.get(setting, setting.replace("_", "-"))


def setting_of(key: str) -> str | None:
    """The setting a configuration key names (spelled like the option, or with ``_``),
    or None."""
    name = key.replace("-", "_")
    for setting, option in _OPTION_NAMES.items():
        if key in (option, option.replace("-", "_")):
            return setting
    return name if name in Settings.__dataclass_fields__ else None


def setting_fields() -> list[dataclasses.Field[Any]]:
    """The settings, in order, each with ``metadata["kind"]`` and ``metadata["help"]``."""
    return list(dataclasses.fields(Settings))


def settings_help() -> dict[str, str]:
    """The help of each setting, from its metadata."""
    return {f.name: f.metadata["help"] for f in setting_fields()}


def settings_table() -> str:
    """The settings as a Markdown table (docs/library.md carries it; a test checks)."""
    rows = ["| setting | default | value | meaning |", "| --- | --- | --- | --- |"]
    for f in setting_fields():
        rows.append(
            f"| `{f.name}` | `{f.default!r}` | {_KIND_RULE[f.metadata['kind']]} "
            f"| {f.metadata['help']} |"
        )
    return "\n".join(rows) + "\n"


def settings_from_mapping(data: dict[str, object], source: str, base: Settings) -> Settings:
    """Settings from a config table (keys with ``-`` or ``_``), on top of ``base``.

    Raises ``SettingsError`` naming the source and the key for an unknown key or a bad
    value.
    """
    changes: dict[str, object] = {}
    fields = Settings.__dataclass_fields__
    for key, value in data.items():
        name = setting_of(key)
        if name is None:
            raise SettingsError(f"{source}: unknown setting {key!r}")
        if (
            fields[name].type in ("float", float)
            and isinstance(value, int)
            and not isinstance(value, bool)
        ):
            value = float(value)
        changes[name] = value
    try:
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]
    except SettingsError as e:
        raise SettingsError(f"{source}: {e}") from None
