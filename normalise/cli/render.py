"""Human-readable reports of changes: aligned tables, diffs and an HTML review page."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence

import regex

from ..core import Why
from ..evidence import Evidence, total
from ..lexicon import describe
from ..models import Change
from .tally import printable

_RED, _GREEN, _CYAN, _BOLD, _RESET = "\033[31m", "\033[32m", "\033[36m", "\033[1m", "\033[0m"


def positions(text: str, offsets: Iterable[int]) -> Iterator[tuple[int, int]]:
    """1-based line and column of each of ascending character offsets, in one pass over
    the text (counting from the start for each would be quadratic in the changes). A
    byte-order mark that starts the text is no column, as no editor shows it as one."""
    first = 1 if text.startswith("\ufeff") else 0
    line, line_start, at = 1, first, 0
    for offset in offsets:
        if offset < at:  # not ascending: count again from the start
            line, line_start, at = 1, first, 0
        line += text.count("\n", at, offset)
        line_start = max(line_start, text.rfind("\n", at, offset) + 1)
        at = offset
        yield line, offset - line_start + 1


def evidence_line(evidence: Sequence[Evidence], original: str = "") -> str:
    """The weighed evidence of a change in one line: "prior -4.7, similarity 0.85 +1.7,
    ...: total 3.4" (empty for a change that needs no weighing); with the ``original``,
    a known name says which sources know it ("known name one source (GeoNames place)")."""
    if not evidence:
        return ""
    return f"{', '.join(item(e, original) for e in evidence)}: total {total(evidence):.1f}"


def item(e: Evidence, original: str = "") -> str:
    """One weighed item, as ``str(e)``; a known name names its sources."""
    if e.comparison == "known name" and e.level != "unknown" and original:
        sources = describe(original)
        if sources:
            return f"{e.comparison} {e.level} ({sources}) {e.weight:+.1f}"
    return str(e)


def table(rows: Sequence[tuple[str, str, Change]]) -> str:
    """Aligned columns: where, original -> replacement, method, score; a weighed change
    has its evidence on the next line.

    ``rows`` holds (where, text, change) with ``where`` a label such as "file:3:14".
    """
    cells = [
        (printable(where), c.original, c.replacement, c.method, f"{c.score:.3f}")
        for where, _, c in rows
    ]
    if not cells:
        return ""
    widths = [max(len(cell[i]) for cell in cells) for i in range(4)]
    lines = []
    for (w, o, r, m, s), (_, _, c) in zip(cells, rows, strict=True):
        lines.append(
            f"{w:<{widths[0]}}  {o:<{widths[1]}} → {r:<{widths[2]}}  {m:<{widths[3]}}  {s}"
        )
        if c.evidence:
            lines.append(f"{'':<{widths[0]}}    {evidence_line(c.evidence, c.original)}")
        elif c.support:
            lines.append(f"{'':<{widths[0]}}    supported by {c.support!r}")
    return "\n".join(lines) + "\n"


def why_text(why: Why) -> str:
    """``normalise match --why``: the verdict's evidence against the threshold, then
    the other candidates, each with its evidence."""
    out = []
    v = why.verdict
    if v.evidence:
        sign = ">=" if total(v.evidence) >= why.threshold else "<"
        verdict = "chosen" if why.accepted else "rejected"
        out.append(
            f"  {verdict} {v.canonical}: {evidence_line(v.evidence, v.name)} {sign} threshold "
            f"{why.threshold:.1f}"
        )
    else:
        what = {
            "keep": "a name the table keeps as written",
            "context": "a variant the table replaces only where the document supports it",
        }.get(v.method, "listed or exact")
        out.append(f"  {v.method}: {what}, no weighing needed")
    for canonical, evidence in why.candidates:
        if canonical == v.canonical and v.evidence:
            continue
        out.append(f"  also {canonical}: {evidence_line(evidence, v.name)}")
    return "\n".join(out) + "\n"


def why_record(why: Why) -> dict[str, object]:
    """``normalise match --why --format jsonl``: the same as data."""
    v = why.verdict
    return {
        "accepted": why.accepted,
        "threshold": why.threshold,
        "evidence": [e.to_dict() for e in v.evidence],
        "candidates": [
            {"canonical": c, "evidence": [e.to_dict() for e in ev]} for c, ev in why.candidates
        ],
    }


def _lines(text: str) -> list[str]:
    """Lines as diff and patch see them: ended by "\\n" only (a "\\r" is a character of
    its line, so that CR-only files give a patch that applies)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def unified_diff(label: str, before: str, after: str, *, color: bool) -> str:
    """A unified diff of one input, coloured for a terminal when ``color``."""
    lines = difflib.unified_diff(
        _lines(before),
        _lines(after),
        fromfile=_quoted(f"a/{label}"),
        tofile=_quoted(f"b/{label}"),
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        if color:
            if line.startswith(("+++", "---")):
                line = _BOLD + line.rstrip("\n") + _RESET + "\n"
            elif line.startswith("@@"):
                line = _CYAN + line.rstrip("\n") + _RESET + "\n"
            elif line.startswith("+"):
                line = _GREEN + line.rstrip("\n") + _RESET + "\n"
            elif line.startswith("-"):
                line = _RED + line.rstrip("\n") + _RESET + "\n"
        out.append(line)
    return "".join(out)


def _quoted(path: str) -> str:
    """A file name in a diff's header as git writes it: as it is, or, when it holds a
    control character, a quote or a backslash, in double quotes with C escapes
    ("a/a\\033[31m.txt"), which git apply and GNU patch read back; a name never drives
    the terminal."""
    if not any(ch in '"\\' or printable(ch) != ch for ch in path):
        return path
    escapes = {"\t": "\\t", "\n": "\\n", '"': '\\"', "\\": "\\\\"}
    out = []
    for ch in path:
        if ch in escapes:
            out.append(escapes[ch])
        elif printable(ch) != ch:
            out.extend(f"\\{b:03o}" for b in ch.encode("utf-8", "surrogateescape"))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_WORD = regex.compile(r"\s+|[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]")


def word_diff(label: str, before: str, after: str, *, color: bool) -> str:
    """Each changed line as ``label:line: text``, with the changed words marked
    ``[-old-]{+new+}`` (as ``git diff --word-diff=plain`` does), or in red and green on a
    terminal. Lines are compared one to one: normalise never adds or removes a line."""
    old_lines = before.split("\n")
    new_lines = after.split("\n")
    if len(old_lines) != len(new_lines):  # not from normalise: a plain diff says more
        return unified_diff(label, before, after, color=color)
    out = []
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=True), 1):
        if a == b:
            continue
        wa, wb = _WORD.findall(a), _WORD.findall(b)
        parts = []
        for op, i1, i2, j1, j2 in _word_ops(wa, wb):
            if op == "equal":
                parts.append("".join(wa[i1:i2]))
                continue
            gone, came = "".join(wa[i1:i2]), "".join(wb[j1:j2])
            if color:
                parts.append(
                    f"{_RED}{gone}{_RESET}" * bool(gone) + f"{_GREEN}{came}{_RESET}" * bool(came)
                )
            else:
                parts.append(f"[-{gone}-]" * bool(gone) + f"{{+{came}+}}" * bool(came))
        out.append(f"{printable(label)}:{number}: {''.join(parts)}\n")
    return "".join(out)


