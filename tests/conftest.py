"""Shared fixtures, paths and hypothesis profiles."""

from __future__ import annotations

import os
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
