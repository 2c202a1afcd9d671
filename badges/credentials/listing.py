"""The awards of a district, a page at a time: what its admins see (and revoke from)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Award, BadgeClass, District, User

AWARDS_PER_PAGE = 50


@dataclass
class AwardsPage:
    awards: list[Award]
    page: int
    pages: int
    total: int


def district_awards(district: District, page: int) -> AwardsPage:
    """The district's awards, newest first; a page out of range shows the nearest one."""
    mine = select(Award).join(User, Award.user_id == User.id).where(User.district_id == district.id)
    total = db.session.scalar(mine.with_only_columns(func.count(Award.id)).order_by(None)) or 0
    pages = max(1, -(-total // AWARDS_PER_PAGE))
    page = min(max(page, 1), pages)
    awards = list(
        db.session.scalars(
            mine.options(selectinload(Award.user), selectinload(Award.badge_class).selectinload(BadgeClass.domain))
            .order_by(Award.awarded_at.desc(), Award.id.desc())
            .limit(AWARDS_PER_PAGE)
            .offset((page - 1) * AWARDS_PER_PAGE)
        )
    )
    return AwardsPage(awards, page, pages, total)
