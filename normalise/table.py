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

    [[name]]                           # a real name that is no garble of a table name
    name = "Beroun"                    # never a fuzzy repair; a known name in longer spans
    kind = "place"                     # optional

    [[rejected]]                       # an editor's decision: this is not that entity
    surface = "Beuchat"                # the text as written (any case)
    canonical = "WeChat"               # never changed to this name, by any method
    note = "a diving-equipment maker"  # optional (normalise apply --rejected-to writes these)
"""

from __future__ import annotations

import csv
import dataclasses
import importlib.resources
import io
import json
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import regex
from rapidfuzz.distance import Levenshtein

from .errors import AliasTableConflict, AliasTableError
from .keys import compact, fold

SCHEMA_VERSION = 1
_RESPELLING = 0.85  # a kept name this close to the canonical is another spelling of it
MAX_NAME_LENGTH = 300
MAX_SHORT_LENGTH = 20
# The characters Python's str.isspace() calls space, written out so that the JSON
# Schema's patterns mean the same in every regular-expression dialect (ECMA's \s and
# Python's differ on U+001C-U+001F, U+0085 and U+FEFF).
_SPACE = (
    r"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000"
)
_CONTROL = r"\x00-\x1f\x7f-\x9f"  # Unicode's control characters (Cc), none in a name
# "(?!\n)$": Python's "$" also matches before a final newline, ECMA's does not.
_NAME_PATTERN = rf"^[^{_SPACE}{_CONTROL}](?:[^{_CONTROL}]*[^{_SPACE}{_CONTROL}])?(?!\n)$"
_SHORT_PATTERN = rf"^[^{_SPACE}{_CONTROL}]+(?!\n)$"
_META_KEYS = frozenset({"schema", "name", "description", "source", "license"})
_TOP_KEYS = ("meta", "entity", "word", "honorific", "name", "rejected")
Scope = Literal["document", "sentence"]
SCOPES: tuple[Scope, ...] = ("document", "sentence")

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
    context_scope: Scope = "document"
    honorific: str | None = None
    context_fuzzy: bool = False


@dataclass(frozen=True, slots=True)
class Word:
    """A word-level garble that is not a name ("fund-razor" -> "fundraiser"). With
    ``context``, an alias is replaced only when a context word supports it."""

    canonical: str
    aliases: tuple[str, ...]
    context: tuple[str, ...] = ()
    context_scope: Scope = "document"
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
class KnownName:
    """A real name that is no garble of any name of the tables (a newsroom's local
    people and places): a span written so is never a fuzzy repair, and inside a longer
    span it counts as a known name, like the names of the shipped lexicon
    (``normalise.lexicon``)."""

    name: str
    kind: str | None = None
    source: str = "<mapping>"


@dataclass(frozen=True, slots=True)
class Rejection:
    """An editor's rejection: ``surface`` (in any case) is never changed to
    ``canonical``, by any method (``normalise apply --rejected-to`` records these). It is
    not a ``keep`` name, which would declare the surface a correct name of the entity."""

    surface: str
    canonical: str
    note: str | None = None
    source: str = "<mapping>"

    @property
    def key(self) -> tuple[str, str]:
        """What a change is checked against: the folded surface and the canonical."""
        return fold(self.surface), self.canonical


# -- the schema: one field spec per entry type --------------------------------------
#
# The spec of each entry type (``[[entity]]``, ``[[word]]``, ``[[honorific]]``) drives
# its allowed keys, parsing and validation messages, merging, both serialisers and the
# documentation of the schema.

KeyKind = Literal["name", "names", "short", "scope", "flag"]
Merge = Literal["first", "later", "union", "any"]


@dataclass(frozen=True, slots=True)
class Key:
    """One key of an entry type.

    ``kind``: a ``name`` (a non-empty string), a list of ``names``, a ``short`` word
    (an honorific), a ``scope`` ("document" or "sentence") or a ``flag`` (true or
    false). ``attr`` is the attribute that holds it, when not the key itself.
    ``against``: for a list of names, drop the canonical name itself (``exact``), or
    also its case variants (``folded``: they are repaired anyway). ``merge``: how two
    tables' values combine: the first table's, the later one's when given, the union of
    both lists, or true when either is.
    """

    name: str
    kind: KeyKind
    help: str
    attr: str = ""
    required: bool = False
    against: Literal["", "exact", "folded"] = ""
    merge: Merge = "later"

    @property
    def field(self) -> str:
        return self.attr or self.name

    def default(self) -> Any:
        return {"names": (), "scope": "document", "flag": False}.get(self.kind)


@dataclass(frozen=True, slots=True)
class EntryType:
    """An entry type of the schema: its TOML key, its class, its keys."""

    key: str  # "entity": written [[entity]]
    cls: type[Any]
    keys: tuple[Key, ...]
    unnamed: str  # the label of an entry whose naming key is missing: "#{n}"
    missing: str  # the message for a missing naming key
    needs: tuple[tuple[str, str], ...] = ()  # (key, message): lists that must not be empty

    @property
    def names(self) -> frozenset[str]:
        return frozenset(k.name for k in self.keys)

    @property
    def naming(self) -> Key:
        return self.keys[0]


def _entry_types() -> tuple[EntryType, EntryType, EntryType, EntryType, EntryType]:
    canonical = Key("canonical", "name", "the correct form", required=True, merge="first")
    context = Key(
        "context", "names", "words that support the context-gated variants", merge="union"
    )
    scope = Key(
        "context_scope", "scope", 'where support counts: "document" (default) or "sentence"'
    )
    entity = EntryType(
        "entity",
        Entity,
        (
            canonical,
            Key("kind", "name", 'what it names: "person", "org", "place", "product", ...'),
            Key("aliases", "names", "variants to replace", against="folded", merge="union"),
            Key(
                "keep",
                "names",
                "other correct names, never replaced",
                against="folded",
                merge="union",
            ),
            Key(
                "context_aliases",
                "names",
                "variants replaced only with support in the document",
                against="folded",
                merge="union",
            ),
            context,
            scope,
            Key("honorific", "short", 'the honorific used for a person ("Mr.")'),
            Key(
                "context_fuzzy",
                "flag",
                "fuzzy matches of this entity also need that support",
                merge="any",
            ),
        ),
        unnamed="#{n}",
        missing="entity #{n} has no canonical name",
    )
    word = EntryType(
        "word",
        Word,
        (
            canonical,
            Key(
                "aliases",
                "names",
                "garbles replaced as written (or with a capital first)",
                against="exact",
                merge="union",
            ),
            context,
            scope,
            Key("source", "name", "where the garble was seen", attr="note"),
        ),
        unnamed="word #{n}",
        missing="word #{n} has no canonical form",
        needs=(("aliases", "a word needs at least one alias"),),
    )
    honorific = EntryType(
        "honorific",
        Honorific,
        (
            Key("garble", "short", 'the garbled honorific ("Min.")', required=True),
            Key("means", "name", "what it stands for, when known"),
            Key("source", "name", "where the garble was seen", attr="note"),
        ),
        unnamed="honorific #{n}",
        missing="honorific #{n} has no garble",
    )
    known = EntryType(
        "name",
        KnownName,
        (
            Key("name", "name", "a real name, never a garble of a table name", required=True),
            Key("kind", "name", 'what it names: "person", "org", "place", ...'),
        ),
        unnamed="name #{n}",
        missing="name #{n} has no name",
    )
    rejected = EntryType(
        "rejected",
        Rejection,
        (
            Key("surface", "name", "the text as written (any case)", required=True),
            Key("canonical", "name", "the name it is never changed to", required=True),
            Key("note", "name", "why (the editor's note)"),
        ),
        unnamed="rejected #{n}",
        missing="rejected #{n} has no surface",
    )
    return entity, word, honorific, known, rejected


ENTITY, WORD, HONORIFIC, NAME, REJECTED = _entry_types()
ENTRY_TYPES = (ENTITY, WORD, HONORIFIC, NAME, REJECTED)
_KIND_TEXT = {
    "name": "string",
    "names": "list of strings",
    "short": "one short word",
    "scope": '"document" or "sentence"',
    "flag": "true or false",
}


def json_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of alias tables, from the same field specs the
    validator uses: TOML language servers (taplo, Even Better TOML) complete and check
    tables with it. The validator checks more than a schema can say (names claimed
    twice, word aliases that are names); ``normalise table check`` does that."""
    name = {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_NAME_LENGTH,
        "pattern": _NAME_PATTERN,
    }
    kinds: dict[str, dict[str, Any]] = {
        "name": name,
        "names": {"type": "array", "items": name},
        "short": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_SHORT_LENGTH,
            "pattern": _SHORT_PATTERN,
        },
        "scope": {"enum": list(SCOPES)},
        "flag": {"type": "boolean"},
    }
    definitions = {}
    for spec in ENTRY_TYPES:
        properties = {}
        for key in spec.keys:
            properties[key.name] = {**kinds[key.kind], "description": key.help}
        for needed, _ in spec.needs:
            properties[needed] = {**properties[needed], "minItems": 1}
        for written in sorted(_WRITTEN_ONLY.get(spec.key, ())):
            properties[written] = {
                "type": "string",
                "description": "the tables it came from (table show writes it; ignored when read)",
            }
        required = [k.name for k in spec.keys if k.required] + [n for n, _ in spec.needs]
        definitions[spec.key] = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "normalise alias table",
        "description": "An alias table of normalise (schema 1): canonical names, their "
        "variants, word garbles and honorific garbles.",
        "type": "object",
        "properties": {
            "meta": {
                "type": "object",
                "properties": {
                    "schema": {"const": SCHEMA_VERSION},
                    **{k: {"type": "string"} for k in sorted(_META_KEYS - {"schema"})},
                },
                "additionalProperties": False,
            },
            **{
                spec.key: {"type": "array", "items": {"$ref": f"#/$defs/{spec.key}"}}
                for spec in ENTRY_TYPES
            },
        },
        "additionalProperties": False,
        "$defs": definitions,
    }


