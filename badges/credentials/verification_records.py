"""What verification reads from our records, read cheaply: one indexed query per verification.

- The award's live state (revoked?, validity, whether the name is shown) is read fresh every time, by
  credential id, in one query (awards joined to the holder).
- What the badge says (badge, domain, level, role, issuer, approving validators) does not change once
  awarded, so it is kept per credential id for a few minutes (bounded, per process).
- The signing keys' status (active, retired, removed) is kept for a few seconds: a removal made in this
  process shows at once, one made by another instance within KEY_TTL seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, event, select

from ..extensions import db
from ..models import (
    Award,
    BadgeClass,
    ClaimRevision,
    District,
    Domain,
    KeyAlgorithm,
    KeyStatus,
    Level,
    ProfessionalRole,
    Review,
    ReviewDecision,
    SigningKey,
    User,
)
from . import keys

KEY_TTL = 5.0  # seconds a key's status is trusted before it is read again
ABOUT_TTL = 300.0  # seconds what a badge says is kept (a renamed district shows within this)
CACHE_SIZE = 4096


class TTLCache:
    """A thread-safe LRU whose entries expire `ttl` seconds after they were stored."""

    def __init__(self, size: int, ttl: float):
        self.size, self.ttl, self.lock = size, ttl, threading.Lock()
        self.items: OrderedDict[Any, tuple[float, Any]] = OrderedDict()

    def get(self, key: Any) -> Any:
        with self.lock:
            entry = self.items.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return entry[1]

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + self.ttl, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


@dataclass(frozen=True)
class About:
    """What an award's badge says; fixed once it is awarded."""

    badge: str
    domain: str
    level: int
    level_name: str
    professional_role: str
    issuer_name: str
    issuer_slug: str
    validated_by: tuple[str, ...]


@dataclass(frozen=True)
class AwardState:
    """An award as verification needs it: the live columns, and what the badge says."""

    credential_uuid: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None
    recipient: str | None  # the holder's name, only when they chose to show it
    about: About


@dataclass(frozen=True)
class KeyState:
    algorithm: KeyAlgorithm
    status: KeyStatus
    public_key: object


_abouts = TTLCache(CACHE_SIZE, ABOUT_TTL)
_keys = TTLCache(256, KEY_TTL)


def _statements() -> tuple[Any, Any, Any]:
    """Built once: the per-request query is plain Core on the tables, so no ORM work per verification."""
    awards, users = Award.__table__.c, User.__table__.c
    state = (
        select(
            awards.id,
            awards.claim_id,
            awards.valid_from,
            awards.valid_until,
            awards.revoked_at,
            awards.revoked_reason,
            awards.show_name,
            users.name,
        )
        .join_from(Award.__table__, User.__table__, users.id == awards.user_id)
        .where(awards.credential_uuid == bindparam("uuid"))
    )
    about = (
        select(
            BadgeClass.name,
            Domain.name,
            BadgeClass.level,
            Level.name,
            ProfessionalRole.name,
            District.name,
            District.slug,
        )
        .select_from(Award)
        .join(BadgeClass, BadgeClass.id == Award.badge_class_id)
        .join(Domain, Domain.id == BadgeClass.domain_id)
        .join(ProfessionalRole, ProfessionalRole.id == BadgeClass.role_id)
        .join(Level, and_(Level.framework_id == BadgeClass.framework_id, Level.value == BadgeClass.level))
        .join(User, User.id == Award.user_id)
        .join(District, District.id == User.district_id)
        .where(Award.id == bindparam("award_id"))
    )
    # The approvals of the revision that was awarded (the claim's last), in the order they were made.
    current = (
        select(ClaimRevision.id)
        .where(ClaimRevision.claim_id == bindparam("claim_id"))
        .order_by(ClaimRevision.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    approvers = (
        select(User.name)
        .select_from(Review)
        .join(User, User.id == Review.validator_id)
        .where(
            Review.claim_id == bindparam("claim_id"),
            Review.decision == ReviewDecision.APPROVE,
            Review.revision_id == current,
        )
        .order_by(Review.id)
    )
    return state, about, approvers


_STATE, _ABOUT, _APPROVERS = _statements()


def _load_about(award_id: int, claim_id: int) -> About | None:
    connection = db.session.connection()
    row = connection.execute(_ABOUT, {"award_id": award_id}).first()
    if row is None:
        return None
    approvers = connection.execute(_APPROVERS, {"claim_id": claim_id}).scalars().all()
    return About(*row, validated_by=tuple(approvers))  # type: ignore[misc]  # row: the fields before it


def _about(award_id: int, claim_id: int, credential_uuid: str | None) -> About | None:
    about = _abouts.get(credential_uuid) if credential_uuid else None
    if about is None:
        about = _load_about(award_id, claim_id)
        if about is not None and credential_uuid:
            _abouts.put(credential_uuid, about)
    return about


def award_state(credential_uuid: str) -> AwardState | None:
    """The award with this credential id (one indexed query; what the badge says comes from the cache)."""
    row = db.session.connection().execute(_STATE, {"uuid": credential_uuid}).first()
    if row is None:
        return None
    award_id, claim_id, valid_from, valid_until, revoked_at, revoked_reason, show_name, name = row
    about = _about(award_id, claim_id, credential_uuid)
    if about is None:  # pragma: no cover - the award was deleted between the two reads
        return None
    return AwardState(
        credential_uuid, valid_from, valid_until, revoked_at, revoked_reason, name if show_name else None, about
    )


def state_of(award: Award) -> AwardState:
    """The same, for an award already loaded (its pages)."""
    return AwardState(
        award.credential_uuid,
        award.valid_from,
        award.valid_until,
        award.revoked_at,
        award.revoked_reason,
        award.user.name if award.show_name else None,
        _about(award.id, award.claim_id, award.credential_uuid),  # type: ignore[arg-type]
    )


def key_state(kid: str) -> KeyState | None:
    """The key's algorithm, status and public key; None for a kid that is not ours."""
    if not isinstance(kid, str) or not kid or len(kid) > 64 or "\x00" in kid:
        return None  # (PostgreSQL refuses NUL in text: such a kid is simply unknown)
    state = _keys.get(kid)
    if state is None:
        key = keys.get_key(kid)
        if key is None:
            return None
        state = KeyState(
            key.algorithm, key.status, keys.public_key_of(key) if key.status is not KeyStatus.REMOVED else None
        )
        _keys.put(kid, state)
    return state


def forget_keys(*_args: Any) -> None:
    _keys.clear()


# A key created, retired or removed in this process counts at once.
for _event in ("after_insert", "after_update", "after_delete"):
    event.listen(SigningKey, _event, forget_keys)
