"""Claims: an educator asks for a badge with a statement and the evidence that supports it.

Each operation takes the acting educator, checks everything before writing, writes the audit
event in the same transaction, and only flushes; the caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..base import MAX_ID, InvalidInput, StateConflict, clean_text, clean_text_into
from ..catalogue.badge_classes import level_of, policy_for
from ..educator.common import framework_and_role
from ..extensions import db
from ..models import (
    Award,
    BadgeClass,
    Claim,
    ClaimRevision,
    ClaimStatus,
    Domain,
    EvidenceItem,
    ProfessionalRole,
    Review,
    User,
    utcnow,
)
from .snapshots import snapshot_of

STATEMENT_MAX = 5000
REASON_MAX = 2000
EVIDENCE_MAX = 20
# A badge held can be claimed again (renewed) this close to its expiry, or once it expired or was revoked.
RENEWAL_WINDOW_DAYS = 60


def list_my_claims(owner: User) -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim)
            .where(Claim.user_id == owner.id)
            .options(
                selectinload(Claim.badge_class).selectinload(BadgeClass.domain),
                selectinload(Claim.revisions),
                selectinload(Claim.reviews).selectinload(Review.validator),
            )
            .order_by(Claim.created_at.desc(), Claim.id.desc())
        )
    )


def my_awards(owner: User) -> list[Award]:
    return list(
        db.session.scalars(
            select(Award)
            .where(Award.user_id == owner.id)
            .options(selectinload(Award.badge_class).selectinload(BadgeClass.domain))
            .order_by(Award.awarded_at.desc(), Award.id.desc())
        )
    )


def _awards_of_badge(owner: User, domain_code: str, role_code: str, level: int) -> Select[Award]:
    """The person's awards of this domain, role and level, on any version of the framework."""
    return (
        select(Award)
        .join(BadgeClass, Award.badge_class_id == BadgeClass.id)
        .join(Domain, BadgeClass.domain_id == Domain.id)
        .join(ProfessionalRole, BadgeClass.role_id == ProfessionalRole.id)
        .where(
            Award.user_id == owner.id,
            Domain.code == domain_code,
            ProfessionalRole.code == role_code,
            BadgeClass.level == level,
        )
    )


def _live(query: Select[Award], valid_after: datetime) -> Select[Award]:
    """Only awards not revoked and still valid after `valid_after`."""
    return query.where(Award.revoked_at.is_(None), or_(Award.valid_until.is_(None), Award.valid_until > valid_after))


def holds_badge(owner: User, domain_code: str, role_code: str, level: int, now: datetime | None = None) -> bool:
    """Does the person hold this domain, role and level now: an award neither revoked nor expired?"""
    query = _live(_awards_of_badge(owner, domain_code, role_code, level), now or utcnow())
    return db.session.scalar(query.with_only_columns(Award.id).limit(1)) is not None


def latest_award(owner: User, domain_code: str, role_code: str, level: int) -> Award | None:
    """The most recent award of this badge to the person, live or not: what a renewal renews."""
    return db.session.scalar(
        _awards_of_badge(owner, domain_code, role_code, level)
        .order_by(Award.awarded_at.desc(), Award.id.desc())
        .limit(1)
    )


def create_claim(owner: User, badge_class_id: Any, statement: Any, evidence_ids: Any) -> Claim:
    errors: dict[str, list[str]] = {}
    badge_class = _check_badge_class(owner, badge_class_id, errors)
    statement = _check_statement(statement, errors)
    evidence = _check_evidence(owner, evidence_ids, errors)
    renews = None
    if badge_class is not None and "badge_class" not in errors:
        renews = _check_claimable(owner, badge_class, errors)
    if errors or badge_class is None:
        raise InvalidInput(errors)
    policy = policy_for(badge_class.framework)
    claim = Claim(
        user=owner,
        badge_class=badge_class,
        status=ClaimStatus.SUBMITTED,
        approvals_required=policy.approvals_for(badge_class.level),
        renewal_of=renews,
    )
    claim.revisions.append(
        ClaimRevision(number=1, statement=statement, evidence=evidence, evidence_snapshot=snapshot_of(evidence))
    )
    db.session.add(claim)
    _flush_or_conflict(f"You already have an open claim for “{badge_class.name}”.")
    renewal = f" (renewal of {describe_renewed(renews)})" if renews is not None else ""
    audit.record(
        owner.district_id,
        owner,
        "claim.submitted",
        claim,
        f"{owner.name} claimed “{badge_class.name}”{renewal} citing {len(evidence)} evidence item(s).",
    )
    return claim


