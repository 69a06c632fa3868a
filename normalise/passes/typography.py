"""The typography pass: spacing and punctuation defects of MT output (the rules are in
``normalise.typography``), judged on the text as the other passes leave it, so that a
second run finds nothing more ("spread  Corona virus" becomes "spread coronavirus" in
one run), and mapped back to offsets in the original text."""

from __future__ import annotations

import bisect
from typing import ClassVar

from ..config import Settings
from ..models import Change, replay
from ..typography import Code, fixes
from .base import DocState, Shared, Work


class Typography:
    name: ClassVar[str] = "typography"

    def __init__(self, shared: Shared) -> None:
        self.shared = shared

    @staticmethod
    def enabled(settings: Settings) -> bool:
        return settings.typography

    def run(self, work: Work) -> None:
        state, out = work.state, work.out
        everything = out.sorted()
        starts = [c.start for c in everything]
        for doc in work.pieces():
            lo = bisect.bisect_left(starts, doc.offset)
            hi = bisect.bisect_left(starts, doc.offset + len(doc.text))
            earlier = [
                c._replace(start=c.start - doc.offset, end=c.end - doc.offset)
                for c in everything[lo:hi]
            ]
            for c in self._fixes(doc.text, earlier, state):
                out.add(c._replace(start=c.start + doc.offset, end=c.end + doc.offset))

    def _fixes(self, text: str, earlier: list[Change], state: DocState) -> list[Change]:
        """The typographic fixes of one piece, judged on it with the ``earlier``
        changes made, at offsets in the piece."""
        after = replay(text, earlier) if earlier else text
        code = Code(after, state.in_fence)
        state.in_fence = code.ends_in_fence
        found = sorted(fixes(after, code))
        if not found:
            return []
        # Where each earlier change lies in ``after``: (start, end, shift before it).
        spans = []
        shift = 0
        for c in earlier:
            spans.append((c.start + shift, c.start + shift + len(c.replacement)))
            shift += len(c.replacement) - (c.end - c.start)
        shifts = []
        shift = 0
        for c in earlier:
            shift += len(c.replacement) - (c.end - c.start)
            shifts.append(shift)  # the shift after change i
        begins = [a for a, _ in spans]
        out: list[Change] = []
        for f in found:
            i = bisect.bisect_right(begins, f.start) - 1
            if i >= 0 and f.start < spans[i][1]:
                continue  # inside the replacement of another change
            if i + 1 < len(spans) and spans[i + 1][0] < f.end:
                continue  # reaches into the next replacement
            moved = shifts[i] if i >= 0 else 0
            out.append(
                Change(
                    f.start - moved,
                    f.end - moved,
                    f.original,
                    f.replacement,
                    f.rule,
                    "typography",
                    1.0,
                )
            )
        return out
