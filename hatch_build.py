"""Build hook: compile the native core (native/, Rust) into the wheel.

hatchling stays the build backend (rather than maturin) because the wheel's layout is
hatchling's: the alias tables force-included as ``normalise/_aliases``, the version read
from ``normalise/__init__.py``, and an install on a machine without Rust still works,
with the pure-Python reference (``normalise.backend``). This hook runs ``cargo build
--release --features python`` on ``native/`` and puts the library into the wheel as
``normalise/_native.abi3.so`` (one wheel for every CPython >= 3.11: pyo3's abi3); for an
editable install it copies it beside the sources, where ``import normalise._native``
finds it.

``NORMALISE_NATIVE=0`` skips the build (the reference backend only). Without cargo the
build is skipped with a warning; a failing cargo build fails the install, so that a
broken core is never shipped silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LIBRARY = {"linux": "lib_native.so", "darwin": "lib_native.dylib", "win32": "_native.dll"}
TARGET = "normalise/_native.abi3.so" if sys.platform != "win32" else "normalise/_native.pyd"


def _cargo() -> str | None:
    found = shutil.which("cargo")
    if found:
        return found
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin" / "cargo"
    return str(home) if home.exists() else None


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "editable"):
            return
        if os.environ.get("NORMALISE_NATIVE", "1") == "0":
            self.app.display_info("normalise: NORMALISE_NATIVE=0, the native core is not built")
            return
        cargo = _cargo()
        root = Path(self.root)
        if cargo is None:
            self.app.display_warning(
                "normalise: cargo not found; installing without the native core "
                "(the pure-Python reference backend gives the same results, slower)"
            )
            return
        manifest = root / "native" / "Cargo.toml"
        target_dir = root / "native" / "target"
        self.app.display_info("normalise: building the native core (cargo build --release)")
        subprocess.run(
            [
                cargo,
                "build",
                "--release",
                "--quiet",
                "--features",
                "python",
                "--manifest-path",
                str(manifest),
                "--target-dir",
                str(target_dir),
            ],
            check=True,
        )
        library = target_dir / "release" / LIBRARY.get(sys.platform, "lib_native.so")
        if version == "editable":
            shutil.copy2(library, root / TARGET)
        build_data["force_include"][str(library)] = TARGET
        build_data["pure_python"] = False
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        build_data["tag"] = f"cp311-abi3-{platform}"
