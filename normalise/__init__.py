"""normalise: repair named entities garbled by machine translation.

>>> import normalise
>>> normalise.clean("Bitdance and Tik Tok met Safra Katz.")
'ByteDance and TikTok met Safra Catz.'
"""

from .config import Settings
from .core import Normaliser, clean, explain, match, replay
from .errors import AliasTableError, InputError, NormaliseError, SettingsError
from .models import METHODS, Change, Match, Method
from .table import AliasTable, Entity, builtin_table, load_table, merge_tables, table_from_mapping

__version__ = "0.1.0"

__all__ = [
    "METHODS",
    "AliasTable",
    "AliasTableError",
    "Change",
    "Entity",
    "InputError",
    "Match",
    "Method",
    "NormaliseError",
    "Normaliser",
    "Settings",
    "SettingsError",
    "__version__",
    "builtin_table",
    "clean",
    "explain",
    "load_table",
    "match",
    "merge_tables",
    "replay",
    "table_from_mapping",
]
