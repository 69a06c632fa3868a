"""Outputs: where the cleaned text goes, written so that nothing is ever half-written.

``WriteBack`` is the one choice of the ``clean`` command (standard output, a file,
the inputs in place, a check, a diff); ``write_back`` carries it out for one input,
whole or streamed alike. Files are written to a temporary file beside the target and
renamed over it only when complete (``atomic``).
"""

from __future__ import annotations

import codecs
import contextlib
import enum
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO, Protocol

from ..errors import InputError
from .inputs import Cleaned, Record, json_text
from .render import unified_diff, word_diff


class Sink(Protocol):
    """Where a report or cleaned text goes: a file, standard output."""

    def write(self, data: bytes, /) -> int: ...


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


def _standard_stream_of(file: os.stat_result) -> int | None:
    """The standard stream (1 or 2) that is open on ``file``, if one is."""
    for fd in (1, 2):
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (file.st_dev, file.st_ino):
            return fd
    return None


@contextlib.contextmanager
def atomic(
    path: str,
    *,
    keep: Callable[[], bool] = lambda: True,
    expect: os.stat_result | None = None,
) -> Iterator[IO[bytes]]:
    """Write ``path`` so that an interrupted or failed run leaves the old file intact.

    A regular file (or a new one) is written to a temporary file beside it and renamed
    over it only when everything was written, and only when ``keep()`` says so at the
    end (the text changed). A symbolic link is written through, to its target. The file
    keeps its mode, owner, group and extended attributes where the filesystem allows (a
    setuid or setgid bit only with its owner); a new file gets 0666 less the umask. With
    ``expect`` (the file as it was read), a file that another program changed in the
    meantime is left as it is, with an error. A file with several hard links is refused:
    a rename would cut it off from the others. Anything else (a device, a FIFO,
    ``/dev/stdout``) is written directly, never replaced.
    """
    try:
        before = os.stat(path)  # through symbolic links
    except FileNotFoundError:
        before = None
    except OSError as e:
        raise InputError(f"{path}: cannot write: {e.strerror}") from None
    if before is not None and not stat.S_ISREG(before.st_mode):
        with open(path, "wb") as direct:
            yield direct
        return
    stream = _standard_stream_of(before) if before is not None else None
    if stream is not None:
        # The file standard output or error is redirected to ("-o /dev/stdout >> log"):
        # written through that stream, in its mode (appending stays appending), never
        # replaced.
        with os.fdopen(os.dup(stream), "wb") as through:
            yield through
        return
    if before is not None and before.st_nlink > 1:
        raise InputError(
            f"{path}: has {before.st_nlink} hard links; rewriting it would cut it off from "
            "the others (write the cleaned text elsewhere with -o, then copy it over)"
        )
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".normalise-", suffix=".tmp")
    except OSError as e:
        raise InputError(f"{path}: cannot write beside it: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if not keep():
            os.unlink(tmp)
            return
        if expect is not None:
            now = os.stat(real)
            if (now.st_ino, now.st_size, now.st_mtime_ns) != (
                expect.st_ino,
                expect.st_size,
                expect.st_mtime_ns,
            ):
                os.unlink(tmp)
                raise InputError(
                    f"{path}: changed by another program while normalise was cleaning it; "
                    "left as it is"
                )
        if before is not None:
            _copy_metadata(real, tmp, before)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, real)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            # Name the user's file, not the temporary one.
            raise OSError(e.errno, e.strerror, path) from None
        raise


def _copy_metadata(source: str, tmp: str, before: os.stat_result) -> None:
    """Owner, group, mode and extended attributes of ``source`` onto ``tmp``."""
    mode = stat.S_IMODE(before.st_mode)
    same_owner = True
    if hasattr(os, "chown"):
        try:
            os.chown(tmp, before.st_uid, before.st_gid)
        except OSError:
            now = os.stat(tmp)
            same_owner = (now.st_uid, now.st_gid) == (before.st_uid, before.st_gid)
    if not same_owner:
        mode &= ~(stat.S_ISUID | stat.S_ISGID)  # never a setuid bit on a changed owner
    os.chmod(tmp, mode)
    if hasattr(os, "listxattr"):
        with contextlib.suppress(OSError):
            for name in os.listxattr(source):
                with contextlib.suppress(OSError):
                    os.setxattr(tmp, name, os.getxattr(source, name))


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it back at once
    os.umask(mask)
    return mask


