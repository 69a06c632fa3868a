"""Load, validate and merge alias tables; the built-in table.

An alias table is TOML::

    [meta]
    schema = 1                         # optional; checked when present

    [[entity]]
    canonical = "TikTok"               # required, non-empty
    kind = "org"                       # optional
    aliases = ["Tik Tok", "Tickcock"]  # optional: variants to replace
    keep = ["Douyin"]                  # optional: other correct names, never replaced
    context_aliases = ["Tick Tock"]    # optional: variants replaced only with support
    context = ["ByteDance", "app"]     # optional: words that give that support
    context_scope = "document"         # optional: "document" (default) or "sentence"
    honorific = "Mr."                  # optional (people): the honorific used for them
    context_fuzzy = false              # optional: fuzzy matches also need that support

    [[word]]                           # a word-level garble that is not a name
    canonical = "fundraiser"
    aliases = ["fund-razor"]           # replaced as written (or with a capital first)
    context = []                       # optional: when given, replaced only with support
    context_scope = "sentence"

    [[honorific]]                      # an honorific that machine translation garbles
    garble = "Min."
    means = "Mr."                      # optional: what it stands for, when known
    source = "seed corpus 002"         # optional
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
from rapidfuzz.distance import Levenshtein

from .errors import AliasTableError
from .keys import compact, fold

SCHEMA_VERSION = 1
_RESPELLING = 0.85  # a kept name this close to the canonical is another spelling of it
MAX_NAME_LENGTH = 300
_META_KEYS = frozenset({"schema", "name", "description", "source", "license"})
_ENTITY_KEYS = frozenset(
    {"canonical", "kind", "aliases", "keep", "context_aliases", "context", "context_scope"}
    | {"honorific", "context_fuzzy"}
)
_WORD_KEYS = frozenset({"canonical", "aliases", "context", "context_scope", "source"})
_HONORIFIC_KEYS = frozenset({"garble", "means", "source"})
_TOP_KEYS = ("meta", "entity", "word", "honorific")
SCOPES = ("document", "sentence")

TableSource = str | os.PathLike[str] | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Entity:
    """One canonical name with its variants."""

    canonical: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    source: str = "<mapping>"
    context_aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    context_scope: str = "document"
    honorific: str | None = None
    context_fuzzy: bool = False


@dataclass(frozen=True, slots=True)
class Word:
    """A word-level garble that is not a name ("fund-razor" -> "fundraiser"). With
    ``context``, an alias is replaced only when a context word supports it."""

    canonical: str
    aliases: tuple[str, ...]
    context: tuple[str, ...] = ()
    context_scope: str = "document"
    source: str = "<mapping>"
    note: str | None = None  # the ``source`` key: where the garble was seen


@dataclass(frozen=True, slots=True)
class Honorific:
    """An honorific that machine translation garbles ("Min." for "Mr.")."""

    garble: str
    means: str | None = None
    note: str | None = None  # the ``source`` key: where the garble was seen
    source: str = "<mapping>"


@dataclass(frozen=True, slots=True)
class AliasTable:
    """A validated set of entities, each canonical name once, plus word garbles and
    honorific garbles."""

    entities: tuple[Entity, ...]
    words: tuple[Word, ...] = ()
    honorifics: tuple[Honorific, ...] = ()

    def __len__(self) -> int:
        return len(self.entities)

    def to_toml(self) -> str:
        """The table as TOML in the documented schema (round-trips through ``load_table``)."""
        lines = ["[meta]", f"schema = {SCHEMA_VERSION}", ""]
        for e in self.entities:
            lines.append("[[entity]]")
            lines.append(f"canonical = {_toml_str(e.canonical)}")
            if e.kind is not None:
                lines.append(f"kind = {_toml_str(e.kind)}")
            for key, values in (
                ("aliases", e.aliases),
                ("keep", e.keep),
                ("context_aliases", e.context_aliases),
                ("context", e.context),
            ):
                if values:
                    lines.append(f"{key} = {_toml_list(values)}")
            if e.context_scope != "document":
                lines.append(f"context_scope = {_toml_str(e.context_scope)}")
            if e.honorific is not None:
                lines.append(f"honorific = {_toml_str(e.honorific)}")
            if e.context_fuzzy:
                lines.append("context_fuzzy = true")
            lines.append("")
        for w in self.words:
            lines += ["[[word]]", f"canonical = {_toml_str(w.canonical)}"]
            lines.append(f"aliases = {_toml_list(w.aliases)}")
            if w.context:
                lines.append(f"context = {_toml_list(w.context)}")
            if w.context_scope != "document":
                lines.append(f"context_scope = {_toml_str(w.context_scope)}")
            if w.note is not None:
                lines.append(f"source = {_toml_str(w.note)}")
            lines.append("")
        for h in self.honorifics:
            lines += ["[[honorific]]", f"garble = {_toml_str(h.garble)}"]
            for key, value in (("means", h.means), ("source", h.note)):
                if value is not None:
                    lines.append(f"{key} = {_toml_str(value)}")
            lines.append("")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, list[dict[str, object]]]:
        """The table as JSON-ready data in the documented schema."""
        out: dict[str, list[dict[str, object]]] = {}
        for key, items in (
            ("entity", self.entities),
            ("word", self.words),
            ("honorific", self.honorifics),
        ):
            rows = []
            for item in items:
                row = {k: v for k, v in dataclasses.asdict(item).items() if v not in (None, ())}
                if row.get("context_scope") == "document":
                    del row["context_scope"]
                if row.get("context_fuzzy") is False:
                    del row["context_fuzzy"]
                if key != "entity":  # "source" is the schema's: where it was seen
                    row.pop("source", None)
                    if "note" in row:
                        row["source"] = row.pop("note")
                rows.append(row)
            if rows:
                out[key] = rows
        return out


def _toml_list(values: tuple[str, ...]) -> str:
    return f"[{', '.join(_toml_str(v) for v in values)}]"


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _check_name(source: str, entity: str | None, field: str, value: object) -> str:
    if not isinstance(value, str):
        raise AliasTableError(
            source,
            f"{field} must be a string, not {type(value).__name__} {value!r:.80}",
            entity=entity,
        )
    if not value.strip():
        raise AliasTableError(source, f"{field} must not be empty: {value!r}", entity=entity)
    if len(value) > MAX_NAME_LENGTH:
        raise AliasTableError(
            source,
            f"{field} is longer than {MAX_NAME_LENGTH} characters: {value[:40]!r}...",
            entity=entity,
        )
    if any(ch in value for ch in "\n\r\t\x00") or value != value.strip():
        raise AliasTableError(
            source,
            f"{field} has control characters or surrounding space: {value!r}",
            entity=entity,
        )
    return value


def _names(
    source: str, entity: str, key: str, raw: Mapping[str, Any], *, against: str | None = None
) -> tuple[str, ...]:
    """A list of names under ``key``, validated; repeats (and, with ``against``, case
    variants of that name, which need no alias) are dropped."""
    values = raw.get(key, [])
    if not isinstance(values, list):
        raise AliasTableError(
            source, f"{key} must be a list of strings, not {values!r:.80}", entity=entity
        )
    seen = {fold(against)} if against is not None else set()
    kept: list[str] = []
    for value in values:
        name = _check_name(source, entity, f"{key} entry", value)
        if name == against or name in kept:
            continue
        folded = fold(name)
        if folded in seen and not (
            key in ("keep", "context_aliases") and against and folded == fold(against)
        ):
            continue  # a repeat, or a case variant of the canonical (repaired anyway)
        seen.add(folded)
        kept.append(name)
    return tuple(kept)


def _scope(source: str, entity: str, raw: Mapping[str, Any]) -> str:
    scope = raw.get("context_scope", "document")
    if scope not in SCOPES:
        raise AliasTableError(
            source,
            f"context_scope must be one of {', '.join(SCOPES)}, not {scope!r:.80}",
            entity=entity,
        )
    return str(scope)


def _unknown(source: str, label: str, raw: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise AliasTableError(
            source,
            f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})",
            entity=label,
        )


def _entity_from(source: str, number: int, raw: object) -> Entity:
    if not isinstance(raw, Mapping):
        raise AliasTableError(source, f"entity #{number} must be a table, not {raw!r:.80}")
    label = str(raw.get("canonical", f"#{number}"))[:80]
    _unknown(source, label, raw, _ENTITY_KEYS)
    if "canonical" not in raw:
        raise AliasTableError(source, f"entity #{number} has no canonical name", entity=label)
    canonical = _check_name(source, label, "canonical", raw["canonical"])
    kind = raw.get("kind")
    if kind is not None:
        kind = _check_name(source, canonical, "kind", kind)
    honorific = raw.get("honorific")
    if honorific is not None:
        honorific = _check_name(source, canonical, "honorific", honorific)
        if len(honorific) > 20 or " " in honorific:
            raise AliasTableError(
                source, f"honorific must be one short word: {honorific!r:.80}", entity=canonical
            )
    aliases = _names(source, canonical, "aliases", raw, against=canonical)
    keep = _names(source, canonical, "keep", raw, against=canonical)
    gated = _names(source, canonical, "context_aliases", raw, against=canonical)
    context = _names(source, canonical, "context", raw)
    context_fuzzy = raw.get("context_fuzzy", False)
    if not isinstance(context_fuzzy, bool):
        raise AliasTableError(
            source,
            f"context_fuzzy must be true or false, not {context_fuzzy!r:.80}",
            entity=canonical,
        )
    return Entity(
        canonical,
        kind,
        aliases,
        keep,
        source,
        gated,
        context,
        _scope(source, canonical, raw),
        honorific,
        context_fuzzy,
    )


def _word_from(source: str, number: int, raw: object) -> Word:
    try:
        return _word(source, number, raw)
    except AliasTableError as e:
        raise _relabel(e, "word") from None


def _honorific_from(source: str, number: int, raw: object) -> Honorific:
    try:
        return _honorific(source, number, raw)
    except AliasTableError as e:
        raise _relabel(e, "honorific") from None


def _relabel(e: AliasTableError, kind: str) -> AliasTableError:
    if e.entity is None:
        return e
    return AliasTableError(e.source, e.message, entity=e.entity, kind=kind)


def _word(source: str, number: int, raw: object) -> Word:
    if not isinstance(raw, Mapping):
        raise AliasTableError(source, f"word #{number} must be a table, not {raw!r:.80}")
    label = str(raw.get("canonical", f"word #{number}"))[:80]
    _unknown(source, label, raw, _WORD_KEYS)
    if "canonical" not in raw:
        raise AliasTableError(source, f"word #{number} has no canonical form", entity=label)
    canonical = _check_name(source, label, "canonical", raw["canonical"])
    aliases = _names(source, canonical, "aliases", raw)
    aliases = tuple(a for a in aliases if a != canonical)
    if not aliases:
        raise AliasTableError(source, "a word needs at least one alias", entity=canonical)
    note = raw.get("source")
    if note is not None:
        note = _check_name(source, canonical, "source", note)
    context = _names(source, canonical, "context", raw)
    return Word(canonical, aliases, context, _scope(source, canonical, raw), source, note)


def _honorific(source: str, number: int, raw: object) -> Honorific:
    if not isinstance(raw, Mapping):
        raise AliasTableError(source, f"honorific #{number} must be a table, not {raw!r:.80}")
    label = str(raw.get("garble", f"honorific #{number}"))[:80]
    _unknown(source, label, raw, _HONORIFIC_KEYS)
    if "garble" not in raw:
        raise AliasTableError(source, f"honorific #{number} has no garble", entity=label)
    garble = _check_name(source, label, "garble", raw["garble"])
    if len(garble) > 20 or " " in garble:
        raise AliasTableError(
            source, f"garble must be one short word: {garble!r:.80}", entity=label
        )
    means = raw.get("means")
    if means is not None:
        means = _check_name(source, garble, "means", means)
    note = raw.get("source")
    if note is not None:
        note = _check_name(source, garble, "source", note)
    return Honorific(garble, means, note, source)


class _Problems:
    """Collects validation problems, or raises the first one when ``strict``."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found: list[AliasTableError] = []

    def add(self, error: AliasTableError) -> None:
        if self.strict:
            raise error
        self.found.append(error)


