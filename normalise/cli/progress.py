"""A progress line on standard error: done, of how many, the rate and the time left.

Shown only when standard error is a terminal (or with ``--progress``), redrawn at most
four times a second, and wiped when the run ends, so that logs and pipes never see it.
"""

from __future__ import annotations

import sys
import time


class Progress:
    """``update(done)`` redraws "normalise: 3.2/10.0 MB (32%), 4.1 MB/s, 2 s left";
    ``total`` None (standard input) leaves out the share and the time left. ``scale``
    divides the counts for display (1e6 for bytes shown as MB)."""

    def __init__(self, unit: str, total: int | None, *, enabled: bool, scale: float = 1.0) -> None:
        self.unit, self.total, self.enabled, self.scale = unit, total, enabled, scale
        self.started = time.perf_counter()
        self.last = self.started - 1.0  # the first update is drawn at once
        self.shown = False
        self.step = ""  # what is being done, when an input is read more than once

    def _fmt(self, n: float) -> str:
        return f"{n / self.scale:,.1f}" if self.scale != 1 else f"{int(n):,}"

    def update(self, done: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self.last < 0.25:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        line = f"normalise: {self.step}{self._fmt(done)}"
        if self.total:
            line += f"/{self._fmt(self.total)} {self.unit} ({100 * done / self.total:.0f}%)"
        else:
            line += f" {self.unit}"
        line += f", {self._fmt(rate)} {self.unit}/s"
        if self.total and rate > 0:
            line += f", {max(self.total - done, 0) / rate:.0f} s left"
        sys.stderr.write(f"\r{line}\033[K")
        sys.stderr.flush()
        self.shown = True

    def restart(self, step: str) -> None:
        """Count again from nothing, for ``step`` ("read 2: "), at the same total."""
        self.step = step
        self.started = time.perf_counter()
        self.last = self.started - 1.0

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False
