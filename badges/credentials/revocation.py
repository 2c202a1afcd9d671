"""Revoking an award: who may, what is recorded, and what the holder is told."""

from __future__ import annotations

from .. import audit
from ..educator.common import InvalidInput, StateConflict
from ..extensions import db
from ..models import Award, SystemRole, User, utcnow
from ..notifications import notify_claim_owner
from ..validation.scope import claim_in_scope
from . import status_list

REASON_MAX = 2000


def can_revoke(user: User, award: Award) -> bool:
    """A validator whose scope covers the award's claim, or an admin of the issuing district."""
    if user is None or not getattr(user, "is_active", False) or not isinstance(user, User):
        return False
    if user.has_role(SystemRole.ADMIN) and user.district_id == award.user.district_id:
        return True
    return user.has_role(SystemRole.VALIDATOR) and claim_in_scope(user, award.claim)


def revoke(actor: User, award: Award, reason: str) -> Award:
    if not can_revoke(actor, award):
        raise PermissionError(f"{actor!r} may not revoke award {award.id}")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why the badge is revoked: the holder and the audit log will read it.", "reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"Keep the reason to {REASON_MAX:,} characters.", "reason")
    if award.revoked_at is not None:
        raise StateConflict("This badge is already revoked.", "status")
    award.revoked_at, award.revoked_reason, award.revoked_by_id = utcnow(), reason, actor.id
    db.session.flush()
    status_list.refresh(award.user.district)  # the lists verifiers fetch: signed again now, once
    name = award.badge_class.name
    audit.record(award.user.district_id, actor, "award.revoked", award,
                 f"{actor.name} revoked “{name}” held by {award.user.name}.", reason)
    notify_claim_owner(award.claim, f"Your badge “{name}” was revoked: {reason}")
    return award
