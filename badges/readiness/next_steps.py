"""Next steps for one domain: who is ready for support, and who could coach them.

Ready for support: a badge in force at level 1 or 2 (Explorer or Novice in the shipped framework; each
version names its own levels); or a self-assessment at level 1 or 2 by someone who chose to share their
self-assessment by name (User.shares_self_assessment); or an open goal in the domain that asks for
support. Self-assessment exists for honest growth, so the others who rated themselves low are only
counted, under the small-cell rule, and their level never leaves the database: the query hands back a
flag, not the level.

Coaches: people with a badge in force at level 4 in the domain (the shipped scale says an Expert "can
support my peers"), from the leader's district only: same school first, then the rest of the district.

Three statements whatever the district's size: the framework, the standings of the domain (ready
and coaches together), the open goals asking for support.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from ..base import InvalidInput
from ..extensions import db
from ..models import (
    DISTRICT_OFFICE,
    Domain,
    Goal,
    GoalStatus,
    ReadinessStanding,
    School,
    User,
    utcnow,
)
from ..permissions import ReadinessScope
from .dashboard import validated_level
from .figures import describes_too_few
from .report import DEFAULT_MIN_CELL
from .shape import FrameworkShape, district_shape

LOW_LEVELS = (1, 2)
EXPERT = 4
OPEN_GOALS = tuple(status for status in GoalStatus if status not in (GoalStatus.ACHIEVED, GoalStatus.SET_ASIDE))


@dataclass
class ReadyPerson:
    user_id: int
    name: str
    school_key: int
    school_name: str
    role_name: str
    validated_level: int | None  # badge in force in the domain
    shared_self_level: int | None  # only for people who share their self-assessment by name
    support_asked: list[str] = field(default_factory=list)  # what their open goals in the domain ask for
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Coach:
    user_id: int
    name: str
    school_key: int
    school_name: str
    role_name: str
    same_school: bool  # works in the school of the people to support (or of most of them)


@dataclass
class NextSteps:
    shape: FrameworkShape
    domain_code: str
    domain_name: str
    school_key: int | None
    role: str | None
    min_cell: int
    ready: list[ReadyPerson]
    # Others in the filter who self-assessed at level 1 or 2 but keep it private: a count only,
    # None when it would describe 1..min_cell-1 people ("fewer than N").
    private_low: int | None
    coaches: list[Coach]

    @property
    def schools(self) -> list[tuple[int, str]]:
        """The schools of the people listed, for grouping."""
        return sorted({(p.school_key, p.school_name) for p in self.ready}, key=lambda s: s[1])


def school_in_scope(scope: ReadinessScope, school_key: int) -> bool:
    """A school filter the scope's leader may use: a school of their district (or its office), theirs if
    they lead a school. Another district's school is refused like a made-up one."""
    if not scope.covers_school(school_key):
        return False
    if school_key == DISTRICT_OFFICE:
        return True
    found = db.session.scalar(select(School.id).where(School.id == school_key, School.district_id == scope.district_id))
    return found is not None


def _school_name(name: str | None) -> str:
    return name or "District office"


