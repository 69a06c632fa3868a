"""Inputs: finding the files, decoding them whole or as a stream, JSONL records.

Every input comes out as a ``Cleaned``: its pieces of text, each with the cleaned
piece and the explanation records of its changes. A whole input is one piece; a large
file or standard input is streamed in pieces of about 1 MB with bounded memory
(``Normaliser.iter_explain``). The output path (``normalise.cli.outputs``) treats both
alike.
"""

from __future__ import annotations

import codecs
import fnmatch
import functools
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import IO, Any, Literal, NamedTuple

from ..core import Normaliser
from ..errors import InputError
from ..keys import fold
from ..models import Change, change_from_dict, replay
from ..scan import TOKEN
from .progress import Progress
from .tally import say

STDIN = "-"
BATCH = 64  # whole inputs read, cleaned and written at a time: memory stays bounded
STREAM_ABOVE = 32 * 1_000_000  # bytes: larger files (and stdin) are streamed
BLOCK = 1 << 20

Record = dict[str, object]
Piece = tuple[str, str, list[Record]]  # (text, cleaned text, explanation records)


@dataclass(frozen=True)
class InputOptions:
    """How inputs are found and read (the command line's input options)."""

    encoding: str = "utf-8"
    errors: Literal["strict", "surrogateescape"] = "strict"
    recursive: bool = False
    glob: tuple[str, ...] = ("*.txt",)  # --glob, repeatable: a file matching any
    # The JSONL fields' paths (--field, repeatable: "body.text" is ("body", "text")); none:
    # plain text.
    fields: tuple[tuple[str, ...], ...] = ()
    id_field: tuple[str, ...] | None = None  # a JSONL field that names each record
    skip_bad: bool = False
    workers: int = 1
    whole: bool = False  # standard input read to its end before it is cleaned


def label(name: str) -> str:
    return "<stdin>" if name == STDIN else name


def expand(names: Iterable[str], options: InputOptions) -> list[str]:
    """The inputs named: files, standard input, or (``--recursive``) the files below
    directories that match the glob, sorted like ``find DIR | sort``."""
    out: list[str] = []
    for name in names or [STDIN]:
        if name != STDIN and os.path.isdir(name):
            if not options.recursive:
                raise InputError(f"{name}: is a directory (use --recursive to read its files)")
            found = []
            for folder, dirs, files in os.walk(name):
                dirs.sort()
                found += [
                    os.path.join(folder, f)
                    for f in sorted(files)
                    if any(fnmatch.fnmatch(f, pattern) for pattern in options.glob)
                ]
            if not found:
                patterns = ", ".join(repr(p) for p in options.glob)
                say(f"normalise: warning: {name}: no file matches {patterns}")
            out += sorted(found)
        else:
            out.append(name)
    return out


