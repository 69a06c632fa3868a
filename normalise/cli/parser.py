"""The command line's options: one parser, and what its answers mean to the rest."""

from __future__ import annotations

import argparse
import codecs
import difflib
import sys
from collections.abc import Sequence

from ..config import option_name, setting_fields
from ..errors import InputError
from . import version
from .inputs import InputOptions
from .outputs import WriteBack
from .tally import EXIT_ERROR

EPILOG = "Exit status: 0 success, 1 --check found changes, 2 usage or input error."


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        usage = ""
        if "required: COMMAND" in message:  # a bare `normalise`: say what it takes
            usage = self.format_usage()
            message += f" (run '{self.prog} --help' for the commands)"
        self.exit(
            EXIT_ERROR, f"{usage}{self.prog}: error: {message}{self._did_you_mean(message)}\n"
        )

    def _did_you_mean(self, message: str) -> str:
        """ "; did you mean --check?" for a misspelt option or command."""
        wrong: list[str] = []
        if message.startswith("unrecognized arguments: "):
            wrong = [a.split("=", 1)[0] for a in message.split(": ", 1)[1].split()]
            known = _options(self)
        elif "invalid choice: '" in message:
            wrong = [message.split("invalid choice: '", 1)[1].split("'", 1)[0]]
            known = [c for a in self._actions if a.choices for c in a.choices]
        for word in wrong:
            close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
            if close and close[0] == word:
                return f"; {word} is an option of another command (see {self.prog} --help)"
            if close:
                return f"; did you mean {close[0]}?"
        return ""


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """Every option of ``parser`` and of its commands (the top-level parser reports
    the unrecognised arguments of every command)."""
    out: list[str] = []
    for action in parser._actions:
        out += action.option_strings
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                out += [o for o in _options(sub) if o not in out]
    return out


def _add_tables(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("alias tables")
    g.add_argument(
        "--table",
        "--aliases",
        dest="tables",
        metavar="PATH",
        action="append",
        default=[],
        help="add an alias table (TOML; JSON, CSV or TSV by extension) to the built-in one "
        "(repeatable; --aliases is the old spelling); tables = [...] in [tool.normalise] adds "
        "tables too",
    )
    g.add_argument(
        "--no-builtin",
        action="store_true",
        default=None,
        help="use only the tables given (with --table or in the configuration)",
    )


def _add_settings(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "matching settings", "every setting, with its default, is also in docs/library.md"
    )
    g.add_argument(
        "--config",
        metavar="PATH",
        help="read settings from a TOML file (top level or [tool.normalise]); by default "
        "[tool.normalise] of the nearest pyproject.toml (up to the repository's root or the "
        "home folder); options given here win",
    )
    g.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say which configuration file is used",
    )
    for f in setting_fields():
        flag = "--" + option_name(f.name)
        kind = f.metadata["kind"]
        if kind == "switch":
            shown = "on" if f.default else "off"
            g.add_argument(
                flag,
                dest="set_" + f.name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=f"{f.metadata['help']} (default: {shown})",
            )
        else:
            g.add_argument(
                flag,
                dest="set_" + f.name,
                type=int if kind == "count" else float,
                default=None,
                metavar="N",
                help=f"{f.metadata['help']} (default: {f.default})",
            )


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="input files; none or - for stdin")
    g = p.add_argument_group("input")
    g.add_argument("--encoding", default="utf-8", help="text encoding (default: utf-8)")
    g.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress line on stderr for many files, JSONL records and streamed input "
        "(default: when stderr is a terminal and not --quiet)",
    )
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
        action="append",
        metavar="PATTERN",
        help="with --recursive, only files matching this (repeatable: files matching any; "
        "default: *.txt)",
    )
    g.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines")
    g.add_argument(
        "--field",
        metavar="NAME",
        action="append",
        help="with --jsonl, a string field to clean (a.b for nested; repeatable: each "
        "field is a text of its own)",
    )
    g.add_argument(
        "--skip-bad",
        action="store_true",
        help="with --jsonl, pass bad lines through unchanged (counted on stderr)",
    )
    g.add_argument(
        "--whole",
        action="store_true",
        help="read standard input to its end first (into a temporary file), so that its "
        "changes are those of the same text in a file; by default it is cleaned as it "
        "comes, and what a document tells is read about 1 MB ahead",
    )
    g.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes (default: 1; at most 8 per CPU); streamed inputs use one",
    )


