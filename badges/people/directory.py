"""Reading a district's staff. Every query takes the district, so nothing crosses districts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import District, School, User

PAGE_SIZE = 50


@dataclass(frozen=True)
class StaffPage:
    users: list[User]
    page: int
    pages: int
    total: int


def staff_page(district: District, page: int = 1, per_page: int = PAGE_SIZE) -> StaffPage:
    total = db.session.scalar(select(func.count(User.id)).where(User.district_id == district.id)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = list(
        db.session.scalars(
            select(User)
            .where(User.district_id == district.id)
            .options(selectinload(User.school))
            .order_by(User.name, User.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    return StaffPage(users, page, pages, total)


def staff_counts(district: District) -> list[tuple[str, str | None, int]]:
    """(school name or "District office", professional role code, head count), ordered."""
    rows = db.session.execute(
        select(School.name, User.professional_role, func.count(User.id))
        .select_from(User)
        .outerjoin(School, User.school_id == School.id)
        .where(User.district_id == district.id, User.active.is_(True))
        .group_by(School.name, User.professional_role)
    )
    counts = [(school or "District office", role, count) for school, role, count in rows]
    return sorted(counts, key=lambda row: (row[0] == "District office", row[0], row[1] or ""))
