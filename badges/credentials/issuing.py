"""Issuing an award as credentials: the VC-JWT and the Data Integrity JSON-LD, signed once and kept.

Called in the transaction that creates the award, so an award never exists without its
credential (awards made before credentials existed are issued on first use, by `ensure_issued`).
"""

from __future__ import annotations

import calendar
import json
import secrets
import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..catalogue.badge_classes import policy_for
from ..extensions import db
from ..models import Award, District, KeyAlgorithm, utcnow
from . import data_integrity, keys, urls, vc_jwt
from .credential import build_credential, timestamp

# W3C Bitstring Status List: at least 131,072 entries, so one list says little about any one holder;
# indexes are drawn at random for the same reason.
STATUS_LIST_BITS = 131_072


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _free_status_index(district_id: int) -> int:
    for _ in range(64):
        index = secrets.randbelow(STATUS_LIST_BITS)
        taken = db.session.scalar(select(Award.id).where(Award.district_id == district_id, Award.status_index == index))
        if taken is None:
            return index
    raise RuntimeError("the revocation status list is full; start a new list")  # pragma: no cover


def issue(award: Award) -> Award:
    """Give the award its credential identity and sign both forms."""
    district = award.user.district
    award.district_id = district.id
    award.credential_uuid = str(uuid.uuid4())
    award.recipient_salt = secrets.token_hex(16)
    award.valid_from = award.awarded_at.replace(microsecond=0)
    months = policy_for(award.badge_class.framework).validity_months
    award.valid_until = add_months(award.valid_from, months) if months else None
    award.status_index = _free_status_index(district.id)
    sign(award)
    return award


def sign(award: Award) -> None:
    """(Re)sign both forms from the award as it is now (e.g. after the holder chose to show their name)."""
    credential = build_credential(award)
    jwt_key = keys.active_key(KeyAlgorithm(current_app.config["JWT_ALGORITHM"]))
    # Each form names the status list secured the same way: a JWT verifier checks a JWT list.
    award.jwt = vc_jwt.sign(build_credential(award, urls.status_list_jwt(award.user.district)), jwt_key)
    award.jwt_kid = jwt_key.kid
    award.data_integrity = json.dumps(sign_data_integrity(credential, award), ensure_ascii=False, separators=(",", ":"))
    db.session.flush()


def sign_data_integrity(document: dict[str, Any], award_or_district: Award | District) -> dict[str, Any]:
    """The document with an eddsa-rdfc-2022 proof by the issuer's verification method (active Ed25519 key)."""
    district = award_or_district.user.district if isinstance(award_or_district, Award) else award_or_district
    key = keys.active_key(KeyAlgorithm.ED25519)
    return data_integrity.sign(
        document, keys.private_key_of(key), urls.verification_method(district, key.kid), timestamp(utcnow())
    )


def ensure_issued(award: Award) -> Award:
    if award.credential_uuid is None:
        issue(award)
    return award
