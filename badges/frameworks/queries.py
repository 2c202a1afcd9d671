"""Reading frameworks: lists, one version with everything under it, what applies to a role.

Everything here reads published versions only: a draft is seen through badges.authoring, by the
admins who may edit it, and never by a public page, a district's staff or the CASE API.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Domain, Framework, Indicator

PUBLISHED = Framework.published_at.is_not(None)


def list_frameworks() -> list[Framework]:
    return list(
        db.session.scalars(
            select(Framework).where(PUBLISHED).order_by(Framework.slug, Framework.published_at, Framework.id)
        )
    )


def get_framework(slug: str, version: str) -> Framework | None:
    """One published version with levels, roles, domains, indicators and their roles, in a few queries."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.slug == slug, Framework.version == version, PUBLISHED)
        .options(
            selectinload(Framework.levels),
            selectinload(Framework.roles),
            selectinload(Framework.domains).selectinload(Domain.indicators).selectinload(Indicator.roles),
        )
    )


def latest_framework(slug: str) -> Framework | None:
    """The most recently published version of a framework."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.slug == slug, PUBLISHED)
        .order_by(Framework.published_at.desc(), Framework.id.desc())
    )


def versions_of(slug: str) -> list[Framework]:
    """Every published version of a framework, oldest first."""
    return list(
        db.session.scalars(
            select(Framework).where(Framework.slug == slug, PUBLISHED).order_by(Framework.published_at, Framework.id)
        )
    )


def indicators_for_role(framework: Framework, role_code: str | None) -> dict[int, list[Indicator]]:
    """Domain id -> the indicators of that domain which apply to the professional role."""
    applicable: dict[int, list[Indicator]] = {domain.id: [] for domain in framework.domains}
    if role_code is None:
        return applicable
    for domain in framework.domains:
        applicable[domain.id] = [ind for ind in domain.indicators if any(r.code == role_code for r in ind.roles)]
    return applicable