def next_steps(
    scope: ReadinessScope,
    domain_code: str,
    school_key: int | None = None,
    role: str | None = None,
    now: datetime | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
) -> NextSteps:
    """The ready list and coaches for a domain, within the scope (school and role filters optional).
    A school outside the scope, or an unknown domain or role, is refused naming the field."""
    now = now or utcnow()
    shape = district_shape(scope.district_id)
    if shape is None:
        raise InvalidInput("Your district has not chosen a competency framework yet.")
    errors: dict[str, list[str]] = {}
    if not shape.has_domain(domain_code):
        errors["domain"] = ["Choose a domain of your district's framework."]
    if role is not None and not shape.has_role(role):
        errors["role"] = ["Choose a professional role of your district's framework, or every role."]
    if school_key is not None and not school_in_scope(scope, school_key):
        errors["school"] = ["Choose a school you lead."]
    if errors:
        raise InvalidInput(errors)
    if scope.school_id is not None:
        school_key = scope.school_id

    s = ReadinessStanding
    level = validated_level(now)
    low_self = s.self_level.in_(LOW_LEVELS)
    rows = db.session.execute(
        select(
            s.user_id,
            User.name,
            s.school_key,
            School.name.label("school_name"),
            s.professional_role,
            level.label("validated"),
            case((User.shares_self_assessment.is_(True), s.self_level), else_=None).label("shared_self"),
            and_(low_self, User.shares_self_assessment.is_(False)).label("private_low"),
        )
        .join(User, User.id == s.user_id)
        .outerjoin(School, School.id == User.school_id)
        .where(
            s.district_id == scope.district_id,
            s.domain_code == domain_code,
            User.active.is_(True),
            or_(level.in_((*LOW_LEVELS, EXPERT)), low_self),
        )
        .order_by(User.name, s.user_id)
    ).all()

    def in_filter(key: int, role_code: str | None) -> bool:
        return (school_key is None or key == school_key) and role in (None, role_code)

    ready: dict[int, ReadyPerson] = {}
    private: set[int] = set()
    experts = []
    for row in rows:
        if row.validated == EXPERT:
            experts.append(row)
        if not in_filter(row.school_key, row.professional_role):
            continue
        shared = row.shared_self if row.shared_self in LOW_LEVELS else None
        if row.validated in LOW_LEVELS or shared is not None:
            person = ready[row.user_id] = ReadyPerson(
                row.user_id,
                row.name,
                row.school_key,
                _school_name(row.school_name),
                shape.role_name(row.professional_role),
                row.validated,
                row.shared_self,
            )
            if row.validated in LOW_LEVELS:
                person.reasons.append(f"Badge in force: {shape.level_name(row.validated)}")
            if shared is not None:
                person.reasons.append(f"Self-assessed {shape.level_name(shared)} (shared by name)")
        if row.private_low:
            private.add(row.user_id)

    for goal_row in _goals_asking_support(scope, shape, domain_code):
        if not in_filter(goal_row.school_key, goal_row.professional_role):
            continue
        asking = ready.get(goal_row.user_id)
        if asking is None:
            asking = ready[goal_row.user_id] = ReadyPerson(
                goal_row.user_id,
                goal_row.name,
                goal_row.school_key,
                _school_name(goal_row.school_name),
                shape.role_name(goal_row.professional_role),
                None,
                None,
            )
        if not asking.support_asked:
            asking.reasons.append("Open goal asks for support")
        asking.support_asked.append(goal_row.support_needed)

    listed = sorted(ready.values(), key=lambda p: (p.school_name, p.name, p.user_id))
    hidden_count = len(private - ready.keys())
    coaches = _coaches(experts, shape, school_key, listed)
    return NextSteps(
        shape,
        domain_code,
        shape.domain_name(domain_code),
        school_key,
        role,
        min_cell,
        listed,
        None if describes_too_few(hidden_count, min_cell) else hidden_count,
        coaches,
    )


def _goals_asking_support(scope: ReadinessScope, shape: FrameworkShape, domain_code: str) -> list:
    """Open goals in the domain, by active staff of the scope, whose "what support I need" is filled in."""
    school_key = func.coalesce(User.school_id, DISTRICT_OFFICE).label("school_key")
    query = (
        select(
            Goal.user_id,
            User.name,
            school_key,
            School.name.label("school_name"),
            User.professional_role,
            Goal.support_needed,
        )
        .join(Domain, Domain.id == Goal.domain_id)
        .join(User, User.id == Goal.user_id)
        .outerjoin(School, School.id == User.school_id)
        .where(
            Domain.framework_id == shape.framework_id,
            Domain.code == domain_code,
            User.district_id == scope.district_id,
            User.active.is_(True),
            Goal.status.in_(OPEN_GOALS),
            func.length(func.trim(Goal.support_needed)) > 0,
        )
        .order_by(Goal.target_date, Goal.id)
    )
    if scope.school_id is not None:
        query = query.where(User.school_id == scope.school_id)
    return list(db.session.execute(query))


def _coaches(experts: list, shape: FrameworkShape, school_key: int | None, ready: list[ReadyPerson]) -> list[Coach]:
    """Nearest first: the filtered school (or, for the whole district, the schools with the most people
    to support), then the rest of the district, by name."""
    listed = {person.user_id for person in ready}
    if school_key is not None:
        weight: Counter[int] = Counter({school_key: 1})
    else:
        weight = Counter(person.school_key for person in ready)
    chosen = [row for row in experts if row.user_id not in listed]
    chosen.sort(key=lambda row: (-weight[row.school_key], _school_name(row.school_name), row.name, row.user_id))
    return [
        Coach(
            row.user_id,
            row.name,
            row.school_key,
            _school_name(row.school_name),
            shape.role_name(row.professional_role),
            weight[row.school_key] > 0,
        )
        for row in chosen
    ]
