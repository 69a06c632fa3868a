"""The commands: ``clean``, ``explain``, ``match`` and ``table``, and ``main``.

The library raises typed exceptions; ``main`` turns them into one line on stderr and
exit status 2. Standard output carries only the cleaned text (or the requested report),
so the command is safe in pipes.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..config import Settings, settings_from_mapping
from ..core import Normaliser
from ..errors import InputError, NormaliseError, SettingsError
from ..table import builtin_table, json_schema, load_table, merge_tables, table_problems
from . import inputs
from .inputs import STDIN
from .outputs import WriteBack, atomic, jsonl, to_bytes, write_back
from .parser import build_parser, input_options, parse_args
from .parser import write_back as write_back_mode
from .render import position, table, why_record, why_text
from .review import Reviewed, review_page
from .tally import EXIT_ERROR, EXIT_OK, Tally

# -- settings and tables -----------------------------------------------------------


def _find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Config:
    """What the command runs with: settings, alias tables, and whether the built-in
    table is used."""

    settings: Settings
    tables: tuple[str, ...]
    builtin: bool


# Keys of [tool.normalise] that are options, not settings.
_TABLE_KEYS = ("tables", "no-builtin", "no_builtin")


def _section(args: argparse.Namespace) -> tuple[str | None, dict[str, Any]]:
    """The configuration file and its section: ``--config``, else the nearest
    pyproject.toml's ``[tool.normalise]`` (nothing when there is none)."""
    path = getattr(args, "config", None)  # table show has no --config: the nearest file
    explicit = path is not None
    if not explicit:
        found = _find_pyproject(Path.cwd())
        path = str(found) if found else None
    if path is None:
        return None, {}
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
    return path, section


def config(args: argparse.Namespace) -> Config:
    """Defaults, then the configuration file, then the options given: settings, and the
    tables (the file's ``tables``, relative to the file, then ``--table``)."""
    path, section = _section(args)
    result = Settings()
    tables: list[str] = []
    builtin = True
    if path is not None:
        result = settings_from_mapping(
            {k: v for k, v in section.items() if k not in _TABLE_KEYS}, path, result
        )
        listed = section.get("tables", [])
        if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
            raise SettingsError(f"{path}: tables must be a list of paths, not {listed!r:.80}")
        folder = Path(path).parent
        tables = [str(folder / t) for t in listed]
        no_builtin = section.get("no-builtin", section.get("no_builtin", False))
        if not isinstance(no_builtin, bool):
            raise SettingsError(f"{path}: no-builtin must be true or false, not {no_builtin!r}")
        builtin = not no_builtin
    given = {
        f.name: getattr(args, "set_" + f.name)
        for f in dataclasses.fields(Settings)
        if getattr(args, "set_" + f.name, None) is not None
    }
    if given:
        result = result.replace(**given)
    if args.no_builtin is not None:
        builtin = not args.no_builtin
    tables += args.tables
    if not builtin and not tables:
        raise InputError("--no-builtin needs at least one table (--table PATH)")
    return Config(result, tuple(tables), builtin)


def normaliser(args: argparse.Namespace) -> Normaliser:
    c = config(args)
    return Normaliser(c.tables, builtin=c.builtin, settings=c.settings)


# -- commands ----------------------------------------------------------------------


def clean(args: argparse.Namespace, out: IO[bytes]) -> int:
    options = input_options(args)
    names = inputs.expand(args.files, options)
    mode = write_back_mode(args)
    if mode is WriteBack.IN_PLACE and STDIN in names:
        raise InputError("--in-place needs files, not standard input")
    n = normaliser(args)
    color = _color(args, mode, out)
    tally = Tally()
    with contextlib.ExitStack() as stack:
        target = stack.enter_context(atomic(args.output)) if args.output else out
        explain_to = stack.enter_context(atomic(args.explain_file)) if args.explain_file else None
        # A diff needs the whole text; JSONL records and workers need whole inputs.
        stream = options.field is None and not mode.is_diff and options.workers == 1
        progress = not args.quiet and sys.stderr.isatty()
        for item in inputs.cleaned(names, options, n, stream=stream, progress=progress):
            count, changed = write_back(
                mode,
                item,
                target,
                encoding=options.encoding,
                errors=options.errors,
                color=color,
                explain_to=explain_to,
            )
            tally.add(item.label, count, changed, item.bad, check=args.check, records=item.records)
    return tally.report(args.quiet)