def _validate(data: object, source: str, problems: _Problems) -> AliasTable:
    if not isinstance(data, Mapping):
        problems.add(
            AliasTableError(source, f"a table must be a mapping, not {type(data).__name__}")
        )
        return AliasTable(())
    for key in sorted(set(data) - set(_TOP_KEYS)):
        problems.add(
            AliasTableError(
                source, f"unknown top-level key {key!r} (allowed: {', '.join(_TOP_KEYS)})"
            )
        )
    meta = data.get("meta", {})
    if not isinstance(meta, Mapping):
        problems.add(AliasTableError(source, f"[meta] must be a table, not {meta!r:.80}"))
        meta = {}
    for key in sorted(set(meta) - _META_KEYS):
        problems.add(AliasTableError(source, f"unknown [meta] key {key!r}"))
    if "schema" in meta and (meta["schema"] != SCHEMA_VERSION or isinstance(meta["schema"], bool)):
        problems.add(
            AliasTableError(
                source,
                f"unsupported schema {meta['schema']!r} (this version reads {SCHEMA_VERSION})",
            )
        )
    parts: dict[str, list[Any]] = {}
    for key, build in (
        ("entity", _entity_from),
        ("word", _word_from),
        ("honorific", _honorific_from),
    ):
        raw_items = data.get(key, [])
        parts[key] = []
        if not isinstance(raw_items, list):
            problems.add(AliasTableError(source, f"{key!r} must be an array of tables ([[{key}]])"))
            continue
        for i, raw in enumerate(raw_items):
            try:
                parts[key].append(build(source, i + 1, raw))
            except AliasTableError as e:
                problems.add(e)
    table = AliasTable(tuple(parts["entity"]), tuple(parts["word"]), tuple(parts["honorific"]))
    return _merge((table,), problems)