def schema_table() -> str:
    """Every key of every entry type as a Markdown table (docs/alias-tables.md carries
    it; a test checks)."""
    rows = ["| entry | key | value | required | meaning |", "| --- | --- | --- | --- | --- |"]
    for spec in ENTRY_TYPES:
        for key in spec.keys:
            needed = key.required or any(name == key.name for name, _ in spec.needs)
            rows.append(
                f"| `[[{spec.key}]]` | `{key.name}` | {_KIND_TEXT[key.kind]} "
                f"| {'yes' if needed else ''} | {key.help} |"
            )
    return "\n".join(rows) + "\n"


@dataclass(frozen=True, slots=True)
class AliasTable:
    """A validated set of entities, each canonical name once, plus word garbles and
    honorific garbles."""

    entities: tuple[Entity, ...]
    words: tuple[Word, ...] = ()
    honorifics: tuple[Honorific, ...] = ()
    names: tuple[KnownName, ...] = ()
    rejected: tuple[Rejection, ...] = ()

    def __len__(self) -> int:
        return len(self.entities)

    def _entries(self) -> tuple[tuple[EntryType, tuple[Any, ...]], ...]:
        return (
            (ENTITY, self.entities),
            (WORD, self.words),
            (HONORIFIC, self.honorifics),
            (NAME, self.names),
            (REJECTED, self.rejected),
        )

    def to_toml(self) -> str:
        """The table as TOML in the documented schema (round-trips through ``load_table``)."""
        lines = ["[meta]", f"schema = {SCHEMA_VERSION}", ""]
        for spec, items in self._entries():
            for item in items:
                lines.append(f"[[{spec.key}]]")
                for key, value in _given(spec, item):
                    if key.kind == "names":
                        lines.append(f"{key.name} = {_toml_list(value)}")
                    elif key.kind == "flag":
                        lines.append(f"{key.name} = true")
                    else:
                        lines.append(f"{key.name} = {_toml_str(value)}")
                lines.append("")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, list[dict[str, object]]]:
        """The table as JSON-ready data in the documented schema; each entity also
        names the table(s) it came from (``source``), as it always has."""
        out: dict[str, list[dict[str, object]]] = {}
        for spec, items in self._entries():
            rows = []
            for item in items:
                row = {k.name: list(v) if k.kind == "names" else v for k, v in _given(spec, item)}
                if spec is ENTITY:
                    row["source"] = item.source
                rows.append(row)
            if rows:
                out[spec.key] = rows
        return out


