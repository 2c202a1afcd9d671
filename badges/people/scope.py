"""Validator scope and conflicts of interest: the facts the review permissions are decided on.

A validator's scope names domains and professional roles by code, and organizations (schools, or
the whole district including its office). A claim is in scope when its domain, the claimant's
professional role and the claimant's school are all inside it. Admins change scopes and record
conflicts; every change is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .. import audit
from ..base import InvalidInput, clean_text, clean_text_into
from ..extensions import db
from ..models import (
    Claim,
    Conflict,
    District,
    School,
    ScopeDomain,
    ScopeRole,
    ScopeSchool,
    SystemRole,
    User,
    ValidatorScope,
)
from .members import members_with_role

REASON_MAX = 2000


@dataclass(frozen=True)
class ScopeFacts:
    """A scope as plain sets, ready to test claims against."""

    domain_codes: frozenset[str]
    role_codes: frozenset[str]
    school_ids: frozenset[int]
    whole_district: bool

    def covers(self, domain_code: str, role_code: str | None, school_id: int | None) -> bool:
        in_organization = self.whole_district or (school_id is not None and school_id in self.school_ids)
        return domain_code in self.domain_codes and role_code in self.role_codes and in_organization


NO_SCOPE = ScopeFacts(frozenset(), frozenset(), frozenset(), False)


def scope_of(validator: User) -> ScopeFacts:
    row = db.session.get(ValidatorScope, validator.id)
    if row is None:
        return NO_SCOPE
    return ScopeFacts(
        frozenset(row.domain_codes), frozenset(row.role_codes), frozenset(row.school_ids), row.whole_district
    )


def is_lead(validator: User) -> bool:
    """A lead validator also curates exemplar sets (badges.calibration) for the domains and roles in scope."""
    row = db.session.get(ValidatorScope, validator.id)
    return row is not None and row.lead


def conflicted_educator_ids(validator: User) -> set[int]:
    return set(db.session.scalars(select(Conflict.educator_id).where(Conflict.validator_id == validator.id)))


def claim_in_scope(
    validator: User, claim: Claim, scope: ScopeFacts | None = None, conflicts: set[int] | None = None
) -> bool:
    """May this validator see and judge this claim? Never their own, never a conflicted person's,
    never another district's; otherwise exactly when the scope covers the claim."""
    owner = claim.user
    if not validator.has_role(SystemRole.VALIDATOR) or owner.id == validator.id:
        return False
    if owner.district_id != validator.district_id:
        return False
    if owner.id in (conflicted_educator_ids(validator) if conflicts is None else conflicts):
        return False
    scope = scope_of(validator) if scope is None else scope
    return scope.covers(claim.badge_class.domain.code, claim.badge_class.role.code, owner.school_id)


def validators_of(district: District) -> list[User]:
    return members_with_role(district, SystemRole.VALIDATOR)


def _describe(facts: ScopeFacts, schools: dict[int, str]) -> str:
    where = (
        "the whole district"
        if facts.whole_district
        else (", ".join(sorted(schools.get(i, f"school {i}") for i in facts.school_ids)) or "no school")
    )
    return (
        f"domains: {', '.join(sorted(facts.domain_codes)) or 'none'}; "
        f"roles: {', '.join(sorted(facts.role_codes)) or 'none'}; organizations: {where}"
    )


