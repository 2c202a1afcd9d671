"""Reading frameworks: lists, one version with everything under it, what applies to a role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Domain, Framework, Indicator


def list_frameworks() -> list[Framework]:
    return list(db.session.scalars(select(Framework).order_by(Framework.slug, Framework.loaded_at, Framework.id)))


def get_framework(slug: str, version: str) -> Framework | None:
    """One version with levels, roles, domains, indicators and their roles, in a few queries."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.slug == slug, Framework.version == version)
        .options(
            selectinload(Framework.levels),
            selectinload(Framework.roles),
            selectinload(Framework.domains).selectinload(Domain.indicators).selectinload(Indicator.roles),
        )
    )


def latest_framework(slug: str) -> Framework | None:
    """The most recently loaded version of a framework."""
    return db.session.scalar(
        select(Framework).where(Framework.slug == slug).order_by(Framework.loaded_at.desc(), Framework.id.desc())
    )


def indicators_for_role(framework: Framework, role_code: str | None) -> dict[int, list[Indicator]]:
    """Domain id -> the indicators of that domain which apply to the professional role."""
    applicable: dict[int, list[Indicator]] = {domain.id: [] for domain in framework.domains}
    if role_code is None:
        return applicable
    for domain in framework.domains:
        applicable[domain.id] = [ind for ind in domain.indicators if any(r.code == role_code for r in ind.roles)]
    return applicable
