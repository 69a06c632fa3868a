"""One frozen, keyword-only settings object for all matching knobs."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from .errors import SettingsError


@dataclass(frozen=True, kw_only=True, slots=True)
class Settings:
    """Every matching option, validated on construction.

    Each default is chosen for precision first; see the README for the measurements.

    Attributes:
        aliases: replace listed aliases ("Tickcock" -> "TikTok").
        case: repair damaged capitals of a canonical name ("Tiktok" -> "TikTok").
        compact: repair split or joined forms of a canonical name ("Tik Tok" -> "TikTok").
        phonetic: allow fuzzy matches whose phonetic keys are equal.
        edit: allow fuzzy matches whose phonetic keys differ by one step.
        threshold_shift: bits added to the fitted threshold of the decision model
            (``normalise.evidence``): positive is stricter, negative bolder.
        document_evidence: weigh the document's evidence for fuzzy candidates (the
            canonical name elsewhere in it, a surface it uses again and again).
        phonetic_cutoff: least similarity (1 - edits / length, on the folded letters)
            for any change with the same metaphone key, whatever the weighed evidence
            says. Higher is stricter.
        edit_cutoff: the same for weaker phonetic evidence: only the coarse sound or
            transliteration key agrees, or metaphone keys one step apart.
        margin: refuse a fuzzy match when the runner-up (another entity) is within
            this much similarity of the best.
        min_fuzzy_length: fewest letters and digits a span (and the name it resembles)
            needs for fuzzy matching.
        min_edit_length: fewest letters and digits for an ``edit`` match.
        common_word_zipf: a word whose English Zipf frequency (from ``wordfreq``) is at
            least this is a common word: a span made only of common words is never
            joined up ("Tic Tac" stays), nor given other capitals. ``math.inf`` switches
            it off. (For fuzzy matches how common a word is is weighed, not a rule.)
        known_word_zipf: a single word at least this frequent is a real word or name
            ("Newcastle"), never split up to match a name of several words.
        density_weight: in a large table a real name lands near some entry by chance
            more often: the prior falls by the fitted number of bits per tenfold growth
            of the table, scaled by this over 0.1 (0.1, the default, as fitted; 0
            switches it off).
        min_caps_length: fewest letters an ALL-CAPS word needs before its capitals are
            repaired ("GOOGLE" -> "Google"); shorter ones are taken for acronyms.
        max_span_words: most words (including connectors such as "of") in one candidate.
        document: fix later partial mentions ("Ms. Katz") of a person whose full name
            was fixed earlier in the same document ("Safra Katz" -> "Safra Catz").
        context: replace the variants a table lists under context_aliases (and word
            garbles with context) only when the document or sentence supports them.
        honorifics: repair garbled honorifics ("Min. Ellison" -> "Mr. Ellison") before a
            person named in full in the same document.
        words: replace the word-level garbles of the tables ("fund-razor").
        typography: repair typographic artifacts: a space after a currency sign or
            before punctuation, doubled spaces inside a sentence.
    """

    aliases: bool = True
    case: bool = True
    compact: bool = True
    phonetic: bool = True
    edit: bool = True
    threshold_shift: float = 0.0
    document_evidence: bool = True
    phonetic_cutoff: float = 0.6
    edit_cutoff: float = 0.6
    margin: float = 0.02
    min_fuzzy_length: int = 5
    min_edit_length: int = 6
    common_word_zipf: float = 3.0
    known_word_zipf: float = 1.5
    density_weight: float = 0.1
    min_caps_length: int = 5
    max_span_words: int = 6
    document: bool = True
    context: bool = True
    honorifics: bool = True
    words: bool = True
    typography: bool = True

    def __post_init__(self) -> None:
        for name in (f.name for f in dataclasses.fields(self) if f.type in ("bool", bool)):
            if not isinstance(getattr(self, name), bool):
                raise SettingsError(f"{name} must be true or false, not {getattr(self, name)!r}")
        for name in ("phonetic_cutoff", "edit_cutoff", "margin", "density_weight"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not 0.0 <= value <= 1.0
            ):
                raise SettingsError(f"{name} must be a number from 0 to 1, not {value!r}")
        for name in ("common_word_zipf", "known_word_zipf", "threshold_shift"):
            zipf = getattr(self, name)
            if isinstance(zipf, bool) or not isinstance(zipf, int | float) or math.isnan(zipf):
                raise SettingsError(f"{name} must be a number, not {zipf!r}")
        for name, low in (
            ("min_fuzzy_length", 1),
            ("min_edit_length", 1),
            ("min_caps_length", 1),
            ("max_span_words", 1),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise SettingsError(f"{name} must be a whole number >= {low}, not {value!r}")

    def replace(self, **changes: object) -> Settings:
        """A copy with some settings changed (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def settings_help() -> dict[str, str]:
    """One line of help for each setting, taken from the ``Settings`` docstring."""
    doc = Settings.__doc__ or ""
    body = doc.split("Attributes:", 1)[1]
    out: dict[str, str] = {}
    current = None
    for line in body.splitlines():
        stripped = line.strip()
        head, sep, rest = stripped.partition(": ")
        if sep and head in Settings.__dataclass_fields__:
            current = head
            out[current] = rest.replace("``", "")
        elif stripped and current is not None:
            out[current] += " " + stripped.replace("``", "")
    return out


def settings_from_mapping(data: dict[str, object], source: str, base: Settings) -> Settings:
    """Settings from a config table (keys with ``-`` or ``_``), on top of ``base``.

    Raises ``SettingsError`` naming the source and the key for an unknown key or a bad
    value.
    """
    changes: dict[str, object] = {}
    fields = Settings.__dataclass_fields__
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in fields:
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