def table_from_mapping(data: Mapping[str, Any], source: str = "<mapping>") -> AliasTable:
    """Validate a parsed table (the structure TOML gives) and build an ``AliasTable``."""
    return _validate(data, source, _Problems(strict=True))


def table_problems(path: str | os.PathLike[str], *, against: AliasTable | None = None) -> list[str]:
    """Every problem of one TOML table (not just the first), each naming the file and
    entity; with ``against``, also its conflicts with that table (e.g. the built-in one)."""
    problems = _Problems(strict=False)
    try:
        data = _read_toml(path)
    except AliasTableError as e:
        return [str(e)]
    table = _validate(data, os.fspath(path), problems)
    if against is not None:
        _merge((against, table), problems)
    return [str(e) for e in problems.found]


def _read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    name = os.fspath(path)
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise AliasTableError(name, "no such file") from None
    except IsADirectoryError:
        raise AliasTableError(name, "is a directory, not a TOML file") from None
    except PermissionError:
        raise AliasTableError(name, "permission denied") from None
    except UnicodeDecodeError as e:
        raise AliasTableError(name, f"not valid UTF-8 at byte {e.start}") from None
    except tomllib.TOMLDecodeError as e:
        raise AliasTableError(name, f"invalid TOML: {e}") from None


def load_table(path: str | os.PathLike[str]) -> AliasTable:
    """Read and validate one TOML alias table."""
    return table_from_mapping(_read_toml(path), os.fspath(path))


