"""Outputs: where the cleaned text goes, written so that nothing is ever half-written.

``WriteBack`` is the one choice of the ``clean`` command (standard output, a file,
the inputs in place, a check, a diff); ``write_back`` carries it out for one input,
whole or streamed alike. Files are written to a temporary file beside the target and
renamed over it only when complete (``atomic``).
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from .inputs import Cleaned, Record
from .render import unified_diff, word_diff


class WriteBack(enum.Enum):
    STDOUT = "stdout"  # the cleaned text to standard output
    FILE = "file"  # the cleaned text to -o PATH (one file for every input)
    IN_PLACE = "in-place"  # each input rewritten, only when it changes
    CHECK = "check"  # nothing written: which inputs would change
    DIFF = "diff"  # a unified diff of each input
    WORD_DIFF = "word-diff"  # the changed lines, with the changed words marked

    @property
    def is_diff(self) -> bool:
        return self in (WriteBack.DIFF, WriteBack.WORD_DIFF)

    @property
    def writes_text(self) -> bool:
        return self in (WriteBack.STDOUT, WriteBack.FILE)


@contextlib.contextmanager
def atomic(
    path: str, mode_from: str | None = None, keep: Callable[[], bool] = lambda: True
) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path`` and rename it over ``path`` only when
    everything was written: an interrupted or failed run leaves the old file intact.
    Nothing is renamed when ``keep()`` says so at the end (the file had no change)."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".normalise-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if not keep():
            os.unlink(tmp)
            return
        if mode_from is None and os.path.isfile(path):
            mode_from = path  # a file written over keeps its mode
        if mode_from is not None:
            os.chmod(tmp, os.stat(mode_from).st_mode & 0o7777)
        else:  # a new file gets the mode any program would give it: 0666 less the umask
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it back at once
    os.umask(mask)
    return mask


def to_bytes(report: str) -> bytes:
    """A report as UTF-8; bytes kept by --errors surrogateescape come out as they were."""
    return report.encode("utf-8", "surrogateescape")


def jsonl(record: Record) -> bytes:
    return to_bytes(json.dumps(record, ensure_ascii=False) + "\n")


def write_back(
    mode: WriteBack,
    item: Cleaned,
    target: IO[bytes],
    *,
    encoding: str,
    errors: str,
    color: bool = False,
    explain_to: IO[bytes] | None = None,
) -> tuple[int, bool]:
    """Carry out ``mode`` for one input; the number of changes and whether the text
    changed. A whole input is rewritten in place only when it changes; a streamed one
    is written to a temporary file as it goes, which is dropped when nothing changed."""
    if mode is WriteBack.IN_PLACE and item.piece is not None and item.piece[0] == item.piece[1]:
        return _explained(item.piece[2], explain_to), False  # unchanged: not rewritten
    count = 0
    changed = False
    with contextlib.ExitStack() as stack:
        sink: IO[bytes] | None = None
        if mode is WriteBack.IN_PLACE:
            sink = stack.enter_context(atomic(item.name, mode_from=item.name, keep=lambda: changed))
        elif mode.writes_text:
            sink = target
        befores: list[str] = []
        afters: list[str] = []
        for before, after, records in item.pieces():
            count += _explained(records, explain_to)
            changed = changed or after != before
            if sink is not None:
                sink.write(after.encode(encoding, errors))
            elif mode.is_diff:
                befores.append(before)
                afters.append(after)
        if mode.is_diff:
            show = unified_diff if mode is WriteBack.DIFF else word_diff
            diff = show(item.label, "".join(befores), "".join(afters), color=color)
            target.write(to_bytes(diff))
    return count, changed


def _explained(records: list[Record], explain_to: IO[bytes] | None) -> int:
    if explain_to is not None:
        for record in records:
            explain_to.write(jsonl(record))
    return len(records)
