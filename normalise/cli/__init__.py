"""The command line, by concern. ``main(argv) -> int`` so tests can call it in-process.

| module | what |
| --- | --- |
| ``parser`` | the options, and what they mean (``InputOptions``, ``WriteBack``) |
| ``inputs`` | finding inputs, decoding them whole or streamed, JSONL records |
| ``outputs`` | where cleaned text goes (``WriteBack``), atomic writes |
| ``render`` | tables, diffs, ``match --why``, the HTML page |
| ``tally`` | counts, the summary line, the exit status |
| ``commands`` | ``clean``, ``explain``, ``match``, ``table``, and ``main`` |
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

__all__ = ["build_parser", "main", "version"]


def version() -> str:
    """The version and the backend in use (``normalise.backend``)."""
    from .. import __version__
    from ..backend import name
    from ..errors import SettingsError

    try:
        used = f"{name()} backend"
    except SettingsError as e:
        used = str(e)
    return f"normalise {__version__} ({used})"


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (``normalise``). ``--version`` alone answers without importing
    the rest of the package; everything else is ``commands.main``."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        print(version())
        return 0
    from .commands import main as run

    return run(argv)


def build_parser() -> argparse.ArgumentParser:
    from .parser import build_parser as build

    return build()
