"""Load, validate and merge alias tables; the built-in table.

An alias table is TOML::

    [meta]
    schema = 1                         # optional; checked when present

    [[entity]]
    canonical = "TikTok"               # required, non-empty
    kind = "org"                       # optional
    aliases = ["Tik Tok", "Tickcock"]  # optional: variants to replace
    keep = ["Douyin"]                  # optional: other correct names, never replaced
"""

from __future__ import annotations

import importlib.resources
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import AliasTableError
from .keys import fold

SCHEMA_VERSION = 1
MAX_NAME_LENGTH = 300
_META_KEYS = frozenset({"schema", "name", "description", "source", "license"})
_ENTITY_KEYS = frozenset({"canonical", "kind", "aliases", "keep"})

TableSource = str | os.PathLike[str] | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Entity:
    """One canonical name with its variants."""

    canonical: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    source: str = "<mapping>"


@dataclass(frozen=True, slots=True)
class AliasTable:
    """A validated set of entities, each canonical name once."""

    entities: tuple[Entity, ...]

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
            for key, values in (("aliases", e.aliases), ("keep", e.keep)):
                if values:
                    lines.append(f"{key} = [{', '.join(_toml_str(v) for v in values)}]")
            lines.append("")
        return "\n".join(lines)


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


def _entity_from(source: str, number: int, raw: object) -> Entity:
    if not isinstance(raw, Mapping):
        raise AliasTableError(source, f"entity #{number} must be a table, not {raw!r:.80}")
    label = str(raw.get("canonical", f"#{number}"))[:80]
    unknown = sorted(set(raw) - _ENTITY_KEYS)
    if unknown:
        raise AliasTableError(
            source,
            f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_ENTITY_KEYS))})",
            entity=label,
        )
    if "canonical" not in raw:
        raise AliasTableError(source, f"entity #{number} has no canonical name", entity=label)
    canonical = _check_name(source, label, "canonical", raw["canonical"])
    kind = raw.get("kind")
    if kind is not None:
        kind = _check_name(source, canonical, "kind", kind)
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("aliases", "keep"):
        values = raw.get(key, [])
        if not isinstance(values, list):
            raise AliasTableError(
                source, f"{key} must be a list of strings, not {values!r:.80}", entity=canonical
            )
        seen: dict[str, str] = {fold(canonical): canonical}
        kept: list[str] = []
        for value in values:
            name = _check_name(source, canonical, f"{key} entry", value)
            if name == canonical or (fold(name) in seen and key == "aliases"):
                continue  # redundant: case variants of the canonical are repaired anyway
            if fold(name) in seen and fold(name) != fold(canonical):
                continue  # a repeat
            seen[fold(name)] = name
            kept.append(name)
        lists[key] = tuple(kept)
    return Entity(canonical, kind, lists["aliases"], lists["keep"], source)


class _Problems:
    """Collects validation problems, or raises the first one when ``strict``."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found: list[AliasTableError] = []

    def add(self, error: AliasTableError) -> None:
        if self.strict:
            raise error
        self.found.append(error)


def _validate(data: object, source: str, problems: _Problems) -> tuple[Entity, ...]:
    if not isinstance(data, Mapping):
        problems.add(
            AliasTableError(source, f"a table must be a mapping, not {type(data).__name__}")
        )
        return ()
    for key in sorted(set(data) - {"meta", "entity"}):
        problems.add(
            AliasTableError(source, f"unknown top-level key {key!r} (allowed: meta, entity)")
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
    raw_entities = data.get("entity", [])
    if not isinstance(raw_entities, list):
        problems.add(AliasTableError(source, "'entity' must be an array of tables ([[entity]])"))
        return ()
    entities = []
    for i, raw in enumerate(raw_entities):
        try:
            entities.append(_entity_from(source, i + 1, raw))
        except AliasTableError as e:
            problems.add(e)
    return _merge((AliasTable(tuple(entities)),), problems).entities


def table_from_mapping(data: Mapping[str, Any], source: str = "<mapping>") -> AliasTable:
    """Validate a parsed table (the structure TOML gives) and build an ``AliasTable``."""
    return AliasTable(_validate(data, source, _Problems(strict=True)))


def table_problems(path: str | os.PathLike[str], *, against: AliasTable | None = None) -> list[str]:
    """Every problem of one TOML table (not just the first), each naming the file and
    entity; with ``against``, also its conflicts with that table (e.g. the built-in one)."""
    problems = _Problems(strict=False)
    try:
        data = _read_toml(path)
    except AliasTableError as e:
        return [str(e)]
    entities = _validate(data, os.fspath(path), problems)
    if against is not None:
        _merge((against, AliasTable(entities)), problems)
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
    merged: dict[str, Entity] = {}
    for table in tables:
        for e in table.entities:
            old = merged.get(e.canonical)
            if old is None:
                merged[e.canonical] = e
                continue
            merged[e.canonical] = Entity(
                e.canonical,
                e.kind if e.kind is not None else old.kind,
                _union(old.aliases, e.aliases, e.canonical),
                _union(old.keep, e.keep, e.canonical),
                old.source if old.source == e.source else f"{old.source}, {e.source}",
            )
    entities = tuple(merged.values())
    _check_conflicts(entities, problems)
    return AliasTable(entities)


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
        own = fold(e.canonical)
        for name, role in names:
            key = fold(name)
            if role == "keep" and key == own:
                continue  # a case variant of its own canonical kept as written ("Nato")
            prev = owner.get(key)
            if prev is None:
                owner[key] = (e, role, name)
                continue
            other, other_role, other_name = prev
            if role == other_role == "canonical":
                continue  # same name in other capitals ("NATO", "Nato"): both kept as written
            if "keep" in (role, other_role) and "alias" not in (role, other_role):
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