def _open(name: str) -> IO[bytes]:
    try:
        return sys.stdin.buffer if name == STDIN else open(name, "rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None


def _decoding_error(
    name: str, encoding: str, at: int, bad: bytes | None = None, head: bytes = b""
) -> InputError:
    shown = f" ({bad!r})" if bad is not None else ""
    advice = "use --errors surrogateescape to keep such bytes as they are"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") and not encoding.lower().startswith("utf-16"):
        advice = "it starts with a UTF-16 byte-order mark: use --encoding utf-16"
    return InputError(f"{label(name)}: not valid {encoding} at byte {at}{shown}; {advice}")


def read(name: str, options: InputOptions) -> str:
    """A whole input, decoded."""
    return read_file(name, options)[0]


def read_file(name: str, options: InputOptions) -> tuple[str, os.stat_result | None]:
    """A whole input, decoded, with the state of the file as it was read (``None`` for
    standard input): ``--in-place`` checks that nobody changed it in the meantime."""
    f = _open(name)
    try:
        state = None if f is sys.stdin.buffer else os.fstat(f.fileno())
        data = f.read()
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    finally:
        if f is not sys.stdin.buffer:
            f.close()
    try:
        return data.decode(options.encoding, options.errors), state
    except LookupError:
        raise InputError(f"unknown encoding {options.encoding!r}") from None
    except UnicodeDecodeError as e:
        bad = data[e.start : e.start + 1]
        raise _decoding_error(name, options.encoding, e.start, bad, data[:4]) from None


def read_blocks(
    name: str,
    options: InputOptions,
    state: list[os.stat_result] | None = None,
    on_read: Callable[[int], None] | None = None,
    path: str | None = None,
) -> Iterator[str]:
    """Decode an input block by block; invalid bytes are reported with their offset.
    The file's state as it was opened is appended to ``state``. ``path``: where the
    input is read from, when not from ``name`` (standard input kept in a file)."""
    try:
        decoder = codecs.getincrementaldecoder(options.encoding)(options.errors)
    except LookupError:
        raise InputError(f"unknown encoding {options.encoding!r}") from None
    f = _open(path or name)
    if state is not None and f is not sys.stdin.buffer:
        state.append(os.fstat(f.fileno()))
    consumed = 0
    try:
        while True:
            data = f.read(BLOCK)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as e:
                at = consumed - pending + e.start
                bad = bytes(e.object[e.start : e.start + 1])
                raise _decoding_error(name, options.encoding, at, bad) from None
            consumed += len(data)
            if on_read is not None:
                on_read(consumed)
            if text:
                yield text
            if not data:
                return
    finally:
        if f is not sys.stdin.buffer:
            f.close()


def check_readable(names: list[str], options: InputOptions) -> None:
    """Read and decode every input once, without keeping it: for ``--in-place``, what
    can fail with the inputs fails before the first file is rewritten."""
    for name in names:
        for _ in read_blocks(name, options):
            pass


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0  # reported when it is read


class _FieldError(ValueError):
    pass


def _get(record: Any, path: tuple[str, ...]) -> str | None:
    value = record
    for key in path:
        if not isinstance(value, dict) or key not in value:
            raise _FieldError(f"no field {'.'.join(path)!r}")
        value = value[key]
    if value is not None and not isinstance(value, str):
        raise _FieldError(f"field {'.'.join(path)!r} is {type(value).__name__}, not a string")
    return value


_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


def _value_span(line: str, path: tuple[str, ...]) -> tuple[int, int]:
    """Where the value at ``path`` is written in a JSON object line: the span of its
    token (of the last occurrence of a repeated key, as ``json.loads`` reads it)."""
    i = 1 if line.startswith("\ufeff") else 0  # the first line's byte-order mark
    for depth, key in enumerate(path):
        i = _skip(line, i)
        assert line[i] == "{"
        i += 1
        found: tuple[int, int] | None = None
        while True:
            i = _skip(line, i)
            if line[i] == "}":
                break
            name, i = json.decoder.scanstring(line, i + 1)  # type: ignore[attr-defined]
            i = _skip(line, i)
            assert line[i] == ":"
            i = _skip(line, i + 1)
            _, end = _DECODER.raw_decode(line, i)
            if name == key:
                found = (i, end)
            i = _skip(line, end)
            if line[i] == ",":
                i += 1
        assert found is not None
        if depth == len(path) - 1:
            return found
        i = found[0]
    raise AssertionError("empty path")


def _skip(line: str, i: int) -> int:
    while i < len(line) and line[i] in _WS:
        i += 1
    return i


def json_text(value: object) -> str:
    """JSON for ``value`` as normalise writes it: non-ASCII kept as it is, but a lone
    surrogate (from a ``\\udfff`` escape) escaped, so the output is valid UTF-8."""
    text = json.dumps(value, ensure_ascii=False)
    if _SURROGATE.search(text) is not None:  # rare: found by the regex engine, not a loop
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _record_id(record: Any, path: tuple[str, ...] | None) -> str | None:
    """The id of a JSONL record (``--id-field``): the field's value as text, or None
    when the record has no such field."""
    if path is None:
        return None
    value = record
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class Input:
    """One whole input, split into the texts to clean (the whole text, or one JSONL
    field per record), able to put the cleaned texts back."""

    def __init__(
        self,
        name: str,
        text: str,
        options: InputOptions,
        state: os.stat_result | None = None,
    ) -> None:
        self.name = name
        self.state = state  # the file as it was read
        self.label = label(name)
        self.text = text
        self.paths = options.fields
        self.bad = 0
        # (line, the indexes of its texts) for each line of a JSONL input
        self.lines: list[tuple[str, list[int]]] = []
        self.texts: list[str] = []
        self.numbers: list[int] = []  # the line number of each text (JSONL)
        self.fields: list[tuple[str, ...]] = []  # the field of each text (JSONL)
        self.ids: list[str | None] = []  # each text's record id (JSONL with --id-field)
        if not self.paths:
            self.texts = [text]
            return
        # Lines end at "\n" only: U+2028 and friends are valid inside JSON strings.
        parts = text.split("\n")
        lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
        for number, line in enumerate(lines, 1):
            body = line.rstrip("\r\n")
            if number == 1:  # a byte-order mark (Windows tools write one) is kept, not read
                body = body.removeprefix("\ufeff")
            if not body.strip():
                self.lines.append((line, []))
                continue
            try:
                record = json.loads(body)
                values = [(path, _get(record, path)) for path in self.paths]
            except (json.JSONDecodeError, _FieldError, RecursionError) as e:
                reason = "nested too deeply" if isinstance(e, RecursionError) else e
                if not options.skip_bad:
                    raise InputError(f"{self.label}: line {number}: {reason}") from None
                self.bad += 1
                self.lines.append((line, []))
                continue
            found = []
            record_id = _record_id(record, options.id_field) if options.id_field else None
            for path, value in values:
                if value is None:
                    continue
                found.append(len(self.texts))
                self.texts.append(value)
                self.numbers.append(number)
                self.fields.append(path)
                self.ids.append(record_id)
            self.lines.append((line, found))

    def where(self, index: int) -> tuple[str, int | None]:
        """The label and (for JSONL) line number of the index-th text."""
        if not self.paths:
            return self.label, None
        return self.label, self.numbers[index]

    def record(self, index: int, change: Change) -> Record:
        """The explanation record of a change to the index-th text: ``file``, for JSONL
        ``line`` (and ``id`` with ``--id-field``), then the change."""
        where, line = self.where(index)
        record: Record = {"file": where}
        if line is not None:
            record["line"] = line
            record["field"] = ".".join(self.fields[index])  # so that apply knows it
            if self.ids and self.ids[index] is not None:
                record["id"] = self.ids[index]
        record.update(change.to_dict())
        return record

    def records(self, changes: list[list[Change]]) -> list[Record]:
        """The explanation records of the changes to each text."""
        return [self.record(i, c) for i, per_text in enumerate(changes) for c in per_text]

    def rebuild(self, cleaned: list[str]) -> str:
        if not self.paths:
            return cleaned[0]
        out = []
        for line, found in self.lines:
            # Only the fields' string tokens are rewritten, the last first so that the
            # spans of the others stay where they are: every other byte of the line
            # (numbers such as 1e400, key order, spacing, escapes) stays as it was, and
            # an unchanged record is written back byte for byte.
            edits = sorted(
                (_value_span(line, self.fields[i]), cleaned[i])
                for i in found
                if cleaned[i] != self.texts[i]
            )
            for (start, end), after in reversed(edits):
                line = line[:start] + json_text(after) + line[end:]
            out.append(line)
        return "".join(out)


@dataclass
class Cleaned:
    """One input, cleaned: a whole input as one ``piece`` (with the ``Input`` and its
    changes per text), or a streamed one as a ``stream`` of pieces."""

    name: str
    piece: Piece | None = None
    whole: Input | None = None
    changes: list[list[Change]] | None = None  # per text, for a whole input
    stream: Iterator[Piece] | None = None
    opened: list[os.stat_result] = dataclass_field(default_factory=list)  # a stream's file state
    already_applied: bool = False  # apply: every change was found in place already

    @property
    def label(self) -> str:
        return label(self.name)

    @property
    def state(self) -> os.stat_result | None:
        """The file as it was read (None for standard input)."""
        if self.whole is not None:
            return self.whole.state
        return self.opened[0] if self.opened else None

    @property
    def bad(self) -> int:
        return self.whole.bad if self.whole is not None else 0

    @property
    def records(self) -> tuple[int, int] | None:
        """For a JSONL input: (records read, records changed)."""
        if self.whole is None or not self.whole.paths or self.changes is None:
            return None
        numbers = self.whole.numbers  # a record with several fields is one record
        changed = {n for n, c in zip(numbers, self.changes, strict=True) if c}
        return len(set(numbers)), len(changed)

    def pieces(self) -> Iterator[Piece]:
        if self.piece is not None:
            yield self.piece
        elif self.stream is not None:
            yield from self.stream


class Reviewed(NamedTuple):
    """One change of a reviewed explanation: the line of the changes file it is on, the
    input it names (``file``) and the record's line in a JSONL input (``line``)."""

    number: int
    file: str
    line: int | None
    change: Change
    note: str | None = None  # the editor's note, if the record has one
    field: str | None = None  # the JSONL field the change is in ("a.b"), if recorded


def read_changes(path: str) -> list[Reviewed]:
    """The accepted changes of an explanation file (``explain --format jsonl``); a
    record with ``"accept": false`` is skipped, a blank line ignored."""
    return read_decisions(path)[0]


def read_decisions(path: str) -> tuple[list[Reviewed], list[Reviewed]]:
    """The accepted and the rejected changes (``"accept": false``) of an explanation
    file, each checked as ``read_changes`` checks it."""
    text = read(path, InputOptions())  # the same errors as any input (utf-8, strict)
    lines = text.split("\n")
    out: list[Reviewed] = []
    rejected: list[Reviewed] = []
    for number, body in enumerate(lines, 1):
        if number == 1:
            body = body.removeprefix("\ufeff")  # a changes file saved by a Windows editor
        if not body.strip():
            continue
        try:
            record = json.loads(body)
            if not isinstance(record, dict):
                raise ValueError(f"a change must be a JSON object, not {type(record).__name__}")
            accept = record.get("accept", True)
            if not isinstance(accept, bool):
                raise ValueError(f"accept must be true or false, not {accept!r:.60}")
            file = record.get("file", label(STDIN))
            line = record.get("line")
            if not isinstance(file, str):
                raise ValueError(f"file must be a string, not {file!r:.60}")
            if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
                raise ValueError(f"line must be a whole number, not {line!r:.60}")
            note = record.get("note")
            if note is not None and not isinstance(note, str):
                raise ValueError(f"note must be a string, not {note!r:.60}")
            field = record.get("field")
            if field is not None and (not isinstance(field, str) or not field):
                raise ValueError(f"field must be a field name, not {field!r:.60}")
            reviewed = Reviewed(number, file, line, change_from_dict(record), note, field)
            (out if accept else rejected).append(reviewed)
        except ValueError as e:  # json.JSONDecodeError is one
            raise InputError(f"{path}: line {number}: {e}") from None
    return out, rejected


def applied(name: str, options: InputOptions, reviewed: list[Reviewed], path: str) -> Cleaned:
    """One input with the reviewed changes applied, each checked against its text."""
    text, state = read_file(name, options)
    doc = Input(name, text, options, state)
    per_text: list[list[Reviewed]] = [[] for _ in doc.texts]
    if not doc.paths:
        if reviewed:
            per_text[0] = reviewed
    else:
        # A change is placed by its record's line and its field (a change without a
        # field is in the one field given).
        index = {
            (n, ".".join(f)): i
            for i, (n, f) in enumerate(zip(doc.numbers, doc.fields, strict=True))
        }
        only = ".".join(doc.paths[0]) if len(doc.paths) == 1 else None
        for r in reviewed:
            field = r.field or only
            i = index.get((r.line, field)) if r.line is not None and field else None
            if i is None:
                what = f"the field {field!r}" if field else "a field (the change names none)"
                raise InputError(
                    f"{path}: line {r.number}: {doc.label} has no record with {what} at "
                    f"line {r.line}"
                )
            per_text[i].append(r)
    changes: list[list[Change]] = []
    ordered = [sorted(items, key=lambda r: (r.change.start, r.change.end)) for items in per_text]
    fit = all(
        all(_fits(text, r.change) for r in items)
        for text, items in zip(doc.texts, ordered, strict=True)
    )
    if not fit and all(
        _already_applied(text, items) for text, items in zip(doc.texts, ordered, strict=True)
    ):
        # Every change is in place already (an apply that ran, or was interrupted after
        # this file): nothing to do, and said so, rather than an error.
        cleaned = Cleaned(name, (doc.text, doc.text, []), doc, [[] for _ in doc.texts])
        cleaned.already_applied = True
        return cleaned
    for text, items in zip(doc.texts, ordered, strict=True):
        for before, r in zip([None, *items], items, strict=False):
            c = r.change
            if before is not None and c.start < before.change.end:
                raise InputError(
                    f"{path}: line {r.number}: overlaps the change on line {before.number}"
                )
            if not 0 <= c.start <= c.end <= len(text) or text[c.start : c.end] != c.original:
                found = text[c.start : c.end] if 0 <= c.start <= c.end <= len(text) else ""
                raise InputError(
                    f"{path}: line {r.number}: does not fit {doc.label}: the text at "
                    f"{c.start}-{c.end} is {found!r:.60}, not {c.original!r:.60}"
                )
        changes.append([r.change for r in _anchored(items, doc.label, path)])
    after = doc.rebuild([replay(t, c) for t, c in zip(doc.texts, changes, strict=True)])
    return Cleaned(name, (doc.text, after, doc.records(changes)), doc, changes)


def _already_applied(text: str, items: list[Reviewed]) -> bool:
    """Whether the text holds every change's replacement where applying the changes in
    order put it (and no longer its original): the changes were applied already."""
    shift = 0
    for r in items:
        c = r.change
        start = c.start + shift
        if text[start : start + len(c.replacement)] != c.replacement:
            return False
        shift += len(c.replacement) - (c.end - c.start)
    return True


def _fits(text: str, c: Change) -> bool:
    return 0 <= c.start <= c.end <= len(text) and text[c.start : c.end] == c.original


def _rests_on_a_repair(c: Change) -> bool:
    return any(e.comparison == "document" and e.level == "repaired elsewhere" for e in c.evidence)


def _anchored(items: list[Reviewed], where: str, path: str) -> list[Reviewed]:
    """The reviewed changes of one text less those that rest on a repair of the same
    entity elsewhere in it (the evidence "document repaired elsewhere") when no such
    repair was accepted: an editor who rejects "Ausotria -> Austria" has not accepted
    the "Austra -> Austria" that followed from it. Each one dropped is said."""
    # The names the accepted repairs write, as runs of folded words ("Boeing 737" writes
    # "Boeing" too).
    written = [
        " ".join(fold(w) for w in TOKEN.findall(r.change.replacement))
        for r in items
        if not _rests_on_a_repair(r.change)
    ]

    def anchored(canonical: str) -> bool:
        name = " ".join(fold(w) for w in TOKEN.findall(canonical))
        return any(f" {name} " in f" {w} " for w in written)

    kept = []
    for r in items:
        if _rests_on_a_repair(r.change) and not anchored(r.change.canonical):
            say(
                f"normalise: warning: {path}: line {r.number}: not applied to {where}: "
                f"{r.change.original!r:.60} -> {r.change.replacement!r:.60} rests on a repair "
                f"of {r.change.canonical!r:.60} elsewhere in it, and none was accepted"
            )
            continue
        kept.append(r)
    return kept


def _streamed(
    name: str,
    options: InputOptions,
    normaliser: Normaliser,
    opened: list[os.stat_result] | None = None,
    progress: bool = False,
) -> Iterator[Piece]:
    offset = 0
    size = None if name == STDIN else _size(name)
    meter = Progress("MB", size or None, enabled=progress, scale=1e6)
    reads = 0
    states: list[os.stat_result] = []

    def reopen() -> Iterator[str]:
        # A file is read again for each step of the passes (see
        # Normaliser.iter_explain_reread): each time it must be the same file,
        # unchanged, or the offsets would not fit.
        nonlocal reads
        reads += 1
        if reads > 1:
            meter.restart(f"read {reads}: ")
        for block in read_blocks(name, options, states, meter.update, spool):
            if opened is not None and not opened and spool is None:
                opened.append(states[0])  # the file as first opened, for --in-place
            if len(states) > 1 and _changed(states[0], states[-1]):
                raise InputError(f"{label(name)}: changed by another program while read")
            yield block

    spool: str | None = None
    if name == STDIN and options.whole:
        # Read to its end into a private file, then cleaned as a file is: exactly
        # the whole text's changes, with bounded memory.
        spool = _spool_stdin()
    if name == STDIN and spool is None:
        explained = normaliser.iter_explain(read_blocks(name, options, opened, meter.update))
    else:
        explained = normaliser.iter_explain_reread(reopen)
    try:
        for piece, changes in explained:
            local = [c._replace(start=c.start - offset, end=c.end - offset) for c in changes]
            records: list[Record] = [{"file": label(name), **c.to_dict()} for c in changes]
            yield piece, replay(piece, local), records
            offset += len(piece)
    finally:
        meter.close()
        if spool is not None:
            os.unlink(spool)


def _spool_stdin() -> str:
    """Standard input copied to a new private file (deleted once read); its path."""
    fd, path = tempfile.mkstemp(prefix="normalise-stdin-")
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out, BLOCK)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _changed(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns) != (
        b.st_ino,
        b.st_dev,
        b.st_size,
        b.st_mtime_ns,
    )


