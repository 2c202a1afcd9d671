"""Training cohorts: a named group a leader forms for one domain, with a start date and perhaps a coach.

Members are active staff inside the leader's scope (a school leader's own school); the coach is an
active member of the district's staff (the next steps suggest Experts, nearest first, and a school
leader may ask one from another school of the district), never also a member. A cohort formed by a
school leader belongs to their school, so only they and the district's leaders see it; members see
their cohorts on their home page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit
from ..base import InvalidInput, clean_text_into, parse_id
from ..extensions import db
from ..models import Cohort, CohortMember, District, Domain, User
from ..permissions import ReadinessScope
from .shape import district_shape

NAME_MAX = 200
NOTES_MAX = 5000
MAX_MEMBERS = 500


@dataclass(frozen=True)
class MemberCohort:
    """A cohort as its member reads it on their home page."""

    cohort: Cohort
    domain_name: str


def cohort_in_scope(scope: ReadinessScope, cohort: Cohort) -> bool:
    if cohort.district_id != scope.district_id:
        return False
    return scope.whole_district or cohort.school_id == scope.school_id


def _ids(errors: dict[str, list[str]], values: Iterable[Any]) -> list[int]:
    ids = []
    for value in values:
        number = parse_id(value)
        if number is None:
            errors.setdefault("members", []).append("Choose members from the list.")
            return []
        if number not in ids:
            ids.append(number)
    return ids


def create_cohort(
    actor: User,
    scope: ReadinessScope,
    name: Any,
    domain_code: Any,
    starts_on: Any,
    member_ids: Iterable[Any],
    coach_id: Any = None,
    notes: Any = "",
) -> Cohort:
    errors: dict[str, list[str]] = {}
    name = clean_text_into(errors, name, field="name", label="The cohort's name", max_length=NAME_MAX)
    if not name and "name" not in errors:
        errors["name"] = ["Give the cohort a name."]
    notes = clean_text_into(errors, notes, field="notes", label="Notes", max_length=NOTES_MAX, multiline=True)
    shape = district_shape(scope.district_id)
    if shape is None:
        raise InvalidInput("Your district has not chosen a competency framework yet.")
    if not isinstance(domain_code, str) or not shape.has_domain(domain_code):
        errors["domain"] = ["Choose a domain of your district's framework."]
    if not isinstance(starts_on, date) or isinstance(starts_on, datetime):
        errors["starts_on"] = ["Give the date the cohort starts, as a date."]
    if isinstance(member_ids, (str, bytes)) or not isinstance(member_ids, Iterable):
        member_ids = [member_ids]
    wanted = _ids(errors, member_ids)
    if not wanted and "members" not in errors:
        errors["members"] = ["Choose at least one member."]
    elif len(wanted) > MAX_MEMBERS:
        errors["members"] = [f"A cohort can have at most {MAX_MEMBERS} members."]
        wanted = []
    coach_number = None
    if coach_id not in (None, ""):
        coach_number = parse_id(coach_id)
        if coach_number is None:
            errors["coach"] = ["Choose a coach from the list, or none."]
        elif coach_number in wanted:
            errors["coach"] = ["The coach cannot also be a member of the cohort."]
    people = _staff(scope, [*wanted, *([coach_number] if coach_number else [])])
    outside = [number for number in wanted if number not in people or not _in_scope(scope, people[number])]
    if outside:
        errors.setdefault("members", []).append(
            f"These are not active staff you lead: {', '.join(str(n) for n in outside)}."
        )
    coach = people.get(coach_number) if coach_number else None
    if coach_number and "coach" not in errors and coach is None:
        errors["coach"] = ["The coach must be an active member of your district's staff."]
    if errors:
        raise InvalidInput(errors)
    cohort = Cohort(
        district_id=scope.district_id,
        school_id=scope.school_id,
        name=name,
        domain_code=domain_code,
        starts_on=starts_on,
        notes=notes,
        coach=coach,
        created_by_id=actor.id,
        members=[CohortMember(user_id=number) for number in wanted],
    )
    db.session.add(cohort)
    db.session.flush()
    audit.record(
        scope.district_id,
        actor,
        "readiness.cohort_formed",
        cohort,
        f"Cohort “{name}” formed for {shape.domain_name(domain_code)}, starting {starts_on.isoformat()}, "
        f"with {len(wanted)} member(s){f'; coach {coach.name}' if coach else ''}.",
    )
    return cohort


def _staff(scope: ReadinessScope, ids: list[int]) -> dict[int, User]:
    """The active people of the scope's district among `ids` (one statement)."""
    if not ids:
        return {}
    found = db.session.scalars(
        select(User).where(User.id.in_(ids), User.district_id == scope.district_id, User.active.is_(True))
    )
    return {user.id: user for user in found}


def _in_scope(scope: ReadinessScope, user: User) -> bool:
    return scope.whole_district or user.school_id == scope.school_id


def delete_cohort(actor: User, scope: ReadinessScope, cohort: Cohort) -> None:
    if not cohort_in_scope(scope, cohort):
        raise PermissionError(f"{actor!r} cannot delete cohort {cohort.id}")
    audit.record(scope.district_id, actor, "readiness.cohort_deleted", cohort, f"Cohort “{cohort.name}” deleted.")
    db.session.delete(cohort)
    db.session.flush()


def list_cohorts(scope: ReadinessScope) -> list[Cohort]:
    """The scope's cohorts, soonest start first, with members and coach loaded (three statements)."""
    query = (
        select(Cohort)
        .where(Cohort.district_id == scope.district_id)
        .options(selectinload(Cohort.members).selectinload(CohortMember.user), selectinload(Cohort.coach))
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    if scope.school_id is not None:
        query = query.where(Cohort.school_id == scope.school_id)
    return list(db.session.scalars(query))


def domain_names(district_id: int) -> dict[str, str]:
    shape = district_shape(district_id)
    return dict(shape.domains) if shape else {}


def cohorts_of(member: User) -> list[MemberCohort]:
    """The cohorts a person belongs to, newest start first, with their domain's name and the coach."""
    rows = db.session.execute(
        select(Cohort, Domain.name)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .join(District, District.id == Cohort.district_id)
        .outerjoin(Domain, (Domain.framework_id == District.framework_id) & (Domain.code == Cohort.domain_code))
        .where(CohortMember.user_id == member.id)
        .options(selectinload(Cohort.coach))
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    return [MemberCohort(cohort, domain_name or cohort.domain_code) for cohort, domain_name in rows]
