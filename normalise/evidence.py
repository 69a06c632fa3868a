"""The decision model: evidence for and against a candidate repair, as additive weights.

Every fuzzy candidate (a span of running text and a name of the table it resembles) is
judged against the alternative that the span is an unfamiliar correct name, or another
entity. Each piece of evidence is a *comparison* with a few *levels* (string similarity
0.9, same transliteration key, a surface that is a common word, the canonical name
elsewhere in the document, ...), and each level carries a weight in bits: the log2
likelihood ratio ``log2(m / u)`` of seeing that level for a real garble (``m``) and
for a correct name that merely lands near the entry (``u``), as in the Fellegi-Sunter
model of record linkage (and Splink). The weights add up with a prior; a candidate is a
repair when the total reaches the threshold:

    prior -5.0, same metaphone key +3.1, similarity 0.85 +2.4, ... : total 2.5 >= 2.0

The weights, prior and threshold are fitted by ``tools/fit_weights.py`` on name-variant
data and clean text (never on the evaluation data) and shipped as ``weights.json``
beside this module; the script regenerates the file exactly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from .comparisons import ALL

# Each comparison and its levels, strongest-for-a-garble first (defined, with how each
# level is computed, in normalise.comparisons). A comparison whose level is None for a
# candidate is not evidence for it (for example "document" for a name looked up alone).
COMPARISONS: dict[str, tuple[str, ...]] = {c.name: c.levels for c in ALL}


class Evidence(NamedTuple):
    """One weighed item: a comparison, the level it reached, and its weight in bits."""

    comparison: str
    level: str
    weight: float

    def __str__(self) -> str:
        return f"{self.comparison} {self.level} {self.weight:+.1f}"

    def to_dict(self) -> dict[str, object]:
        return {"comparison": self.comparison, "level": self.level, "weight": self.weight}


@dataclass(frozen=True, slots=True)
class Weights:
    """Fitted weights: ``weights[comparison][level]`` in bits, a prior and a threshold.

    ``density_bits`` is subtracted from the prior per tenfold growth of the table beyond
    ``density_base`` names (and added per tenfold shrinking below it, down to
    ``density_floor`` names, the smallest table the fit measured): a correct name lands
    near some entry by chance more often in a larger table.
    """

    weights: Mapping[str, Mapping[str, float]]
    prior: float
    threshold: float
    density_bits: float = 0.0
    density_base: int = 1000
    density_floor: int = 100

    items: Mapping[tuple[str, str], Evidence] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once: the matcher asks for an item per candidate name.
        items = {
            (c, lv): Evidence(c, lv, w)
            for c, levels in self.weights.items()
            for lv, w in levels.items()
        }
        object.__setattr__(self, "items", items)

    def item(self, comparison: str, level: str) -> Evidence:
        return self.items[(comparison, level)]

    def best(self, comparison: str) -> float:
        """The largest weight a comparison can give."""
        return max(self.weights[comparison].values())

    def density(self, targets: int, scale: float) -> float:
        """The prior's density term for a table with ``targets`` fuzzy targets."""
        ratio = max(targets, self.density_floor, 1) / self.density_base
        return -scale * self.density_bits * math.log10(ratio)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Weights:
        weights = {c: dict(data["weights"][c]) for c in COMPARISONS}
        for comparison, levels in COMPARISONS.items():
            missing = set(levels) - set(weights[comparison])
            if missing:
                raise ValueError(f"weights: {comparison} lacks levels {sorted(missing)}")
        return cls(
            weights=weights,
            prior=float(data["prior"]),
            threshold=float(data["threshold"]),
            density_bits=float(data.get("density_bits", 0.0)),
            density_base=int(data.get("density_base", 1000)),
            density_floor=int(data.get("density_floor", 100)),
        )


@lru_cache(maxsize=1)
def shipped() -> Weights:
    """The weights shipped with the package (``weights.json``)."""
    text = resources.files("normalise").joinpath("weights.json").read_text(encoding="utf-8")
    return Weights.from_dict(json.loads(text))


def total(items: Iterable[Evidence]) -> float:
    """The total of weighed evidence, in bits (the prior is one of the items)."""
    return sum(e.weight for e in items)


def probability(bits: float) -> float:
    """The posterior probability of a garble for a total of ``bits`` (log2 odds)."""
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    return 1.0 / (1.0 + math.pow(2.0, -bits))


def score(items: Iterable[Evidence]) -> float:
    """A change's ``score``: the probability its evidence gives, rounded."""
    return round(probability(total(items)), 4)


def weights_table(weights: Weights) -> str:
    """The fitted weights as a Markdown table (docs/decision-model.md shows it)."""
    lines = ["| comparison | levels and weights (bits) |", "| --- | --- |"]
    for comparison, levels in COMPARISONS.items():
        cells = ", ".join(f"{lv} {weights.weights[comparison][lv]:+.2f}" for lv in levels)
        lines.append(f"| {comparison} | {cells} |")
    lines.append(
        f"| prior | {weights.prior:+.2f} at {weights.density_base:,} names; "
        f"{-weights.density_bits:+.2f} per tenfold growth (from {weights.density_floor:,} "
        f"names up) |"
    )
    lines.append(f"| threshold | {weights.threshold:+.2f} |")
    return "\n".join(lines) + "\n"
