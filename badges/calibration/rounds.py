"""Calibration rounds as a validator takes part: rating exemplars blind, then seeing the anchors.

The blind rule: an exemplar's anchors (per key question and overall) and its rationale reach a
validator only through `reveal`, which answers None until they have rated it. Pages and the API
show anchors from a reveal and from nothing else, so no view can show them early by mistake.

A rating is checked exactly as a real review's ratings are (badges.validation.ratings), is final
once made (a validator rates an exemplar once, ever: the unique key backs this up when two posts
race), and is audited as "calibration.rated".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..base import InvalidInput, StateConflict, clean_text_into, parse_id, parse_small_int
from ..extensions import db
from ..frameworks.levels import level_names, numbered_range
from ..models import (
    CalibrationLevel,
    CalibrationRating,
    CalibrationRound,
    Domain,
    Exemplar,
    ExemplarSet,
    Indicator,
    Level,
    ProfessionalRole,
    SystemRole,
    User,
)
from ..people.scope import scope_of
from ..permissions import can_rate_round
from ..validation.claims import _flush_or_conflict
from ..validation.ratings import check_ratings, unrated
from ..visibility import ROUND_TO_RATE, find_visible
from .key_questions import set_indicators
from .statistics import Figure, exact_agreement, within_one_agreement

NOTE_MAX = 5000


@dataclass(frozen=True)
class RoundProgress:
    """A round and how far this validator is through its exemplars."""

    round: CalibrationRound
    rated: int
    total: int

    @property
    def finished(self) -> bool:
        return self.total > 0 and self.rated >= self.total


@dataclass(frozen=True)
class MyRounds:
    open: list[RoundProgress]  # open rounds with exemplars still to rate, oldest first
    finished: list[RoundProgress]  # rounds rated through, and closed rounds taken part in, newest first


def _rated_by(validator: User, set_ids: list[int]) -> dict[int, int]:
    """Set id -> how many of its exemplars the validator has rated (in any round: a rating is once ever)."""
    if not set_ids:
        return {}
    rows = db.session.execute(
        select(Exemplar.set_id, func.count(CalibrationRating.id))
        .join(CalibrationRating, CalibrationRating.exemplar_id == Exemplar.id)
        .where(CalibrationRating.validator_id == validator.id, Exemplar.set_id.in_(set_ids))
        .group_by(Exemplar.set_id)
    )
    return {set_id: count for set_id, count in rows}


def rounds_for(validator: User) -> MyRounds:
    """The rounds this validator takes part in: their district's, the set's domain and professional
    role inside their scope, never a set they curate (badges.permissions.can_rate_round); with their
    progress through each."""
    scope = scope_of(validator)
    if not validator.has_role(SystemRole.VALIDATOR) or not (scope.domain_codes and scope.role_codes):
        return MyRounds([], [])
    found = list(
        db.session.scalars(
            select(CalibrationRound)
            .join(ExemplarSet, CalibrationRound.set_id == ExemplarSet.id)
            .join(Domain, ExemplarSet.domain_id == Domain.id)
            .join(ProfessionalRole, ExemplarSet.role_id == ProfessionalRole.id)
            .where(
                ExemplarSet.district_id == validator.district_id,
                ExemplarSet.created_by_id != validator.id,
                Domain.code.in_(scope.domain_codes),
                ProfessionalRole.code.in_(scope.role_codes),
            )
            .options(selectinload(CalibrationRound.exemplar_set).selectinload(ExemplarSet.exemplars))
            .order_by(CalibrationRound.opened_at, CalibrationRound.id)
        )
    )
    # The query narrows; the permission rule decides (it also leaves out whoever can read the anchors).
    found = [r for r in found if can_rate_round(validator, r)]
    rated = _rated_by(validator, sorted({r.set_id for r in found}))
    progress = [RoundProgress(r, rated.get(r.set_id, 0), len(r.exemplar_set.exemplars)) for r in found]
    return MyRounds(
        open=[p for p in progress if p.round.is_open and not p.finished],
        finished=[p for p in reversed(progress) if p.finished or (not p.round.is_open and p.rated)],
    )


def round_for(validator: User, round_id: object) -> CalibrationRound | None:
    """The round if this validator takes part in it; None otherwise (callers answer 404)."""
    return find_visible(CalibrationRound, round_id, validator, ROUND_TO_RATE)


def exemplar_in(calibration_round: CalibrationRound, exemplar_id: object) -> Exemplar | None:
    """The exemplar of the round's set with this id, or None."""
    number = parse_id(exemplar_id)
    found = db.session.get(Exemplar, number) if number is not None else None
    return found if found is not None and found.set_id == calibration_round.set_id else None


