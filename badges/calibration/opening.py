"""Opening an exemplar set for calibration, and its rounds.

Opening checks that the set is complete (at least two exemplars, each anchored on every key question,
with an overall level and a rationale), naming every problem at once; it then freezes the set
(opened_at) and opens its first round. Later rounds of the same set are opened and closed here too.
Each operation takes the acting curator, is audited on the set and only flushes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..base import InvalidInput, StateConflict, clean_text_into
from ..extensions import db
from ..models import CalibrationRating, CalibrationRound, ExemplarSet, User, utcnow
from .key_questions import set_indicators
from .sets import lock, record_change, require_curator, require_draft

MIN_EXEMPLARS = 2
ROUND_TITLE_MAX = 200


def raters_count(calibration_round: CalibrationRound) -> int:
    """How many validators have rated anything in the round."""
    return (
        db.session.scalar(
            select(func.count(func.distinct(CalibrationRating.validator_id))).where(
                CalibrationRating.round_id == calibration_round.id
            )
        )
        or 0
    )


def opening_problems(exemplar_set: ExemplarSet) -> list[str]:
    """Everything that stops the set from opening, each named; empty when it may open."""
    problems = []
    indicators = set_indicators(exemplar_set)
    if not indicators:
        problems.append(f"{exemplar_set.domain.name} has no key questions for {exemplar_set.role.name}.")
    count = len(exemplar_set.exemplars)
    if count < MIN_EXEMPLARS:
        problems.append(f"A set needs at least {MIN_EXEMPLARS} exemplars to open; it has {count}.")
    for exemplar in exemplar_set.exemplars:
        anchored = exemplar.anchor_levels
        missing = [ind.code for ind in indicators if ind.id not in anchored]
        if missing:
            problems.append(f"“{exemplar.title}” has no anchor level for key question {', '.join(missing)}.")
        if exemplar.anchor_level is None:
            problems.append(f"“{exemplar.title}” has no overall anchor level.")
        if not (exemplar.rationale or "").strip():
            problems.append(f"“{exemplar.title}” has no rationale (validators read it after rating).")
    return problems


def _round_title(title: Any) -> str:
    errors: dict[str, list[str]] = {}
    cleaned = " ".join(
        clean_text_into(
            errors, title, field="round_title", label="The round's title", max_length=ROUND_TITLE_MAX
        ).split()
    )
    if not cleaned and not errors:
        errors["round_title"] = ["Give the round a title, such as “Autumn calibration”."]
    if errors:
        raise InvalidInput(errors)
    return cleaned


def open_set(actor: User, exemplar_set: ExemplarSet, round_title: Any) -> CalibrationRound:
    """Freeze a complete draft and open its first round; refused with every problem listed."""
    require_curator(actor, exemplar_set)
    require_draft(lock(exemplar_set))
    errors: dict[str, list[str]] = {}
    problems = opening_problems(exemplar_set)
    if problems:
        errors["exemplars"] = problems
    try:
        title = _round_title(round_title)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    exemplar_set.opened_at = utcnow()
    record_change(
        actor, exemplar_set, "set_opened", f"Exemplar set “{exemplar_set.title}” opened; its anchors are frozen."
    )
    return _new_round(actor, exemplar_set, title)


def open_round(actor: User, exemplar_set: ExemplarSet, title: Any) -> CalibrationRound:
    """Another round of an opened set (validators who rated it before have seen its anchors, so the
    rounds module offers them nothing to rate again); refused while one is still open."""
    require_curator(actor, exemplar_set)
    lock(exemplar_set)
    if exemplar_set.opened_at is None:
        raise StateConflict("Open the set first: that checks its anchors and opens its first round.")
    still_open = [r for r in exemplar_set.rounds if r.closed_at is None]
    if still_open:
        raise StateConflict(f"Round “{still_open[0].title}” is still open; close it before opening another.")
    return _new_round(actor, exemplar_set, _round_title(title))


def close_round(actor: User, calibration_round: CalibrationRound) -> CalibrationRound:
    exemplar_set = calibration_round.exemplar_set
    require_curator(actor, exemplar_set)
    lock(exemplar_set)
    db.session.refresh(calibration_round)
    if calibration_round.closed_at is not None:
        raise StateConflict(f"Round “{calibration_round.title}” is already closed.")
    calibration_round.closed_at = utcnow()
    db.session.flush()
    record_change(
        actor,
        exemplar_set,
        "round_closed",
        f"Calibration round “{calibration_round.title}” of “{exemplar_set.title}” closed.",
    )
    return calibration_round


def _new_round(actor: User, exemplar_set: ExemplarSet, title: str) -> CalibrationRound:
    calibration_round = CalibrationRound(exemplar_set=exemplar_set, title=title, opened_by=actor)
    db.session.add(calibration_round)
    db.session.flush()
    record_change(actor, exemplar_set, "round_opened", f"Calibration round “{title}” of “{exemplar_set.title}” opened.")
    return calibration_round
