"""Who may do what: every access rule of the service, as plain functions of the acting user.

Views call these; tests drive them from tables. Nothing here reads the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from flask_login import AnonymousUserMixin
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from .extensions import db
from .models import (
    Award,
    CalibrationRound,
    Claim,
    ClaimRevision,
    ClaimStatus,
    District,
    EvidenceItem,
    Exemplar,
    ExemplarSet,
    Framework,
    FrameworkOwner,
    SystemRole,
    User,
    revision_evidence,
)
from .people.scope import claim_in_scope, is_lead, scope_of

HOME_ROLES = {
    "educator": SystemRole.EDUCATOR,
    "validator": SystemRole.VALIDATOR,
    "leader": SystemRole.DISTRICT_LEADER,
    "school": SystemRole.SCHOOL_LEADER,
    "admin": SystemRole.ADMIN,
}

# The order a person with several roles lands on after login: the most specific job first.
LANDING_ORDER = (
    SystemRole.ADMIN,
    SystemRole.DISTRICT_LEADER,
    SystemRole.SCHOOL_LEADER,
    SystemRole.VALIDATOR,
    SystemRole.EDUCATOR,
)


def is_signed_in(user: User | AnonymousUserMixin | None) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_active


def has_role(user: User | AnonymousUserMixin | None, role: SystemRole) -> TypeGuard[User]:
    return is_signed_in(user) and user.has_role(role)


def can_view_home(user: User | AnonymousUserMixin | None, home: str) -> bool:
    return home in HOME_ROLES and has_role(user, HOME_ROLES[home])


def landing_home(user: User) -> str | None:
    """The role home a signed-in user is sent to first, or None if they hold no role."""
    for role in LANDING_ORDER:
        if user.has_role(role):
            return next(name for name, r in HOME_ROLES.items() if r is role)
    return None


def can_view_staff_of(user: User | AnonymousUserMixin | None, district: District) -> bool:
    """Admins and district leaders see their own district's staff list; nobody sees another's."""
    return (
        is_signed_in(user)
        and user.district_id == district.id
        and (user.has_role(SystemRole.ADMIN) or user.has_role(SystemRole.DISTRICT_LEADER))
    )


def can_view_evidence_file(user: User | AnonymousUserMixin | None, item: EvidenceItem) -> bool:
    """Evidence may show student work: its owner sees the file, and so does a validator while a
    claim in their scope that cites it awaits review; nobody else, not even district leaders."""
    if is_signed_in(user) and user.id == item.user_id:
        return True
    return has_role(user, SystemRole.VALIDATOR) and any(
        claim_in_scope(user, claim) for claim in claims_awaiting_review_citing(item)
    )


def claims_awaiting_review_citing(item: EvidenceItem) -> list[Claim]:
    """Claims awaiting review whose current revision cites the evidence item."""
    current = (
        select(func.max(ClaimRevision.number))
        .where(ClaimRevision.claim_id == Claim.id)
        .correlate(Claim)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Claim)
            .join(ClaimRevision, ClaimRevision.claim_id == Claim.id)
            .join(revision_evidence, revision_evidence.c.revision_id == ClaimRevision.id)
            .where(
                revision_evidence.c.evidence_id == item.id,
                Claim.status == ClaimStatus.SUBMITTED,
                Claim.user_id == item.user_id,
                ClaimRevision.number == current,
            )
        )
    )


def can_review_claim(user: User | AnonymousUserMixin | None, claim: Claim) -> bool:
    """See the claim, its evidence and history: a validator whose scope covers it, never their own
    claim, never a conflicted person's, never another district's."""
    return has_role(user, SystemRole.VALIDATOR) and claim_in_scope(user, claim)


def can_decide_claim(user: User | AnonymousUserMixin | None, claim: Claim) -> bool:
    """Decide it: as for seeing it, while it awaits review."""
    return can_review_claim(user, claim) and claim.status is ClaimStatus.SUBMITTED


def can_manage_validation(user: User | AnonymousUserMixin | None, district: District) -> bool:
    """Assign validator scopes and record conflicts of interest: the district's admins."""
    return has_role(user, SystemRole.ADMIN) and user.district_id == district.id


def can_read_audit_log(user: User | AnonymousUserMixin | None, district: District) -> bool:
    return has_role(user, SystemRole.ADMIN) and user.district_id == district.id


def can_revoke(user: User | AnonymousUserMixin | None, award: Award) -> bool:
    """Revoke an award: an admin of the issuing district, or a validator whose scope covers the
    award's claim (never their own badge, never a conflicted person's)."""
    if has_role(user, SystemRole.ADMIN) and user.district_id == award.user.district_id:
        return True
    return has_role(user, SystemRole.VALIDATOR) and claim_in_scope(user, award.claim)


def can_rate_round(user: User | AnonymousUserMixin | None, calibration_round: CalibrationRound) -> bool:
    """Take part in a calibration round (see its exemplars, rate them, read the anchors after): a
    validator of the set's district whose scope names its domain and professional role; never the
    set's curators (its author, the district's admins, lead validators in scope), who can read its
    anchors and so cannot rate it blind. A closed round stays readable to them; whether it still takes
    ratings is the round's state, not a permission."""
    if not has_role(user, SystemRole.VALIDATOR):
        return False
    exemplar_set = calibration_round.exemplar_set
    if exemplar_set.district_id != user.district_id or exemplar_set.created_by_id == user.id:
        return False
    if can_curate_exemplar_set(user, exemplar_set):
        return False
    scope = scope_of(user)
    return exemplar_set.domain.code in scope.domain_codes and exemplar_set.role.code in scope.role_codes


