"""Agreement between two gradings of the same items (self-assessment vs review,
expert vs expert): exact agreement rate and weighted Cohen's kappa.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from standards.scoring.types import GRADE_ORDER, GRADE_RANK, NA

_K = len(GRADE_ORDER)


@dataclass(frozen=True, slots=True)
class Agreement:
    """``compared`` items graded none/C/B/A on both sides (the basis of kappa);
    ``both_na`` items both sides called N/A; ``na_mismatches`` items one side called N/A
    and the other graded. ``agreed`` counts identical grades, both-N/A included.
    ``kappa`` is None when undefined (no items, or both sides used one identical grade
    throughout)."""

    compared: int
    both_na: int
    na_mismatches: int
    agreed: int
    kappa: float | None
    weights: str

    @property
    def rate(self) -> float | None:
        total = self.compared + self.both_na + self.na_mismatches
        return self.agreed / total if total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "compared": self.compared,
            "both_na": self.both_na,
            "agreed": self.agreed,
            "na_mismatches": self.na_mismatches,
            "rate": None if self.rate is None else round(self.rate, 4),
            "kappa": None if self.kappa is None else round(self.kappa, 4),
            "weights": self.weights,
        }


def agreement(
    first: Mapping[str, str],
    second: Mapping[str, str],
    codes: Iterable[str] | None = None,
    *,
    weights: str = "linear",
) -> Agreement:
    """Compare two gradings over ``codes`` (default: every code either side graded).

    Missing grades count as none. Items both sides call N/A agree and are left out of
    kappa; an N/A on one side only counts as a disagreement. ``weights`` is
    ``linear`` (1 - |i-j|/3), ``quadratic`` (1 - (i-j)^2/9) or ``none`` (unweighted).
    """
    if weights not in ("linear", "quadratic", "none"):
        raise ValueError(f"unknown weights {weights!r}")
    if codes is None:
        codes = sorted(set(first) | set(second))
    matrix = [[0] * _K for _ in range(_K)]
    compared = both_na = na_mismatches = diagonal = 0
    for code in codes:
        a = first.get(code) or "none"
        b = second.get(code) or "none"
        if a == NA or b == NA:
            if a == b:
                both_na += 1
            else:
                na_mismatches += 1
            continue
        i, j = GRADE_RANK[a], GRADE_RANK[b]
        matrix[i][j] += 1
        compared += 1
        diagonal += i == j
    kappa = _weighted_kappa(matrix, compared, weights)
    return Agreement(compared, both_na, na_mismatches, diagonal + both_na, kappa, weights)


def _weighted_kappa(matrix: list[list[int]], total: int, weights: str) -> float | None:
    if not total:
        return None

    def weight(i: int, j: int) -> float:
        if weights == "none":
            return 1.0 if i == j else 0.0
        if weights == "linear":
            return 1 - abs(i - j) / (_K - 1)
        return 1 - (i - j) ** 2 / (_K - 1) ** 2

    rows = [sum(matrix[i]) for i in range(_K)]
    cols = [sum(matrix[i][j] for i in range(_K)) for j in range(_K)]
    observed = sum(weight(i, j) * matrix[i][j] for i in range(_K) for j in range(_K)) / total
    expected = (
        sum(weight(i, j) * rows[i] * cols[j] for i in range(_K) for j in range(_K)) / total**2
    )
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)
