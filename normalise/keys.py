"""Pure key functions: folding, compact forms and phonetic keys."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import jellyfish
import regex

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "\u00a0": " "})
_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")
_ASCII_LETTERS = regex.compile(r"[a-z]+")
# Transliteration keys shorter than this ("CN", "FP") are shared by too many names to
# look candidates up by; the key still counts as evidence for candidates found otherwise.
MIN_TRANSLIT_KEY = 3


def fold(text: str) -> str:
    """Case-fold, unify apostrophes and collapse white space: the key for exact lookups."""
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


def strip_marks(text: str) -> str:
    """Drop combining marks: "Zürich" -> "Zurich"."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def compact(text: str) -> str:
    """Letters and digits only, folded and without marks: "Tik-Tok" -> "tiktok"."""
    return str(_NOT_ALNUM.sub("", strip_marks(text.casefold())))


@lru_cache(maxsize=65536)
def phonetic(compact_text: str) -> str:
    """Metaphone key of a compact form, computed on ASCII letter runs only.

    Digits and other characters are kept as they are ("kovid19" -> "KFT19"):
    jellyfish's phonetic functions are defined on letters.
    """
    out: list[str] = []
    pos = 0
    for m in _ASCII_LETTERS.finditer(compact_text):
        out.append(compact_text[pos : m.start()])
        out.append(jellyfish.metaphone(m.group()))
        pos = m.end()
    out.append(compact_text[pos:])
    return "".join(out)


_SOUND_CLASSES = str.maketrans(
    {
        **dict.fromkeys("bp", "P"),
        **dict.fromkeys("dt", "T"),
        **dict.fromkeys("cgjkq", "K"),
        **dict.fromkeys("fvw", "F"),
        **dict.fromkeys("sxz", "S"),
        **dict.fromkeys("aeiouyh", ""),
        "l": "L",
        "m": "M",
        "n": "N",
        "r": "R",
    }
)


@lru_cache(maxsize=65536)
def sound_key(compact_text: str) -> str:
    """A coarser phonetic key: consonants folded into the classes that scripts without
    the distinction merge (b/p, d/t, c/g/j/k/q, f/v/w, s/x/z), vowels and "h" dropped,
    repeats collapsed, the first letter kept: "malavi" and "malawi" -> "mLF".

    Metaphone tells "v" from "w" and "b" from "p"; machine translation through another
    script often does not.
    """
    if not compact_text:
        return ""
    body = compact_text[1:].translate(_SOUND_CLASSES)
    out = [compact_text[0].translate(_SOUND_CLASSES) or compact_text[0]]
    for ch in body:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def deletes(key: str) -> set[str]:
    """The key and every form of it with one character deleted (SymSpell's neighbourhood)."""
    found = {key}
    found.update(key[:i] + key[i + 1 :] for i in range(len(key)))
    return found


def digits(text: str) -> str:
    """The digits of a text, in order: "kovid19" -> "19"."""
    return "".join(ch for ch in text if ch.isdigit())


_SEPARATORS = frozenset(" -\u00a0\u2010\u2011")


def boundaries(name: str) -> tuple[frozenset[int], frozenset[int]]:
    """Where words of a name start, as offsets into ``compact(name)``.

    Returns ``(separated, camel)``: starts after a space or hyphen ("Guinea-Bissau" ->
    {6}), and capitals after a lower-case letter ("ByteDance" -> {4}). Other punctuation
    ("Sana'a", "U.S.") does not separate words.
    """
    separated: set[int] = set()
    camel: set[int] = set()
    pos = 0
    prev = ""
    for ch in name:
        if ch.isalnum():
            if pos and prev in _SEPARATORS:
                separated.add(pos)
            elif pos and ch.isupper() and prev.islower():
                camel.add(pos)
            pos += len(compact(ch))
        prev = ch
    return frozenset(separated), frozenset(camel)


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


# Transliteration classes: the letters that machine translation from Chinese, Japanese,
# Russian, Arabic and Korean confuses, folded together. Multi-letter groups first
# (longest first), then single letters; vowels after the first letter are dropped and
# repeats collapsed, so dropped, doubled or changed vowels and the -iy/-y/-i endings
# ("Zelenskiy", "Zelensky", "Zelenski") leave the key as it was.
_TRANSLIT_GROUPS = (
    ("shch", "S"),
    ("tsch", "C"),
    ("sch", "S"),
    ("tch", "C"),
    ("zh", "C"),  # pinyin zh, Wade-Giles ch, Russian zh: "Zhou", "Chou", "Jou"
    ("ch", "C"),
    ("ts", "C"),  # Russian ts/tz/c (Tsar, Czar)
    ("tz", "C"),
    ("sh", "S"),
    ("kh", "K"),  # Russian and Arabic kh: "Khashoggi", "Kashoggi"
    ("gh", "K"),
    ("ph", "F"),
    ("hu", "F"),  # Japanese fu/hu, Chinese hu/fu
    ("ck", "K"),
    ("qu", "K"),
)
_TRANSLIT_LETTERS = {
    **dict.fromkeys("bpvw", "P"),  # b/p/v (and v/w through Russian and German)
    **dict.fromkeys("dt", "T"),
    **dict.fromkeys("cgkq", "K"),
    **dict.fromkeys("sxz", "S"),  # pinyin x, s, and z heard as s
    "j": "C",  # pinyin j, zh and ch; Korean j and ch
    "f": "F",
    "h": "",  # dropped or added after consonants and between vowels
    **dict.fromkeys("lr", "R"),  # Chinese, Japanese and Korean l/r
    "m": "M",
    "n": "N",
    **dict.fromkeys("aeiouy", ""),
}


# One scan of the groups (longest first) and single letters: 10 times faster than
# trying each group at each position in Python.
_TRANSLIT_UNITS = regex.compile(
    "|".join(regex.escape(g) for g, _ in _TRANSLIT_GROUPS) + "|.", regex.DOTALL
)
_TRANSLIT_CLASS = {**_TRANSLIT_LETTERS, **dict(_TRANSLIT_GROUPS)}


@lru_cache(maxsize=65536)
def translit_key(compact_text: str) -> str:
    """A key that is equal for spellings a round trip through another script confuses:
    l/r, f/h/hu, b/p/v/w, s/sh/x/z, ts/ch/zh/j, k/kh/g/q, dropped or doubled vowels and
    the -iy/-y/-i endings. "Raisi" and "Laisi", "Zelenskiy" and "Zelensky",
    "Kovalchuk" and "Kowaltschuk" share one. A first vowel is kept as "A", an
    initial "h" as "H" ("Hasan" is not "Asan").
    """
    if not compact_text:
        return ""
    text = compact_text
    out: list[str] = []
    if text[0] in "aeiouy":
        out.append("A")
    elif text[0] == "h" and not text.startswith("hu"):
        out.append("H")
    for unit in _TRANSLIT_UNITS.findall(text):
        cls = _TRANSLIT_CLASS.get(unit, unit)
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    return "".join(out)
