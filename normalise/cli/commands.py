"""The commands: ``clean``, ``explain``, ``match`` and ``table``, and ``main``.

The library raises typed exceptions; ``main`` turns them into one line on stderr and
exit status 2. Standard output carries only the cleaned text (or the requested report),
so the command is safe in pipes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import signal
import stat
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ..config import Settings, option_name
from ..configfile import Config, load_config
from ..core import Normaliser
from ..errors import InputError, NormaliseError, SettingsError
from ..keys import fold
from ..models import Change
from ..table import (
    AliasTable,
    Rejection,
    builtin_table,
    json_schema,
    load_table,
    merge_tables,
    table_problems,
)
from . import inputs
from .inputs import STDIN
from .outputs import Sink, WriteBack, atomic, encodable, jsonl, to_bytes, write_back
from .parser import build_parser, input_options, parse_args
from .parser import write_back as write_back_mode
from .render import positions, table, why_record, why_text
from .review import MAX_CHANGES, Reviewed, review_page
from .tally import EXIT_ERROR, EXIT_OK, Tally, say

# -- settings and tables -----------------------------------------------------------


def config(args: argparse.Namespace) -> Config:
    """Defaults, then the configuration file (``--config``, else the nearest trusted
    pyproject.toml's ``[tool.normalise]``: ``normalise.load_config``), then the options
    given: settings, and the tables (the file's ``tables``, relative to the file, then
    ``--table``)."""
    verbose = getattr(args, "verbose", False)
    given_path = getattr(args, "config", None)  # table show has no --config
    found = load_config(given_path)
    for warning in found.warnings:
        say(f"normalise: warning: {warning}")
    if verbose:
        for note in found.ignored:
            say(f"normalise: {note}")
        if found.path is None:
            say("normalise: no configuration file: the defaults and the options given")
        else:
            say(f"normalise: configuration from {found.path}")
    result = found.settings
    tables = list(found.tables)
    builtin = found.builtin
    given = {
        f.name: getattr(args, "set_" + f.name)
        for f in dataclasses.fields(Settings)
        if getattr(args, "set_" + f.name, None) is not None
    }
    if given:
        try:
            result = result.replace(**given)
        except SettingsError as e:  # the option's name, as the user wrote it
            message = str(e)
            for name in given:
                if message.startswith(f"{name} "):
                    message = f"--{option_name(name)}{message[len(name) :]}"
            raise SettingsError(message) from None
    if args.no_builtin is not None:
        builtin = not args.no_builtin
    tables += args.tables
    if args.command == "table":
        tables += args.paths  # table show PATH ...: as --table
    if not builtin and not tables:
        raise InputError("--no-builtin needs at least one table (--table PATH)")
    return Config(result, tuple(tables), builtin, found.path)


def normaliser(args: argparse.Namespace) -> Normaliser:
    c = config(args)
    return Normaliser(c.tables, builtin=c.builtin, settings=c.settings)


# -- commands ----------------------------------------------------------------------


def _progress(args: argparse.Namespace) -> bool:
    """``--progress``/``--no-progress``, or a terminal on stderr and no ``--quiet``."""
    if args.progress is not None:
        return bool(args.progress)
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def clean(args: argparse.Namespace, out: IO[bytes]) -> int:
    options = input_options(args)
    names = inputs.expand(args.files, options)
    mode = write_back_mode(args)
    if mode is WriteBack.IN_PLACE and STDIN in names:
        raise InputError("--in-place needs files, not standard input")
    if mode in (WriteBack.IN_PLACE, WriteBack.CHECK):
        names = _once_each(names)
    guard_outputs(names, args, mode, out)
    n = normaliser(args)
    if mode is WriteBack.IN_PLACE:
        inputs.check_readable(names, options)  # what can fail, before the first write
    color = _color(args, mode, out)
    tally = Tally()
    seen: Counter[tuple[str, str, str]] | None = Counter() if args.statistics else None
    try:
        with contextlib.ExitStack() as stack:
            target: Sink = stack.enter_context(atomic(args.output)) if args.output else out
            explain_to = None
            if args.explain_file:
                explain_to = stack.enter_context(atomic(args.explain_file))
                if target is out:  # a reader that goes away must not cost the explanation
                    target = PipeSafe(out)
            # Standard input and large files are streamed, whatever the mode and the
            # workers: the same input gives the same result however it is written out.
            stream = not options.fields
            for item in inputs.cleaned(names, options, n, stream=stream, progress=_progress(args)):
                count, changed = write_back(
                    mode,
                    item,
                    target,
                    encoding=options.encoding,
                    errors=options.errors,
                    color=color,
                    explain_to=explain_to,
                    seen=seen,
                )
                tally.add(
                    item.label, count, changed, item.bad, check=args.check, records=item.records
                )
                if mode is WriteBack.IN_PLACE and changed:
                    tally.written.append(item.label)
    except (NormaliseError, OSError):
        tally.report_partial()
        raise
    status = tally.report(args.quiet)
    if seen is not None:
        _statistics(seen)
    return status


def _statistics(seen: Counter[tuple[str, str, str]]) -> None:
    """``--statistics``: each kind of change with its count, as ``ruff --statistics``."""
    rows = sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max((len(f"{n:,}") for _, n in rows), default=1)
    for (original, replacement, method), n in rows:
        say(f"{n:>{width},}  {original} → {replacement}  ({method})")


class PipeSafe:
    """Standard output that outlives its reader: after a broken pipe, what is written
    is dropped (so that ``--explain-file`` is still written whole)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.broken = False

    def write(self, data: bytes) -> int:
        if not self.broken:
            try:
                return self.raw.write(data)
            except BrokenPipeError:
                self.broken = True
                devnull = os.open(os.devnull, os.O_WRONLY)
                with contextlib.suppress(OSError, ValueError):
                    os.dup2(devnull, self.raw.fileno())
        return len(data)

    def isatty(self) -> bool:
        return self.raw.isatty()


def _once_each(names: list[str]) -> list[str]:
    """The files rewritten in place or checked, each once however often or under
    whatever spellings it was given ("t.txt t.txt", "t.txt ./t.txt")."""
    seen: set[tuple[int, int] | str] = set()
    out = []
    for name in names:
        key = _identity(name) or name
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISREG(st.st_mode) else None


def guard_outputs(
    names: list[str], args: argparse.Namespace, mode: WriteBack, out: IO[bytes]
) -> None:
    """Refuse to write over an input: ``-o`` or ``--explain-file`` naming an input (the
    same file, through links included), or standard output that is an input file
    (``normalise clean big.txt >> big.txt``), as ``cat`` refuses."""
    seen: dict[tuple[int, int], str] = {}
    for name in names:
        if name != STDIN:
            identity = _identity(name)
            if identity is not None:
                seen.setdefault(identity, name)
        else:  # standard input read from a file ("normalise clean < f >> f")
            try:
                st = os.fstat(sys.stdin.fileno())
            except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
                continue
            if stat.S_ISREG(st.st_mode):
                seen.setdefault((st.st_dev, st.st_ino), "standard input")
    outputs = [p for p in (getattr(args, "output", None), getattr(args, "explain_file", None)) if p]
    for path in outputs:
        identity = _identity(path)
        if identity in seen:
            raise InputError(
                f"{path}: is also the input {seen[identity]}; writing it would lose that input"
            )
    # Two outputs on one file (a device such as /dev/null may take both).
    keys = [_identity(p) or (None if os.path.exists(p) else os.path.realpath(p)) for p in outputs]
    if len(keys) == 2 and keys[0] is not None and keys[0] == keys[1]:
        raise InputError(f"{outputs[1]}: is also the output (-o)")
    if getattr(args, "output", None) or mode in (WriteBack.CHECK, WriteBack.IN_PLACE):
        return
    try:
        st = os.fstat(out.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return
    if stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) in seen:
        name = seen[(st.st_dev, st.st_ino)]
        raise InputError(f"{name}: is also standard output; normalise would read what it writes")


def _color(args: argparse.Namespace, mode: WriteBack, out: IO[bytes]) -> bool:
    return mode.is_diff and not args.no_color and "NO_COLOR" not in os.environ and out.isatty()


def apply(args: argparse.Namespace, out: IO[bytes]) -> int:
    """Apply a reviewed explanation to the original inputs. Every change is checked
    against its input before anything is written: one that does not fit stops the run
    with an error naming the changes file's line and the input."""
    options = input_options(args)
    mode = write_back_mode(args)
    wanted, turned_down = inputs.read_decisions(args.changes)
    rejections = _rejections(args.rejected_to, turned_down) if args.rejected_to else None
    by_label: dict[str, list[inputs.Reviewed]] = {}
    for reviewed in wanted:
        c = reviewed.change
        if not c.original and c.method != "typography":
            raise InputError(
                f"{args.changes}: line {reviewed.number}: inserts {c.replacement!r:.60} and "
                f"replaces nothing; no {c.method} change does that, so it is refused"
            )
        by_label.setdefault(reviewed.file, []).append(reviewed)
    if args.files:
        names = inputs.expand(args.files, options)
    else:
        # A changes file is data (a reviewer's download): without files on the command
        # line, it may only name files under the current folder.
        for file, reviewed_here in by_label.items():
            _inside_current_folder(file, args.changes, reviewed_here[0].number)
        names = [STDIN if f == inputs.label(STDIN) else f for f in by_label]
    _distinct_files(names)
    _not_the_changes_file(args, names, mode)
    given = {inputs.label(n) for n in names}
    if args.files:  # a file given under another spelling than explain's ("b.txt", "/tmp/b.txt")
        for file, label in _same_files(set(by_label) - given, names).items():
            by_label.setdefault(label, []).extend(
                r._replace(file=label) for r in by_label.pop(file)
            )
        wanted = [r for rs in by_label.values() for r in rs]
    for reviewed in wanted:
        if reviewed.file not in given:
            raise InputError(
                f"{args.changes}: line {reviewed.number}: no input {reviewed.file!r} "
                "among the files given"
            )
    if mode is WriteBack.IN_PLACE and STDIN in names:
        raise InputError("--in-place needs files, not standard input")
    guard_outputs(names, args, mode, out)
    items = [
        inputs.applied(
            name,
            _recorded_field(options, by_label.get(inputs.label(name), []), args.changes),
            by_label.get(inputs.label(name), []),
            args.changes,
        )
        for name in names
    ]  # all checked before anything is written
    if mode.writes_text or mode is WriteBack.IN_PLACE:
        for item in items:  # every output encodable, before any file is written
            if item.piece is not None:
                encodable(item.label, item.piece[1], options.encoding, options.errors)
    tally = Tally()
    color = _color(args, mode, out)
    done: list[str] = []
    with contextlib.ExitStack() as stack:
        target = stack.enter_context(atomic(args.output)) if args.output else out
        try:
            for item in items:
                if item.already_applied and not args.quiet:
                    say(f"normalise: {item.label}: its changes are applied already")
                count, changed = write_back(
                    mode,
                    item,
                    target,
                    encoding=options.encoding,
                    errors=options.errors,
                    color=color,
                )
                done.append(item.label)
                tally.add(
                    item.label, count, changed, item.bad, check=args.check, records=item.records
                )
        except (KeyboardInterrupt, Terminated):
            if mode is WriteBack.IN_PLACE:
                rest = [i.label for i in items[len(done) :]]
                say(
                    f"normalise: interrupted: written: {', '.join(done) or 'none'}; not "
                    f"written: {', '.join(rest)} (each file is whole, old or new: rerun the "
                    "same apply to finish, the files written are left as they are)"
                )
            raise
    if rejections is not None and not args.check:
        with atomic(args.rejected_to) as f:
            f.write(rejections.to_toml().encode("utf-8"))
        if not args.quiet:
            say(
                f"normalise: {args.rejected_to}: {len(rejections.rejected):,} rejected "
                f"{'change' if len(rejections.rejected) == 1 else 'changes'} on record"
            )
    return tally.report(args.quiet)


def _same_files(files: set[str], names: list[str]) -> dict[str, str]:
    """Each of ``files`` (as a changes file names them) that is one of the files given
    under another spelling, with the label it was given under."""
    found: dict[str, str] = {}
    for file in sorted(files):
        for name in names:
            if name == STDIN:
                continue
            try:
                if os.path.samefile(file, name):
                    found[file] = inputs.label(name)
                    break
            except OSError:
                break  # the changes file names a file that is not there: said below
    return found


def _inside_current_folder(file: str, changes: str, number: int) -> None:
    """Refuse a file named by a changes file that is absolute, climbs out of the current
    folder with "..", or leads out of it through a symbolic link."""
    if file == inputs.label(STDIN):
        return
    here = os.path.realpath(os.curdir)
    escapes = os.path.isabs(file) or ".." in Path(file).parts
    if not escapes:
        real = os.path.realpath(file)
        escapes = os.path.commonpath([here, real]) != here
    if escapes:
        raise InputError(
            f"{changes}: line {number}: names {file!r:.80}, which is not under the current "
            "folder; apply writes only there unless the files are given on the command line"
        )


def _distinct_files(names: list[str]) -> None:
    """Refuse one file given twice (under two spellings: its changes would be applied
    in halves, the second write undoing the first)."""
    seen: dict[tuple[int, int], str] = {}
    for name in names:
        if name == STDIN:
            continue
        try:
            st = os.stat(name)
        except OSError:
            continue  # reading it says what is wrong
        key = (st.st_dev, st.st_ino)
        if key in seen:
            raise InputError(f"{name}: the same file as {seen[key]}: give it once")
        seen[key] = name


def _not_the_changes_file(args: argparse.Namespace, names: list[str], mode: WriteBack) -> None:
    """Refuse to write over the reviewed changes themselves (-o CHANGES, or CHANGES
    among the files rewritten in place)."""
    targets = [args.output] if args.output else []
    if mode is WriteBack.IN_PLACE:
        targets += names
    for target in targets:
        if target and target != STDIN and _same_file(target, args.changes):
            raise InputError(
                f"{target}: is the changes file {args.changes}; apply would write over the "
                "reviewed changes"
            )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _recorded_field(
    options: inputs.InputOptions, reviewed: list[inputs.Reviewed], path: str
) -> inputs.InputOptions:
    """The input options for one input of ``apply``: without ``--jsonl --field``, the
    JSONL field its records name (explanations of JSONL inputs record it)."""
    fields = {r.field for r in reviewed if r.field is not None}
    if options.fields or not fields:
        return options
    return dataclasses.replace(options, fields=tuple(tuple(f.split(".")) for f in sorted(fields)))


def _rejections(path: str, turned_down: list[inputs.Reviewed]) -> AliasTable:
    """The table ``path`` (if it exists) with the rejected changes added as
    ``[[rejected]]`` entries, one per surface and name, sorted. The file must hold
    rejections only: it is rewritten whole, and would lose anything else."""
    old: tuple[Rejection, ...] = ()
    if os.path.exists(path):
        table = load_table(path)
        if table.entities or table.words or table.honorifics or table.names:
            raise InputError(
                f"{path}: holds more than [[rejected]] entries; --rejected-to keeps a table "
                "of its own (list it with --table beside the others)"
            )
        old = table.rejected
    found = {r.key: r for r in old}
    for r in turned_down:
        new = Rejection(r.change.original, r.change.canonical, r.note, source=path)
        prev = found.get(new.key)
        found[new.key] = new if prev is None or new.note else prev
    ordered = sorted(found.values(), key=lambda r: (r.canonical, fold(r.surface), r.surface))
    return AliasTable((), rejected=tuple(ordered))


def explain(args: argparse.Namespace, out: IO[bytes]) -> int:
    options = input_options(args)
    names = inputs.expand(args.files, options)
    guard_outputs(names, args, WriteBack.STDOUT, out)
    n = normaliser(args)
    with contextlib.ExitStack() as stack:
        target: Sink = stack.enter_context(atomic(args.output)) if args.output else out
        pages: list[Reviewed] = []
        n_inputs = shown = left_off = 0
        # Streamed like clean (standard input, large files), so that explain lists
        # exactly what clean changes; the HTML page needs each text whole.
        stream = args.format != "html" and not options.fields
        for item in inputs.cleaned(names, options, n, stream=stream, progress=_progress(args)):
            n_inputs += 1
            if item.whole is None:
                _explain_stream(item, args.format, target)
                continue
            assert item.changes is not None and item.piece is not None
            if args.format == "jsonl":
                for record in item.piece[2]:
                    target.write(jsonl(record))
                continue
            doc = item.whole
            for i, (text, per_text) in enumerate(zip(doc.texts, item.changes, strict=True)):
                label, line = doc.where(i)
                if args.format == "html":
                    # The page holds MAX_CHANGES changes at most; the rest are counted
                    # (and not kept: the page's memory stays bounded).
                    room = max(0, MAX_CHANGES - shown)
                    left_off += max(0, len(per_text) - room)
                    per_text = per_text[:room]
                    shown += len(per_text)
                    where = label if line is None else f"{label}:{line}"
                    record_id = doc.ids[i] if doc.ids else None
                    records = [doc.record(i, c) for c in per_text]
                    kept = text if per_text else ""  # a text without changes is only counted
                    pages.append(Reviewed(where, record_id, kept, per_text, records))
                    continue
                # A JSONL record's change is placed by the record's line in the file,
                # its id if --id-field names one, and the line and column in the field
                # ("t.jsonl:1 [a1] text:2:6"); a plain file's by line and column.
                if line is None:
                    prefix = f"{label}:"
                else:
                    record_id = f" [{doc.ids[i]}]" if doc.ids and doc.ids[i] is not None else ""
                    prefix = f"{label}:{line}{record_id} {'.'.join(doc.fields[i])}:"
                places = positions(text, (c.start for c in per_text))
                rows = [
                    (f"{prefix}{row}:{col}", text, c)
                    for c, (row, col) in zip(per_text, places, strict=True)
                ]
                target.write(to_bytes(table(rows)))
        if args.format == "html":
            sources = {e.canonical: e.source for e in n.table.entities}
            page = review_page(n_inputs, pages, n.index.threshold, sources, left_off)
            target.write(to_bytes(page))
            if left_off:
                say(
                    f"normalise: warning: the page holds the first {shown:,} of "
                    f"{shown + left_off:,} changes; review the rest on pages of their own"
                )
    return EXIT_OK


def _explain_stream(item: inputs.Cleaned, form: str, target: Sink) -> None:
    """The explanation of a streamed input, piece by piece, with lines and columns
    counted across pieces."""
    lines_before = offset = 0
    for before, _, records in item.pieces():
        if form == "jsonl":
            for record in records:
                target.write(jsonl(record))
        else:
            changes = [Change.from_dict(record) for record in records]
            places = positions(before, (c.start - offset for c in changes))
            rows = [
                (f"{item.label}:{lines_before + row}:{col}", before, c)
                for c, (row, col) in zip(changes, places, strict=True)
            ]
            target.write(to_bytes(table(rows)))
        lines_before += before.count("\n")
        offset += len(before)


def match(args: argparse.Namespace, out: IO[bytes]) -> int:
    n = normaliser(args)
    for name in args.names:
        m = n.match(name)
        why = n.why(name) if args.why else None
        if args.format == "jsonl":
            record: dict[str, object] = m._asdict() if m else {"name": name, "canonical": None}
            if why is not None:
                record["why"] = why_record(why)
            out.write(jsonl(record))
        else:
            if m is None:
                out.write(f"{name}\t\tnone\t0\n".encode())
            else:
                out.write(f"{name}\t{m.canonical}\t{m.method}\t{m.score:g}\n".encode())
            if why is not None:
                out.write(to_bytes(why_text(why)))
    return EXIT_OK


def table_command(args: argparse.Namespace, out: IO[bytes]) -> int:
    if args.table_command == "schema":
        out.write((json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n").encode())
        return EXIT_OK
    if args.table_command == "check":
        against = None if args.no_builtin else builtin_table()
        problems = [p for path in args.paths for p in table_problems(path, against=against)]
        for problem in problems:
            say(problem)
        if problems:
            say(f"normalise: {len(problems)} problems")
            return EXIT_ERROR
        n = len(args.paths)
        say(f"normalise: {n:,} {'table' if n == 1 else 'tables'} ok")
        return EXIT_OK
    c = config(args)
    tables = [builtin_table()] if c.builtin else []
    merged = merge_tables([*tables, *(load_table(p) for p in c.tables)])
    if args.format == "json":
        data = merged.to_dict()
        out.write((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())
    else:
        out.write(merged.to_toml().encode("utf-8"))
    return EXIT_OK


def completion(args: argparse.Namespace, out: IO[bytes]) -> int:
    from .parser import completion_script

    out.write(completion_script(build_parser()).encode("utf-8"))
    return EXIT_OK


COMMANDS = {
    "completion": completion,
    "clean": clean,
    "apply": apply,
    "explain": explain,
    "match": match,
    "table": table_command,
}


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that temporary files are removed."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


class ClosedStdout:
    """Standard output when the command was started with it closed (``>&-``)."""

    def write(self, data: bytes) -> int:
        raise InputError("standard output is closed: give -o PATH, or leave it open")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _std_streams() -> bool:
    """Make sure file descriptors 0, 1 and 2 are open (on /dev/null when they were
    closed), so that no file normalise opens lands on them; return whether standard
    output was open."""
    was_open = {}
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
            was_open[fd] = True
        except OSError:
            was_open[fd] = False
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
    if sys.stderr is None:  # closed when Python started: messages go nowhere, not to stdout
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    return was_open[1] and sys.stdout is not None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    stdout_open = _std_streams()
    parser = build_parser()
    try:
        args = parse_args(parser, argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else EXIT_ERROR
    stdout: Any = sys.stdout.buffer if stdout_open else ClosedStdout()
    previous = None
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return COMMANDS[args.command](args, stdout)
    except NormaliseError as e:
        say(f"normalise: error: {e}")
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        say("normalise: interrupted; no file was left half-written")
        return 130
    except Terminated:
        say("normalise: terminated; no file was left half-written")
        return 143
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        say(f"normalise: error: {where}{e.strerror or e}")
        return EXIT_ERROR
    except RecursionError:
        say("normalise: error: input nested too deeply to read")
        return EXIT_ERROR
    except Exception as e:  # the last line of defence: never a traceback...
        if os.environ.get("NORMALISE_DEBUG"):  # ...unless asked for one
            traceback.print_exc()
        say(
            f"normalise: internal error: {type(e).__name__}: {e} (NORMALISE_DEBUG=1 shows "
            "where; please report it)"
        )
        return EXIT_ERROR
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        with contextlib.suppress(BrokenPipeError, ValueError, InputError):
            stdout.flush()