RECORDS_CHUNK = 2_000  # JSONL records cleaned between two progress lines


def _with_progress(texts: list[str], normaliser: Normaliser, workers: int) -> list[list[Change]]:
    """``explain_many`` for the records of a big JSONL input, with a progress line on
    standard error: records done, share, rate, and the time left."""
    meter = Progress("records", len(texts), enabled=True)
    out: list[list[Change]] = []
    try:
        for first in range(0, len(texts), RECORDS_CHUNK):
            out += normaliser.explain_many(texts[first : first + RECORDS_CHUNK], workers=workers)
            meter.update(len(out), force=True)
    finally:
        meter.close()
    return out


def cleaned(
    names: list[str],
    options: InputOptions,
    normaliser: Normaliser,
    *,
    stream: bool,
    progress: bool = False,
) -> Iterator[Cleaned]:
    """Every input, cleaned, in order. With ``stream``, standard input and files over
    ``STREAM_ABOVE`` bytes come as a stream, one after the other; other inputs are read
    whole, ``BATCH`` at a time, and cleaned by ``options.workers`` processes."""
    group: list[str] = []

    def start(batch: list[str]) -> Callable[[], Iterator[Cleaned]]:
        """Read ``batch`` and hand it to the workers; the function returned yields its
        results. An error reading it is raised there, in its turn, so that the outputs
        of earlier inputs are written first, as without workers."""
        try:
            inputs = []
            for n in batch:
                text, state = read_file(n, options)
                inputs.append(Input(n, text, options, state))
            texts = [t for d in inputs for t in d.texts]
            collect: Callable[[], list[list[Change]]]
            if progress and options.fields and len(texts) > RECORDS_CHUNK:
                collect = functools.partial(_with_progress, texts, normaliser, options.workers)
            elif options.workers > 1:
                collect = normaliser.submit_explain(texts, workers=options.workers)
            else:
                collect = functools.partial(normaliser.explain_many, texts)
        except Exception as e:
            error = e

            def failed() -> Iterator[Cleaned]:
                raise error

            return failed

        def finish() -> Iterator[Cleaned]:
            explained = collect()
            pos = 0
            for d in inputs:
                changes = explained[pos : pos + len(d.texts)]
                pos += len(d.texts)
                after = d.rebuild([replay(t, c) for t, c in zip(d.texts, changes, strict=True)])
                piece = (d.text, after, d.records(changes))
                yield Cleaned(d.name, piece, d, changes)

        return finish

    # With several workers one batch is read and handed to them while the one before is
    # written: the workers never wait for the writing (one batch ahead at most, so
    # memory stays bounded). With one worker each batch is finished before the next.
    ahead = options.workers > 1
    pending: list[Callable[[], Iterator[Cleaned]]] = []

    def whole(batch: list[str]) -> Iterator[Cleaned]:
        started = start(batch)
        if not ahead:
            yield from started()
            return
        while pending:
            yield from pending.pop()()
        pending.append(started)

    def flush() -> Iterator[Cleaned]:
        while pending:
            yield from pending.pop()()

    def each() -> Iterator[Cleaned]:
        nonlocal group
        for name in names:
            if stream and (name == STDIN or _size(name) > STREAM_ABOVE):
                # (Standard input with --whole too: it is kept in a file and read again.)
                if group:
                    yield from whole(group)
                    group = []
                yield from flush()
                opened: list[os.stat_result] = []
                stream_of = _streamed(name, options, normaliser, opened, progress)
                yield Cleaned(name, stream=stream_of, opened=opened)
                continue
            group.append(name)
            if len(group) == BATCH:
                yield from whole(group)
                group = []
        if group:
            yield from whole(group)
        yield from flush()

    if not progress or len(names) < 2:
        yield from each()
        return
    meter = Progress("inputs", len(names), enabled=True)
    try:
        for done, item in enumerate(each(), 1):
            yield item
            meter.update(done, force=done == len(names))
    finally:
        meter.close()
