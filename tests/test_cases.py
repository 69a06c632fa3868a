"""Positive, negative and known-failure cases, kept as data in tests/cases."""

from __future__ import annotations

import pytest

from normalise import Normaliser, replay

from .casefiles import read


def _params(name: str, xfail: bool = False) -> list[object]:
    marks = [pytest.mark.xfail(strict=True, reason="known failure")] if xfail else []
    return [pytest.param(*row[1:], id=row[0], marks=marks) for row in read(name)]


@pytest.mark.parametrize(("text", "expected"), _params("positive.tsv"))
def test_positive(normaliser: Normaliser, text: str, expected: str) -> None:
    assert normaliser.clean(text) == expected
    assert replay(text, normaliser.explain(text)) == expected
    assert normaliser.clean(expected) == expected


@pytest.mark.parametrize("text", _params("negative.tsv"))
def test_negative(normaliser: Normaliser, text: str) -> None:
    assert normaliser.explain(text) == []
    assert normaliser.clean(text) == text


@pytest.mark.parametrize(("text", "expected"), _params("known_failures.tsv", xfail=True))
def test_known_failures(normaliser: Normaliser, text: str, expected: str) -> None:
    assert normaliser.clean(text) == expected


def test_case_labels_are_unique() -> None:
    for name in ("positive.tsv", "negative.tsv", "known_failures.tsv"):
        labels = [row[0] for row in read(name)]
        assert len(labels) == len(set(labels)), name
