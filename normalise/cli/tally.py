"""Counting what a run did: the summary line on stderr and the exit status."""

from __future__ import annotations

import sys
import time

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


class Tally:
    """Inputs read, changes made, inputs changed, bad JSONL lines passed through, and
    the inputs ``--check`` found would change."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.inputs = self.changes = self.changed = self.bad = 0
        self.would_change: list[str] = []

    def add(self, label: str, changes: int, changed: bool, bad: int = 0, *, check: bool) -> None:
        self.inputs += 1
        self.changes += changes
        self.changed += changed
        self.bad += bad
        if check and changed:
            self.would_change.append(label)

    def summary(self) -> str:
        bad = f", {self.bad} bad lines passed through" if self.bad else ""
        return (
            f"normalise: {self.inputs} inputs, {self.changes} changes in {self.changed} "
            f"inputs{bad} ({time.perf_counter() - self.started:.2f} s)"
        )

    def report(self, quiet: bool) -> int:
        """Print what ``--check`` found and (unless ``quiet``) the summary line; return
        the exit status."""
        for label in self.would_change:
            print(f"would change: {label}", file=sys.stderr)
        if not quiet:
            print(self.summary(), file=sys.stderr)
        return EXIT_CHANGED if self.would_change else EXIT_OK