def describe_renewed(award: Award, now: datetime | None = None) -> str:
    """The award a renewal renews, in words: 'the award of 2026-01-05, revoked on 2026-03-01'."""
    now = now or utcnow()
    said = f"the award of {award.awarded_at:%Y-%m-%d}"
    if award.revoked_at is not None:
        return f"{said}, revoked on {award.revoked_at:%Y-%m-%d}"
    if award.valid_until is not None:
        verb = "expired" if award.is_expired(now) else "expires"
        return f"{said}, which {verb} on {award.valid_until:%Y-%m-%d}"
    return said


def resubmit_claim(owner: User, claim: Claim, statement: Any, evidence_ids: Any) -> ClaimRevision:
    """After a validator returned the claim: a new revision, the old one kept as it was."""
    _require_owner(owner, claim)
    if claim.status is not ClaimStatus.RETURNED:
        raise StateConflict(
            f"Only a claim returned for more evidence can be resubmitted; this one is {claim.status.label.lower()}.",
            "status",
        )
    errors: dict[str, list[str]] = {}
    statement = _check_statement(statement, errors)
    evidence = _check_evidence(owner, evidence_ids, errors)
    if errors:
        raise InvalidInput(errors)
    snapshot = snapshot_of(evidence)
    if statement == claim.current.statement and snapshot == claim.current.evidence_snapshot:
        raise InvalidInput(
            {
                "statement": [
                    "Nothing has changed since the validator returned this claim: revise the statement, "
                    "cite other evidence or edit the evidence cited, then resubmit."
                ]
            }
        )
    revision = ClaimRevision(
        number=claim.current.number + 1, statement=statement, evidence=evidence, evidence_snapshot=snapshot
    )
    claim.revisions.append(revision)
    claim.status = ClaimStatus.SUBMITTED
    _flush_or_conflict("This claim changed while you were revising it; reload it and try again.")
    audit.record(
        owner.district_id,
        owner,
        "claim.resubmitted",
        claim,
        f"{owner.name} resubmitted the claim for “{claim.badge_class.name}” (revision {revision.number}, "
        f"{len(evidence)} evidence item(s)).",
    )
    return revision


def check_withdrawal(owner: User, claim: Claim, reason: Any = "") -> str:
    """The cleaned reason, if the claim can be withdrawn now (a page asks to confirm only then)."""
    _require_owner(owner, claim)
    reason = clean_text(reason, field="reason", label="The reason", max_length=REASON_MAX, multiline=True)
    if not claim.status.is_open:
        raise StateConflict(f"This claim is {claim.status.label.lower()} and can no longer be withdrawn.", "status")
    return reason


def withdraw_claim(owner: User, claim: Claim, reason: str = "") -> Claim:
    reason = check_withdrawal(owner, claim, reason)
    claim.status = ClaimStatus.WITHDRAWN
    _flush_or_conflict("This claim was decided while you were withdrawing it; reload it to see the outcome.")
    audit.record(
        owner.district_id,
        owner,
        "claim.withdrawn",
        claim,
        f"{owner.name} withdrew the claim for “{claim.badge_class.name}”.",
        reason,
    )
    return claim


# -- checks ------------------------------------------------------------------------------


def _require_owner(owner: User, claim: Claim) -> None:
    if claim.user_id != owner.id:
        raise PermissionError(f"{owner!r} does not own claim {claim.id}")