def to_bytes(report: str) -> bytes:
    """A report as UTF-8; bytes kept by --errors surrogateescape come out as they were."""
    return report.encode("utf-8", "surrogateescape")


def jsonl(record: Record) -> bytes:
    return to_bytes(json_text(record) + "\n")


def write_back(
    mode: WriteBack,
    item: Cleaned,
    target: Sink,
    *,
    encoding: str,
    errors: str,
    color: bool = False,
    explain_to: IO[bytes] | None = None,
    seen: Counter[tuple[str, str, str]] | None = None,
) -> tuple[int, bool]:
    """Carry out ``mode`` for one input; the number of changes and whether the text
    changed. A whole input is rewritten in place only when it changes; a streamed one
    is written to a temporary file as it goes, which is dropped when nothing changed."""
    if mode is WriteBack.IN_PLACE and item.piece is not None and item.piece[0] == item.piece[1]:
        return _explained(item.piece[2], explain_to, seen), False  # unchanged: not rewritten
    # A whole input is encoded once, before anything is opened for writing: a
    # replacement the encoding cannot hold fails first.
    encoded = None
    if item.piece is not None and (mode is WriteBack.IN_PLACE or mode.writes_text):
        encoded = _encode(item.label, item.piece[1], encoding, errors)
    count = 0
    changed = False
    # One encoder for the whole input: a byte-order mark (utf-16, utf-8-sig) comes once,
    # at its start, however many pieces a stream has.
    encoder = codecs.getincrementalencoder(encoding)(errors)
    with contextlib.ExitStack() as stack:
        sink: Sink | None = None
        if mode is WriteBack.IN_PLACE:
            sink = stack.enter_context(atomic(item.name, keep=lambda: changed, expect=item.state))
        elif mode.writes_text:
            sink = target
        befores: list[str] = []
        afters: list[str] = []
        for before, after, records in item.pieces():
            count += _explained(records, explain_to, seen)
            changed = changed or after != before
            if sink is not None:
                sink.write(
                    encoded
                    if encoded is not None
                    else _encode(item.label, after, encoding, errors, encoder)
                )
            elif mode.is_diff:
                befores.append(before)
                afters.append(after)
        if sink is not None and encoded is None:
            sink.write(encoder.encode("", final=True))
        if mode.is_diff:
            show = unified_diff if mode is WriteBack.DIFF else word_diff
            diff = show(item.label, "".join(befores), "".join(afters), color=color)
            target.write(to_bytes(diff))
    return count, changed


def encodable(label: str, text: str, encoding: str, errors: str) -> None:
    """Raise the error writing would raise when ``text`` cannot be written in
    ``encoding`` (checked for every output before any is written)."""
    _encode(label, text, encoding, errors)


def _encode(
    label: str,
    text: str,
    encoding: str,
    errors: str,
    encoder: codecs.IncrementalEncoder | None = None,
) -> bytes:
    try:
        return encoder.encode(text) if encoder is not None else text.encode(encoding, errors)
    except UnicodeEncodeError as e:
        raise InputError(
            f"{label}: the cleaned text cannot be written in {encoding}: "
            f"{e.object[e.start : e.end]!r} at character {e.start}"
        ) from None


def _explained(
    records: list[Record],
    explain_to: IO[bytes] | None,
    seen: Counter[tuple[str, str, str]] | None = None,
) -> int:
    if explain_to is not None:
        for record in records:
            explain_to.write(jsonl(record))
    if seen is not None:  # --statistics: each kind of change, counted
        for r in records:
            seen[(str(r["original"]), str(r["replacement"]), str(r["method"]))] += 1
    return len(records)
