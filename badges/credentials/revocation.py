"""Revoking an award: what is recorded, and what the holder is told.

Who may revoke is badges.permissions.can_revoke; callers load the award through it (badges.access),
since this package sits below the permission rules and cannot import them.
"""

from __future__ import annotations

from .. import audit
from ..base import InvalidInput, StateConflict, clean_text
from ..extensions import db
from ..models import Award, User, utcnow
from ..notifications import notify_claim_owner
from . import status_list

REASON_MAX = 2000


def revocation_reason(award: Award, reason: str | None) -> str:
    """The cleaned reason if the award can be revoked with it; InvalidInput (400) or StateConflict (409)
    otherwise. Writes nothing, so a page can check before it asks for confirmation."""
    reason = clean_text(reason, field="reason", label="The reason", max_length=REASON_MAX, multiline=True)
    if not reason:
        raise InvalidInput("Say why the badge is revoked: the holder and the audit log will read it.", "reason")
    if award.revoked_at is not None:
        raise StateConflict("This badge is already revoked.", "status")
    return reason


def revoke(actor: User, award: Award, reason: str | None) -> Award:
    """Revoke the award with a reason (the caller has checked can_revoke); flushes, the caller commits."""
    reason = revocation_reason(award, reason)
    award.revoked_at, award.revoked_reason, award.revoked_by_id = utcnow(), reason, actor.id
    db.session.flush()
    status_list.refresh(award.user.district)  # the lists verifiers fetch: signed again now, once
    name = award.badge_class.name
    audit.record(
        award.user.district_id,
        actor,
        "award.revoked",
        award,
        f"{actor.name} revoked “{name}” held by {award.user.name}.",
        reason,
    )
    notify_claim_owner(award.claim, f"Your badge “{name}” was revoked: {reason}")
    return award
