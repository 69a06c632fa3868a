"""Realistic machine-translation garbles of names, for tests and benchmarks.

Each transformation models one artifact that a round trip through another script or a
translation model really produces, with a real example. ``garble`` applies one or more
of them with a seeded random generator, so benchmarks are reproducible without
hypothesis; ``normalise.testing`` wraps the same transformations as hypothesis
strategies.

>>> garble("ByteDance", seed=2)
'ButeDance'
>>> garble("TikTok", seed=1, kinds=["split_word"])
'Tik Tok'
>>> sorted(TRANSFORMS)[:4]
['case_damage', 'consonant_swap', 'double_letter', 'drop_letter']
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from .errors import UsageError

__all__ = ["TRANSFORMS", "garble", "garbles"]

_VOWELS = "aeiou"
# Consonants that collapse into one sound in scripts without the distinction
# (Kovid for Covid, Pytedance, Vallmart), both ways.
_SOUND_ALIKE = {
    "c": ["k", "s"],
    "k": ["c", "q"],
    "q": ["k"],
    "b": ["p"],
    "p": ["b"],
    "f": ["v", "ph"],
    "v": ["f", "w"],
    "w": ["v"],
    "g": ["j"],
    "j": ["g", "zh"],
    "t": ["d"],
    "d": ["t"],
    "s": ["z"],
    "z": ["s"],
    "x": ["ks"],
}
# Letter groups that sound alike in English spelling (Tickcock, Ticketok: "k" heard as
# "ck", "c"; TickTalk: "o" heard as "al").
_SYLLABLES = [
    ("k", "ck"),
    ("ck", "k"),
    ("c", "ck"),
    ("ph", "f"),
    ("f", "ph"),
    ("oo", "u"),
    ("u", "oo"),
    ("ee", "i"),
    ("i", "ee"),
    ("y", "i"),
    ("i", "y"),
    ("o", "al"),
    ("ou", "ow"),
    ("ks", "x"),
    ("ch", "tch"),
    ("sh", "ch"),
    ("ai", "ay"),
    ("er", "ur"),
    ("ance", "ans"),
]
# Romanisation conventions (Zelensky/Zelenskyy, Qaddafi/Gaddafi, Tsai/Cai, Beijing/Peking).
_ROMANISATION = [
    ("sky", "skyy"),
    ("skyy", "sky"),
    ("q", "g"),
    ("g", "q"),
    ("ts", "tz"),
    ("tz", "ts"),
    ("zh", "j"),
    ("j", "zh"),
    ("kh", "h"),
    ("^h", "kh"),
    ("^y", "j"),
    ("ou", "u"),
    ("u", "ou"),
    ("x", "sh"),
    ("sh", "x"),
    ("ch", "tch"),
    ("ei", "ey"),
    ("ay", "ai"),
]
# A leading "^" marks a group that only changes at the start of a word.

Transform = Callable[[str, random.Random], str | None]


def _letters(name: str, pick: Callable[[str], bool]) -> list[int]:
    return [i for i, ch in enumerate(name) if pick(ch)]


def _match_case(old: str, new: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def consonant_swap(name: str, rng: random.Random) -> str | None:
    """A consonant swapped for one that sounds alike through another script:
    "Kovid-19" for "Covid-19", "Pytedance" for "ByteDance"."""
    spots = _letters(name, lambda ch: ch.lower() in _SOUND_ALIKE)
    if not spots:
        return None
    i = rng.choice(spots)
    new = rng.choice(_SOUND_ALIKE[name[i].lower()])
    return name[:i] + (new.upper() if name[i].isupper() else new) + name[i + 1 :]


def vowel_change(name: str, rng: random.Random) -> str | None:
    """One vowel heard as another: "Bitdance" for "ByteDance", "Tikotok" for "TikTok"."""
    spots = _letters(name, lambda ch: ch.lower() in _VOWELS + "y")
    if not spots:
        return None
    i = rng.choice(spots)
    new = rng.choice([v for v in _VOWELS + "y" if v != name[i].lower()])
    return name[:i] + (new.upper() if name[i].isupper() else new) + name[i + 1 :]


def vowel_drop(name: str, rng: random.Random) -> str | None:
    """An unstressed vowel dropped: "Bytdance" for "ByteDance"."""
    spots = [i for i in _letters(name, lambda ch: ch in _VOWELS) if i > 0]
    if not spots or len(name) < 5:
        return None
    i = rng.choice(spots)
    return name[:i] + name[i + 1 :]


def vowel_insert(name: str, rng: random.Random) -> str | None:
    """A vowel inserted between consonants: "TikiTok" for "TikTok"."""
    spots = [
        i
        for i in range(1, len(name))
        if name[i - 1].isalpha()
        and name[i].isalpha()
        and name[i - 1].lower() not in _VOWELS
        and name[i].lower() not in _VOWELS
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + rng.choice("aeio") + name[i:]


def double_letter(name: str, rng: random.Random) -> str | None:
    """A consonant doubled: "Wallmart" for "Walmart"."""
    spots = [
        i
        for i in range(1, len(name))
        if name[i].islower() and name[i] not in _VOWELS + "y" and name[i - 1].isalpha()
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + name[i] + name[i:]


def drop_letter(name: str, rng: random.Random) -> str | None:
    """A doubled letter written once: "Misisipi" for "Mississippi"."""
    spots = [i for i in range(1, len(name)) if name[i].lower() == name[i - 1].lower()]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + name[i + 1 :]


def split_word(name: str, rng: random.Random) -> str | None:
    """A name split in two: "Tik Tok" for "TikTok", "Byte Dance" for "ByteDance"."""
    camel = [i for i in range(1, len(name)) if name[i].isupper() and name[i - 1].islower()]
    spots = camel or [i for i in range(3, len(name) - 2) if name[i - 1 : i + 1].isalpha()]
    if not spots or " " in name:
        return None
    i = rng.choice(spots)
    rest = name[i:]
    return name[:i] + " " + (rest[:1].upper() if name[:1].isupper() else rest[:1]) + rest[1:]


def merge_words(name: str, rng: random.Random) -> str | None:
    """Two words run together: "Safracatz" for "Safra Catz"."""
    spots = [i for i, ch in enumerate(name) if ch in " -" and 0 < i < len(name) - 1]
    if not spots:
        return None
    i = rng.choice(spots)
    rest = name[i + 1 :]
    return name[:i] + (rest[:1].lower() if rng.random() < 0.5 else rest[:1]) + rest[1:]


def case_damage(name: str, rng: random.Random) -> str | None:
    """Capitals lost or added: "GOOGLE" for "Google", "Tiktok" for "TikTok", "BitDance"."""
    options = [name.upper(), name[:1] + name[1:].lower()]
    lower = [i for i in range(1, len(name)) if name[i].islower() and name[i - 1].isalpha()]
    if lower:
        i = rng.choice(lower)
        options.append(name[:i] + name[i].upper() + name[i + 1 :])
    options = [o for o in options if o != name]
    return rng.choice(options) if options else None


def _replace_group(name: str, rng: random.Random, table: Sequence[tuple[str, str]]) -> str | None:
    low = name.lower()
    found = []
    for old, new in table:
        start_only = old.startswith("^")
        old = old.lstrip("^")
        for i in range(len(low)):
            if low.startswith(old, i) and (not start_only or i == 0 or not low[i - 1].isalpha()):
                found.append((i, old, new))
    if not found:
        return None
    i, old, new = rng.choice(found)
    return name[:i] + _match_case(name[i : i + len(old)], new) + name[i + len(old) :]


def syllable_swap(name: str, rng: random.Random) -> str | None:
    """A letter group replaced by one that sounds alike: "Tickcock" and "Ticketok" for
    "TikTok", "Bytedans" for "ByteDance"."""
    return _replace_group(name, rng, _SYLLABLES)


def romanisation(name: str, rng: random.Random) -> str | None:
    """Another romanisation convention: "Zelenskyy" for "Zelensky", "Gaddafi" for
    "Qaddafi", "Jang" for "Zhang"."""
    return _replace_group(name, rng, _ROMANISATION)


TRANSFORMS: dict[str, Transform] = {
    f.__name__: f
    for f in (
        consonant_swap,
        vowel_change,
        vowel_drop,
        vowel_insert,
        double_letter,
        drop_letter,
        split_word,
        merge_words,
        case_damage,
        syllable_swap,
        romanisation,
    )
}
"""Every transformation, by name."""


def garble(
    name: str,
    *,
    seed: int | random.Random = 0,
    kinds: Sequence[str] | None = None,
    edits: int = 1,
) -> str:
    """A garbled variant of ``name`` (``edits`` transformations), reproducible from ``seed``.

    Returns ``name`` itself only when no transformation applies.
    """
    if kinds is not None:
        unknown = sorted(set(kinds) - set(TRANSFORMS))
        if unknown:
            raise UsageError(f"unknown garble kind {unknown[0]!r}; known: {', '.join(TRANSFORMS)}")
    rng = seed if isinstance(seed, random.Random) else random.Random(f"{seed}:{name}")
    pool = list(kinds) if kinds is not None else list(TRANSFORMS)
    shouting = not any(ch.islower() for ch in name)  # "COVID-19": garble it in capitals
    out = name
    for _ in range(edits):
        for kind in rng.sample(pool, len(pool)):
            new = TRANSFORMS[kind](out, rng)
            if new is not None and shouting and kind != "case_damage":
                new = new.upper()
            if new is not None and new != out:
                out = new
                break
    return out


def garbles(
    name: str, n: int, *, seed: int = 0, kinds: Sequence[str] | None = None, edits: int = 1
) -> list[str]:
    """Up to ``n`` distinct garbled variants of ``name``, none equal to it."""
    rng = random.Random(f"{seed}:{name}:{edits}")
    found: dict[str, None] = {}
    for _ in range(n * 8):
        variant = garble(name, seed=rng, kinds=kinds, edits=edits)
        if variant != name:
            found.setdefault(variant, None)
        if len(found) == n:
            break
    return list(found)
