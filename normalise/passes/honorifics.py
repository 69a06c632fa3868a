"""The honorifics pass: a garbled honorific before a person the document names.

A garbled honorific ("Min.") before the surname of a person named in full in the
document becomes that person's honorific (method ``honorific``): the table's
``honorific``, else the one the document uses for them, else what the garble
``means``. Two people of one surname with different honorifics: left alone.
"""

from __future__ import annotations

from typing import ClassVar

import regex

from ..config import Settings
from ..models import Change
from ..scan import in_url_or_handle
from .base import EDGE_R, PERSONAL_HONORIFICS, Shared, Work, matches

_PERSONAL = "|".join(rf"{h}\.?" for h in PERSONAL_HONORIFICS)


class Honorifics:
    name: ClassVar[str] = "honorifics"

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.pattern = None
        if shared.honorifics:
            alternation = "|".join(
                regex.escape(g) for g in sorted(shared.honorifics, key=len, reverse=True)
            )
            self.pattern = regex.compile(
                rf"(?<![\p{{L}}\p{{M}}\p{{N}}.])(?P<h>{alternation})(?![\p{{L}}\p{{N}}])"
                rf"[ \u00a0]+(?P<name>\p{{Lu}}[\p{{L}}\p{{M}}]+)"
            )
            shared.add_literals(alternation)

    @staticmethod
    def enabled(settings: Settings) -> bool:
        return settings.honorifics

    def run(self, work: Work) -> None:
        if self.pattern is None:
            return
        shared = self.shared
        state, out = work.state, work.out
        found: list[tuple[int, int, str, str]] = []  # (start, end, garble, surname)
        used: dict[str, str] = {}  # surname -> the first real honorific before it
        for doc in work.pieces():
            text, offset = doc.text, doc.offset
            _, at = shared.starts(doc)
            for m in matches(self.pattern, text, at):
                start, end = m.span("h")
                if out.overlaps(offset + start, offset + end) or in_url_or_handle(text, start, end):
                    continue
                name = m.group("name")
                anchor = state.anchors.get(name)
                surname = anchor[0] if anchor is not None else name
                if surname in shared.surnames:
                    found.append((offset + start, offset + end, m.group("h"), surname))
            for m in _PERSONAL_BEFORE.finditer(text):
                # The word, and each start of it before an apostrophe ("Katz" of
                # "Katz's"): a surname is followed by no letter.
                word = m.group(2)
                for cut in (len(word), *(i for i, ch in enumerate(word) if ch in "'’")):
                    used.setdefault(word[:cut], m.group(1))
        if not found:
            return
        candidates = {eid for *_, surname in found for eid in shared.surnames[surname]}
        named = shared.mentioned({eid for eid in candidates if eid not in state.persons}, work)
        for start, end, written, surname in found:
            people = [
                eid
                for eid in shared.surnames.get(surname, ())
                if eid in state.persons or eid in named
            ]
            if not people:
                continue
            for eid in people:
                state.persons.add(eid)
            garble = shared.honorifics[written]
            titles = {self._honorific_of(eid, surname, used, garble.means) for eid in people}
            if len(titles) != 1:
                continue  # unknown, or two people of that surname with different ones
            title = titles.pop()
            if title is None or title == written:
                continue
            canonical = shared.entities[people[0]].canonical
            out.add(Change(start, end, written, title, canonical, "honorific", 1.0))

    def _honorific_of(
        self, eid: int, surname: str, used: dict[str, str], means: str | None
    ) -> str | None:
        own = self.shared.entities[eid].honorific
        if own is not None:
            return own
        return used.get(surname) or means


# A real honorific before a word (the first such of each word is the one the document
# uses for that person).
_WORD = r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*"
_PERSONAL_BEFORE = regex.compile(rf"(?<![\p{{L}}])({_PERSONAL})[ \u00a0]+({_WORD}){EDGE_R}")
