"""The command line. ``main(argv) -> int`` so tests can call it in-process."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from typing import BinaryIO

from . import __version__
from .config import Settings
from .core import Normaliser
from .errors import InputError, NormaliseError
from .models import Change

STDIN = "-"
EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--aliases",
        metavar="PATH",
        action="append",
        default=[],
        help="add a TOML alias table to the built-in one (repeatable)",
    )
    p.add_argument(
        "--no-builtin", action="store_true", help="use only the tables given with --aliases"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="normalise",
        description="Repair named entities garbled by machine translation.",
        epilog="Exit status: 0 success, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"normalise {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("clean", help="write the cleaned text to stdout")
    p.add_argument("files", nargs="*", metavar="FILE", help="input files; none or - for stdin")
    _common(p)
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes")

    p = sub.add_parser("explain", help="list every change that clean would make")
    p.add_argument("files", nargs="*", metavar="FILE", help="input files; none or - for stdin")
    p.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    _common(p)

    p = sub.add_parser("match", help="the best canonical match for each name")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--format", choices=("tsv", "jsonl"), default="tsv", help="output format")
    _common(p)
    return parser


def _read(name: str, stdin: BinaryIO) -> str:
    try:
        if name == STDIN:
            data = stdin.read()
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
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        shown = "<stdin>" if name == STDIN else name
        raise InputError(
            f"{shown}: not valid UTF-8 at byte {e.start} ({data[e.start : e.start + 1]!r})"
        ) from None


def _normaliser(args: argparse.Namespace) -> Normaliser:
    if args.no_builtin and not args.aliases:
        raise InputError("--no-builtin needs at least one --aliases table")
    return Normaliser(args.aliases, builtin=not args.no_builtin, settings=Settings())


def _table_row(name: str, c: Change, text: str) -> str:
    line = text.count("\n", 0, c.start) + 1
    col = c.start - (text.rfind("\n", 0, c.start) + 1) + 1
    return f"{name}:{line}:{col}\t{c.original} -> {c.replacement}\t{c.method}\t{c.score:.3f}"


def _run(args: argparse.Namespace, stdin: BinaryIO, stdout: BinaryIO) -> int:
    normaliser = _normaliser(args)
    if args.command == "match":
        for name in args.names:
            m = normaliser.match(name)
            if args.format == "jsonl":
                record = m._asdict() if m else {"name": name, "canonical": None}
                stdout.write((json.dumps(record, ensure_ascii=False) + "\n").encode())
            elif m is None:
                stdout.write(f"{name}\t\tnone\t0\n".encode())
            else:
                stdout.write(f"{name}\t{m.canonical}\t{m.method}\t{m.score:g}\n".encode())
        return EXIT_OK
    files = args.files or [STDIN]
    texts = [_read(f, stdin) for f in files]
    labels = ["<stdin>" if f == STDIN else f for f in files]
    if args.command == "clean":
        for out in normaliser.clean_many(texts, workers=args.workers):
            stdout.write(out.encode("utf-8"))
        return EXIT_OK
    for label, text, changes in zip(labels, texts, normaliser.explain_many(texts), strict=True):
        for c in changes:
            if args.format == "jsonl":
                record = {"file": label, **c.to_dict()}
                row = json.dumps(record, ensure_ascii=False)
            else:
                row = _table_row(label, c, text)
            stdout.write((row + "\n").encode("utf-8"))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else EXIT_ERROR
    stdout = sys.stdout.buffer
    try:
        return _run(args, sys.stdin.buffer, stdout)
    except (NormaliseError, ValueError) as e:
        print(f"normalise: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("normalise: interrupted", file=sys.stderr)
        return 130
    except OSError as e:
        print(f"normalise: error: {e.strerror or e}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:
        print(f"normalise: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        with contextlib.suppress(BrokenPipeError, ValueError):
            stdout.flush()
