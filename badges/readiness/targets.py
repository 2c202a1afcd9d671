"""District targets: "75% of teachers at level 3 or above in a domain by a date", set by a leader.

A target is judged against the figures the dashboard shows (badges.readiness.report.measure_target),
so its baseline is taken from the same freshly loaded dashboard data when it is set: "on track"
then compares the progress since that day with the time gone. A school leader's targets are always
for their own school; a district leader's are for the district or one of its schools.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from .. import audit
from ..base import InvalidInput, parse_id, parse_small_int
from ..extensions import db
from ..frameworks.levels import level_name, range_words
from ..models import ReadinessTarget, School, User, utcnow
from ..permissions import ReadinessScope
from .dashboard import load
from .report import current_share

MEASURES = ("validated", "self")


def target_in_scope(scope: ReadinessScope, target: ReadinessTarget) -> bool:
    """Whether the scope's leader may change or delete the target: a district leader every target of
    their district; a school leader only their school's (the district's own targets they only read)."""
    if target.district_id != scope.district_id:
        return False
    return scope.whole_district or target.school_id == scope.school_id


def _school(errors: dict[str, list[str]], scope: ReadinessScope, school_id: Any) -> int | None:
    if scope.school_id is not None:  # a school leader's target is for their school, whatever was sent
        if school_id not in (None, "", scope.school_id) and parse_id(school_id) != scope.school_id:
            errors["school"] = ["You can set targets for your own school only."]
        return scope.school_id
    if school_id in (None, ""):
        return None
    number = parse_id(school_id)
    found = (
        db.session.scalar(select(School.id).where(School.id == number, School.district_id == scope.district_id))
        if number is not None
        else None
    )
    if found is None:
        errors["school"] = ["Choose a school of your district, or the whole district."]
    return found


def create_target(
    actor: User,
    scope: ReadinessScope,
    domain_code: Any,
    share_percent: Any,
    due_on: Any,
    professional_role: Any = None,
    school_id: Any = None,
    min_level: Any = 3,
    measure: Any = "validated",
    today: date | None = None,
) -> ReadinessTarget:
    """Check every field (all problems at once, by field), then add the target with its baseline."""
    today = today or utcnow().date()
    data = load(scope)
    shape = data.shape
    errors: dict[str, list[str]] = {}
    if shape is None:
        raise InvalidInput("Your district has not chosen a competency framework yet.")
    if not isinstance(domain_code, str) or not shape.has_domain(domain_code):
        errors["domain"] = ["Choose a domain of your district's framework."]
    role = professional_role or None
    if role is not None and (not isinstance(role, str) or not shape.has_role(role)):
        errors["professional_role"] = ["Choose a professional role of your district's framework, or every role."]
    share = parse_small_int(share_percent, 1, 100)
    if share is None:
        errors["share_percent"] = ["The share is a whole number of percent from 1 to 100."]
    level = parse_small_int(min_level, 1, 4)
    if level is None:
        errors["min_level"] = [f"Choose a level from {range_words(shape.level_names)}."]
    if not isinstance(due_on, date) or isinstance(due_on, datetime):
        errors["due_on"] = ["Give the date the target is due, as a date."]
    elif due_on <= today:
        errors["due_on"] = ["The due date must be in the future."]
    if measure not in MEASURES:
        errors["measure"] = ["The measure is validated (badges in force) or self (self-assessed)."]
    school = _school(errors, scope, school_id)
    if errors:
        raise InvalidInput(errors)
    target = ReadinessTarget(
        district_id=scope.district_id,
        school_id=school,
        professional_role=role,
        domain_code=domain_code,
        measure=measure,
        min_level=level,
        share_percent=share,
        due_on=due_on,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    target.baseline_percent = current_share(data, target)
    db.session.add(target)
    db.session.flush()
    audit.record(
        scope.district_id,
        actor,
        "readiness.target_set",
        target,
        f"Target set: "
        f"{describe(target, shape.domain_name(target.domain_code), shape.role_name(role), shape.level_names)}"
        f"{'' if school is None else f' (school {school})'}; now {target.baseline_percent}%.",
    )
    return target


def delete_target(actor: User, scope: ReadinessScope, target: ReadinessTarget) -> None:
    if not target_in_scope(scope, target):
        raise PermissionError(f"{actor!r} cannot delete target {target.id}")
    audit.record(
        scope.district_id,
        actor,
        "readiness.target_deleted",
        target,
        f"Target deleted: {target.share_percent}% in {target.domain_code} by {target.due_on.isoformat()}.",
    )
    db.session.delete(target)
    db.session.flush()


def describe(target: ReadinessTarget, domain_name: str, role_name: str, level_names: dict[int, str]) -> str:
    """The target as a sentence: "75% of teachers at Experienced or above (badges in force) in ... by ...",
    naming the level as the district's framework does."""
    measure = "badges in force" if target.measure == "validated" else "self-assessed"
    return (
        f"{target.share_percent}% of {role_name.lower()} at {level_name(level_names, target.min_level)} or above "
        f"({measure}) in {domain_name} by {target.due_on.isoformat()}"
    )