def _rating_of(validator: User, exemplar: Exemplar) -> CalibrationRating | None:
    return db.session.scalar(
        select(CalibrationRating).where(
            CalibrationRating.exemplar_id == exemplar.id, CalibrationRating.validator_id == validator.id
        )
    )


def revealed(validator: User, exemplar: Exemplar) -> bool:
    """Whether the validator may see the exemplar's anchors and rationale: only once they rated it."""
    return _rating_of(validator, exemplar) is not None


def rate_exemplar(
    validator: User,
    calibration_round: CalibrationRound,
    exemplar_id: object,
    ratings: Any,
    overall_level: Any,
    note: Any = "",
) -> CalibrationRating:
    """Record the validator's blind rating of one exemplar of the round: a level 1..4 for every key
    question of the set (`ratings` keyed by key question id, or by code), an overall level, and an
    optional note. Refused with InvalidInput (400, by field) or StateConflict (409: the round is
    closed, or they rated this exemplar already); nothing is recorded then."""
    if not can_rate_round(validator, calibration_round):
        raise PermissionError(f"{validator!r} may not rate in round {calibration_round.id}")
    if not calibration_round.is_open:
        raise StateConflict(
            f"The round “{calibration_round.title}” is closed; it takes no more ratings. Nothing was recorded.",
            "status",
        )
    exemplar = exemplar_in(calibration_round, exemplar_id)
    if exemplar is None:
        raise InvalidInput(f"Exemplar {exemplar_id} is not one of this round’s exemplars.", "exemplar")
    if revealed(validator, exemplar):
        raise StateConflict(_already(exemplar), "status")
    errors: dict[str, list[str]] = {}
    indicators = set_indicators(calibration_round.exemplar_set)
    levels = check_ratings(errors, ratings, indicators, "this exemplar set", codes=True)
    missing = unrated(indicators, levels)
    if missing and "ratings" not in errors:
        errors["ratings"] = [f"Rate every key question: {', '.join(missing)} not rated."]
    overall = parse_small_int(overall_level, 1, 4) if not isinstance(overall_level, float) else None
    if overall is None:
        names = level_names(calibration_round.exemplar_set.framework)
        errors["overall_level"] = [f"Choose an overall level: {numbered_range(names)}."]
    note = clean_text_into(errors, note, field="note", label="The note", max_length=NOTE_MAX, multiline=True)
    if errors or overall is None:
        raise InvalidInput(errors)
    rating = CalibrationRating(
        round=calibration_round,
        exemplar=exemplar,
        validator=validator,
        overall_level=overall,
        note=note,
        levels=[CalibrationLevel(indicator_id=i, level=lv) for i, lv in sorted(levels.items())],
    )
    db.session.add(rating)
    _flush_or_conflict(_already(exemplar))
    audit.record(
        calibration_round.exemplar_set.district_id,
        validator,
        "calibration.rated",
        rating,
        f"{validator.name} rated “{exemplar.title}” in the calibration round “{calibration_round.title}” "
        f"(overall {overall}).",
    )
    return rating


def _already(exemplar: Exemplar) -> str:
    return (
        f"You have already rated “{exemplar.title}”: a rating is final, since you have seen its anchors. "
        "Nothing was recorded."
    )


# -- the reveal and the results -------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """The validator's level beside the anchor, for one key question or overall."""

    mine: int | None
    anchor: int | None

    @property
    def difference(self) -> int | None:
        return None if self.mine is None or self.anchor is None else self.mine - self.anchor

    @property
    def agreement(self) -> str:
        """ "match", "off by one", "off by more", or "no anchor"."""
        if self.difference is None:
            return "no anchor"
        return {0: "match", 1: "off by one"}.get(abs(self.difference), "off by more")


@dataclass(frozen=True)
class KeyQuestionResult(Comparison):
    indicator: Indicator | None = None


@dataclass(frozen=True)
class Reveal:
    """What a validator sees once they rated an exemplar: their levels beside the anchors, the overall
    level beside the anchor's, and the rationale."""

    exemplar: Exemplar
    rating: CalibrationRating
    key_questions: list[KeyQuestionResult]
    overall: Comparison

    @property
    def rationale(self) -> str:
        return self.exemplar.rationale

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """(my level, anchor) per key question with both: the figures are counted from these."""
        return [(kq.mine, kq.anchor) for kq in self.key_questions if kq.mine is not None and kq.anchor is not None]


