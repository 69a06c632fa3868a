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
from .base import Doc, Shared


class Typography:
    name: ClassVar[str] = "typography"

    def __init__(self, shared: Shared) -> None:
        self.shared = shared

    @staticmethod
    def enabled(settings: Settings) -> bool:
        return settings.typography

    def run(self, doc: Doc) -> None:
        text, state, out = doc.text, doc.state, doc.out
        earlier = out.sorted()
        after = replay(text, earlier) if earlier else text
        code = Code(after, state.in_fence)
        state.in_fence = code.ends_in_fence
        found = sorted(fixes(after, code))
        if not found:
            return
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
        starts = [a for a, _ in spans]
        for f in found:
            i = bisect.bisect_right(starts, f.start) - 1
            if i >= 0 and f.start < spans[i][1]:
                continue  # inside the replacement of another change
            if i + 1 < len(spans) and spans[i + 1][0] < f.end:
                continue  # reaches into the next replacement
            moved = shifts[i] if i >= 0 else 0
            out.add(
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
