"""Shared fixtures, paths and hypothesis profiles."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from normalise import Normaliser

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
SHARED = Path(os.environ.get("NORMALISE_SHARED", ROOT.parent / "shared"))

settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def normaliser() -> Normaliser:
    return Normaliser()


Cli = Callable[..., tuple[int, bytes, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> Cli:
    """``main(argv)`` in-process, with ``stdin`` bytes: (exit status, stdout bytes,
    stderr text)."""
    from normalise.cli import main

    def run(argv: list[str], stdin: bytes = b"") -> tuple[int, bytes, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(argv)
        out, err = capsysbinary.readouterr()
        return code, out, err.decode()

    return run
