"""Agreement figures for validator calibration: pure functions of ratings, no database, no Flask.

Ratings are ordinal levels (LEVELS: 1 Explorer, 2 Novice, 3 Experienced, 4 Expert). A pair is
(rater's level, reference level); in calibration the reference is the exemplar's agreed anchor.

Every function answers a Figure rather than a bare number, because a district admin must be told when a
figure cannot be said and why: too few ratings, or a statistic that is undefined for these ratings (every
rating the same level leaves kappa and alpha without expected disagreement, 0/0). A level outside the
categories is a caller's mistake and raises ValueError naming it.

Sources: Cohen (1968), "Weighted kappa", Psychological Bulletin 70(4) 213-220, with the quadratic weights of
Fleiss & Cohen (1973); Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
https://repository.upenn.edu/asc_papers/43, computed by the PyPI package `krippendorff`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

LEVELS = (1, 2, 3, 4)

# Fewer pairs (for alpha: pairable values) than this and a figure says "too few ratings to say".
MIN_PAIRS = 5


@dataclass(frozen=True)
class Figure:
    """One agreement figure: its value, how many ratings it rests on, and why there is no value if none.

    value is None when it cannot be said; reason then says why in plain words for a district admin.
    n counts pairs (for alpha: pairable values, the sum of m_u over units rated at least twice).
    """

    value: float | None
    n: int
    reason: str | None = None

    @property
    def percent(self) -> int | None:
        """The value as a whole percentage (for the agreement shares), or None."""
        return None if self.value is None else round(self.value * 100)


def _index(categories: Sequence[int]) -> dict[int, int]:
    if len(set(categories)) != len(categories) or len(categories) < 2:
        raise ValueError(f"Categories must be at least two distinct ordered levels, not {tuple(categories)}.")
    return {level: position for position, level in enumerate(categories)}


def _check(levels: Sequence[int], index: Mapping[int, int]) -> None:
    for level in levels:
        if level not in index:
            raise ValueError(f"Level {level!r} is not one of the levels {tuple(index)}.")


def _too_few(n: int, minimum: int) -> Figure | None:
    if n == 0:
        return Figure(None, 0, "No ratings yet, so there is nothing to say.")
    if n < minimum:
        return Figure(None, n, f"Too few ratings to say ({n}; at least {minimum} are needed).")
    return None


def _single_level(n: int, statistic: str) -> Figure:
    return Figure(None, n, f"Every rating is the same level, so {statistic} is undefined.")


def _share(pairs: Sequence[tuple[int, int]], minimum: int, within: int, categories: Sequence[int] = LEVELS) -> Figure:
    index = _index(categories)
    _check([level for pair in pairs for level in pair], index)
    if (short := _too_few(len(pairs), minimum)) is not None:
        return short
    close = sum(1 for rater, reference in pairs if abs(index[rater] - index[reference]) <= within)
    return Figure(close / len(pairs), len(pairs))


def exact_agreement(pairs: Sequence[tuple[int, int]], minimum: int = MIN_PAIRS) -> Figure:
    """Share of pairs where the rater chose the reference level. All pairs at one level: 1.0."""
    return _share(pairs, minimum, within=0)


def within_one_agreement(pairs: Sequence[tuple[int, int]], minimum: int = MIN_PAIRS) -> Figure:
    """Share of pairs where the rater's level is the reference level or next to it."""
    return _share(pairs, minimum, within=1)


def quadratic_weighted_kappa(
    pairs: Sequence[tuple[int, int]], categories: Sequence[int] = LEVELS, minimum: int = MIN_PAIRS
) -> Figure:
    """Cohen's (1968) weighted kappa with quadratic disagreement weights over the ordered categories.

    w_ij = (i - j)^2 / (k - 1)^2 for category positions i, j (Fleiss & Cohen 1973); O is the observed
    share table, E = outer product of the two marginal shares; kappa_w = 1 - sum(w*O) / sum(w*E).
    Perfect agreement using two or more levels: 1.0. Every rating (rater's and reference) the same level:
    sum(w*E) = 0, kappa is 0/0, so the value is None with a reason (exact agreement is still 1.0).
    A rater who always gives one level against varied references is not undefined: that is kappa 0.

    Written by hand: scikit-learn's cohen_kappa_score(weights="quadratic") would pull in scikit-learn and
    SciPy (about 100 MB) for this one formula.
    """
    index = _index(categories)
    _check([level for pair in pairs for level in pair], index)
    n = len(pairs)
    if (short := _too_few(n, minimum)) is not None:
        return short
    k = len(categories)
    observed = [[0] * k for _ in range(k)]
    for rater, reference in pairs:
        observed[index[rater]][index[reference]] += 1
    rows = [sum(row) for row in observed]
    columns = [sum(row[j] for row in observed) for j in range(k)]
    disagreement_observed = 0.0
    disagreement_expected = 0.0
    for i in range(k):
        for j in range(k):
            weight = (i - j) ** 2 / (k - 1) ** 2
            disagreement_observed += weight * observed[i][j] / n
            disagreement_expected += weight * rows[i] * columns[j] / (n * n)
    if disagreement_expected == 0:
        return _single_level(n, "kappa")
    return Figure(1 - disagreement_observed / disagreement_expected, n)


def krippendorff_alpha_ordinal(
    units: Mapping[Hashable, Sequence[int]], categories: Sequence[int] = LEVELS, minimum: int = MIN_PAIRS
) -> Figure:
    """Krippendorff's alpha with the ordinal difference function (Krippendorff 2011).

    units maps a unit (e.g. (exemplar id, key question id)) to the levels its coders gave; a missing
    rating is simply absent. Units with fewer than two values are not pairable and are ignored; n is the
    number of pairable values. alpha = 1 - D_o / D_e over the coincidence matrix.
    Perfect agreement using two or more levels: 1.0. Every pairable value the same level: D_e = 0, alpha
    is 0/0, so the value is None with a reason. No pairable units, or fewer than `minimum` pairable
    values: too few to say.

    Computed by the `krippendorff` package from its value_counts form (units x levels: how many coders
    gave each level to each unit), which is what a units mapping holds: alpha depends only on those
    counts, not on which coder gave which value. Its own edge behaviour is wrapped: with no pairable unit
    it raises ValueError, and with a single level it divides 0 by 0 (a numpy warning, then nan).
    """
    index = _index(categories)
    _check([level for values in units.values() for level in values], index)
    counts = []
    for values in units.values():
        if len(values) >= 2:
            row = [0] * len(categories)
            for level in values:
                row[index[level]] += 1
            counts.append(row)
    n = sum(sum(row) for row in counts)
    if (short := _too_few(n, minimum)) is not None:
        return short
    if sum(1 for column in zip(*counts, strict=True) if any(column)) < 2:
        return _single_level(n, "alpha")
    value = krippendorff.alpha(
        value_counts=np.array(counts), value_domain=list(categories), level_of_measurement="ordinal"
    )
    return Figure(float(value), n)