def _given(spec: EntryType, item: Any) -> Iterator[tuple[Key, Any]]:
    """The keys of an entry with a value other than the default (the naming key and a
    word's aliases always)."""
    for key in spec.keys:
        value = getattr(item, key.field)
        if key.required or (spec is WORD and key.name == "aliases") or value != key.default():
            yield key, value


def _toml_list(values: tuple[str, ...]) -> str:
    return f"[{', '.join(_toml_str(v) for v in values)}]"


def _toml_str(value: str) -> str:
    """A TOML basic string: backslash, quote and every control character escaped, so
    that any name a table holds is written back loadable."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


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
    if any(ch <= "\x1f" or "\x7f" <= ch <= "\x9f" for ch in value) or value != value.strip():
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


def _scope(source: str, entity: str, raw: Mapping[str, Any]) -> Scope:
    scope = raw.get("context_scope", "document")
    for known in SCOPES:
        if scope == known:
            return known
    raise AliasTableError(
        source,
        f"context_scope must be one of {', '.join(SCOPES)}, not {scope!r:.80}",
        entity=entity,
    )


# Keys that ``AliasTable.to_dict`` writes for a reader and loading ignores: an entity's
# ``source`` (the tables it came from), so that ``table show --format json`` loads back.
_WRITTEN_ONLY = {"entity": frozenset({"source"})}


def _unknown(source: str, label: str, raw: Mapping[str, Any], spec: EntryType) -> None:
    written = _WRITTEN_ONLY.get(spec.key, frozenset())
    unknown = sorted(set(raw) - spec.names - written)
    if unknown:
        raise AliasTableError(
            source,
            f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(spec.names))})",
            entity=label,
            kind=spec.key,
        )
    for key in sorted(written & set(raw)):
        if not isinstance(raw[key], str):
            raise AliasTableError(
                source, f"{key} must be a string, not {raw[key]!r:.80}", entity=label
            )


def _entry(spec: EntryType, source: str, number: int, raw: object) -> Any:
    """One entry of the table, parsed and validated by its spec."""
    if not isinstance(raw, Mapping):
        raise AliasTableError(source, f"{spec.key} #{number} must be a table, not {raw!r:.80}")
    naming = spec.naming
    label = str(raw.get(naming.name, spec.unnamed.format(n=number)))[:80]
    try:
        _unknown(source, label, raw, spec)
        if naming.name not in raw:
            raise AliasTableError(source, spec.missing.format(n=number), entity=label)
        values: dict[str, Any] = {}
        who = label  # the entry as error messages name it: its validated name, once known
        for key in spec.keys:
            value = _value(key, source, who, raw, values.get(naming.field))
            values[key.field] = value
            if key is naming:
                who = value
        for name, message in spec.needs:
            if not values[name]:
                if raw.get(name):  # given, but only as the canonical form itself
                    message += f" other than its canonical form {who!r}"
                    raise AliasTableConflict(source, message, entity=who)
                raise AliasTableError(source, message, entity=who)
        for key in spec.keys[1:]:
            if key.required and values[key.field] is None:
                raise AliasTableError(source, f"{key.name} is required", entity=who)
    except AliasTableError as e:
        if e.entity is None or spec is ENTITY:
            raise
        raise type(e)(e.source, e.message, entity=e.entity, kind=spec.key) from None
    return spec.cls(**values, source=source)


def _value(key: Key, source: str, who: str, raw: Mapping[str, Any], named: str | None) -> Any:
    if key.kind == "names":
        against = named if key.against == "folded" else None
        names = _names(source, who, key.name, raw, against=against)
        if key.against == "exact":
            names = tuple(n for n in names if n != named)
        return names
    if key.kind == "scope":
        return _scope(source, who, raw)
    if key.name not in raw:
        return key.default()
    value = raw[key.name]
    if key.kind == "flag":
        if not isinstance(value, bool):
            raise AliasTableError(
                source, f"{key.name} must be true or false, not {value!r:.80}", entity=who
            )
        return value
    value = _check_name(source, who, key.name, value)
    if key.kind == "short" and (len(value) > MAX_SHORT_LENGTH or any(ch.isspace() for ch in value)):
        raise AliasTableError(
            source, f"{key.name} must be one short word: {value!r:.80}", entity=who
        )
    return value


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
    for key in sorted(_META_KEYS - {"schema"}):
        if key in meta and not isinstance(meta[key], str):
            problems.add(
                AliasTableError(source, f"[meta] {key} must be a string, not {meta[key]!r:.80}")
            )
    if "schema" in meta and (meta["schema"] != SCHEMA_VERSION or isinstance(meta["schema"], bool)):
        problems.add(
            AliasTableError(
                source,
                f"unsupported schema {meta['schema']!r} (this version reads {SCHEMA_VERSION})",
            )
        )
    parts: dict[str, list[Any]] = {}
    for spec in ENTRY_TYPES:
        key = spec.key
        raw_items = data.get(key, [])
        parts[key] = []
        if not isinstance(raw_items, list):
            problems.add(AliasTableError(source, f"{key!r} must be an array of tables ([[{key}]])"))
            continue
        for i, raw in enumerate(raw_items):
            try:
                parts[key].append(_entry(spec, source, i + 1, raw))
            except AliasTableError as e:
                problems.add(e)
    table = AliasTable(
        tuple(parts["entity"]),
        tuple(parts["word"]),
        tuple(parts["honorific"]),
        tuple(parts["name"]),
        tuple(parts["rejected"]),
    )
    return _merge((table,), problems)


def table_from_mapping(data: Mapping[str, Any], source: str = "<mapping>") -> AliasTable:
    """Validate a parsed table (the structure TOML gives) and build an ``AliasTable``."""
    return _validate(data, source, _Problems(strict=True))


def table_problems(path: str | os.PathLike[str], *, against: AliasTable | None = None) -> list[str]:
    """Every problem of one TOML table (not just the first), each naming the file and
    entity; with ``against``, also its conflicts with that table (e.g. the built-in one)."""
    problems = _Problems(strict=False)
    try:
        data = _read_file(path)
    except AliasTableError as e:
        return [str(e)]
    table = _validate(data, os.fspath(path), problems)
    if against is not None:
        _merge((against, table), problems)
    return [str(e) for e in problems.found]


def _read_csv(name: str, text: str, delimiter: str) -> dict[str, Any]:
    """A CSV or TSV gazetteer as table data: a header row names the keys of the entry
    type (``canonical``, ``kind``, ``aliases`` ...), one entry a row; a ``type`` column
    ("entity", the default, or "word", "honorific", "name", "rejected") says which entry
    type a row is; lists are separated by ``|``; an empty cell is a key not given."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(rows, None)
    if header is None:
        raise AliasTableError(name, "empty: a CSV table needs a header row (canonical,aliases,...)")
    header = [h.strip().lstrip("\ufeff") for h in header]
    types = {spec.key: spec for spec in ENTRY_TYPES}
    data: dict[str, list[dict[str, Any]]] = {}
    for line, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise AliasTableError(
                name, f"line {line}: {len(row)} cells, the header names {len(header)}"
            )
        cells = {k: v.strip() for k, v in zip(header, row, strict=False) if v.strip()}
        kind = cells.pop("type", "entity")
        spec = types.get(kind)
        if spec is None:
            raise AliasTableError(
                name, f"line {line}: type {kind!r} is not one of {', '.join(sorted(types))}"
            )
        keys = {k.name: k for k in spec.keys}
        entry: dict[str, Any] = {}
        for key, value in cells.items():
            k = keys.get(key)
            if k is not None and k.kind == "names":
                entry[key] = [v.strip() for v in value.split("|") if v.strip()]
            elif k is not None and k.kind == "flag" and value.lower() in ("true", "false"):
                entry[key] = value.lower() == "true"
            else:
                entry[key] = value  # an unknown key or a bad value: the validator says so
        data.setdefault(spec.key, []).append(entry)
    return data


