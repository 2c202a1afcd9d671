"""Badge classes generated from a framework, and the policy claims on them follow.

One badge class per domain x level x professional role, wherever the role has at least one key
question in the domain (a badge with nothing to show would mean nothing). Its criteria are the
level descriptor, word for word, and the role's key questions in that domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..frameworks.queries import indicators_for_role
from ..models import BadgeClass, BadgePolicy, Domain, Framework, Indicator, Level, ProfessionalRole, User

DEFAULT_POLICY = {"requires_previous_level": False, "expert_approvals_required": 2, "validity_months": None}
VALIDITY_MONTHS_MAX = 120
_UNCHANGED = object()
EXPERT_LEVEL = 4


def badge_name(domain: Domain, level: Level, role: ProfessionalRole) -> str:
    return f"{domain.name}: {level.name}, {role.name}"


def criteria_text(domain: Domain, level: Level, role: ProfessionalRole, indicators: list[Indicator]) -> str:
    questions = "\n".join(f"- {ind.code} {ind.text}" for ind in indicators)
    return (
        f"{level.name} ({level.value}) in {domain.name}, as a {role.name.lower()}: "
        f"\u201c{level.descriptor}\u201d\n\n"
        f"The evidence shows this level for the key questions of the domain that apply to the role:\n"
        f"{questions}"
    )


def generate_badge_classes(framework: Framework) -> int:
    """Create the framework's badge classes that do not exist yet; returns how many were created."""
    existing = set(
        tuple(row)
        for row in db.session.execute(
            select(BadgeClass.domain_id, BadgeClass.role_id, BadgeClass.level).where(
                BadgeClass.framework_id == framework.id
            )
        ).all()
    )
    created = 0
    for role in framework.roles:
        applicable = indicators_for_role(framework, role.code)
        for domain in framework.domains:
            indicators = applicable[domain.id]
            if not indicators:
                continue
            for level in framework.levels:
                if (domain.id, role.id, level.value) in existing:
                    continue
                db.session.add(
                    BadgeClass(
                        framework=framework,
                        domain=domain,
                        role=role,
                        level=level.value,
                        name=badge_name(domain, level, role),
                        criteria=criteria_text(domain, level, role, indicators),
                    )
                )
                created += 1
    db.session.flush()
    return created


def badge_classes_for(user: User) -> list[BadgeClass]:
    """The badge classes the person can claim: their district's framework, their professional role."""
    framework = user.district.framework
    if framework is None or not user.professional_role:
        return []
    return list(
        db.session.scalars(
            select(BadgeClass)
            .join(ProfessionalRole, BadgeClass.role_id == ProfessionalRole.id)
            .join(Domain, BadgeClass.domain_id == Domain.id)
            .where(BadgeClass.framework_id == framework.id, ProfessionalRole.code == user.professional_role)
            .options(selectinload(BadgeClass.domain), selectinload(BadgeClass.role))
            .order_by(Domain.position, BadgeClass.level)
        )
    )


def role_indicators(badge_class: BadgeClass) -> list[Indicator]:
    """The key questions a claim on this badge is judged by: the domain's, for the badge's role."""
    return [ind for ind in badge_class.domain.indicators if badge_class.role in ind.roles]


def level_of(badge_class: BadgeClass) -> Level:
    return next(lv for lv in badge_class.framework.levels if lv.value == badge_class.level)


@dataclass(frozen=True)
class Policy:
    requires_previous_level: bool
    expert_approvals_required: int
    validity_months: int | None = None  # None: awards do not expire

    def approvals_for(self, level: int) -> int:
        return self.expert_approvals_required if level >= EXPERT_LEVEL else 1


DEFAULT = Policy(**DEFAULT_POLICY)  # type: ignore[arg-type]  # the same values, one place


def policy_for(framework: Framework) -> Policy:
    row = db.session.get(BadgePolicy, framework.id)
    if row is None:
        return DEFAULT
    return Policy(row.requires_previous_level, row.expert_approvals_required, row.validity_months)


def set_policy(
    framework: Framework,
    requires_previous_level: bool | None = None,
    expert_approvals_required: int | None = None,
    validity_months: Any = _UNCHANGED,
) -> Policy:
    """Change the framework's policy. It applies to claims made and awards issued from now on.

    validity_months: a whole number of months awards stay valid, or None for no expiry.
    """
    if expert_approvals_required is not None and not 1 <= expert_approvals_required <= 3:
        raise ValueError(f"approvals for an Expert badge must be 1, 2 or 3, not {expert_approvals_required}")
    if (
        validity_months is not _UNCHANGED
        and validity_months is not None
        and not (isinstance(validity_months, int) and 1 <= validity_months <= VALIDITY_MONTHS_MAX)
    ):
        raise ValueError(f"validity must be 1 to {VALIDITY_MONTHS_MAX} months (or none), not {validity_months}")
    row = db.session.get(BadgePolicy, framework.id)
    if row is None:
        row = BadgePolicy(framework_id=framework.id, **DEFAULT_POLICY)
        db.session.add(row)
    if requires_previous_level is not None:
        row.requires_previous_level = requires_previous_level
    if expert_approvals_required is not None:
        row.expert_approvals_required = expert_approvals_required
    if validity_months is not _UNCHANGED:
        row.validity_months = validity_months  # type: ignore[assignment]  # checked above: None or 1..120
    db.session.flush()
    return policy_for(framework)
