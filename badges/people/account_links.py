"""Invitation and password-reset links: signed, expiring and single use, with no table of tokens.

A link's token is signed with SECRET_KEY (itsdangerous, salted per purpose, so a reset link is never
taken for an invitation) and holds the person's id, the purpose and a fingerprint of their password
hash and session version. Setting a password changes both, and so do signing out, deactivation and
"sign out everywhere": the link then stops working, so it works once. Its age comes from the signed
timestamp: an invitation lasts 7 days (a person may be away for a week), a reset 1 hour (whoever can
read the mail can take the account, so the window is short).

The links themselves are made by the caller (`link_for(purpose, token)`, from BADGES_PUBLIC_URL:
badges.credentials.urls), since this layer knows no routes. Mail goes out after the commit
(badges.mail). Plain functions of their arguments: they flush, the caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from .. import audit
from ..base import InvalidInput, StateConflict, parse_id
from ..extensions import db
from ..mail import Mail, send_after_commit
from ..models import User, utcnow
from . import operations

LinkFor = Callable[[str, str], str]  # (purpose, token) -> the absolute URL a mail names


@dataclass(frozen=True)
class Purpose:
    name: str
    max_age: timedelta
    lasts: str  # in words, for the mail and the pages

    @property
    def seconds(self) -> int:
        return int(self.max_age.total_seconds())


INVITATION = Purpose("invitation", timedelta(days=7), "7 days")
RESET = Purpose("reset", timedelta(hours=1), "1 hour")


class LinkRefused(InvalidInput):
    """The link cannot be used; `reason` is one of invalid, expired, used, deactivated."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, field="token")
        self.reason = reason


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"badges.account-link.{purpose.name}")


def fingerprint(user: User) -> str:
    """Changes whenever the password or the session version does. Keyed, so a token (readable by
    whoever holds it) says nothing about the hash."""
    key = current_app.config["SECRET_KEY"].encode()
    state = f"{user.password_hash or ''}|{user.session_version}".encode()
    return hmac.new(key, state, hashlib.sha256).hexdigest()[:32]


def make_token(user: User, purpose: Purpose) -> str:
    return _serializer(purpose).dumps({"user": user.id, "purpose": purpose.name, "state": fingerprint(user)})


def person_for(token: str, purpose: Purpose) -> User:
    """The person a link names, if it may still be used; LinkRefused saying why not."""
    again = "Ask for a new link." if purpose is RESET else "Ask your administrator to send a new invitation."
    try:
        data = _serializer(purpose).loads(token, max_age=purpose.seconds)
    except SignatureExpired:
        raise LinkRefused("expired", f"This link has expired: it lasts {purpose.lasts}. {again}") from None
    except BadSignature:
        raise LinkRefused("invalid", f"This link is not valid: it may be cut short or mistyped. {again}") from None
    user_id = parse_id(data.get("user")) if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if user_id is not None and data.get("purpose") == purpose.name else None
    if user is None:
        raise LinkRefused("invalid", f"This link is not valid. {again}")
    if not user.active:
        raise LinkRefused("deactivated", "This account is deactivated: ask your district's administrator.")
    if not hmac.compare_digest(str(data.get("state")), fingerprint(user)):
        raise LinkRefused("used", f"This link has already been used, or the password has changed since. {again}")
    return user


def use_link(token: str, purpose: Purpose, password: str) -> User:
    """Set the password a link is for; the link (and every session) stops working. Returns the person."""
    user = person_for(token, purpose)
    how = "through an invitation link" if purpose is INVITATION else "through a password reset link"
    if problem := operations.password_problem(password, user.email):
        raise InvalidInput(operations.sentence(problem), field="new_password")
    operations.set_password(user, password, actor=user, how=how)
    return user


def _link(user: User, purpose: Purpose, link_for: LinkFor) -> str:
    return link_for(purpose.name, make_token(user, purpose))


def invite(actor: User | None, person: User, link_for: LinkFor) -> None:
    """Send (or send again) an invitation to set a password: for an active account without one."""
    operations.check_admin_of(actor, person, "invite")
    if not person.active:
        raise StateConflict(f"{person.name} is deactivated: reactivate the account before inviting them.")
    if person.password_hash is not None:
        raise StateConflict(f"{person.name} already has a password: send a password reset link instead.")
    again = person.invited_at is not None
    person.invited_at = utcnow()
    district = person.district.name
    body = (
        f"Hello {person.name},\n\n{district} has made you an account for educator competency badges, "
        "where you rate yourself against the competency framework, keep evidence and claim badges.\n\n"
        f"Choose your password here (the link works once, for {INVITATION.lasts}):\n\n"
        f"{_link(person, INVITATION, link_for)}\n\nYour sign-in name is {person.email}.\n"
    )
    send_after_commit(
        db.session(), Mail(person.email, f"You are invited to {district}'s educator competency badges", body)
    )
    db.session.flush()
    audit.record(
        person.district_id,
        actor,
        "account.invited",
        person,
        f"{'Invitation sent again' if again else 'Invitation sent'} to {person.name} <{person.email}>.",
    )


def send_reset(person: User, link_for: LinkFor, actor: User | None = None) -> None:
    """Mail a reset link to an active person: asked by an admin (`actor`, audited) or by the person."""
    if actor is not None:
        operations.check_admin_of(actor, person, "send a reset link to")
    if not person.active:
        raise StateConflict(f"{person.name} is deactivated: reactivate the account before sending a reset link.")
    body = (
        f"Someone, probably you, asked to reset the password of {person.email} for educator competency badges.\n\n"
        f"Choose a new password here (the link works once, for {RESET.lasts}):\n\n"
        f"{_link(person, RESET, link_for)}\n\nIf it was not you, ignore this mail: your password stays as it is.\n"
    )
    send_after_commit(db.session(), Mail(person.email, "Reset your password", body))
    if actor is not None:
        audit.record(
            person.district_id,
            actor,
            "account.reset_sent",
            person,
            f"Password reset link sent to {person.name} <{person.email}>.",
        )


def forgotten(email: str, link_for: LinkFor) -> None:
    """Someone typed this address into "Forgot your password?". The same work whether or not it is an
    active account's (one lookup, one token signed), and no answer: the page says the same words."""
    # One query either way: the roles (loaded by a second query by default) are not needed here.
    query = select(User).where(User.email == operations.normalize_email(email)).options(lazyload(User.role_rows))
    found = db.session.scalar(query)
    if found is not None and found.active:
        send_reset(found, link_for)
    else:
        _serializer(RESET).dumps({"user": 0, "purpose": RESET.name, "state": "0" * 32})  # the cost of the one not made