def merge_tables(tables: Iterable[AliasTable]) -> AliasTable:
    """Merge tables; entities with the same canonical name are merged into one.

    Raises ``AliasTableError`` when a name is claimed by two different entities.
    """
    return _merge(tables, _Problems(strict=True))


def _merge(tables: Iterable[AliasTable], problems: _Problems) -> AliasTable:
    tables = list(tables)
    merged: dict[str, Entity] = {}
    # A later table's canonical name that is another spelling of an earlier entity
    # (a name it keeps, or the same letters with other accents, capitals or separators:
    # "Volodymyr Zelenskyy", "Recep Tayyip Erdoğan") respells that entity: the later
    # table's spelling becomes the canonical one, the earlier one a variant to replace.
    # Within one table, names that differ so ("Michael", "Michaël") are two entities.
    spelling: dict[str, str] = {}  # compact form or kept name -> canonical
    origin: dict[str, int] = {}  # canonical -> the table it came from
    for number, table in enumerate(tables):
        for e in table.entities:
            old = merged.get(e.canonical)
            if old is None:
                earlier = spelling.get(e.canonical) or spelling.get(_spelling_key(e.canonical))
                if (
                    earlier is not None
                    and earlier in merged
                    and origin[earlier] < number
                    and fold(earlier) != fold(e.canonical)  # "Nato" beside "NATO": two names
                ):
                    old = merged.pop(earlier)
                    # The old spelling becomes a variant to replace; one that differs
                    # only in separators ("RIA Novosti", "RIA-Novosti") is styling, kept.
                    styling = _separators(old.canonical) == _separators(e.canonical)
                    old = dataclasses.replace(
                        old,
                        canonical=e.canonical,
                        aliases=old.aliases
                        if styling
                        else _union(old.aliases, (old.canonical,), e.canonical),
                        keep=tuple(k for k in old.keep if k != e.canonical)
                        + ((old.canonical,) if styling else ()),
                    )
                    for key, value in list(spelling.items()):
                        if value == earlier:
                            spelling[key] = e.canonical
            _remember_spellings(spelling, e)
            origin.setdefault(e.canonical, number)
            if old is None:
                merged[e.canonical] = e
                continue
            merged[e.canonical] = Entity(
                e.canonical,
                e.kind if e.kind is not None else old.kind,
                _union(old.aliases, e.aliases, e.canonical),
                _union(old.keep, e.keep, e.canonical),
                old.source if old.source == e.source else f"{old.source}, {e.source}",
                _union(old.context_aliases, e.context_aliases, e.canonical),
                _union(old.context, e.context, ""),
                e.context_scope if e.context_scope != "document" else old.context_scope,
                e.honorific if e.honorific is not None else old.honorific,
                old.context_fuzzy or e.context_fuzzy,
            )
    words: dict[str, Word] = {}
    honorifics: dict[str, Honorific] = {}
    for table in tables:
        for w in table.words:
            prev = words.get(w.canonical)
            if prev is not None:
                w = Word(
                    w.canonical,
                    _union(prev.aliases, w.aliases, w.canonical),
                    _union(prev.context, w.context, ""),
                    w.context_scope if w.context_scope != "document" else prev.context_scope,
                    prev.source if prev.source == w.source else f"{prev.source}, {w.source}",
                    w.note if w.note is not None else prev.note,
                )
            words[w.canonical] = w
        for h in table.honorifics:
            honorifics[h.garble] = h  # a later table's entry wins
    entities = tuple(merged.values())
    _check_conflicts(entities, problems)
    _check_words(tuple(words.values()), entities, problems)
    return AliasTable(entities, tuple(words.values()), tuple(honorifics.values()))


