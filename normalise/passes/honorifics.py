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
from .base import EDGE_R, PERSONAL_HONORIFICS, Doc, Shared, matches

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

    def run(self, doc: Doc) -> None:
        if self.pattern is None:
            return
        shared = self.shared
        text, state, out = doc.text, doc.state, doc.out
        _, at = shared.starts(doc)
        for m in matches(self.pattern, text, at):
            start, end = m.span("h")
            if out.overlaps(start, end) or in_url_or_handle(text, start, end):
                continue
            name = m.group("name")
            anchor = state.anchors.get(name)
            surname = anchor[0] if anchor is not None else name
            people = [
                eid
                for eid in shared.surnames.get(surname, ())
                if eid in state.persons or shared.mentioned(eid, doc)
            ]
            if not people:
                continue
            for eid in people:
                state.persons.add(eid)
            garble = shared.honorifics[m.group("h")]
            titles = {self._honorific_of(eid, surname, doc, garble.means) for eid in people}
            if len(titles) != 1:
                continue  # unknown, or two people of that surname with different ones
            title = titles.pop()
            if title is None or title == m.group("h"):
                continue
            canonical = shared.entities[people[0]].canonical
            out.add(Change(start, end, m.group("h"), title, canonical, "honorific", 1.0))

    def _honorific_of(self, eid: int, surname: str, doc: Doc, means: str | None) -> str | None:
        own = self.shared.entities[eid].honorific
        if own is not None:
            return own
        if surname not in doc.used_honorific:
            doc.used_honorific[surname] = _used_honorific(surname, doc.text)
        return doc.used_honorific[surname] or means


def _used_honorific(surname: str, text: str) -> str | None:
    """The first real honorific the document puts before ``surname``."""
    used = regex.search(
        rf"(?<![\p{{L}}])({_PERSONAL})[ \u00a0]+{regex.escape(surname)}{EDGE_R}",
        text,
    )
    return used.group(1) if used is not None else None
