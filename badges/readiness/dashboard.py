"""The readiness dashboard: schools x domains, in three SQL statements whatever the district's size.

1. the district's framework and its targets (one outer join);
2. the counts per school, professional role, domain and pair of levels (readiness_counts), corrected
   in the same statement for the few rows whose badges expired since they were counted (so an
   expiry shows the moment it happens, with no write); or, for the trend view, the monthly changes;
3. participation: staff and who has self-assessed, claims awaiting review, badges this term, per
   school and role, as one UNION ALL.
The framework's shape is cached per process (badges.readiness.shape); after a district changes framework,
one more statement names the domains of the earlier one that staff still hold badges or ratings in.
Filters by school and role are applied to the rows in Python, so the targets, which have their own
school and role, use the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Case, ColumnElement, and_, case, func, literal, or_, select, union_all

from ..extensions import db
from ..models import (
    ALL_ROLES,
    ALL_SCHOOLS,
    DISTRICT_OFFICE,
    Award,
    Claim,
    ClaimStatus,
    District,
    Framework,
    ReadinessChange,
    ReadinessCount,
    ReadinessStanding,
    ReadinessTarget,
    School,
    User,
    utcnow,
)
from ..permissions import ReadinessScope
from .figures import Tally
from .shape import FrameworkShape, framework_shape, with_earlier_domains

DEFAULT_TERM_STARTS = ((8, 1), (1, 1))  # (month, day): READINESS_TERM_STARTS's default, 1 Aug and 1 Jan
STALE_CLAIM_DAYS = 14  # claims waiting longer than this are counted apart: they need a validator


@dataclass(frozen=True)
class Filters:
    school_key: int | None = None  # None: every school in scope
    role: str | None = None  # None: every rated role
    view: str = "validated"


@dataclass
class Participation:
    staff: int = 0
    assessed: int = 0  # with a submitted self-assessment
    assessed_this_term: int = 0
    claims_waiting: int = 0
    claims_waiting_long: int = 0  # more than STALE_CLAIM_DAYS
    oldest_claim_at: datetime | None = None
    badges_this_term: int = 0

    def add(self, other: Participation) -> None:
        self.staff += other.staff
        self.assessed += other.assessed
        self.assessed_this_term += other.assessed_this_term
        self.claims_waiting += other.claims_waiting
        self.claims_waiting_long += other.claims_waiting_long
        self.badges_this_term += other.badges_this_term
        if other.oldest_claim_at is not None and (
            self.oldest_claim_at is None or other.oldest_claim_at < self.oldest_claim_at
        ):
            self.oldest_claim_at = other.oldest_claim_at


@dataclass
class DashboardData:
    """Raw tallies for the scope, before filters and the small-cell rule (see badges.readiness.views)."""

    scope: ReadinessScope
    shape: FrameworkShape | None
    now: datetime
    term_start: date
    schools: dict[int, str]  # school key -> name, for the schools with staff in scope
    # (school key, role, domain code) -> tally
    tallies: dict[tuple[int, str, str], Tally] = field(default_factory=dict)
    # (school key, role) -> participation
    participation: dict[tuple[int, str | None], Participation] = field(default_factory=dict)
    targets: list[ReadinessTarget] = field(default_factory=list)
    # trend view, for the filters given to load: (domain, measure, level, month) -> net change
    changes: dict[tuple[str, str, int, date], int] = field(default_factory=dict)


def term_start(today: date, term_starts: tuple[tuple[int, int], ...] = DEFAULT_TERM_STARTS) -> date:
    """The first day of the current term: the latest (month, day) boundary on or before today."""
    candidates = [date(today.year - back, m, d) for back in (0, 1) for m, d in term_starts]
    return max(day for day in candidates if day <= today)


def validated_level(moment: Any, none: int | None = None) -> Case[int]:
    """SQL: a standing row's validated level at `moment` (a time, or a column such as evaluated_at):
    the highest level whose badge is still in force then, else `none`."""
    s = ReadinessStanding
    return case(
        (s.held_until_4 > moment, 4),
        (s.held_until_3 > moment, 3),
        (s.held_until_2 > moment, 2),
        (s.held_until_1 > moment, 1),
        else_=none,
    )


def load(
    scope: ReadinessScope,
    view: str = "validated",
    now: datetime | None = None,
    term_starts: tuple[tuple[int, int], ...] = DEFAULT_TERM_STARTS,
    school_key: int | None = None,
    role: str | None = None,
) -> DashboardData:
    """The scope's figures. `school_key` and `role` narrow only the trend (summed in SQL); the other
    views filter their per-cell rows in Python, since targets need the rows of the whole scope."""
    now = now or utcnow()
    start = term_start(now.date(), term_starts)
    shape, targets = _framework_and_targets(scope)
    data = DashboardData(scope, shape, now, start, {}, targets=targets)
    if view == "trend":
        data.changes = _changes(scope, school_key, role)
    else:
        data.tallies = _tallies(scope, now)
    data.schools, data.participation = _participation(scope, now, start)
    if shape is not None:  # after a change of framework: the domains staff still hold badges or ratings in
        held = {code for (_, _, code), t in data.tallies.items() if any(t.self_levels) or any(t.validated_levels)}
        codes = held | {code for code, *_ in data.changes}
        data.shape = with_earlier_domains(shape, codes)
    return data


def _framework_and_targets(scope: ReadinessScope) -> tuple[FrameworkShape | None, list[ReadinessTarget]]:
    """Statement 1: the district's framework (id and hash, for the cached shape) and its targets."""
    target_in_scope = and_(ReadinessTarget.district_id == District.id)
    if scope.school_id is not None:  # a school leader sees the district's targets and their school's
        target_in_scope = and_(
            target_in_scope, or_(ReadinessTarget.school_id.is_(None), ReadinessTarget.school_id == scope.school_id)
        )
    rows = db.session.execute(
        select(District.framework_id, Framework.content_hash, ReadinessTarget)
        .select_from(District)
        .outerjoin(Framework, Framework.id == District.framework_id)
        .outerjoin(ReadinessTarget, target_in_scope)
        .where(District.id == scope.district_id)
        .order_by(ReadinessTarget.due_on, ReadinessTarget.id)
    ).all()
    if not rows or rows[0].framework_id is None:
        return None, []
    shape = framework_shape(rows[0].framework_id, rows[0].content_hash)
    return shape, [row.ReadinessTarget for row in rows if row.ReadinessTarget is not None]


