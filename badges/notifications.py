"""Telling people what happened to their claims: a note on their home page, and an email."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from .extensions import db
from .mail import Mail, send_after_commit
from .models import Claim, Notification, User, utcnow

UNREAD_SHOWN = 20


def notify_claim_owner(claim: Claim, message: str) -> Notification:
    """A home-page note for the claim's owner, and the same by email once the transaction commits."""
    note = Notification(user_id=claim.user_id, claim_id=claim.id, message=message)
    db.session.add(note)
    base = current_app.config["BADGES_PUBLIC_URL"]
    send_after_commit(
        db.session(),
        Mail(
            to=claim.user.email,
            subject=f"Your badge claim: {claim.badge_class.name}",
            body=f"{message}\n\nSee the claim: {base}/educator/claims/{claim.id}\n",
        ),
    )
    return note


def unread_notifications(user: User) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.id.desc())
            .limit(UNREAD_SHOWN)
        )
    )


def mark_all_read(user: User, now: datetime | None = None) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    return getattr(result, "rowcount", 0) or 0  # an UPDATE's result is a CursorResult
