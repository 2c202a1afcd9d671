"""Building blocks for calibration tests: exemplar sets with anchors, opened rounds and validators' ratings,
made straight from the models so each part's tests need only the models (the domain's own functions are
tested in their own files)."""

from __future__ import annotations

from collections.abc import Mapping

from badges.calibration.key_questions import set_indicators
from badges.extensions import db
from badges.models import (
    CalibrationLevel,
    CalibrationRating,
    CalibrationRound,
    District,
    Exemplar,
    ExemplarAnchor,
    ExemplarSet,
    User,
    utcnow,
)

DOMAIN = "delivery-operations"


def make_set(
    district: District,
    author: User,
    domain_code: str = DOMAIN,
    role_code: str = "teacher",
    anchors: list[int] = (3, 2),  # type: ignore[assignment]
    title: str = "Delivery exemplars",
) -> ExemplarSet:
    """A draft set with one exemplar per anchor level: every key question anchored at that level."""
    framework = district.framework
    domain = next(d for d in framework.domains if d.code == domain_code)
    role = framework.role(role_code)
    assert role is not None
    exemplar_set = ExemplarSet(
        district=district, framework=framework, domain=domain, role=role, title=title, created_by=author
    )
    db.session.add(exemplar_set)
    db.session.flush()
    for position, level in enumerate(anchors, start=1):
        exemplar_set.exemplars.append(
            Exemplar(
                position=position,
                title=f"Exemplar {position}",
                narrative=f"A unit plan that shows level {level}.",
                anchor_level=level,
                rationale=f"Agreed at {level}: the plan paces students by evidence.",
                anchors=[ExemplarAnchor(indicator_id=ind.id, level=level) for ind in set_indicators(exemplar_set)],
            )
        )
    db.session.flush()
    return exemplar_set


def open_round(exemplar_set: ExemplarSet, opener: User, title: str = "Autumn calibration") -> CalibrationRound:
    exemplar_set.opened_at = exemplar_set.opened_at or utcnow()
    calibration_round = CalibrationRound(exemplar_set=exemplar_set, title=title, opened_by=opener)
    db.session.add(calibration_round)
    db.session.flush()
    return calibration_round


def rate(
    validator: User,
    calibration_round: CalibrationRound,
    exemplar: Exemplar,
    levels: int | Mapping[int, int],
    overall: int | None = None,
) -> CalibrationRating:
    """The validator's rating of the exemplar: one level for every key question, or a level per key question id."""
    indicators = set_indicators(calibration_round.exemplar_set)
    by_indicator = {ind.id: levels for ind in indicators} if isinstance(levels, int) else dict(levels)
    rating = CalibrationRating(
        round=calibration_round,
        exemplar=exemplar,
        validator=validator,
        overall_level=overall if overall is not None else round(sum(by_indicator.values()) / len(by_indicator)),
        levels=[CalibrationLevel(indicator_id=i, level=lv) for i, lv in sorted(by_indicator.items())],
    )
    db.session.add(rating)
    db.session.flush()
    return rating
