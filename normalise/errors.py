"""Typed exceptions. Each also refines the builtin exception it means."""

from __future__ import annotations


class NormaliseError(Exception):
    """Base class for every error normalise raises on purpose."""


class AliasTableError(NormaliseError, ValueError):
    """An alias table is malformed or contradicts itself.

    The message names the file (or ``<mapping>``), the entity and the value.
    """

    def __init__(
        self, source: str, message: str, *, entity: str | None = None, kind: str = "entity"
    ) -> None:
        self.source = source
        self.entity = entity
        self.message = message
        where = source if entity is None else f"{source}: {kind} {entity!r}"
        super().__init__(f"{where}: {message}")


class AliasTableConflict(AliasTableError):
    """Entries contradict each other, or one key of an entry another: a name claimed by
    two entities, a word alias that is a name, a word whose only alias is itself. These
    are the checks a schema of one entry at a time (the published JSON Schema) cannot
    make; everything else it refuses exactly as the validator does."""


class SettingsError(NormaliseError, ValueError):
    """A setting has an invalid value."""


class UsageError(NormaliseError, ValueError):
    """An argument is not one the function or command takes (a number of workers out of
    range, an unknown garble kind, a buffer that is not a whole number)."""


class InputError(NormaliseError, ValueError):
    """Input text could not be read (missing file, invalid encoding, ...)."""
