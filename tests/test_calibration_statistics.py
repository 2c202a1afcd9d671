"""The calibration statistics against published worked values, hand counts, their edge cases, and properties
that hold for any ratings."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badges.calibration.statistics import (
    LEVELS,
    MIN_PAIRS,
    Figure,
    exact_agreement,
    krippendorff_alpha_ordinal,
    quadratic_weighted_kappa,
    within_one_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", https://repository.upenn.edu/asc_papers/43,
# the worked example with any number of observers and missing values: 4 observers x 12 units, values 1..5,
# None = not rated.
# The same matrix is the example in the kalpha Stata help (SSC) and in the krippendorff package's doctests.
# Unit 12 has one value only, so it is not pairable, leaving 40 pairable values.
# Published: alpha nominal 0.743, ordinal 0.815, interval 0.849.
NA = None
KRIPPENDORFF_2011 = (
    (1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA),  # observer A
    (1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3),  # observer B
    (NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA),  # observer C
    (1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA),  # observer D
)


def _units(rows: tuple[tuple[int | None, ...], ...]) -> dict[int, list[int]]:
    return {u: [value for row in rows if (value := row[u]) is not None] for u in range(len(rows[0]))}


def _table_pairs(table: list[list[int]]) -> list[tuple[int, int]]:
    """A contingency table (rows: first rater, columns: second) as pairs of 1-based category numbers."""
    return [(i + 1, j + 1) for i, row in enumerate(table) for j, count in enumerate(row) for _ in range(count)]


def test_alpha_ordinal_reproduces_krippendorff_2011() -> None:
    figure = krippendorff_alpha_ordinal(_units(KRIPPENDORFF_2011), categories=(1, 2, 3, 4, 5))
    assert figure.value is not None
    assert round(figure.value, 3) == 0.815
    assert figure.n == 40
    assert figure.reason is None


def test_alpha_binary_two_observers_reproduces_krippendorff_2004() -> None:
    # Krippendorff (2004), Content Analysis, 2nd ed., section 11.3.1: two observers (Jon, Han), ten articles,
    # binary judgements (data as in the R package jucor/krippendorff, data-raw/news_presence_...csv).
    # Published alpha = 0.095. With two values the ordinal and nominal differences coincide.
    jon = (1, 1, 0, 0, 0, 0, 0, 0, 0, 0)
    han = (0, 1, 1, 0, 0, 1, 0, 1, 0, 0)
    figure = krippendorff_alpha_ordinal({u: [jon[u], han[u]] for u in range(10)}, categories=(0, 1))
    assert figure.value is not None
    assert round(figure.value, 3) == 0.095
    assert figure.n == 20


def test_kappa_reproduces_gwet_abstractors_table() -> None:
    # The irrCAC R package (K. L. Gwet, companion to his Handbook of Inter-Rater Reliability, 4th ed., 2014),
    # dataset cont3x3abstractors: 100 abstracts, Ectopic / AIU / NIU, two abstractors. Published in its
    # kappa2.table help example output (https://rdrr.io/cran/irrCAC/man/kappa2.table.html): kappa with
    # quadratic weights 0.8921569; its README prints percent agreement 0.89 (unweighted kappa 0.7964094).
    pairs = _table_pairs([[13, 0, 0], [0, 20, 7], [0, 4, 56]])
    figure = quadratic_weighted_kappa(pairs, categories=(1, 2, 3))
    assert figure.value is not None
    assert round(figure.value, 7) == 0.8921569
    assert figure.n == 100
    assert exact_agreement(pairs) == Figure(0.89, 100)


def test_kappa_reproduces_maple_essaytools_examples() -> None:
    # Maplesoft, Maple help, EssayTools[QuadraticWeightedKappa], examples 1 and 2 (essay scores; Min and Max
    # taken from the data, so the scale is 1..10): https://www.maplesoft.com/support/help/maple/view.aspx?
    # path=EssayTools/QuadraticWeightedKappa. Published: 0.758620689655172 and 0.438095238095238.
    first = (9, 7, 8, 7, 6, 8, 3, 5, 10)
    scale = tuple(range(1, 11))
    one = quadratic_weighted_kappa(list(zip(first, (8, 8, 6, 6, 7, 6, 1, 4, 8), strict=True)), categories=scale)
    two = quadratic_weighted_kappa(list(zip(first, (3, 5, 6, 6, 7, 6, 1, 4, 8), strict=True)), categories=scale)
    assert one.value == pytest.approx(0.758620689655172, abs=1e-12)
    assert two.value == pytest.approx(0.438095238095238, abs=1e-12)


def test_kappa_reproduces_r_metrics_example() -> None:
    # R package Metrics, ScoreQuadraticWeightedKappa help example, scale 1..5; published output 0.56
    # (https://rdrr.io/cran/Metrics/man/ScoreQuadraticWeightedKappa.html).
    pairs = list(zip((1, 4, 5, 5, 2, 1), (2, 2, 4, 5, 3, 3), strict=True))
    figure = quadratic_weighted_kappa(pairs, categories=(1, 2, 3, 4, 5))
    assert figure.value is not None
    assert round(figure.value, 3) == 0.560


def test_agreement_hand_counted() -> None:
    # Exact: (2,2) (3,3) (4,4) agree, 3 of 7. Within one: add (1,2) (3,2) (4,3), 6 of 7; (1,4) is three apart.
    pairs = [(2, 2), (3, 3), (4, 4), (1, 2), (3, 2), (4, 3), (1, 4)]
    exact = exact_agreement(pairs)
    within = within_one_agreement(pairs)
    assert exact == Figure(3 / 7, 7)
    assert exact.percent == 43
    assert within == Figure(6 / 7, 7)
    assert within.percent == 86


def test_perfect_agreement() -> None:
    pairs = [(1, 1), (2, 2), (3, 3), (4, 4), (2, 2)]
    assert exact_agreement(pairs).value == 1.0
    assert within_one_agreement(pairs).value == 1.0
    assert quadratic_weighted_kappa(pairs) == Figure(1.0, 5)
    units = {"a": [1, 1, 1], "b": [3, 3], "c": [4, 4]}
    assert krippendorff_alpha_ordinal(units) == Figure(1.0, 7)


def test_a_single_level_throughout_leaves_kappa_and_alpha_undefined() -> None:
    pairs = [(3, 3)] * 6
    assert exact_agreement(pairs) == Figure(1.0, 6)
    assert quadratic_weighted_kappa(pairs) == Figure(None, 6, "Every rating is the same level, so kappa is undefined.")
    assert krippendorff_alpha_ordinal({"a": [2, 2], "b": [2, 2, 2]}) == Figure(
        None, 5, "Every rating is the same level, so alpha is undefined."
    )


def test_a_rater_who_always_gives_one_level_against_varied_references_has_kappa_zero() -> None:
    figure = quadratic_weighted_kappa([(2, 1), (2, 2), (2, 3), (2, 4), (2, 2)])
    assert figure.value == pytest.approx(0.0)


def test_alpha_with_missing_ratings_ignores_units_rated_once() -> None:
    units = {"a": [1, 2], "b": [3, 3, 4], "c": [2], "d": [4, 4]}
    with_lonely = krippendorff_alpha_ordinal(units)
    without = krippendorff_alpha_ordinal({key: values for key, values in units.items() if key != "c"})
    assert with_lonely == without
    assert with_lonely.n == 7


def test_too_few_ratings_to_say() -> None:
    pairs = [(1, 1), (2, 3), (4, 4)]
    reason = "Too few ratings to say (3; at least 5 are needed)."
    for statistic in (exact_agreement, within_one_agreement, quadratic_weighted_kappa):
        assert statistic(pairs) == Figure(None, 3, reason)
    assert exact_agreement(pairs, minimum=3).value == pytest.approx(2 / 3)
    # Alpha counts pairable values: two units of two are four values, one short of MIN_PAIRS.
    assert krippendorff_alpha_ordinal({"a": [1, 2], "b": [3, 3], "c": [4]}) == Figure(
        None, 4, "Too few ratings to say (4; at least 5 are needed)."
    )
    assert MIN_PAIRS == 5


def test_empty_input() -> None:
    empty = Figure(None, 0, "No ratings yet, so there is nothing to say.")
    for statistic in (exact_agreement, within_one_agreement, quadratic_weighted_kappa):
        assert statistic([]) == empty
    assert krippendorff_alpha_ordinal({}) == empty
    # Units exist but none was rated twice: nothing is pairable.
    assert krippendorff_alpha_ordinal({"a": [2], "b": [3]}) == empty
    assert empty.percent is None


@pytest.mark.parametrize(
    "call",
    [
        lambda: exact_agreement([(1, 1), (5, 4)]),
        lambda: within_one_agreement([(0, 1)]),
        lambda: quadratic_weighted_kappa([(2, 2), (3, 5)]),
        lambda: krippendorff_alpha_ordinal({"a": [1, 5]}),
        lambda: krippendorff_alpha_ordinal({"a": [1, 2], "b": [3, 3], "c": [4, 4], "d": [5]}),
    ],
)
def test_a_level_outside_the_categories_raises_naming_it(call: Callable[[], Figure]) -> None:
    with pytest.raises(ValueError, match=r"Level (5|0) is not one of the levels \(1, 2, 3, 4\)"):
        call()


def test_categories_must_be_two_distinct_levels() -> None:
    with pytest.raises(ValueError, match="at least two distinct"):
        quadratic_weighted_kappa([(1, 1)] * 5, categories=(1,))
    with pytest.raises(ValueError, match="at least two distinct"):
        krippendorff_alpha_ordinal({"a": [1, 1]}, categories=(1, 1, 2))


# Properties. Bounded and derandomized so CI is repeatable.
BOUNDED = settings(max_examples=60, deadline=None, derandomize=True, database=None)
level = st.sampled_from(LEVELS)
pairs_strategy = st.lists(st.tuples(level, level), min_size=MIN_PAIRS, max_size=40)


@BOUNDED
@given(st.lists(level, min_size=MIN_PAIRS, max_size=40).filter(lambda levels: len(set(levels)) >= 2))
def test_kappa_of_identical_ratings_using_two_levels_is_one(levels: list[int]) -> None:
    assert quadratic_weighted_kappa([(x, x) for x in levels]).value == 1.0


@BOUNDED
@given(pairs_strategy)
def test_kappa_is_the_moment_identity_and_lies_in_minus_one_to_one(pairs: list[tuple[int, int]]) -> None:
    # With quadratic weights, kappa_w = 2 s_xy / (s_x^2 + s_y^2 + (mean_x - mean_y)^2) (population moments):
    # Cohen (1968) and Fleiss & Cohen (1973); so |kappa_w| <= 1, and it is symmetric in rater and reference.
    figure = quadratic_weighted_kappa(pairs)
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs) / n
    sxx = sum((x - mx) ** 2 for x, _ in pairs) / n
    syy = sum((y - my) ** 2 for _, y in pairs) / n
    denominator = sxx + syy + (mx - my) ** 2
    if denominator == 0:
        assert figure.value is None
        return
    assert figure.value == pytest.approx(2 * sxy / denominator, abs=1e-9)
    assert -1 - 1e-9 <= figure.value <= 1 + 1e-9
    assert quadratic_weighted_kappa([(y, x) for x, y in pairs]).value == pytest.approx(figure.value, abs=1e-9)


@BOUNDED
@given(pairs_strategy)
def test_agreement_shares_are_ordered_shares(pairs: list[tuple[int, int]]) -> None:
    exact = exact_agreement(pairs).value
    within = within_one_agreement(pairs).value
    assert exact is not None and within is not None
    assert 0 <= exact <= within <= 1


@BOUNDED
@given(st.dictionaries(st.integers(0, 30), st.lists(level, min_size=0, max_size=5), max_size=15))
def test_alpha_is_at_most_one_and_says_why_when_it_cannot(units: dict[int, list[int]]) -> None:
    figure = krippendorff_alpha_ordinal(units)
    assert figure.n == sum(len(values) for values in units.values() if len(values) >= 2)
    if figure.value is None:
        assert figure.reason
    else:
        assert math.isfinite(figure.value)
        assert figure.value <= 1 + 1e-9
        assert figure.reason is None


@BOUNDED
@given(
    st.lists(st.tuples(level, st.integers(2, 4)), min_size=3, max_size=10).filter(
        lambda units: len({value for value, _ in units}) >= 2
    )
)
def test_alpha_of_units_each_rated_alike_using_two_levels_is_one(units: list[tuple[int, int]]) -> None:
    figure = krippendorff_alpha_ordinal({u: [value] * coders for u, (value, coders) in enumerate(units)})
    assert figure == Figure(1.0, sum(coders for _, coders in units))
