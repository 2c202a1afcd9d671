"""The people behind one heatmap cell (a school x a domain), within the privacy rules.

Validated levels are badges, public by design: leaders of the person's own district see them by
name. Self-assessment exists for honest growth: only people who chose to share it
(User.shares_self_assessment) are named; the rest are a count, and a count of 1..min_cell-1 is
"fewer than N". A cell that describes fewer than min_cell people names nobody in the self and gap
views. Evidence is never part of this. Two statements: the district's framework (its shape is
cached) and the cell's staff with their standing in the domain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, select

from ..base import InvalidInput
from ..extensions import db
from ..frameworks.levels import level_name
from ..models import DISTRICT_OFFICE, District, Framework, ReadinessStanding, School, User, utcnow
from ..permissions import ReadinessScope
from .dashboard import validated_level
from .figures import describes_too_few
from .shape import FrameworkShape, framework_shape

CELL_VIEWS = ("validated", "self", "gap")


@dataclass(frozen=True)
class CellPerson:
    user_id: int
    name: str
    role_name: str
    level: int | None  # the view's level: validated, or self-assessed (self and gap)
    validated: int | None = None  # gap view: the badge in force, to compare with
    scale: tuple[tuple[int, str], ...] = ()  # the framework's levels (value, name), which name `level`

    @property
    def level_name(self) -> str:
        return f"{level_name(dict(self.scale), self.level)} ({self.level})" if self.level else "none"

    @property
    def gap(self) -> str:
        """Gap view: where the self-assessment stands against the badge in force."""
        if self.level is None:
            return "not self-assessed"
        if self.validated is None:
            return "no badge yet"
        return "ahead" if self.level > self.validated else "behind" if self.level < self.validated else "matches"


@dataclass
class CellPeople:
    school_key: int
    school_name: str
    domain_code: str
    domain_name: str
    view: str
    min_cell: int
    role: str | None
    staff: int | None  # None: fewer than min_cell
    people: list[CellPerson] = field(default_factory=list)
    private: int | None = 0  # self-assessed but not shared; None: fewer than min_cell
    unlisted: int | None = 0  # validated view: staff without a badge in force in the domain
    hidden: bool = False  # the cell describes too few people to name anyone (self and gap views)


def _shape(scope: ReadinessScope) -> FrameworkShape | None:
    row = db.session.execute(
        select(District.framework_id, Framework.content_hash)
        .outerjoin(Framework, Framework.id == District.framework_id)
        .where(District.id == scope.district_id)
    ).first()
    return framework_shape(row.framework_id, row.content_hash) if row and row.framework_id else None


def cell_people(
    scope: ReadinessScope,
    school_key: int,
    domain_code: str,
    view: str = "validated",
    role: str | None = None,
    min_cell: int = 5,
    now: datetime | None = None,
) -> CellPeople | None:
    """The people of a cell, or None when the school is not in the scope (the caller's 404)."""
    if view not in CELL_VIEWS:
        raise InvalidInput({"view": [f"view must be one of {', '.join(CELL_VIEWS)}, not {view!r}."]})
    if not scope.covers_school(school_key):
        return None
    shape = _shape(scope)
    if shape is None or not shape.has_domain(domain_code):
        raise InvalidInput({"domain": [f"{domain_code!r} is not a domain of the district's framework."]})
    if role is not None and not shape.has_role(role):
        raise InvalidInput({"role": [f"{role!r} is not a professional role of the district's framework."]})
    roles = [code for code, _ in shape.roles if (code, domain_code) in shape.applies and role in (None, code)]
    now = now or utcnow()
    s = ReadinessStanding
    where = [User.district_id == scope.district_id, User.active.is_(True), User.professional_role.in_(roles)]
    where.append(User.school_id.is_(None) if school_key == DISTRICT_OFFICE else User.school_id == school_key)
    rows = db.session.execute(
        select(
            User.id,
            User.name,
            User.professional_role,
            User.shares_self_assessment,
            School.name.label("school_name"),
            s.self_level,
            validated_level(now).label("validated"),
        )
        .outerjoin(School, School.id == User.school_id)
        .outerjoin(s, and_(s.user_id == User.id, s.domain_code == domain_code))
        .where(*where)
        .order_by(User.name, User.id)
    ).all()
    if not rows:  # no such school in the scope, or nobody there the domain applies to: no cell
        return None
    result = CellPeople(
        school_key,
        rows[0].school_name or "District office",
        domain_code,
        shape.domain_name(domain_code),
        view,
        min_cell,
        role,
        None,
    )
    staff = len(rows)
    too_few = describes_too_few(staff, min_cell)
    result.staff = None if too_few else staff
    if view == "validated":
        result.people = [
            CellPerson(r.id, r.name, shape.role_name(r.professional_role), r.validated, scale=shape.levels)
            for r in rows
            if r.validated is not None
        ]
        result.unlisted = _count(staff - len(result.people), min_cell)
        return result
    if too_few:
        result.hidden, result.private = True, None
        return result
    shared = [r for r in rows if r.shares_self_assessment and r.self_level is not None]
    result.people = [
        CellPerson(r.id, r.name, shape.role_name(r.professional_role), r.self_level, r.validated, shape.levels)
        for r in shared
    ]
    kept = sum(1 for r in rows if not r.shares_self_assessment and r.self_level is not None)
    result.private = _count(kept, min_cell)
    return result


def _count(n: int, min_cell: int) -> int | None:
    return None if describes_too_few(n, min_cell) else n