def _flush_or_conflict(message: str) -> None:
    """Flush; a unique index or a version check that trips means someone else got there first."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except (IntegrityError, StaleDataError):
        raise StateConflict(message, "status") from None


def _check_badge_class(owner: User, badge_class_id: Any, errors: dict[str, list[str]]) -> BadgeClass | None:
    try:
        framework, role = framework_and_role(owner)
    except InvalidInput as exc:
        errors["badge_class"] = [m for ms in exc.errors.values() for m in ms]
        return None
    try:
        badge_id = int(badge_class_id)
    except (TypeError, ValueError):
        errors["badge_class"] = ["Choose the badge to claim."]
        return None
    badge_class = db.session.get(BadgeClass, badge_id) if 0 < badge_id <= MAX_ID else None
    if badge_class is None or badge_class.framework_id != framework.id:
        errors["badge_class"] = [f"There is no badge {badge_id} in your district's framework ({framework.title})."]
        return None
    if badge_class.role_id != role.id:
        errors["badge_class"] = [
            f"“{badge_class.name}” is for the {badge_class.role.name.lower()} role; yours is {role.name.lower()}."
        ]
    return badge_class


def _check_claimable(owner: User, badge_class: BadgeClass, errors: dict[str, list[str]]) -> Award | None:
    """Record why the badge cannot be claimed now in `errors`; return the award a renewal renews."""
    domain, role, now = badge_class.domain.code, badge_class.role.code, utcnow()
    window = now + timedelta(days=RENEWAL_WINDOW_DAYS)
    held = db.session.scalar(
        _live(_awards_of_badge(owner, domain, role, badge_class.level), window)
        .order_by(Award.valid_until.is_(None).desc(), Award.valid_until.desc())
        .limit(1)
    )
    if held is not None:
        message = f"You already hold “{badge_class.name}”."
        if held.valid_until is not None:
            opens = held.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS)
            message += (
                f" It is valid until {held.valid_until:%Y-%m-%d}; you can renew it from {opens:%Y-%m-%d} "
                f"({RENEWAL_WINDOW_DAYS} days before it expires)."
            )
        errors["badge_class"] = [message]
        return None
    open_claim = db.session.scalar(
        select(Claim.id).where(
            Claim.user_id == owner.id,
            Claim.badge_class_id == badge_class.id,
            Claim.status.in_([ClaimStatus.SUBMITTED, ClaimStatus.RETURNED]),
        )
    )
    if open_claim is not None:
        errors["badge_class"] = [f"You already have an open claim for “{badge_class.name}” (claim {open_claim})."]
        return None
    policy = policy_for(badge_class.framework)
    if (
        policy.requires_previous_level
        and badge_class.level > 1
        and not holds_badge(owner, domain, role, badge_class.level - 1, now)
    ):
        below = next(lv for lv in badge_class.framework.levels if lv.value == badge_class.level - 1)
        errors["badge_class"] = [
            f"Your district asks for {below.name} ({below.value}) in "
            f"{badge_class.domain.name} before {level_of(badge_class).name}; claim that first."
        ]
        return None
    return latest_award(owner, domain, role, badge_class.level)


def _check_statement(statement: Any, errors: dict[str, list[str]]) -> str:
    statement = clean_text_into(
        errors, statement, field="statement", label="The statement", max_length=STATEMENT_MAX, multiline=True
    )
    if not statement and "statement" not in errors:
        errors["statement"] = ["Say why your evidence shows this level: what you did and what came of it."]
    return statement


def _check_evidence(owner: User, evidence_ids: Any, errors: dict[str, list[str]]) -> list[EvidenceItem]:
    try:
        ids = list(dict.fromkeys(int(i) for i in evidence_ids or ()))
    except (TypeError, ValueError):
        errors["evidence"] = ["Evidence is chosen by its ids (whole numbers)."]
        return []
    if not ids:
        errors["evidence"] = ["Choose at least one item of your evidence that supports the claim."]
        return []
    if len(ids) > EVIDENCE_MAX:
        errors["evidence"] = [f"Choose at most {EVIDENCE_MAX} items: the ones that show the level best."]
        return []
    found = {
        item.id: item
        for item in db.session.scalars(
            select(EvidenceItem).where(
                EvidenceItem.id.in_([i for i in ids if 0 < i <= MAX_ID]), EvidenceItem.user_id == owner.id
            )
        )
    }
    missing = [str(i) for i in ids if i not in found]
    if missing:
        errors["evidence"] = [f"Not evidence in your portfolio: id {', '.join(missing)}."]
        return []
    return [found[i] for i in ids]
