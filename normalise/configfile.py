"""Configuration files: ``[tool.normalise]`` of the nearest pyproject.toml, or a file
named, as the command line and the library read them.

>>> from normalise import load_config
>>> config = load_config(start="/")  # no pyproject.toml there: the defaults
>>> config.path, config.tables, config.builtin
(None, (), True)
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Settings, settings_from_mapping
from .errors import InputError, SettingsError

if TYPE_CHECKING:
    from .core import Normaliser

__all__ = ["Config", "find_pyproject", "load_config"]

# Keys of [tool.normalise] that are options, not settings.
TABLE_KEYS = ("tables", "no-builtin", "no_builtin")


@dataclass(frozen=True)
class Config:
    """Settings, alias tables (paths, relative to the working folder) and whether the
    built-in table is used, as a configuration file gives them. ``path`` is the file
    read (None: the defaults); ``ignored`` says which files were passed over and why,
    and ``warnings`` those a user should hear of."""

    settings: Settings
    tables: tuple[str, ...]
    builtin: bool
    path: str | None = None
    ignored: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def normaliser(self) -> Normaliser:
        """A ``Normaliser`` with these settings and tables."""
        from .core import Normaliser

        return Normaliser(self.tables, builtin=self.builtin, settings=self.settings)


def find_pyproject(start: str | os.PathLike[str]) -> tuple[Path | None, list[str], list[str]]:
    """The nearest pyproject.toml in ``start`` or above, as black finds it: the search
    stops at the root of a repository (a folder with .git or .hg) and at the home
    folder. A file that another user owns (root excepted), or a symbolic link another
    user owns or that leads to such a file, is passed over (said in the second list):
    anyone could otherwise set a run's options, or break it, from /tmp. One of ours
    that others may write is passed over with a warning (the third list)."""
    home = Path.home()
    ignored: list[str] = []
    warnings: list[str] = []
    begin = Path(start).absolute()
    for folder in (begin, *begin.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            why = _distrust(candidate)
            if why is None:
                return candidate, ignored, warnings
            (warnings if why == "others may write it" else ignored).append(
                f"{candidate}: ignored, as {why}"
            )
        if (folder / ".git").exists() or (folder / ".hg").exists() or folder == home:
            break
    return None, ignored, warnings


def _distrust(path: Path) -> str | None:
    """Why the settings in ``path`` are not to be read, or None when they are: the
    file and, for a symbolic link, the link itself must be ours or root's, and the file
    writable by us and root only."""
    ours = (os.getuid(), 0)
    try:
        link, st = path.lstat(), path.stat()
    except OSError as e:
        return f"it cannot be read ({e.strerror})"
    if stat.S_ISLNK(link.st_mode) and link.st_uid not in ours:
        return "it is a symbolic link another user owns"
    if st.st_uid not in ours:
        return "another user owns it"
    if st.st_mode & stat.S_IWOTH:
        return "others may write it"
    return None


def read_section(path: str, *, explicit: bool) -> dict[str, Any]:
    """The settings of a configuration file: its ``[tool.normalise]``, or, for a file
    given by name that has none and is no pyproject.toml, its top level."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise InputError(f"{path}: cannot read settings: {e}") from None
    except RecursionError:
        raise InputError(f"{path}: cannot read settings: nested too deeply") from None
    tool = data.get("tool")
    if tool is not None and not isinstance(tool, dict):
        raise SettingsError(f"{path}: [tool] must be a table, not {tool!r:.40}")
    section = tool.get("normalise") if tool is not None else None
    if section is None:
        section = {} if not explicit or Path(path).name == "pyproject.toml" else data
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: [tool.normalise] must be a table")
    return section


def load_config(
    path: str | os.PathLike[str] | None = None, *, start: str | os.PathLike[str] = "."
) -> Config:
    """The configuration in ``path`` (at its top level or under ``[tool.normalise]``),
    or else in the nearest trusted pyproject.toml from ``start`` up (see
    ``find_pyproject``); the defaults when there is none. The file's ``tables`` are
    relative to it. Raises ``InputError`` or ``SettingsError`` naming the file."""
    ignored: list[str] = []
    warnings: list[str] = []
    if path is None:
        found, ignored, warnings = find_pyproject(start)
        if found is None:
            return Config(Settings(), (), True, None, tuple(ignored), tuple(warnings))
        name = str(found)
        explicit = False
    else:
        name = os.fspath(path)
        explicit = True
    section = read_section(name, explicit=explicit)
    settings = settings_from_mapping(
        {k: v for k, v in section.items() if k not in TABLE_KEYS}, name, Settings()
    )
    listed = section.get("tables", [])
    if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
        raise SettingsError(f"{name}: tables must be a list of paths, not {listed!r:.80}")
    folder = Path(name).parent
    no_builtin = section.get("no-builtin", section.get("no_builtin", False))
    if not isinstance(no_builtin, bool):
        raise SettingsError(f"{name}: no-builtin must be true or false, not {no_builtin!r}")
    tables = tuple(str(folder / t) for t in listed)
    return Config(settings, tables, not no_builtin, name, tuple(ignored), tuple(warnings))
