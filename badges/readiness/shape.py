"""A framework's shape for the figures: its domains, roles and which domains apply to which role.

A loaded framework version is never rewritten (see badges.models.framework), so its shape is read
once per process and kept, by id and content hash (a test database may reuse an id for another
framework): a dashboard request spends no statements on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from ..extensions import db
from ..frameworks.levels import level_name, level_names
from ..models import District, Domain, Framework, Indicator, ProfessionalRole, indicator_roles


@dataclass(frozen=True)
class FrameworkShape:
    framework_id: int
    title: str
    domains: tuple[tuple[str, str], ...]  # (code, name) in the framework's order
    roles: tuple[tuple[str, str], ...]  # (code, name)
    applies: frozenset[tuple[str, str]]  # (role code, domain code) pairs with a key question
    # Level value -> name in this version (its own names: a district may have renamed them).
    levels: tuple[tuple[int, str], ...] = ()
    # Domains of an earlier framework that staff still hold badges or ratings in, which this one lacks:
    # code -> the label of the framework they come from (see with_earlier_domains).
    earlier: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def domain_name(self, code: str) -> str:
        return dict(self.domains).get(code, code)

    def role_name(self, code: str | None) -> str:
        return dict(self.roles).get(code, code) if code else "Every role"

    def has_domain(self, code: str) -> bool:
        return any(c == code for c, _ in self.domains)

    def has_role(self, code: str) -> bool:
        return any(c == code for c, _ in self.roles)

    def is_earlier(self, code: str) -> bool:
        return code in self.earlier

    @property
    def level_names(self) -> dict[int, str]:
        return dict(self.levels)

    def level_name(self, value: int) -> str:
        return level_name(self.level_names, value)


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
            tuple(level_names(framework).items()),
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


EARLIER_MARK = " (earlier framework)"


def with_earlier_domains(shape: FrameworkShape, codes: Iterable[str]) -> FrameworkShape:
    """The shape with the domains `codes` (which it lacks, and in which staff still hold badges or ratings,
    after the district moved to another framework) added after its own, each named as in the most recently
    published framework that has it and marked as from an earlier framework, with the roles and the
    role-domain pairs of that framework, so those staff are counted as they were. Domains are compared by
    code, as the readiness tables count them: a badge of version 1 counts in version 2's domain of the same
    code, and only a code the current framework lacks is shown apart. One statement; none if `codes` is empty.
    """
    missing = sorted(set(codes) - {code for code, _ in shape.domains})
    if not missing:
        return shape
    rows = db.session.execute(
        select(
            Domain.code,
            Domain.name,
            Framework.title,
            Framework.version,
            ProfessionalRole.code.label("role_code"),
            ProfessionalRole.name.label("role_name"),
        )
        .select_from(indicator_roles)
        .join(ProfessionalRole, ProfessionalRole.id == indicator_roles.c.role_id)
        .join(Indicator, Indicator.id == indicator_roles.c.indicator_id)
        .join(Domain, Domain.id == Indicator.domain_id)
        .join(Framework, Framework.id == Domain.framework_id)
        .where(Domain.code.in_(missing), Framework.published_at.is_not(None), Framework.id != shape.framework_id)
        .order_by(Framework.published_at.desc(), Framework.id.desc(), Domain.position, ProfessionalRole.position)
    ).all()
    source: dict[str, tuple[str, str]] = {}  # domain code -> (title, version) of the newest framework with it
    names: dict[str, str] = {}
    applies = set(shape.applies)
    roles = dict(shape.roles)
    for row in rows:
        first = source.setdefault(row.code, (row.title, row.version))
        if first != (row.title, row.version):
            continue
        names.setdefault(row.code, row.name)
        applies.add((row.role_code, row.code))
        roles.setdefault(row.role_code, row.role_name)
    found = [code for code in missing if code in names]
    return replace(
        shape,
        domains=shape.domains + tuple((code, names[code] + EARLIER_MARK) for code in found),
        roles=tuple(roles.items()),
        applies=frozenset(applies),
        earlier={code: " ".join(source[code]) for code in found},
    )