def _reveal(rating: CalibrationRating, indicators: list[Indicator]) -> Reveal:
    exemplar, mine = rating.exemplar, rating.level_of
    anchors = exemplar.anchor_levels
    return Reveal(
        exemplar=exemplar,
        rating=rating,
        key_questions=[KeyQuestionResult(mine.get(ind.id), anchors.get(ind.id), ind) for ind in indicators],
        overall=Comparison(rating.overall_level, exemplar.anchor_level),
    )


def reveal(validator: User, exemplar: Exemplar) -> Reveal | None:
    """The anchors beside the validator's rating of the exemplar; None until they have rated it."""
    rating = _rating_of(validator, exemplar)
    return None if rating is None else _reveal(rating, set_indicators(exemplar.exemplar_set))


@dataclass(frozen=True)
class ExemplarItem:
    """One exemplar of a round as this validator may see it: `reveal` is None until they rated it."""

    exemplar: Exemplar
    reveal: Reveal | None

    @property
    def rated(self) -> bool:
        return self.reveal is not None


@dataclass(frozen=True)
class RoundView:
    round: CalibrationRound
    key_questions: list[Indicator]
    levels: list[Level]
    items: list[ExemplarItem]

    @property
    def rated(self) -> int:
        return sum(1 for item in self.items if item.rated)

    @property
    def total(self) -> int:
        return len(self.items)

    def next_after(self, exemplar: Exemplar) -> Exemplar | None:
        """The next exemplar still to rate after this one (wrapping round), or None."""
        ids = [item.exemplar.id for item in self.items]
        start = ids.index(exemplar.id) + 1 if exemplar.id in ids else 0
        for item in self.items[start:] + self.items[:start]:
            if not item.rated and item.exemplar.id != exemplar.id:
                return item.exemplar
        return None

    def item(self, exemplar: Exemplar) -> ExemplarItem:
        return next(item for item in self.items if item.exemplar.id == exemplar.id)


def round_view(validator: User, calibration_round: CalibrationRound) -> RoundView:
    """The round's exemplars in order, each with the validator's reveal if they rated it."""
    exemplar_set = calibration_round.exemplar_set
    indicators = set_indicators(exemplar_set)
    ids = [e.id for e in exemplar_set.exemplars]
    mine = {
        rating.exemplar_id: rating
        for rating in db.session.scalars(
            select(CalibrationRating).where(
                CalibrationRating.validator_id == validator.id, CalibrationRating.exemplar_id.in_(ids)
            )
        )
    }
    return RoundView(
        round=calibration_round,
        key_questions=indicators,
        levels=list(exemplar_set.framework.levels),
        items=[
            ExemplarItem(e, _reveal(mine[e.id], indicators) if e.id in mine else None) for e in exemplar_set.exemplars
        ],
    )


@dataclass(frozen=True)
class RoundResults:
    """A validator's agreement with the anchors in one round: per exemplar, and as figures counted
    over every key question rating they made (`ratings`: how many pairs)."""

    round: CalibrationRound
    exemplars: list[Reveal]
    exact: Figure
    within_one: Figure
    overall_exact: Figure  # the overall levels against the anchors' overall levels

    @property
    def ratings(self) -> int:
        return self.exact.n


def my_results(validator: User) -> list[RoundResults]:
    """Per round the validator rated in (newest round first), their levels against the anchors."""
    ratings = list(
        db.session.scalars(
            select(CalibrationRating)
            .where(CalibrationRating.validator_id == validator.id)
            .options(
                selectinload(CalibrationRating.round).selectinload(CalibrationRound.exemplar_set),
                selectinload(CalibrationRating.exemplar).selectinload(Exemplar.anchors),
            )
        )
    )
    by_round: dict[int, list[CalibrationRating]] = defaultdict(list)
    for rating in ratings:
        by_round[rating.round_id].append(rating)
    results = []
    for group in by_round.values():
        calibration_round = group[0].round
        indicators = set_indicators(calibration_round.exemplar_set)
        reveals = [_reveal(r, indicators) for r in sorted(group, key=lambda r: (r.exemplar.position, r.exemplar.id))]
        pairs = [pair for one in reveals for pair in one.pairs]
        overall = [
            (one.overall.mine, one.overall.anchor)
            for one in reveals
            if one.overall.mine is not None and one.overall.anchor is not None
        ]
        results.append(
            RoundResults(
                calibration_round,
                reveals,
                exact_agreement(pairs),
                within_one_agreement(pairs),
                exact_agreement(overall),
            )
        )
    results.sort(key=lambda r: (r.round.opened_at, r.round.id), reverse=True)
    return results


def results_of(validator: User, calibration_round: CalibrationRound) -> RoundResults | None:
    """The validator's results in this one round, or None if they rated nothing in it."""
    return next((r for r in my_results(validator) if r.round.id == calibration_round.id), None)