def _tallies(scope: ReadinessScope, now: datetime) -> dict[tuple[int, str, str], Tally]:
    """Statement 2: the counts of the scope, one row per (school, role, domain).

    readiness_counts holds each standing row as it was evaluated, and is summed in its primary key's
    order (no sort). Rows whose badges changed level with time since they were counted (next_change_at
    has passed; few, and fewer after `flask readiness refresh`) come in the same UNION ALL with their
    level then and now, and are moved in Python: expiry needs no write to show."""
    c, s = ReadinessCount, ReadinessStanding

    def people_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, c.people), else_=0))

    both = and_(c.self_level > 0, c.validated_level > 0)
    counted = (
        select(
            literal("count").label("kind"),
            c.school_key,
            c.professional_role,
            c.domain_code,
            *[people_if(c.self_level == n) for n in (1, 2, 3, 4)],
            *[people_if(c.validated_level == n) for n in (1, 2, 3, 4)],
            people_if(and_(both, c.self_level > c.validated_level)),
            people_if(and_(both, c.self_level == c.validated_level)),
            people_if(and_(both, c.self_level < c.validated_level)),
            people_if(and_(c.self_level > 0, c.validated_level == 0)),
        )
        .where(c.district_id == scope.district_id)
        .group_by(c.school_key, c.professional_role, c.domain_code)
    )
    stale = [s.district_id == scope.district_id, s.next_change_at <= now]
    if scope.school_id is not None:
        counted = counted.where(c.school_key == scope.school_id)
        stale.append(s.school_key == scope.school_id)
    zero = literal(0)
    moved = select(
        literal("moved"),
        s.school_key,
        s.professional_role,
        s.domain_code,
        func.coalesce(s.self_level, 0),
        validated_level(s.evaluated_at, none=0),
        validated_level(now, none=0),
        *[zero] * 9,
    ).where(*stale)
    tallies: dict[tuple[int, str, str], Tally] = {}
    moves = []
    for kind, school_key, role, domain_code, *n in db.session.execute(union_all(counted, moved)):
        if kind == "moved":
            moves.append(((school_key, role, domain_code), int(n[0]), int(n[1]), int(n[2])))
            continue
        tallies[(school_key, role, domain_code)] = Tally(
            0, [int(x) for x in n[0:4]], [int(x) for x in n[4:8]], int(n[8]), int(n[9]), int(n[10]), int(n[11])
        )
    for key, mine, then, today in moves:
        tally = tallies.setdefault(key, Tally())
        tally.count(mine, then, -1)
        tally.count(mine, today, +1)
    return tallies