@dataclass(frozen=True)
class ReadinessScope:
    """The part of a district whose readiness figures someone may read."""

    district_id: int
    school_id: int | None  # None: the whole district

    def covers_school(self, school_key: int) -> bool:
        return self.school_id is None or school_key == self.school_id

    @property
    def whole_district(self) -> bool:
        return self.school_id is None


def readiness_scope(user: User | AnonymousUserMixin | None) -> ReadinessScope | None:
    """Whose readiness figures the person may read: a district leader their district, a school
    leader their own school; nobody another district's. Leading a district wins over leading a
    school; a school leader with no school (the district office) has none to see."""
    if has_role(user, SystemRole.DISTRICT_LEADER):
        return ReadinessScope(user.district_id, None)
    if has_role(user, SystemRole.SCHOOL_LEADER) and user.school_id is not None:
        return ReadinessScope(user.district_id, user.school_id)
    return None


def can_view_readiness(user: User | AnonymousUserMixin | None) -> bool:
    return readiness_scope(user) is not None


def can_view_calibration_report(user: User | AnonymousUserMixin | None) -> bool:
    """The calibration report of their own district: its admins and district leaders."""
    return has_role(user, SystemRole.ADMIN) or has_role(user, SystemRole.DISTRICT_LEADER)


def can_set_calibration_policy(user: User | AnonymousUserMixin | None, district: District) -> bool:
    """What agreement the district asks of its validators, and what a flagged one may not decide: its admins."""
    return has_role(user, SystemRole.ADMIN) and user.district_id == district.id


# -- calibration: who curates exemplar sets, and who sees an exemplar's file -----------------------


def can_curate_calibration(user: User | AnonymousUserMixin | None, district: District) -> bool:
    """Curate exemplar sets of the district: its admins, and its lead validators (for their scope)."""
    if not is_signed_in(user) or user.district_id != district.id:
        return False
    return user.has_role(SystemRole.ADMIN) or (user.has_role(SystemRole.VALIDATOR) and is_lead(user))


def _scope_covers_set(user: User, exemplar_set: ExemplarSet) -> bool:
    facts = scope_of(user)
    return exemplar_set.domain.code in facts.domain_codes and exemplar_set.role.code in facts.role_codes


def can_curate_exemplar_set(user: User | AnonymousUserMixin | None, exemplar_set: ExemplarSet) -> bool:
    """Edit a set, open its rounds: an admin of its district, or a lead validator of the district whose
    scope covers the set's domain and professional role."""
    if not is_signed_in(user) or user.district_id != exemplar_set.district_id:
        return False
    if user.has_role(SystemRole.ADMIN):
        return True
    return user.has_role(SystemRole.VALIDATOR) and is_lead(user) and _scope_covers_set(user, exemplar_set)


def can_view_exemplar_file(user: User | AnonymousUserMixin | None, exemplar: Exemplar) -> bool:
    """An exemplar's file: the set's curators, and once the set is opened the district's validators
    whose scope covers its domain and role (who rate it)."""
    exemplar_set = exemplar.exemplar_set
    if can_curate_exemplar_set(user, exemplar_set):
        return True
    return (
        exemplar_set.opened_at is not None
        and has_role(user, SystemRole.VALIDATOR)
        and user.district_id == exemplar_set.district_id
        and _scope_covers_set(user, exemplar_set)
    )


# -- frameworks: who adapts, publishes and adopts them, and who reads a framework's audit stream ---


def framework_owner(slug: str) -> int | None:
    """The id of the district that makes versions of the framework `slug`; None: a shared framework."""
    return db.session.scalar(select(FrameworkOwner.district_id).where(FrameworkOwner.slug == slug))


def can_adapt_frameworks(user: User | AnonymousUserMixin | None) -> bool:
    """Start a draft of a framework (their district's own version of it), import a CASE package as one,
    and adopt a published version for the district: the district's admins."""
    return has_role(user, SystemRole.ADMIN) and user.district_id is not None


def can_edit_framework_draft(user: User | AnonymousUserMixin | None, framework: Framework) -> bool:
    """Edit, publish or discard a draft: the admins of the district that owns the framework."""
    return (
        framework.is_draft and can_adapt_frameworks(user) and framework_owner(framework.slug) == user.district_id  # type: ignore[union-attr]
    )


def frameworks_used_by(district: District) -> set[str]:
    """The framework slugs a district takes part in: those it owns, the one it uses, and every framework
    any of their versions was adapted from (a change upstream concerns the district that adapted it)."""
    slugs = set(db.session.scalars(select(FrameworkOwner.slug).where(FrameworkOwner.district_id == district.id)))
    if district.framework is not None:
        slugs.add(district.framework.slug)
    base = aliased(Framework)
    frontier = set(slugs)
    while frontier:
        found = set(
            db.session.scalars(
                select(base.slug)
                .join(Framework, Framework.based_on_id == base.id)
                .where(Framework.slug.in_(frontier))
                .distinct()
            )
        )
        frontier = found - slugs
        slugs |= found
    return slugs


def can_read_framework_events(user: User | AnonymousUserMixin | None, slug: str) -> bool:
    """A framework's audit stream: the admins of every district using the framework (see
    frameworks_used_by); the stream is the service's, as a framework is shared by districts."""
    return has_role(user, SystemRole.ADMIN) and user.district is not None and slug in frameworks_used_by(user.district)
