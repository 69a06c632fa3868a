"""normalise: repair named entities garbled by machine translation.

>>> import normalise
>>> normalise.clean("Bitdance and Tik Tok met Safra Katz.")
'ByteDance and TikTok met Safra Catz.'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Settings
    from .configfile import Config, load_config
    from .core import Normaliser, clean, explain, match, replay
    from .errors import (
        AliasTableConflict,
        AliasTableError,
        InputError,
        NormaliseError,
        SettingsError,
        UsageError,
    )
    from .models import METHODS, Change, Match, Method
    from .table import (
        AliasTable,
        Entity,
        builtin_table,
        load_table,
        merge_tables,
        table_from_mapping,
    )

# The public names and the modules that define them. They are imported on first use
# (PEP 562), so that `normalise --version` and `--help` start without the matcher,
# rapidfuzz or the word list.
_WHERE = {
    "Settings": "config",
    **dict.fromkeys(("Config", "load_config"), "configfile"),
    **dict.fromkeys(("Normaliser", "clean", "explain", "match", "replay"), "core"),
    **dict.fromkeys(
        (
            "AliasTableConflict",
            "AliasTableError",
            "InputError",
            "NormaliseError",
            "SettingsError",
            "UsageError",
        ),
        "errors",
    ),
    **dict.fromkeys(("METHODS", "Change", "Match", "Method"), "models"),
    **dict.fromkeys(
        (
            "AliasTable",
            "Entity",
            "builtin_table",
            "load_table",
            "merge_tables",
            "table_from_mapping",
        ),
        "table",
    ),
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'normalise' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__version__ = "0.1.0"

__all__ = [
    "METHODS",
    "AliasTable",
    "AliasTableConflict",
    "AliasTableError",
    "Change",
    "Config",
    "Entity",
    "InputError",
    "Match",
    "Method",
    "NormaliseError",
    "Normaliser",
    "Settings",
    "SettingsError",
    "UsageError",
    "__version__",
    "builtin_table",
    "clean",
    "explain",
    "load_config",
    "load_table",
    "match",
    "merge_tables",
    "replay",
    "table_from_mapping",
]
