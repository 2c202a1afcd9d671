"""Sharing an award beyond its share page: LinkedIn's "Add to profile", and the holder's public profile.

The public profile is off until the holder turns it on: then it gets a random address (a UUID in
users.public_profile_id, so nobody can guess it from a name or an id) and lists only the awards they
marked (awards.on_profile). Turning it off clears the address, so an old link answers 404 for good;
turning it on again makes a new one. Only awards in force are listed: a revoked or expired badge drops
off the profile (its share page still says what happened to it), so the profile never claims more
than a verifier would confirm today.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..extensions import db
from ..models import Award, BadgeClass, User, utcnow
from . import urls

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def linkedin_parameters(award: Award) -> dict[str, str]:
    """The certification LinkedIn pre-fills: the badge, the issuing district, the month it was issued,
    the share page (which says whether it is valid now) and the credential id."""
    assert award.credential_uuid and award.valid_from, f"award {award.id} is not issued"
    parameters = {
        "startTask": "CERTIFICATION_NAME",
        "name": award.badge_class.name,
        "organizationName": award.user.district.name,
        "issueYear": str(award.valid_from.year),
        "issueMonth": str(award.valid_from.month),
        "certUrl": urls.credential_page(award.credential_uuid),
        "certId": award.credential_uuid,
    }
    if award.valid_until is not None:
        parameters |= {"expirationYear": str(award.valid_until.year), "expirationMonth": str(award.valid_until.month)}
    return parameters


def linkedin_url(award: Award) -> str:
    return f"{LINKEDIN_ADD}?{urlencode(linkedin_parameters(award))}"


def profile_url(owner: User) -> str | None:
    return f"{urls.base()}/profiles/{owner.public_profile_id}" if owner.public_profile_id else None


def set_public_profile(owner: User, on: bool) -> bool:
    """Turn the owner's public profile on (a new random address) or off (the address is gone).
    Returns whether anything changed; flushes, the caller commits."""
    on = bool(on)
    if (owner.public_profile_id is not None) == on:
        return False
    owner.public_profile_id = str(uuid.uuid4()) if on else None
    db.session.flush()
    audit.record(
        owner.district_id,
        owner,
        "profile.shown" if on else "profile.hidden",
        owner,
        f"{owner.name} turned {'on' if on else 'off'} their public profile.",
    )
    return True


def set_on_profile(owner: User, award: Award, on: bool) -> bool:
    """List the award on the owner's public profile or not. Returns whether anything changed."""
    if award.user_id != owner.id:
        raise PermissionError(f"{owner!r} does not hold award {award.id}")
    on = bool(on)
    if award.on_profile == on:
        return False
    award.on_profile = on
    db.session.flush()
    audit.record(
        owner.district_id,
        owner,
        "award.on_profile" if on else "award.off_profile",
        award,
        f"{owner.name} {'listed' if on else 'removed'} “{award.badge_class.name}” "
        f"{'on' if on else 'from'} their public profile.",
    )
    return True


def profile_owner(profile_id: str) -> User | None:
    """The active person whose public profile has this address, or None (also for anything not a UUID)."""
    if not isinstance(profile_id, str) or not _UUID.fullmatch(profile_id):
        return None
    return db.session.scalar(select(User).where(User.public_profile_id == profile_id, User.active.is_(True)))


def in_force(award: Award, now: datetime) -> bool:
    return award.credential_uuid is not None and award.revoked_at is None and not award.is_expired(now)


def profile_awards(owner: User, now: datetime | None = None) -> list[Award]:
    """The awards the owner marked for their profile that are in force now, newest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Award)
            .where(
                Award.user_id == owner.id,
                Award.on_profile.is_(True),
                Award.credential_uuid.is_not(None),
                Award.revoked_at.is_(None),
                or_(Award.valid_until.is_(None), Award.valid_until > now),
            )
            .options(selectinload(Award.badge_class).selectinload(BadgeClass.domain))
            .order_by(Award.awarded_at.desc(), Award.id.desc())
        )
    )