def _spelling_key(name: str) -> str:
    return "\x00" + compact(name)


def _remember_spellings(spelling: dict[str, str], e: Entity) -> None:
    """Note the other spellings of ``e``: its letters (whatever the accents and
    separators), and the kept names that are a respelling of its canonical name
    ("Volodymyr Zelenskyy" beside "Volodymyr Zelensky"), not another name for it
    ("Brazzaville" for the Republic of the Congo)."""
    spelling.setdefault(_spelling_key(e.canonical), e.canonical)
    own = compact(e.canonical)
    for k in e.keep:
        other = compact(k)
        if (
            fold(k) != fold(e.canonical)
            and len(k.split()) == len(e.canonical.split())
            and not _derived(own, other)
            and Levenshtein.normalized_similarity(own, other) >= _RESPELLING
        ):
            spelling.setdefault(k, e.canonical)


def _derived(a: str, b: str) -> bool:
    """One form is the other with letters added ("Estonian", "Estonia"), unless the
    only addition doubles the last letter ("Zelenskyy", "Zelensky")."""
    short, long = sorted((a, b), key=len)
    if not long.startswith(short):
        return False
    return not (len(long) == len(short) + 1 and short and long[-1] == short[-1])


def _separators(name: str) -> str:
    return " ".join(regex.split(r"[\s\-\u2010\u2011]+", fold(name)))