def _add_output(p: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    g = p.add_argument_group("output")
    mode = g.add_mutually_exclusive_group()
    mode.add_argument("-o", "--output", metavar="PATH", help="write to PATH, not stdout")
    mode.add_argument("--in-place", action="store_true", help="rewrite the files themselves")
    g.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and list the inputs on stderr if any would change "
        "(with --diff: show the diff too)",
    )
    mode.add_argument(
        "--diff",
        action="store_true",
        help="show a unified diff of the changes; --diff=word marks the changed words "
        "inside each changed line",
    )
    g.add_argument(
        "--diff-style", choices=("unified", "word"), default="unified", help=argparse.SUPPRESS
    )
    g.add_argument("--no-color", action="store_true", help="no colours in --diff")
    g.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    return g


def _spelled(argv: Sequence[str]) -> list[str]:
    """``--diff=word`` and ``--diff=unified`` as the parser reads them (a plain
    ``--diff`` takes no value, so that ``--diff FILE`` stays a file)."""
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            out += argv[i:]
            break
        if arg.startswith("--diff="):
            out += ["--diff", "--diff-style", arg.split("=", 1)[1]]
        else:
            out.append(arg)
    return out


def parse_args(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    args = parser.parse_args(_spelled(sys.argv[1:] if argv is None else argv))
    for dest, option in (
        ("output", "-o"),
        ("explain_file", "--explain-file"),
        ("rejected_to", "--rejected-to"),
        ("config", "--config"),
    ):
        if getattr(args, dest, None) == "":
            parser.error(f"{option} needs a path, not an empty string")
    if "" in (getattr(args, "files", None) or ()):
        parser.error("an input is an empty string: give a file or folder name")
    return args


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="normalise",
        description="Repair named entities garbled by machine translation.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser(
        "clean",
        help="write the cleaned text",
        description="Write the cleaned text.",
        epilog=EPILOG,
    )
    _add_input(p)
    g = _add_output(p)
    g.add_argument(
        "--explain-file", metavar="PATH", help="also write the JSONL explanation to PATH"
    )
    g.add_argument(
        "--id-field",
        metavar="NAME",
        help="with --jsonl, a field that names each record: written as the id of each "
        "change of --explain-file",
    )
    g.add_argument(
        "--statistics",
        action="store_true",
        help="after the summary, each kind of change (original -> replacement, method) "
        "with its count, most frequent first, on stderr",
    )
    _add_tables(p)
    _add_settings(p)

    p = sub.add_parser(
        "apply",
        help="apply a reviewed explanation (explain --format jsonl) to the inputs",
        description="Apply a reviewed explanation to the original inputs: the changes of "
        "CHANGES (JSONL, as `explain --format jsonl` or the HTML review page writes them; "
        'a record with "accept": false is skipped) to the FILEs (by default the files the '
        "records name). Every change must still fit its input, else nothing is written.",
        epilog=EPILOG,
    )
    p.add_argument("changes", metavar="CHANGES", help="the explanation, one change a line")
    _add_input(p)
    g = _add_output(p)
    g.add_argument(
        "--rejected-to",
        metavar="PATH",
        help='record the rejected changes (records with "accept": false) in the alias '
        "table PATH as [[rejected]] entries (created, or merged and kept sorted), so that "
        "later runs with --table PATH leave them as written",
    )

    p = sub.add_parser(
        "explain",
        help="list every change that clean would make",
        description="List every change that clean would make.",
        epilog=EPILOG,
    )
    _add_input(p)
    g = p.add_argument_group("output")
    g.add_argument(
        "--format",
        choices=("table", "jsonl", "html"),
        default="table",
        help="report format: an aligned table, one JSON record a change, or an HTML review "
        "page to accept or reject changes and download the accepted ones for apply",
    )
    g.add_argument(
        "--id-field",
        metavar="NAME",
        help="with --jsonl, a field that names each record (an id): shown on the HTML page "
        "and written as the id of each change",
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
        epilog="Exit status: 0 success, 2 a table has problems, or a usage error.",
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
    t.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="tables to merge in, as with --table (TOML, JSON as --format json writes it, "
        "CSV or TSV)",
    )
    t.add_argument("--format", choices=("toml", "json"), default="toml", help="output format")
    _add_tables(t)
    tsub.add_parser(
        "schema",
        help="print the JSON Schema of alias tables",
        description="Print the JSON Schema of alias tables (for editors and TOML language "
        "servers; aliases/alias-table.schema.json holds the same).",
    )

    p = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script for the shell, generated from these options: "
        'eval "$(normalise completion bash)" in ~/.bashrc (zsh: with bashcompinit).',
    )
    p.add_argument("shell", choices=("bash",), help="the shell")
    return parser


