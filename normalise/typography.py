"""Typographic artifacts of machine translation, as a separate rule set.

Each rule is a compiled pattern whose match is one change; none reaches across a line
break, and none touches code (fenced or indented blocks, inline backticks) or a URL.

>>> from normalise.typography import RULES
>>> for rule in RULES:
...     print(f"{rule.name}: {rule.example!r} -> {rule.fixed!r}")
currency_space: 'exceeded $ 20 billion' -> 'exceeded $20 billion'
space_before_punctuation: 'the deal , they said ; it' -> 'the deal, they said; it'
doubled_space: 'the  company said' -> 'the company said'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

import regex

from .scan import CONNECTORS, LineInfo, in_url_or_handle


class Rule(NamedTuple):
    """One typographic rule: a pattern whose group ``fix`` is rewritten."""

    name: str
    pattern: regex.Pattern[str]
    description: str
    example: str
    fixed: str
    replacement: Callable[[regex.Match[str]], str]  # the text for the ``fix`` span


RULES: tuple[Rule, ...] = (
    Rule(
        "currency_space",
        regex.compile(
            r"(?<!\p{N}[ \u00a0]?)(?P<sign>[$€£¥₹])[ \u00a0]+(?P<amount>\p{N}+(?:[.,]\p{N}+)*)"
            r"(?![\p{L}\p{N}])"
        ),
        "a space between a currency sign and the amount it precedes",
        "exceeded $ 20 billion",
        "exceeded $20 billion",
        lambda m: m.group("sign") + m.group("amount"),
    ),
    Rule(
        "space_before_punctuation",
        # After a letter or closing bracket or quote; one mark, then a space or the end
        # of the line, so "...", "?!", ":)" and "3 : 1" stay.
        # Not after a word such as "a" or "in": there the space marks a word the
        # translation lost ('the company said in a .'), which is left for a reader.
        regex.compile(
            r"(?<=[\p{L})\]\"”’])(?<!\b(?i:a|an|the|of|in|on|at|to|by|for|with|from|and|or))"
            r"[ \u00a0]+(?P<mark>[,.;:!?])"
            r"(?=[ \u00a0]*(?:\r?\n|\Z)|[ \u00a0]+\S)"
        ),
        "spaces before a comma, full stop, semicolon, colon, question or exclamation mark",
        "the deal , they said ; it",
        "the deal, they said; it",
        lambda m: m.group("mark"),
    ),
    Rule(
        "doubled_space",
        # Only between two lower-case words, neither a joining word such as "of": never
        # after a full stop (two spaces between sentences are a convention), never next
        # to capitals or digits (aligned columns), and never joining words into a name.
        regex.compile(
            r"(?<![\p{L}\p{M}\p{N}'’-])(?P<left>\p{Ll}+)(?P<fix>  +)"
            r"(?=(?P<right>\p{Ll}+)(?![\p{L}\p{M}\p{N}'’]|-\p{L}))"
        ),
        "two or more spaces between lower-case words inside a sentence",
        "the  company said",
        "the company said",
        lambda m: " ",
    ),
)

_UPPER = regex.compile(r"\p{Lu}")
_FENCE = regex.compile(r"^[ ]{0,3}(?:```|~~~)", regex.MULTILINE)


class Code:
    """Where the code of one text is: fenced blocks, indented lines, inline backticks."""

    def __init__(self, text: str, in_fence: bool = False) -> None:
        self.text = text
        # Ranges of fenced code as a flat sorted list of boundaries: a position is in a
        # fence when an odd number of boundaries lie at or before it.
        self._bounds: list[int] = []
        self.ends_in_fence = in_fence
        if in_fence:
            self._bounds.append(0)
        if "```" in text or "~~~" in text:
            for m in _FENCE.finditer(text):
                self._bounds.append(m.start())
            self.ends_in_fence = len(self._bounds) % 2 == 1
        self._has_ticks = "`" in text  # once: testing per call made it quadratic
        self._ticks: list[int] | None = None
        self.line_start = LineInfo(text).line_start

    def covers(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` touches code."""
        if self._bounds and bisect.bisect_right(self._bounds, start) % 2 == 1:
            return True
        line = self.line_start(start)
        if self.text.startswith(("    ", "\t"), line):
            return True  # an indented code block
        if self._has_ticks:
            if self._ticks is None:
                self._ticks = [m.start() for m in regex.finditer("`", self.text)]
            before = bisect.bisect_left(self._ticks, start) - bisect.bisect_left(self._ticks, line)
            if before % 2 == 1:
                return True
        return False


class Fix(NamedTuple):
    start: int
    end: int
    original: str
    replacement: str
    rule: str


# Where a match of each rule can start, found by a scan for a literal that every match
# holds: the full patterns begin with look-behinds and character classes, and scanning
# the whole text with them cost 0.3-0.4 s per 3 MB (six times the name pass).
_NBSP_MARK = re.compile("\u00a0[,.;:!?]")
_SPACE_MARK = re.compile(" [,.;:!?]")


def _starts(rule: str, text: str) -> Iterator[int]:
    if rule == "currency_space":
        for sign in "$€£¥₹":
            pos = text.find(sign)
            while pos >= 0:
                yield pos
                pos = text.find(sign, pos + 1)
    elif rule == "space_before_punctuation":
        marks = [m.start() for m in _SPACE_MARK.finditer(text)]
        if "\u00a0" in text:
            marks += [m.start() for m in _NBSP_MARK.finditer(text)]
        seen = set()
        for pos in sorted(marks):
            while pos > 0 and text[pos - 1] in " \u00a0":
                pos -= 1  # the start of the run of spaces
            if pos not in seen:
                seen.add(pos)
                yield pos
    else:  # doubled_space: the start of the lower-case word before two spaces
        pos = text.find("  ")
        while pos >= 0:
            start = pos
            while start > 0 and text[start - 1].islower():
                start -= 1
            yield start
            end = pos
            while end < len(text) and text[end] == " ":
                end += 1
            pos = text.find("  ", end)


def fixes(text: str, code: Code) -> Iterator[Fix]:
    """Every typographic fix in ``text``, rule by rule (not sorted)."""
    for rule in RULES:
        for at in _starts(rule.name, text):
            m = rule.pattern.match(text, at)
            if m is None:
                continue
            start, end = m.span("fix") if "fix" in m.groupdict() else m.span()
            if code.covers(start, end) or in_url_or_handle(text, start, end):
                continue
            if (
                rule.name == "doubled_space"
                and (m.group("left") in CONNECTORS or m.group("right") in CONNECTORS)
                and _UPPER.search(text, max(0, start - 30), end + 30) is not None
            ):
                continue  # "Bank of  the Dead": joining it would make a new name
            yield Fix(start, end, text[start:end], rule.replacement(m), rule.name)