def set_scope(
    admin: User,
    validator: User,
    domain_codes: Any,
    role_codes: Any,
    school_ids: Any,
    whole_district: bool,
    reason: str = "",
    lead: bool | None = None,
) -> ScopeFacts:
    """Replace the validator's scope. Codes must be in the district's framework, schools in the district.
    `lead` makes them a lead validator (who curates exemplar sets in scope) or not; None leaves it as it was."""
    if admin.district_id != validator.district_id or not admin.has_role(SystemRole.ADMIN):
        raise PermissionError(f"{admin!r} cannot change the scope of {validator!r}")
    errors: dict[str, list[str]] = {}
    if not validator.has_role(SystemRole.VALIDATOR):
        errors["validator"] = [f"{validator.name} does not have the validator role; give it to them first."]
    district = validator.district
    framework = district.framework
    known_domains = {d.code for d in framework.domains} if framework else set()
    known_roles = {r.code for r in framework.roles} if framework else set()
    domains = set(domain_codes or ())
    roles = set(role_codes or ())
    try:
        schools = {int(i) for i in school_ids or ()}
    except (TypeError, ValueError):
        schools = set()
        errors["schools"] = ["Schools are chosen by their ids (whole numbers)."]
    district_schools = {s.id: s.name for s in district.schools}
    if domains - known_domains:
        errors["domains"] = [
            f"Not a domain of {framework.title if framework else 'the district framework'}: "
            f"{', '.join(sorted(domains - known_domains))}."
        ]
    if roles - known_roles:
        errors["roles"] = [
            f"Not a professional role of the district's framework: {', '.join(sorted(roles - known_roles))}."
        ]
    if schools - set(district_schools):
        strangers = ", ".join(map(str, sorted(schools - set(district_schools))))
        errors["schools"] = [f"Not a school of {district.name}: id {strangers}."]
    reason = clean_text_into(errors, reason, field="reason", label="The reason", max_length=REASON_MAX)
    if errors:
        raise InvalidInput(errors)

    before = scope_of(validator)
    row = db.session.get(ValidatorScope, validator.id) or ValidatorScope(validator_id=validator.id, lead=False)
    was_lead = bool(row.lead)
    row.whole_district = bool(whole_district)
    if lead is not None:
        row.lead = bool(lead)
    row.domains = [ScopeDomain(domain_code=c) for c in sorted(domains)]
    row.roles = [ScopeRole(role_code=c) for c in sorted(roles)]
    row.schools = [ScopeSchool(school_id=i) for i in sorted(schools)]
    db.session.add(row)
    db.session.flush()
    after = scope_of(validator)
    audit.record(
        district,
        admin,
        "scope.changed",
        validator,
        f"Scope of {validator.name} changed from [{_describe(before, district_schools)}] "
        f"to [{_describe(after, district_schools)}].",
        reason,
    )
    if bool(row.lead) != was_lead:
        audit.record(
            district,
            admin,
            "scope.lead_changed",
            validator,
            f"{validator.name} is {'now' if row.lead else 'no longer'} a lead validator "
            "(who curates exemplar sets in their scope).",
            reason,
        )
    return after


def record_conflict(admin: User, validator: User, educator: User, reason: str) -> Conflict:
    if admin.district_id != validator.district_id or not admin.has_role(SystemRole.ADMIN):
        raise PermissionError(f"{admin!r} cannot record conflicts for {validator!r}")
    errors: dict[str, list[str]] = {}
    reason = clean_text_into(errors, reason, field="reason", label="The reason", max_length=REASON_MAX)
    if educator.district_id != validator.district_id:
        errors["educator"] = ["That person is not in your district."]
    elif educator.id == validator.id:
        errors["educator"] = ["A validator never reviews their own claims; no conflict needs recording."]
    if not reason and "reason" not in errors:
        errors["reason"] = ["Say what the conflict is (for example: spouse, direct report)."]
    if (
        not errors
        and db.session.scalar(
            select(Conflict).where(Conflict.validator_id == validator.id, Conflict.educator_id == educator.id)
        )
        is not None
    ):
        errors["educator"] = [f"A conflict between {validator.name} and {educator.name} is already recorded."]
    if errors:
        raise InvalidInput(errors)
    conflict = Conflict(validator_id=validator.id, educator_id=educator.id, reason=reason, recorded_by_id=admin.id)
    db.session.add(conflict)
    db.session.flush()
    audit.record(
        validator.district_id,
        admin,
        "conflict.recorded",
        conflict,
        f"Conflict recorded: {validator.name} will not review claims by {educator.name}.",
        reason,
    )
    return conflict


def remove_conflict(admin: User, conflict: Conflict, reason: str = "") -> None:
    if admin.district_id != conflict.validator.district_id or not admin.has_role(SystemRole.ADMIN):
        raise PermissionError(f"{admin!r} cannot remove conflict {conflict.id}")
    reason = clean_text(reason, field="reason", label="The reason", max_length=REASON_MAX)
    audit.record(
        conflict.validator.district_id,
        admin,
        "conflict.removed",
        conflict,
        f"Conflict removed: {conflict.validator.name} may again review claims by {conflict.educator.name}.",
        reason,
    )
    db.session.delete(conflict)
    db.session.flush()


def conflicts_in(district: District) -> list[Conflict]:
    return list(
        db.session.scalars(
            select(Conflict)
            .join(User, Conflict.validator_id == User.id)
            .where(User.district_id == district.id)
            .order_by(Conflict.created_at.desc(), Conflict.id.desc())
        )
    )


def school_names(district: District) -> dict[int, str]:
    return {s.id: s.name for s in db.session.scalars(select(School).where(School.district_id == district.id))}
