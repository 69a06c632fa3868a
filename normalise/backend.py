"""Which backend decides: the native core or the pure-Python reference.

``normalise._native`` is the Rust core (``native/``, built with the package when a Rust
toolchain is there); the Python modules are the reference and give the same results
(``tests/test_native.py`` holds the two to that). ``NORMALISE_BACKEND`` chooses:

- ``auto`` (the default): the native core when it is built, else the reference;
- ``native``: the native core, or an error saying it is not built;
- ``python``: the reference, even where the core is built.

``normalise --version`` says which is in use.
"""

from __future__ import annotations

import os
from functools import lru_cache
from types import ModuleType

from .errors import SettingsError

CHOICES = ("auto", "native", "python")


@lru_cache(maxsize=1)
def native() -> ModuleType | None:
    """The native module in use, or None when the reference decides."""
    choice = os.environ.get("NORMALISE_BACKEND", "auto").strip().lower() or "auto"
    if choice not in CHOICES:
        raise SettingsError(f"NORMALISE_BACKEND={choice!r}: expected one of {', '.join(CHOICES)}")
    if choice == "python":
        return None
    try:
        from . import _native
    except ImportError as e:
        if choice == "native":
            raise SettingsError(
                "NORMALISE_BACKEND=native, but the native core is not built "
                f"(normalise._native: {e}); reinstall with a Rust toolchain (cargo) on PATH"
            ) from None
        return None
    module: ModuleType = _native
    return module


def name() -> str:
    """ "native" or "python": the backend in use."""
    module = native()
    return "python" if module is None else f"native {module.VERSION}"