_SYNC = 3  # tokens that must agree for two lines to be back in step
_WINDOW = 64  # how far (in tokens, on each side) a change may reach


def _word_ops(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes (as difflib's) that turn the tokens ``a`` into ``b``, in time linear in
    the line: equal runs are walked, and after a difference the nearest point where the
    two are back in step (``_SYNC`` equal tokens) within ``_WINDOW`` tokens is taken.
    normalise's changes are local, so this finds them; a general diff of a long line
    (difflib) is quadratic or worse in its length."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    while i < len(a) or j < len(b):
        start_i, start_j = i, j
        while i < len(a) and j < len(b) and a[i] == b[j]:
            i += 1
            j += 1
        if i > start_i:
            ops.append(("equal", start_i, i, start_j, j))
        if i == len(a) and j == len(b):
            break
        di, dj = _resync(a, b, i, j)
        ops.append(("replace", i, i + di, j, j + dj))
        i, j = i + di, j + dj
    return ops


def _resync(a: list[str], b: list[str], i: int, j: int) -> tuple[int, int]:
    """The smallest step (di, dj) after which ``a`` and ``b`` agree again, looking
    ``_WINDOW`` tokens ahead on each side; the rest of both lines when they do not."""
    for d in range(1, 2 * _WINDOW + 1):
        for di in range(max(0, d - _WINDOW), min(d, _WINDOW) + 1):
            x, y = i + di, j + d - di
            if x > len(a) or y > len(b):
                continue
            if (x == len(a) and y == len(b)) or (
                a[x : x + _SYNC] == b[y : y + _SYNC]
                and x < len(a)
                and y < len(b)
                and (len(a) - x >= _SYNC or len(a) - x == len(b) - y)
            ):
                return di, d - di
    return len(a) - i, len(b) - j
