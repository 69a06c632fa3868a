"""Small immutable result types."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple, get_args

from .errors import InputError, NormaliseError
from .evidence import Evidence

Method = Literal[
    "exact",
    "keep",
    "alias",
    "case",
    "compact",
    "phonetic",
    "edit",
    "document",
    "context",
    "honorific",
    "word",
    "typography",
]
"""How a name was recognised.

- ``exact``: already a canonical name; never a change.
- ``keep``: another correct name of the entity that the table keeps as written ("Douyin"
  for TikTok, "Nato" beside "NATO"); never a change (``normalise match`` only).
- ``alias``: a known variant listed in the table (case-insensitive).
- ``case``: the canonical name with damaged capitals ("Tiktok", "GOOGLE").
- ``compact``: the canonical name split or joined differently ("Tik Tok", "Tik-Tok").
- ``phonetic``: same phonetic key and close spelling ("Bytdance", "Pytedance").
- ``edit``: phonetic keys one step apart and a small edit distance ("Salesfalrce").

The passes after the name pass (``normalise.passes``) add methods that look beyond one name:

- ``document``: a later partial mention of a name fixed earlier in the same document
  ("Safra Katz" -> "Safra Catz", then "Ms. Katz" -> "Ms. Catz").
- ``context``: a variant the table lists as needing support, and the document (or
  sentence) gives it ("Tick Tock" -> "TikTok" in a story about the app).
- ``honorific``: a garbled honorific before a person known in the document
  ("Min. Ellison" -> "Mr. Ellison").
- ``word``: a known word-level garble that is not a name ("fund-razor" -> "fundraiser").
- ``typography``: a typographic artifact ("$ 20 billion" -> "$20 billion").
"""

METHODS: tuple[Method, ...] = get_args(Method)
_NO_CHANGE = frozenset({"exact", "keep"})


class Match(NamedTuple):
    """The best canonical match for one name.

    For a fuzzy match (``phonetic`` or ``edit``), ``score`` is the probability of a
    garble that the weighed evidence gives (see ``normalise.evidence`` and
    ``Normaliser.why``); 1.0 for exact, alias, case and compact evidence.
    """

    name: str
    canonical: str
    method: Method
    score: float

    @property
    def is_change(self) -> bool:
        """True when the name would be rewritten in running text."""
        return self.method not in _NO_CHANGE


class Change(NamedTuple):
    """One rewrite of a span of the original text.

    ``start`` and ``end`` are character offsets into the original string;
    ``original == text[start:end]``.
    """

    start: int
    end: int
    original: str
    replacement: str
    canonical: str
    method: Method
    score: float
    evidence: tuple[Evidence, ...] = ()
    support: str = ""  # a context change: the word of the document that supported it

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Change:
        """A change from its JSON form (see ``change_from_dict``)."""
        return change_from_dict(record)

    def to_dict(self) -> dict[str, object]:
        """The JSON-ready form used by ``normalise explain --format jsonl``: the fields
        above, with ``evidence`` as a list of ``{comparison, level, weight}`` (empty for
        changes that need no weighing, such as listed aliases), and for a context change
        ``support``, the word of the document that supported it."""
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "canonical": self.canonical,
            "method": self.method,
            "score": self.score,
            "evidence": [e.to_dict() for e in self.evidence],
            **({"support": self.support} if self.support else {}),
        }


_RECORD_TYPES: dict[str, type | tuple[type, ...]] = {
    "start": int,
    "end": int,
    "original": str,
    "replacement": str,
    "canonical": str,
    "method": str,
    "score": (int, float),
}


def change_from_dict(record: Mapping[str, Any]) -> Change:
    """A ``Change`` from its JSON form (``Change.to_dict``, a line of ``normalise explain
    --format jsonl``): ``start``, ``end``, ``original`` and ``replacement`` are needed;
    ``canonical`` defaults to the replacement, ``method`` to ``alias``, ``score`` to 1.
    Raises ``InputError`` (a ``ValueError``) naming the key for a missing key or a value
    of the wrong type.
    """
    if not isinstance(record, Mapping):
        raise InputError(f"a change must be a JSON object, not {type(record).__name__}")
    for key in ("start", "end", "original", "replacement"):
        if key not in record:
            raise InputError(f"missing key {key!r}")
    for key, kind in _RECORD_TYPES.items():
        if key in record and (not isinstance(record[key], kind) or isinstance(record[key], bool)):
            raise InputError(f"{key} must be {_type_name(kind)}, not {record[key]!r:.60}")
    method = record.get("method", "alias")
    if method not in METHODS:
        raise InputError(f"unknown method {method!r:.60} (known: {', '.join(METHODS)})")
    evidence = record.get("evidence", [])
    try:
        items = tuple(
            Evidence(str(e["comparison"]), str(e["level"]), float(e["weight"])) for e in evidence
        )
    except (TypeError, KeyError, ValueError):
        raise InputError(
            f"evidence must be a list of {{comparison, level, weight}}, not {evidence!r:.60}"
        ) from None
    return Change(
        record["start"],
        record["end"],
        record["original"],
        record["replacement"],
        record.get("canonical", record["replacement"]),
        method,
        float(record.get("score", 1.0)),
        items,
        support if isinstance(support := record.get("support", ""), str) else "",
    )


def _type_name(kind: type | tuple[type, ...]) -> str:
    return "a number" if isinstance(kind, tuple) else {int: "a whole number", str: "a string"}[kind]


def replay(text: str, changes: Sequence[Change]) -> str:
    """Apply explanation records to the original text, reproducing the cleaned text.

    Raises ``NormaliseError`` when the records do not fit the text (overlapping, out of
    order, or an ``original`` that is not what the text holds at that span).
    """
    out: list[str] = []
    pos = 0
    for ch in changes:
        if ch.start < pos or ch.end < ch.start or text[ch.start : ch.end] != ch.original:
            raise NormaliseError(f"change does not fit the text: {ch!r}")
        out.append(text[pos : ch.start])
        out.append(ch.replacement)
        pos = ch.end
    out.append(text[pos:])
    return "".join(out)
