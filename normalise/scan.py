"""Find candidate spans in running text. Offsets always refer to the original string.

A *run* is a stretch of capitalised words joined by single spaces or hyphens, with
lower-case connectors such as "of" or "and" allowed between them ("Bosnia and
Herzegovina", "Kovid-19", "Tik Tok"). Lower-case words never start a run: ordinary text
is skipped by the compiled pattern in C, which is what keeps the scan fast.
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

import regex

CONNECTORS = frozenset(
    {"of", "and", "the", "on", "upon", "for", "y", "de", "del", "della", "da", "do", "dos"}
    | {"das", "du", "des", "la", "le", "van", "von", "der", "den", "al", "el", "bin", "ibn"}
)
_CONN = "|".join(sorted(CONNECTORS, key=len, reverse=True))
_TAIL = r"(?:['’](?!s\b)[\p{L}\p{M}][\p{L}\p{M}\p{N}]*)*"
_UPWORD = rf"[\p{{Lu}}\p{{Lt}}][\p{{L}}\p{{M}}\p{{N}}]*{_TAIL}"
# Inside a run a word may also start with a short lower-case prefix ("d'Ivoire", "iPhone");
# a run itself starts only at a capital, which lets the engine skip lower-case text fast
# (allowing the prefix at the start made the scan 7 times slower).
_CAPWORD = rf"(?:\p{{Ll}}{{1,3}}['’]?)?{_UPWORD}"
_PART = rf"-[\p{{L}}\p{{M}}\p{{N}}]+{_TAIL}"
_SPACE = r"[ \u00a0]"
# A run joins at most this many more words; a longer stretch of capitalised words is cut
# into several runs. Unbounded repetition let the regex engine's backtracking state grow
# with the run, and 10 MB of "A-B-C-..." raised MemoryError.
MAX_RUN_PARTS = 64
RUN = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}\p{{N}}])"
    rf"{_UPWORD}(?:{_PART}|{_SPACE}(?:(?:{_CONN}){_SPACE}){{0,2}}{_CAPWORD}){{0,{MAX_RUN_PARTS}}}"
)
TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*")
_UPPER = regex.compile(r"\p{Lu}|\p{Lt}")


class Token(NamedTuple):
    """One word of a run: offsets relative to the run, and its role."""

    start: int
    end: int
    text: str
    startable: bool  # has a capital: a name may begin here
    connector: bool  # a lower-case joining word such as "of"


def tokens(run: str) -> list[Token]:
    """Split a run (or a name) into tokens."""
    out = []
    for m in TOKEN.finditer(run):
        word = m.group()
        connector = word in CONNECTORS and m.start() > 0 and run[m.start() - 1] in " \u00a0"
        startable = not connector and _UPPER.search(word) is not None
        out.append(Token(m.start(), m.end(), word, startable, connector))
    return out


def count_words(name: str) -> int:
    return len(TOKEN.findall(name))


# A domain's dot follows a letter or digit ("tiktok.com", not the "..." of an ellipsis).
_URLISH = regex.compile(r"://|^www\.|@|(?<=[\p{L}\p{N}])\.[\p{L}]{2,}(?:/|$)", regex.IGNORECASE)
# Punctuation that ends a sentence or clause, not a URL: "tiktok.com," ends at "m".
_TRAILING = ",;:!?)]}\"'”’»"


# What follows the place of a dateline that does not start its line ("By Jane Doe
# BEIJING (Reuters) - ...", "Xinhua BEIJING, July 4 -- ..."): an optional date after a
# comma, an optional agency in brackets, then a dash.
_DATELINE_TAIL = regex.compile(
    r"[ \t]*(?:,[^\n,()\-–—]{1,25})?(?:[ \t]*\([^()\n]{1,30}\))?[ \t]*(?:--?|–|—)(?=[ \t])"
)


def ends_dateline(text: str, end: int) -> bool:
    """True when the capitals before ``end`` are the place of a dateline: followed,
    on the same line, by a date, an agency and a dash ("BEIJING, July 4 (Reuters) -")."""
    return _DATELINE_TAIL.match(text, end) is not None


def in_url_or_handle(text: str, start: int, end: int) -> bool:
    """True when the span sits inside a URL, e-mail address, @handle, #tag or path."""
    if start > 0 and text[start - 1] in "@#/\\_":
        return True
    if end < len(text) and text[end] in "@_/\\":
        return True
    if end + 1 < len(text) and text[end] == "." and text[end + 1].isalnum():
        return True  # "Tiktok.com"
    if start > 1 and text[start - 1] == "." and text[start - 2].isalnum():
        return True  # "www.Tiktok"
    global _last_token
    last = _last_token
    if last is not None and last[0] is text and last[1] <= start and end <= last[2]:
        return last[3]  # the same whitespace-delimited token as the last call
    space = _SPACE_BEFORE.search(text, 0, start)
    left = space.end() if space is not None else 0
    space = _WHITESPACE.search(text, end)
    right = space.start() if space is not None else len(text)
    token = text[left:right].rstrip(_TRAILING)  # the same with "," after it or a space
    found = _URLISH.search(token) is not None
    _last_token = (text, left, right, found)
    return found


# The token of the last call: many names in one long token (a URL of 10,000 characters)
# are judged with one scan of it, not one each.
_last_token: tuple[str, int, int, bool] | None = None
_WHITESPACE = regex.compile(r"\s")
_SPACE_BEFORE = regex.compile(r"\s", regex.REVERSE)


_LETTER = regex.compile(r"\p{L}")
_LINE_END = regex.compile(r"\r\n?|\n")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def headline(line: str) -> bool:
    """True when ``line`` is written in capitals. Counted in words, not letters, so
    that repairing a word ("Grece" to "Greece") never turns a headline into prose: a
    headline has two or more words in capitals and at least three for every word in
    small letters. (A repair that joins words, "BYTE DANCE", changes the count: the
    name pass judges such a line as it will be written, see ``passes.names``.)"""
    caps = small = 0
    for word in _WORD.findall(line):
        if word.isupper() and len(word) > 1:
            caps += 1
        elif any(ch.islower() for ch in word):
            small += 1
    return caps >= 2 and caps >= 3 * small


class LineInfo:
    """Facts about the lines of one text, computed lazily and memoised per line, so
    that many changes on one megabyte-long line cost linear time, not quadratic."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._headline: dict[int, bool] = {}
        self._first_letter: dict[int, int] = {}

    def line_start(self, pos: int) -> int:
        """Where the line holding ``pos`` starts; lines end at "\\n", "\\r\\n" or a lone
        "\\r" (old Mac files)."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in _LINE_END.finditer(self.text)]
        return self._starts[bisect.bisect_right(self._starts, pos) - 1]

    def is_headline(self, pos: int) -> bool:
        """True when the line holding ``pos`` is written in capitals (a headline)."""
        start = self.line_start(pos)
        known = self._headline.get(start)
        if known is None:
            known = headline(self.text[start : self.line_end(pos)])
            self._headline[start] = known
        return known

    def line_end(self, pos: int) -> int:
        """Where the line holding ``pos`` ends (before its line break)."""
        m = _LINE_END.search(self.text, pos)
        return m.start() if m is not None else len(self.text)

    def starts_line(self, pos: int) -> bool:
        """True when no letter precedes ``pos`` on its line (a dateline or heading)."""
        start = self.line_start(pos)
        first = self._first_letter.get(start)
        if first is None:
            m = _LETTER.search(self.text, start)
            first = m.start() if m else len(self.text)
            self._first_letter[start] = first
        return pos <= first
