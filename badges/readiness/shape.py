"""A framework's shape for the figures: its domains, roles and which domains apply to which role.

A loaded framework version is never rewritten (see badges.models.framework), so its shape is read
once per process and kept, by id and content hash (a test database may reuse an id for another
framework): a dashboard request spends no statements on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import District, Domain, Framework, Indicator, ProfessionalRole, indicator_roles


@dataclass(frozen=True)
class FrameworkShape:
    framework_id: int
    title: str
    domains: tuple[tuple[str, str], ...]  # (code, name) in the framework's order
    roles: tuple[tuple[str, str], ...]  # (code, name)
    applies: frozenset[tuple[str, str]]  # (role code, domain code) pairs with a key question

    def domain_name(self, code: str) -> str:
        return dict(self.domains).get(code, code)

    def role_name(self, code: str | None) -> str:
        return dict(self.roles).get(code, code) if code else "Every role"

    def has_domain(self, code: str) -> bool:
        return any(c == code for c, _ in self.domains)

    def has_role(self, code: str) -> bool:
        return any(c == code for c, _ in self.roles)


_SHAPES: dict[tuple[int, str], FrameworkShape] = {}


def framework_shape(framework_id: int, content_hash: str) -> FrameworkShape:
    shape = _SHAPES.get((framework_id, content_hash))
    if shape is None:
        framework = db.session.get(Framework, framework_id)
        if framework is None or framework.content_hash != content_hash:
            raise LookupError(f"framework {framework_id} does not exist")
        applies = db.session.execute(
            select(ProfessionalRole.code, Domain.code)
            .select_from(indicator_roles)
            .join(ProfessionalRole, ProfessionalRole.id == indicator_roles.c.role_id)
            .join(Indicator, Indicator.id == indicator_roles.c.indicator_id)
            .join(Domain, Domain.id == Indicator.domain_id)
            .where(Domain.framework_id == framework_id)
            .distinct()
        )
        shape = FrameworkShape(
            framework.id,
            f"{framework.title} {framework.version}",
            tuple((d.code, d.name) for d in framework.domains),
            tuple((r.code, r.name) for r in framework.roles),
            frozenset((role, domain) for role, domain in applies),
        )
        _SHAPES[(framework_id, content_hash)] = shape
    return shape


def district_shape(district_id: int) -> FrameworkShape | None:
    """The shape of the framework a district uses, or None if it has not chosen one (one statement)."""
    row = db.session.execute(
        select(District.framework_id, Framework.content_hash)
        .outerjoin(Framework, Framework.id == District.framework_id)
        .where(District.id == district_id)
    ).first()
    if row is None or row.framework_id is None:
        return None
    return framework_shape(row.framework_id, row.content_hash)