def _changes(scope: ReadinessScope, school_key: int | None, role: str | None) -> dict[tuple[str, str, int, date], int]:
    """Statement 2 of the trend view: the monthly changes of one slice, read by primary key. The
    upkeep writes each change also to the rollups (all schools, every role), so whatever the filters,
    this reads one slice of a few rows per domain and month instead of summing the whole district."""
    c = ReadinessChange
    school = scope.school_id if scope.school_id is not None else school_key
    query = select(c.domain_code, c.measure, c.level, c.month, c.delta).where(
        c.district_id == scope.district_id,
        c.school_key == (ALL_SCHOOLS if school is None else school),
        c.professional_role == (ALL_ROLES if role is None else role),
        c.delta != 0,
    )
    return {(code, measure, level, month): delta for code, measure, level, month, delta in db.session.execute(query)}


def _participation(
    scope: ReadinessScope, now: datetime, start: date
) -> tuple[dict[int, str], dict[tuple[int, str | None], Participation]]:
    """Statement 3: staff, self-assessment, claims awaiting review, badges this term and the school
    names, as one UNION ALL. Staff are grouped by the raw (school_id, professional_role), the order of
    ix_users_readiness, so the database reads that index alone and needs no sort."""
    start_at = datetime(start.year, start.month, start.day)
    in_scope = [User.district_id == scope.district_id, User.active.is_(True)]
    if scope.school_id is not None:
        in_scope.append(User.school_id == scope.school_id)
    nothing = literal(None, type_=db.DateTime)
    staff = (
        select(
            literal("staff").label("kind"),
            User.school_id.label("school_id"),
            User.professional_role.label("role"),
            literal(None, type_=db.String).label("school_name"),
            func.count().label("n1"),
            func.count(User.last_assessed_at).label("n2"),
            func.sum(case((User.last_assessed_at >= start_at, 1), else_=0)).label("n3"),
            nothing.label("oldest"),
        )
        .where(*in_scope)
        .group_by(User.school_id, User.professional_role)
    )
    long_ago = datetime.fromordinal(now.toordinal() - STALE_CLAIM_DAYS)
    claims = (
        select(
            literal("claims"),
            User.school_id,
            User.professional_role,
            literal(None, type_=db.String),
            func.count(Claim.id),
            func.sum(case((Claim.updated_at < long_ago, 1), else_=0)),
            literal(0),
            func.min(Claim.updated_at),
        )
        .select_from(Claim)
        .join(User, User.id == Claim.user_id)
        .where(*in_scope, Claim.status == ClaimStatus.SUBMITTED)
        .group_by(User.school_id, User.professional_role)
    )
    awards = (
        select(
            literal("awards"),
            User.school_id,
            User.professional_role,
            literal(None, type_=db.String),
            func.count(Award.id),
            literal(0),
            literal(0),
            nothing,
        )
        .select_from(Award)
        .join(User, User.id == Award.user_id)
        # Award.district_id (set when the award is issued, with it) lets the database start from the
        # term's awards (ix_awards_district_awarded) rather than from every person of the district.
        .where(*in_scope, Award.district_id == scope.district_id, Award.awarded_at >= start_at)
        .group_by(User.school_id, User.professional_role)
    )
    names = select(
        literal("school"), School.id, literal(None, type_=db.String), School.name, literal(0), literal(0),
        literal(0), nothing,
    ).where(School.district_id == scope.district_id)  # fmt: skip
    if scope.school_id is not None:
        names = names.where(School.id == scope.school_id)
    school_names: dict[int, str] = {DISTRICT_OFFICE: "District office"}
    rated: set[int] = set()
    result: dict[tuple[int, str | None], Participation] = defaultdict(Participation)
    rows: list[Any] = list(db.session.execute(union_all(staff, claims, awards, names)))
    for kind, school_id, role, school_name, n1, n2, n3, oldest in rows:
        if kind == "school":
            school_names[school_id] = school_name
            continue
        entry = result[(school_id or DISTRICT_OFFICE, role)]
        if kind == "staff":
            if role is not None:  # a row for a school only where someone has a rated role
                rated.add(school_id or DISTRICT_OFFICE)
            entry.staff, entry.assessed, entry.assessed_this_term = int(n1), int(n2), int(n3 or 0)
        elif kind == "claims":
            entry.claims_waiting, entry.claims_waiting_long = int(n1), int(n2 or 0)
            entry.oldest_claim_at = oldest
        else:
            entry.badges_this_term = int(n1)
    return {key: school_names[key] for key in rated}, dict(result)
