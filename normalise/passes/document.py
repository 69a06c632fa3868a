"""The document pass: a garbled part of a person's name, fixed where the full name was.

Once a person's full name was fixed ("Safra Katz" -> "Safra Catz"), later mentions of
the garbled part alone ("Ms. Katz", "Katz said") get the same fix (method
``document``, with the anchor's score); so do they after the full name written
correctly, when the table lists the garbled full name as an alias (score 1). A surname
alone never changes without such an anchor earlier in the same document, nor when it is
part of another name ("Alex Katz", "Katz's Delicatessen"). One garble anchored to two
different people is left alone.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

import regex

from ..config import Settings
from ..keys import fold
from ..models import Change
from ..scan import TOKEN, in_url_or_handle
from .base import EDGE_L, EDGE_R, HONORIFICS, NAME_METHODS, Shared, Work

_PREV = regex.compile(r"(\S+)[ \u00a0]+\Z")
_NEXT = regex.compile(r"(?:['’]s)?[ \u00a0]+(\S)")


class Document:
    name: ClassVar[str] = "document"

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        # A listed alias of a person that differs from the full name in one word ("Safra
        # Katz" for "Safra Catz") makes that word a garble of the person's: where the
        # document names the person correctly, a later "Ms. Katz" is "Ms. Catz", as it
        # would be after a repaired full name.
        self._parts: dict[str, list[tuple[str, str]]] = {}
        for e in shared.entities:
            if e.kind != "person":
                continue
            own = TOKEN.findall(e.canonical)
            for alias in e.aliases:
                words = TOKEN.findall(alias)
                if len(words) != len(own) or len(own) < 2:
                    continue
                differ = [(a, b) for a, b in zip(words, own, strict=True) if fold(a) != fold(b)]
                if len(differ) == 1 and len(differ[0][0]) >= 3 and differ[0][0][:1].isupper():
                    self._parts.setdefault(e.canonical, []).append(differ[0])
        self._named: regex.Pattern[str] | None = (
            regex.compile(f"{EDGE_L}(?:{'|'.join(regex.escape(n) for n in self._parts)}){EDGE_R}")
            if self._parts
            else None
        )

    @staticmethod
    def enabled(settings: Settings) -> bool:
        return settings.document

    def run(self, work: Work) -> None:
        shared = self.shared
        state, out = work.state, work.out
        start_of: dict[str, int] = {}  # anchors learnt in this document: where they end
        for c in out.sorted():
            if c.method not in NAME_METHODS:
                continue
            eid = shared.entity_of.get(c.canonical)
            if eid is None or shared.entities[eid].kind != "person":
                continue
            old_words = TOKEN.findall(c.original)
            new_words = TOKEN.findall(c.replacement)  # as written: "SAFRA CATZ" in a headline
            if len(old_words) < 2 or len(old_words) != len(new_words):
                continue
            for old, new in zip(old_words, new_words, strict=True):
                if fold(old) == fold(new) or len(old) < 3 or not old[:1].isupper():
                    continue
                if old in state.ambiguous:
                    continue
                known = state.anchors.get(old)
                if known is not None and known[0] != new:
                    state.ambiguous.add(old)  # one garble, two people: leave it alone
                    del state.anchors[old]
                    continue
                if known is None:
                    state.anchors[old] = (new, c.canonical, c.score)
                    start_of[old] = c.end
        if self._named is not None:
            # The person named correctly: as written, or by a repair of the name pass
            # ("Zafra Catz" -> "Safra Catz": a second run reads the name as written).
            named = [
                (doc.offset + m.start(), doc.offset + m.end(), m.group(), 1.0)
                for doc in work.pieces()
                for m in self._named.finditer(doc.text)
            ]
            named += [
                (c.start, c.end, c.replacement, c.score)
                for c in out.sorted()
                if c.method in NAME_METHODS and c.replacement in self._parts
            ]
            for _, end, name, score in sorted(named):
                for old, new in self._parts[name]:
                    if old in state.ambiguous:
                        continue
                    known = state.anchors.get(old)
                    if known is not None:
                        if known[0] != new:  # one garble, two people: leave it alone
                            state.ambiguous.add(old)
                            del state.anchors[old]
                        continue
                    state.anchors[old] = (new, name, score)
                    start_of[old] = end
        if not state.anchors:
            return
        pattern = regex.compile(
            f"{EDGE_L}(?:{'|'.join(regex.escape(a) for a in state.anchors)}){EDGE_R}"
        )
        for doc in work.pieces():
            text, offset = doc.text, doc.offset
            for m in pattern.finditer(text):
                word = m.group()
                start, end = m.span()
                anchor = state.anchors.get(word)
                if anchor is None or offset + start < start_of.get(word, 0):
                    continue  # only mentions after the anchor
                if out.overlaps(offset + start, offset + end) or in_url_or_handle(text, start, end):
                    continue
                if in_other_name(text, start, end, shared.honorifics.keys()):
                    continue
                new, canonical, score = anchor
                out.add(
                    Change(offset + start, offset + end, word, new, canonical, "document", score)
                )


def in_other_name(text: str, start: int, end: int, garbles: Collection[str]) -> bool:
    """True when the word at ``text[start:end]`` is part of a longer capitalised name:
    a capitalised word before it that is not an honorific and does not end a sentence
    ("Alex Katz"), or a capitalised word after it ("Katz's Delicatessen")."""
    prev = _PREV.search(text, max(0, start - 40), start)
    if prev is not None:
        word = prev.group(1)
        if (
            word[:1].isupper()
            and word.rstrip(".") not in HONORIFICS
            and word not in garbles
            and not word.endswith((".", "!", "?", ":", ";", ",", '"', "”", ")"))
        ):
            return True
    after = _NEXT.match(text, end, min(len(text), end + 40))
    return after is not None and after.group(1).isupper()