def _read_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A table file's data: TOML, JSON for a ``.json`` file (as ``normalise table show
    --format json`` writes it), or a CSV or TSV gazetteer for ``.csv`` and ``.tsv``."""
    name = os.fspath(path)
    is_json = name.endswith(".json")
    delimiter = {".csv": ",", ".tsv": "\t"}.get(os.path.splitext(name)[1].lower())
    kind = "JSON" if is_json else "CSV" if delimiter else "TOML"
    try:
        with open(path, "rb") as f:
            if delimiter:
                data = _read_csv(name, f.read().decode("utf-8"), delimiter)
            else:
                data = json.loads(f.read().decode("utf-8")) if is_json else tomllib.load(f)
    except FileNotFoundError:
        raise AliasTableError(name, "no such file") from None
    except IsADirectoryError:
        raise AliasTableError(name, f"is a directory, not a {kind} file") from None
    except PermissionError:
        raise AliasTableError(name, "permission denied") from None
    except UnicodeDecodeError as e:
        raise AliasTableError(name, f"not valid UTF-8 at byte {e.start}") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, csv.Error) as e:
        raise AliasTableError(name, f"invalid {kind}: {e}") from None
    except RecursionError:
        raise AliasTableError(name, f"invalid {kind}: nested too deeply") from None
    if not isinstance(data, dict):
        raise AliasTableError(name, f"a table must be a JSON object, not {type(data).__name__}")
    return data


def load_table(path: str | os.PathLike[str]) -> AliasTable:
    """Read and validate one alias table: TOML, JSON for a ``.json`` file, a CSV or TSV
    gazetteer for ``.csv`` and ``.tsv``."""
    return table_from_mapping(_read_file(path), os.fspath(path))


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
            merged[e.canonical] = _merged(ENTITY, old, e)
    words: dict[str, Word] = {}
    honorifics: dict[str, Honorific] = {}
    known: dict[str, KnownName] = {}
    rejected: dict[tuple[str, str], Rejection] = {}
    for table in tables:
        for n in table.names:
            known[n.name] = n  # a later table's entry wins
        for r in table.rejected:
            rejected[r.key] = r  # one per surface and name; a later table's note wins
        for w in table.words:
            prev = words.get(w.canonical)
            if prev is not None:
                w = _merged(WORD, prev, w)
            words[w.canonical] = w
        for h in table.honorifics:
            honorifics[h.garble] = h  # a later table's entry wins
    entities = tuple(merged.values())
    _check_conflicts(entities, problems)
    _check_words(tuple(words.values()), entities, problems)
    return AliasTable(
        entities,
        tuple(words.values()),
        tuple(honorifics.values()),
        tuple(known.values()),
        tuple(rejected.values()),
    )


def _merged(spec: EntryType, old: Any, new: Any) -> Any:
    """One entry from an earlier table's and a later table's of the same name, each key
    combined by its spec's ``merge``; both sources are named."""
    values: dict[str, Any] = {}
    canonical = getattr(new, spec.naming.field)
    for key in spec.keys:
        a, b = getattr(old, key.field), getattr(new, key.field)
        if key.merge == "first":
            values[key.field] = a
        elif key.merge == "union":
            values[key.field] = _union(a, b, canonical if key.against else "")
        elif key.merge == "any":
            values[key.field] = a or b
        else:
            values[key.field] = b if b != key.default() else a
    source = old.source if old.source == new.source else f"{old.source}, {new.source}"
    return spec.cls(**values, source=source)


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
                    AliasTableConflict(
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
                    AliasTableConflict(
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
                        AliasTableConflict(
                            e.source,
                            f"{name!r} is listed both as {other_role} and as {role}",
                            entity=e.canonical,
                        )
                    )
                continue
            problems.add(
                AliasTableConflict(
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
    return merge_tables(table_from_mapping(_read_file(p), f"built-in {p.name}") for p in paths)
