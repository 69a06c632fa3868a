"""The command line. ``main(argv) -> int`` so tests can call it in-process.

The library raises typed exceptions; this module turns them into one line on stderr and
exit status 2. Standard output carries only the cleaned text (or the requested report),
so the command is safe in pipes.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import dataclasses
import fnmatch
import itertools
import json
import os
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__
from .config import Settings, settings_from_mapping, settings_help
from .core import Normaliser, replay
from .errors import InputError, NormaliseError, SettingsError
from .models import Change
from .report import html_page, position, table, unified_diff, why_record, why_text
from .table import builtin_table, load_table, merge_tables, table_problems

STDIN = "-"
EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2
_BATCH = 64  # inputs read, cleaned and written at a time: memory stays bounded

EPILOG = "Exit status: 0 success, 1 --check found changes, 2 usage or input error."


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _add_tables(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("alias tables")
    g.add_argument(
        "--aliases",
        metavar="PATH",
        action="append",
        default=[],
        help="add a TOML alias table to the built-in one (repeatable)",
    )
    g.add_argument(
        "--no-builtin", action="store_true", help="use only the tables given with --aliases"
    )


# The setting "aliases" (replace listed aliases) would clash with --aliases PATH.
_FLAG_NAMES = {"aliases": "alias_matches"}


def _add_settings(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "matching settings", "defaults, and every setting's meaning, are in the README"
    )
    g.add_argument(
        "--config",
        metavar="PATH",
        help="read settings from a TOML file (top level or [tool.normalise]); by default "
        "[tool.normalise] of the nearest pyproject.toml; options given here win",
    )
    helps = settings_help()
    for f in dataclasses.fields(Settings):
        flag = "--" + _FLAG_NAMES.get(f.name, f.name).replace("_", "-")
        first = helps[f.name].split(". ")[0].rstrip(".")
        if f.type in ("bool", bool):
            g.add_argument(
                flag,
                dest="set_" + f.name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=first,
            )
        else:
            kind = float if f.type in ("float", float) else int
            g.add_argument(
                flag, dest="set_" + f.name, type=kind, default=None, metavar="N", help=first
            )


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="input files; none or - for stdin")
    g = p.add_argument_group("input")
    g.add_argument("--encoding", default="utf-8", help="text encoding (default: utf-8)")
    g.add_argument(
        "--errors",
        choices=("strict", "surrogateescape"),
        default="strict",
        help="invalid bytes: an error (strict, the default), or kept as they are",
    )
    g.add_argument(
        "-r", "--recursive", action="store_true", help="read the files below directories"
    )
    g.add_argument(
        "--glob",
        default="*.txt",
        metavar="PATTERN",
        help="with --recursive, only files matching this (default: *.txt)",
    )
    g.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines")
    g.add_argument(
        "--field", metavar="NAME", help="with --jsonl, the string field to clean (a.b for nested)"
    )
    g.add_argument(
        "--skip-bad",
        action="store_true",
        help="with --jsonl, pass bad lines through unchanged (counted on stderr)",
    )
    g.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="normalise",
        description="Repair named entities garbled by machine translation.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"normalise {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser(
        "clean",
        help="write the cleaned text",
        description="Write the cleaned text.",
        epilog=EPILOG,
    )
    _add_input(p)
    g = p.add_argument_group("output")
    mode = g.add_mutually_exclusive_group()
    mode.add_argument("-o", "--output", metavar="PATH", help="write to PATH, not stdout")
    mode.add_argument("--in-place", action="store_true", help="rewrite the files themselves")
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and list the inputs on stderr if any would change",
    )
    mode.add_argument("--diff", action="store_true", help="show a unified diff of the changes")
    g.add_argument("--no-color", action="store_true", help="no colours in --diff")
    g.add_argument(
        "--explain-file", metavar="PATH", help="also write the JSONL explanation to PATH"
    )
    g.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    _add_tables(p)
    _add_settings(p)

    p = sub.add_parser(
        "explain",
        help="list every change that clean would make",
        description="List every change that clean would make.",
        epilog=EPILOG,
    )
    _add_input(p)
    g = p.add_argument_group("output")
    g.add_argument(
        "--format", choices=("table", "jsonl", "html"), default="table", help="report format"
    )
    g.add_argument("-o", "--output", metavar="PATH", help="write to PATH, not stdout")
    _add_tables(p)
    _add_settings(p)

    p = sub.add_parser(
        "match",
        help="the best canonical match for each name",
        description="Print the best canonical match for each name.",
        epilog=EPILOG,
    )
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--format", choices=("tsv", "jsonl"), default="tsv", help="output format")
    p.add_argument(
        "--why",
        action="store_true",
        help="also show the weighed evidence, the threshold, and the candidates rejected",
    )
    _add_tables(p)
    _add_settings(p)

    p = sub.add_parser(
        "table",
        help="check or show alias tables",
        description="Check or show alias tables.",
        epilog=EPILOG,
    )
    tsub = p.add_subparsers(dest="table_command", metavar="ACTION", parser_class=_Parser)
    tsub.required = True
    t = tsub.add_parser(
        "check",
        help="validate tables and report every problem",
        description="Validate tables and report every problem, with file and entity.",
    )
    t.add_argument("paths", nargs="+", metavar="PATH")
    t.add_argument(
        "--no-builtin", action="store_true", help="do not check against the built-in table"
    )
    t = tsub.add_parser(
        "show",
        help="print the effective merged table",
        description="Print the effective merged table.",
    )
    t.add_argument("--format", choices=("toml", "json"), default="toml", help="output format")
    _add_tables(t)
    return parser


# -- settings and tables -----------------------------------------------------------


def _find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    path = args.config
    explicit = path is not None
    if not explicit:
        found = _find_pyproject(Path.cwd())
        path = str(found) if found else None
    if path is not None:
        try:
            with open(path, "rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise InputError(f"{path}: cannot read settings: {e}") from None
        section = data.get("tool", {}).get("normalise") if "tool" in data else None
        if section is None:
            section = {} if not explicit or Path(path).name == "pyproject.toml" else data
        if not isinstance(section, dict):
            raise SettingsError(f"{path}: [tool.normalise] must be a table")
        settings = settings_from_mapping(section, path, settings)
    given = {
        f.name: getattr(args, "set_" + f.name)
        for f in dataclasses.fields(Settings)
        if getattr(args, "set_" + f.name) is not None
    }
    return settings.replace(**given) if given else settings


def _normaliser(args: argparse.Namespace) -> Normaliser:
    if args.no_builtin and not args.aliases:
        raise InputError("--no-builtin needs at least one --aliases table")
    return Normaliser(args.aliases, builtin=not args.no_builtin, settings=_settings(args))


# -- inputs --------------------------------------------------------------------------


def _expand(args: argparse.Namespace) -> list[str]:
    out: list[str] = []
    for name in args.files or [STDIN]:
        if name != STDIN and os.path.isdir(name):
            if not args.recursive:
                raise InputError(f"{name}: is a directory (use --recursive to read its files)")
            found = []
            for folder, dirs, files in os.walk(name):
                dirs.sort()
                found += [
                    os.path.join(folder, f) for f in sorted(files) if fnmatch.fnmatch(f, args.glob)
                ]
            out += sorted(found)  # like `find DIR | sort`
        else:
            out.append(name)
    return out


def _label(name: str) -> str:
    return "<stdin>" if name == STDIN else name


def _read(name: str, encoding: str, errors: str) -> str:
    try:
        if name == STDIN:
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as f:
                data = f.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    try:
        return data.decode(encoding, errors)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as e:
        bad = data[e.start : e.start + 1]
        raise InputError(
            f"{_label(name)}: not valid {encoding} at byte {e.start} ({bad!r}); "
            "use --errors surrogateescape to keep such bytes as they are"
        ) from None


class _Doc:
    """One input, split into the texts to clean (the whole text, or one JSONL field per
    record) and able to put the cleaned texts back."""

    def __init__(self, name: str, text: str, args: argparse.Namespace) -> None:
        self.name = name
        self.label = _label(name)
        self.text = text
        self.jsonl = bool(args.jsonl)
        self.bad = 0
        # (line number, line, record or None, path): one per line for JSONL
        self.lines: list[tuple[int, str, Any, list[str]]] = []
        self.texts: list[str] = []
        self.numbers: list[int] = []  # the line number of each text (JSONL)
        if not self.jsonl:
            self.texts = [text]
            return
        path = args.field.split(".")
        for number, line in enumerate(text.splitlines(keepends=True), 1):
            body = line.rstrip("\r\n")
            if not body.strip():
                self.lines.append((number, line, None, path))
                continue
            try:
                record = json.loads(body)
                value = _get(record, path)
            except (json.JSONDecodeError, _FieldError) as e:
                if not args.skip_bad:
                    raise InputError(f"{self.label}: line {number}: {e}") from None
                self.bad += 1
                self.lines.append((number, line, None, path))
                continue
            if value is None:
                self.lines.append((number, line, None, path))
            else:
                self.lines.append((number, line, record, path))
                self.texts.append(value)
                self.numbers.append(number)

    def where(self, index: int) -> tuple[str, int | None]:
        """The label and (for JSONL) line number of the index-th text."""
        if not self.jsonl:
            return self.label, None
        return self.label, self.numbers[index]

    def rebuild(self, cleaned: list[str]) -> str:
        if not self.jsonl:
            return cleaned[0]
        out = []
        it = iter(zip(self.texts, cleaned, strict=True))
        for _, line, record, path in self.lines:
            if record is None:
                out.append(line)
                continue
            before, after = next(it)
            if before == after:
                out.append(line)  # unchanged records are written back byte for byte
                continue
            _set(record, path, after)
            ending = line[len(line.rstrip("\r\n")) :]
            out.append(json.dumps(record, ensure_ascii=False) + ending)
        return "".join(out)


class _FieldError(ValueError):
    pass


def _get(record: Any, path: list[str]) -> str | None:
    value = record
    for key in path:
        if not isinstance(value, dict) or key not in value:
            raise _FieldError(f"no field {'.'.join(path)!r}")
        value = value[key]
    if value is not None and not isinstance(value, str):
        raise _FieldError(f"field {'.'.join(path)!r} is {type(value).__name__}, not a string")
    return value


def _set(record: Any, path: list[str], value: str) -> None:
    for key in path[:-1]:
        record = record[key]
    record[path[-1]] = value


def _docs(
    args: argparse.Namespace, normaliser: Normaliser, names: list[str]
) -> Iterator[tuple[_Doc, str, list[list[Change]]]]:
    """Read, clean and yield (doc, cleaned text, changes per text) in batches."""
    progress = len(names) > 1 and not getattr(args, "quiet", False) and sys.stderr.isatty()
    for first in range(0, len(names), _BATCH):
        batch = [
            _Doc(n, _read(n, args.encoding, args.errors), args)
            for n in names[first : first + _BATCH]
        ]
        texts = [t for d in batch for t in d.texts]
        explained = normaliser.explain_many(texts, workers=args.workers)
        pos = 0
        for d in batch:
            changes = explained[pos : pos + len(d.texts)]
            pos += len(d.texts)
            cleaned = [replay(t, c) for t, c in zip(d.texts, changes, strict=True)]
            yield d, d.rebuild(cleaned), changes
        if progress:
            done = min(first + _BATCH, len(names))
            sys.stderr.write(f"\rnormalise: {done}/{len(names)} inputs")
            sys.stderr.flush()
    if progress:
        sys.stderr.write("\r\033[K")


# -- outputs -------------------------------------------------------------------------


@contextlib.contextmanager
def _atomic(
    path: str, mode_from: str | None = None, keep: Callable[[], bool] = lambda: True
) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path`` and rename it over ``path`` only when
    everything was written: an interrupted or failed run leaves the old file intact."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".normalise-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if not keep():  # nothing changed: the file is left as it was
            os.unlink(tmp)
            return
        if mode_from is not None:
            os.chmod(tmp, os.stat(mode_from).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _records(doc: _Doc, changes: list[list[Change]]) -> Iterator[dict[str, object]]:
    for i, per_text in enumerate(changes):
        label, line = doc.where(i)
        for c in per_text:
            record: dict[str, object] = {"file": label}
            if line is not None:
                record["line"] = line
            record.update(c.to_dict())
            yield record


def _jsonl(record: dict[str, object]) -> bytes:
    return _bytes(json.dumps(record, ensure_ascii=False) + "\n")


def _bytes(report: str) -> bytes:
    """A report as UTF-8; bytes kept by --errors surrogateescape come out as they were."""
    return report.encode("utf-8", "surrogateescape")


_STREAM_ABOVE = 32 * 1_000_000  # bytes: larger files (and stdin) are streamed
_BLOCK = 1 << 20


def _size(name: str) -> int:
    try:
        return os.path.getsize(name)
    except OSError:
        return 0  # reported when it is read


def _read_blocks(name: str, encoding: str, errors: str) -> Iterator[str]:
    """Decode an input block by block; invalid bytes are reported with their offset."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    try:
        f: IO[bytes] = sys.stdin.buffer if name == STDIN else open(name, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    consumed = 0
    try:
        while True:
            data = f.read(_BLOCK)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as e:
                at = consumed - pending + e.start
                raise InputError(
                    f"{_label(name)}: not valid {encoding} at byte {at}; "
                    "use --errors surrogateescape to keep such bytes as they are"
                ) from None
            consumed += len(data)
            if text:
                yield text
            if not data:
                return
    finally:
        if f is not sys.stdin.buffer:
            f.close()


def _stream_one(
    name: str,
    args: argparse.Namespace,
    normaliser: Normaliser,
    target: IO[bytes],
    explain_to: IO[bytes] | None,
) -> int:
    """Clean one input as a stream; returns the number of changes."""
    count = 0
    with contextlib.ExitStack() as stack:
        sink: IO[bytes] | None = None
        if args.in_place:
            sink = stack.enter_context(_atomic(name, mode_from=name, keep=lambda: count > 0))
        elif not args.check:
            sink = target
        offset = 0
        for piece, changes in normaliser.iter_explain(
            _read_blocks(name, args.encoding, args.errors)
        ):
            count += len(changes)
            if explain_to is not None:
                for c in changes:
                    explain_to.write(_jsonl({"file": _label(name), **c.to_dict()}))
            if sink is not None:
                local = [c._replace(start=c.start - offset, end=c.end - offset) for c in changes]
                sink.write(replay(piece, local).encode(args.encoding, args.errors))
            offset += len(piece)
    return count


def _clean(args: argparse.Namespace, out: IO[bytes]) -> int:
    names = _expand(args)
    if args.in_place and STDIN in names:
        raise InputError("--in-place needs files, not standard input")
    if args.jsonl and not args.field:
        raise InputError("--jsonl needs --field NAME")
    normaliser = _normaliser(args)
    started = time.perf_counter()
    color = args.diff and not args.no_color and "NO_COLOR" not in os.environ and out.isatty()
    would_change: list[str] = []
    n_inputs = n_changes = n_changed = n_bad = 0
    with contextlib.ExitStack() as stack:
        target = out
        if args.output:
            target = stack.enter_context(_atomic(args.output))
        explain_to = stack.enter_context(_atomic(args.explain_file)) if args.explain_file else None
        stream = not args.jsonl and not args.diff and args.workers == 1
        big = [stream and (n == STDIN or _size(n) > _STREAM_ABOVE) for n in names]
        for streamed, group in itertools.groupby(zip(names, big, strict=True), lambda x: x[1]):
            group_names = [n for n, _ in group]
            if streamed:  # with bounded memory, one after the other
                for name in group_names:
                    n_inputs += 1
                    count = _stream_one(name, args, normaliser, target, explain_to)
                    n_changes += count
                    n_changed += count > 0
                    if args.check and count:
                        would_change.append(_label(name))
                continue
            for doc, cleaned, changes in _docs(args, normaliser, group_names):
                n_inputs += 1
                n_bad += doc.bad
                count = sum(len(c) for c in changes)
                n_changes += count
                n_changed += cleaned != doc.text
                if explain_to is not None:
                    for record in _records(doc, changes):
                        explain_to.write(_jsonl(record))
                if args.check:
                    if cleaned != doc.text:
                        would_change.append(doc.label)
                elif args.diff:
                    target.write(_bytes(unified_diff(doc.label, doc.text, cleaned, color=color)))
                elif args.in_place:
                    if cleaned != doc.text:
                        with _atomic(doc.name, mode_from=doc.name) as f:
                            f.write(cleaned.encode(args.encoding, args.errors))
                else:
                    target.write(cleaned.encode(args.encoding, args.errors))
    for label in would_change:
        print(f"would change: {label}", file=sys.stderr)
    if not args.quiet:
        bad = f", {n_bad} bad lines passed through" if n_bad else ""
        print(
            f"normalise: {n_inputs} inputs, {n_changes} changes in {n_changed} inputs{bad} "
            f"({time.perf_counter() - started:.2f} s)",
            file=sys.stderr,
        )
    return EXIT_CHANGED if would_change else EXIT_OK


def _explain(args: argparse.Namespace, out: IO[bytes]) -> int:
    if args.jsonl and not args.field:
        raise InputError("--jsonl needs --field NAME")
    normaliser = _normaliser(args)
    args.quiet = True
    with contextlib.ExitStack() as stack:
        target = stack.enter_context(_atomic(args.output)) if args.output else out
        pages: list[tuple[str, str, list[Change]]] = []
        for doc, _, changes in _docs(args, normaliser, _expand(args)):
            if args.format == "jsonl":
                for record in _records(doc, changes):
                    target.write(_jsonl(record))
                continue
            for i, (text, per_text) in enumerate(zip(doc.texts, changes, strict=True)):
                label, line = doc.where(i)
                if args.format == "html":
                    pages.append((label if line is None else f"{label}:{line}", text, per_text))
                    continue
                rows = []
                for c in per_text:
                    row, col = position(text, c.start)
                    where = f"{label}:{row}:{col}" if line is None else f"{label}:{line}:{col}"
                    rows.append((where, text, c))
                target.write(_bytes(table(rows)))
        if args.format == "html":
            target.write(_bytes(html_page(pages)))
    return EXIT_OK


def _match(args: argparse.Namespace, out: IO[bytes]) -> int:
    normaliser = _normaliser(args)
    for name in args.names:
        m = normaliser.match(name)
        why = normaliser.why(name) if args.why else None
        if args.format == "jsonl":
            record: dict[str, object] = m._asdict() if m else {"name": name, "canonical": None}
            if why is not None:
                record["why"] = why_record(why)
            out.write(_jsonl(record))
        else:
            if m is None:
                out.write(f"{name}\t\tnone\t0\n".encode())
            else:
                out.write(f"{name}\t{m.canonical}\t{m.method}\t{m.score:g}\n".encode())
            if why is not None:
                out.write(_bytes(why_text(why)))
    return EXIT_OK


def _table(args: argparse.Namespace, out: IO[bytes]) -> int:
    if args.table_command == "check":
        against = None if args.no_builtin else builtin_table()
        problems = [p for path in args.paths for p in table_problems(path, against=against)]
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"normalise: {len(problems)} problems", file=sys.stderr)
            return EXIT_ERROR
        print(f"normalise: {len(args.paths)} tables ok", file=sys.stderr)
        return EXIT_OK
    if args.no_builtin and not args.aliases:
        raise InputError("--no-builtin needs at least one --aliases table")
    tables = [builtin_table()] if not args.no_builtin else []
    merged = merge_tables([*tables, *(load_table(p) for p in args.aliases)])
    if args.format == "json":
        data = merged.to_dict()
        out.write((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())
    else:
        out.write(merged.to_toml().encode("utf-8"))
    return EXIT_OK


_COMMANDS = {"clean": _clean, "explain": _explain, "match": _match, "table": _table}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else EXIT_ERROR
    stdout = sys.stdout.buffer
    try:
        return _COMMANDS[args.command](args, stdout)
    except (NormaliseError, ValueError) as e:
        print(f"normalise: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("normalise: interrupted; no file was left half-written", file=sys.stderr)
        return 130
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        print(f"normalise: error: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # the last line of defence: never a traceback
        print(f"normalise: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        with contextlib.suppress(BrokenPipeError, ValueError):
            stdout.flush()