def _check_words(
    words: tuple[Word, ...], entities: tuple[Entity, ...], problems: _Problems
) -> None:
    """A word alias belongs to one word, and is not already a name of an entity."""
    names = {}
    for e in entities:
        for name in (e.canonical, *e.aliases, *e.keep, *e.context_aliases):
            names[name] = e
    owner: dict[str, Word] = {}
    for w in words:
        for alias in w.aliases:
            other = owner.get(alias)
            if other is not None and other is not w:
                problems.add(
                    AliasTableError(
                        w.source,
                        f"word alias {alias!r} is already an alias of word {other.canonical!r} "
                        f"({other.source})",
                        entity=w.canonical,
                        kind="word",
                    )
                )
                continue
            owner[alias] = w
            entity = names.get(alias)
            if entity is not None:
                problems.add(
                    AliasTableError(
                        w.source,
                        f"word alias {alias!r} is already a name of entity "
                        f"{entity.canonical!r} ({entity.source})",
                        entity=w.canonical,
                        kind="word",
                    )
                )


def _union(a: tuple[str, ...], b: tuple[str, ...], canonical: str) -> tuple[str, ...]:
    seen = {canonical}
    out = []
    for name in (*a, *b):
        if name not in seen:
            seen.add(name)
            out.append(name)
    return tuple(out)


def _check_conflicts(entities: tuple[Entity, ...], problems: _Problems) -> None:
    owner: dict[str, tuple[Entity, str, str]] = {}
    for e in entities:
        names = [(e.canonical, "canonical")]
        names += [(a, "alias") for a in e.aliases] + [(k, "keep") for k in e.keep]
        names += [(a, "context alias") for a in e.context_aliases]
        own = fold(e.canonical)
        for name, role in names:
            key = fold(name)
            if role in ("keep", "context alias") and key == own:
                continue  # a case variant of its own canonical kept as written ("Nato")
            prev = owner.get(key)
            if prev is None:
                owner[key] = (e, role, name)
                continue
            other, other_role, other_name = prev
            if role == other_role == "canonical":
                continue  # same name in other capitals ("NATO", "Nato"): both kept as written
            if "keep" in (role, other_role) and not any("alias" in r for r in (role, other_role)):
                # Kept by one entity and kept or canonical in another: both leave the
                # name as written, so there is nothing to contradict ("Brazzaville" the
                # city and the kept short name of Congo-Brazzaville).
                if role == "canonical":
                    owner[key] = (e, role, name)
                continue
            if other is e:
                if role != other_role:
                    problems.add(
                        AliasTableError(
                            e.source,
                            f"{name!r} is listed both as {other_role} and as {role}",
                            entity=e.canonical,
                        )
                    )
                continue
            problems.add(
                AliasTableError(
                    e.source,
                    f"{role} {name!r} is already the {other_role} {other_name!r} of entity "
                    f"{other.canonical!r} ({other.source})",
                    entity=e.canonical,
                )
            )


def _builtin_dir() -> Path:
    packaged = importlib.resources.files("normalise").joinpath("_aliases")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "aliases"


def builtin_paths() -> tuple[Path, ...]:
    """The TOML files that make up the built-in table."""
    return tuple(sorted(_builtin_dir().glob("*.toml")))


@lru_cache(maxsize=1)
def builtin_table() -> AliasTable:
    """The built-in table (every ``*.toml`` in ``aliases/``), loaded once."""
    paths = builtin_paths()
    if not paths:
        raise AliasTableError(str(_builtin_dir()), "no built-in alias tables found")
    return merge_tables(table_from_mapping(_read_toml(p), f"built-in {p.name}") for p in paths)