def _color(args: argparse.Namespace, mode: WriteBack, out: IO[bytes]) -> bool:
    return mode.is_diff and not args.no_color and "NO_COLOR" not in os.environ and out.isatty()


def apply(args: argparse.Namespace, out: IO[bytes]) -> int:
    """Apply a reviewed explanation to the original inputs. Every change is checked
    against its input before anything is written: one that does not fit stops the run
    with an error naming the changes file's line and the input."""
    options = input_options(args)
    mode = write_back_mode(args)
    wanted = inputs.read_changes(args.changes)
    by_label: dict[str, list[inputs.Reviewed]] = {}
    for reviewed in wanted:
        by_label.setdefault(reviewed.file, []).append(reviewed)
    if args.files:
        names = inputs.expand(args.files, options)
    else:
        names = [STDIN if f == inputs.label(STDIN) else f for f in by_label]
    given = {inputs.label(n) for n in names}
    for reviewed in wanted:
        if reviewed.file not in given:
            raise InputError(
                f"{args.changes}: line {reviewed.number}: no input {reviewed.file!r} "
                "among the files given"
            )
    if mode is WriteBack.IN_PLACE and STDIN in names:
        raise InputError("--in-place needs files, not standard input")
    items = [
        inputs.applied(name, options, by_label.get(inputs.label(name), []), args.changes)
        for name in names
    ]  # all checked before anything is written
    tally = Tally()
    color = _color(args, mode, out)
    with contextlib.ExitStack() as stack:
        target = stack.enter_context(atomic(args.output)) if args.output else out
        for item in items:
            count, changed = write_back(
                mode, item, target, encoding=options.encoding, errors=options.errors, color=color
            )
            tally.add(item.label, count, changed, item.bad, check=args.check, records=item.records)
    return tally.report(args.quiet)


def explain(args: argparse.Namespace, out: IO[bytes]) -> int:
    options = input_options(args)
    n = normaliser(args)
    with contextlib.ExitStack() as stack:
        target = stack.enter_context(atomic(args.output)) if args.output else out
        pages: list[Reviewed] = []
        n_inputs = 0
        for item in inputs.cleaned(inputs.expand(args.files, options), options, n, stream=False):
            assert item.whole is not None and item.changes is not None and item.piece is not None
            n_inputs += 1
            if args.format == "jsonl":
                for record in item.piece[2]:
                    target.write(jsonl(record))
                continue
            doc = item.whole
            for i, (text, per_text) in enumerate(zip(doc.texts, item.changes, strict=True)):
                label, line = doc.where(i)
                if args.format == "html":
                    where = label if line is None else f"{label}:{line}"
                    record_id = doc.ids[i] if doc.ids else None
                    records = [doc.record(i, c) for c in per_text]
                    pages.append(Reviewed(where, record_id, text, per_text, records))
                    continue
                rows = []
                for c in per_text:
                    row, col = position(text, c.start)
                    where = f"{label}:{row}:{col}" if line is None else f"{label}:{line}:{col}"
                    rows.append((where, text, c))
                target.write(to_bytes(table(rows)))
        if args.format == "html":
            target.write(to_bytes(review_page(n_inputs, pages)))
    return EXIT_OK


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
            print(problem, file=sys.stderr)
        if problems:
            print(f"normalise: {len(problems)} problems", file=sys.stderr)
            return EXIT_ERROR
        print(f"normalise: {len(args.paths)} tables ok", file=sys.stderr)
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


COMMANDS = {
    "clean": clean,
    "apply": apply,
    "explain": explain,
    "match": match,
    "table": table_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    parser = build_parser()
    try:
        args = parse_args(parser, argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else EXIT_ERROR
    stdout = sys.stdout.buffer
    try:
        return COMMANDS[args.command](args, stdout)
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
