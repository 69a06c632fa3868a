"""Counting what a run did: the summary line on stderr and the exit status."""

from __future__ import annotations

import sys
import time
import unicodedata

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


def printable(message: str) -> str:
    """``message`` with control and format characters escaped (``\\x1b``, ``\\n``), so that
    a file name or a table's content cannot drive the terminal or forge a line."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        else ch
        for ch in message
    )


def say(message: str) -> None:
    """One line on standard error, made printable."""
    print(printable(message), file=sys.stderr)


def plural(count: int, noun: str) -> str:
    """ "1 input", "2 inputs", "1,000 records"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


class Tally:
    """Inputs read, changes made, inputs changed; for JSONL inputs, records read and
    changed and bad lines passed through; and the inputs ``--check`` found would
    change."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.inputs = self.changes = self.changed = self.bad = 0
        self.records = self.changed_records = 0
        self.jsonl = False
        self.would_change: list[str] = []
        self.written: list[str] = []  # inputs rewritten in place

    def report_partial(self) -> None:
        """After an error: which inputs were already rewritten in place, exactly."""
        if self.written:
            shown = ", ".join(self.written[:20]) + (", ..." if len(self.written) > 20 else "")
            say(
                f"normalise: before the error, {plural(len(self.written), 'input')} "
                f"had been rewritten in place: {shown}",
            )

    def add(
        self,
        label: str,
        changes: int,
        changed: bool,
        bad: int = 0,
        *,
        check: bool,
        records: tuple[int, int] | None = None,
    ) -> None:
        """One input: its changes, whether its text changed, its bad lines, and for a
        JSONL input ``records`` = (records read, records changed)."""
        self.inputs += 1
        self.changes += changes
        self.changed += changed
        self.bad += bad
        if records is not None:
            self.jsonl = True
            self.records += records[0]
            self.changed_records += records[1]
        if check and changed:
            self.would_change.append(label)

    def summary(self) -> str:
        """ "normalise: 1 input, 29 changes in 1 input (0.08 s)"; for JSONL, "normalise:
        2 inputs, 40 records, 3 changes in 2 records (0.10 s)"."""
        bad = f", {plural(self.bad, 'bad line')} passed through" if self.bad else ""
        if self.jsonl:
            where = plural(self.changed_records, "record")
            read = f"{plural(self.inputs, 'input')}, {plural(self.records, 'record')}"
        else:
            where = plural(self.changed, "input")
            read = plural(self.inputs, "input")
        return (
            f"normalise: {read}, {plural(self.changes, 'change')} in {where}{bad} "
            f"({time.perf_counter() - self.started:.2f} s)"
        )

    def report(self, quiet: bool) -> int:
        """Print what ``--check`` found and (unless ``quiet``) the summary line; return
        the exit status."""
        for label in self.would_change:
            say(f"would change: {label}")
        if not quiet:
            for label in self.written:
                say(f"rewrote: {label}")  # --in-place: the files it changed, as black says
            say(self.summary())
        return EXIT_CHANGED if self.would_change else EXIT_OK