def completion_script(parser: argparse.ArgumentParser) -> str:
    """A bash completion script: the commands, each command's options (and a table
    action's), and file names elsewhere."""
    commands: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                commands[name] = _options(sub)
                for inner in sub._actions:
                    if isinstance(inner, argparse._SubParsersAction):
                        commands[name] += list(inner.choices)
    cases = "".join(
        f'        {name}) opts="{" ".join(sorted(set(opts)))}" ;;\n'
        for name, opts in commands.items()
    )
    return (
        "# bash completion for normalise (normalise completion bash)\n"
        "_normalise() {\n"
        '    local cur="${COMP_WORDS[COMP_CWORD]}" opts\n'
        '    if [ "$COMP_CWORD" -eq 1 ]; then\n'
        f'        COMPREPLY=($(compgen -W "{" ".join(commands)} --help --version" -- "$cur"))\n'
        "        return\n"
        "    fi\n"
        '    case "${COMP_WORDS[1]}" in\n'
        f"{cases}"
        '        *) opts="" ;;\n'
        "    esac\n"
        '    if [[ "$cur" == -* ]]; then\n'
        '        COMPREPLY=($(compgen -W "$opts" -- "$cur"))\n'
        "    else\n"
        '        COMPREPLY=($(compgen -f -- "$cur"))\n'
        "    fi\n"
        "}\n"
        "complete -o filenames -F _normalise normalise\n"
    )


def input_options(args: argparse.Namespace) -> InputOptions:
    """The input options given (``--field`` only with ``--jsonl``, and needed there)."""
    if args.jsonl and not args.field:
        raise InputError("--jsonl needs --field NAME")
    if args.field and not args.jsonl:
        raise InputError("--field needs --jsonl (the inputs are JSON Lines)")
    fields = tuple(tuple(f.split(".")) for f in dict.fromkeys(args.field or ()))
    for a in fields:
        for b in fields:
            if a != b and b[: len(a)] == a:
                raise InputError(
                    f"--field {'.'.join(a)} holds --field {'.'.join(b)}: give fields that do "
                    "not hold one another"
                )
    try:
        codec = codecs.lookup(args.encoding)
    except LookupError:
        raise InputError(f"unknown encoding {args.encoding!r}") from None
    if not getattr(codec, "_is_text_encoding", True):
        raise InputError(
            f"{args.encoding!r} is not a text encoding (it turns bytes into bytes, or text "
            "into text); give the encoding of the files, such as utf-8 or latin-1"
        )
    from ..batch import max_workers

    limit = max_workers()
    if not 1 <= args.workers <= limit:
        raise InputError(
            f"--workers must be a whole number from 1 to {limit} (8 per CPU), not {args.workers}"
        )
    return InputOptions(
        encoding=args.encoding,
        errors=args.errors,
        recursive=args.recursive,
        glob=tuple(args.glob or ("*.txt",)),
        fields=fields if args.jsonl else (),
        id_field=_id_field(args),
        skip_bad=args.skip_bad,
        workers=args.workers,
        whole=args.whole,
    )


def _id_field(args: argparse.Namespace) -> tuple[str, ...] | None:
    name = getattr(args, "id_field", None)
    if name is None:
        return None
    if not args.jsonl:
        raise InputError("--id-field needs --jsonl (the inputs are JSON Lines)")
    return tuple(name.split("."))


def write_back(args: argparse.Namespace) -> WriteBack:
    """Where ``clean`` (or ``apply``) writes; ``--check`` with ``--diff`` shows the diff
    (and ``args.check`` sets the exit status)."""
    if args.check and (args.in_place or args.output):
        raise InputError("--check writes nothing: use it without --in-place and -o")
    if args.diff:
        return WriteBack.WORD_DIFF if args.diff_style == "word" else WriteBack.DIFF
    if args.check:
        return WriteBack.CHECK
    if args.in_place:
        return WriteBack.IN_PLACE
    if args.output:
        return WriteBack.FILE
    return WriteBack.STDOUT
