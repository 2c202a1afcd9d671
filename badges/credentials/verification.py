"""Verifying what we issued, for anyone: a VC-JWT, a Data Integrity credential, or a baked image.

The answer names each check (signature, issuer known, not before, not expired, not revoked) with
its outcome and reason, and a summary of the badge. Nothing a token or credential names is ever
fetched: keys come from our database, and only URLs under BADGES_PUBLIC_URL count as ours.

A site re-checking the same token is the common case, so the outcome of the signature check is
kept per token digest (bounded, per process); the revocation status, expiry and the key's status
are read fresh every time.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Award, Claim, District, KeyAlgorithm, KeyStatus, Review, ReviewDecision, utcnow
from . import data_integrity, keys, urls, vc_jwt
from .baking import BakedImageError, extract_any

CHECKS = ("signature", "issuer known", "not before", "not expired", "not revoked")
CLOCK_SKEW = timedelta(seconds=60)
CACHE_SIZE = 4096


@dataclass
class Check:
    name: str
    passed: bool | None  # None: not reached, because an earlier check failed
    detail: str


@dataclass
class Verification:
    valid: bool
    format: str                     # "vc-jwt", "data-integrity" or "unknown"
    reason: str                     # the first failed check's detail, or "valid"
    checks: list[Check] = field(default_factory=list)
    summary: dict | None = None
    status: str = "invalid"         # valid, revoked, expired, not yet valid, invalid

    def as_dict(self) -> dict:
        return asdict(self)


class _SignatureCache:
    """token digest -> (payload, kid) for tokens whose signature held; thread-safe LRU."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, digest: str):
        with self.lock:
            value = self.items.get(digest)
            if value is not None:
                self.items.move_to_end(digest)
            return value

    def put(self, digest: str, value) -> None:
        with self.lock:
            self.items[digest] = value
            self.items.move_to_end(digest)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


signature_cache = _SignatureCache(CACHE_SIZE)


def _refused(fmt: str, check: str, detail: str) -> Verification:
    checks, reached = [], True
    for name in CHECKS:
        if name == check:
            checks.append(Check(name, False, detail))
            reached = False
        else:
            checks.append(Check(name, True if reached else None, "" if reached else "not checked"))
    return Verification(False, fmt, detail, checks)


def verify_token(token: str, now: datetime | None = None) -> Verification:
    token = (token or "").strip() if isinstance(token, str) else ""
    digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    cached = signature_cache.get(digest)
    if cached is None:
        try:
            checked = vc_jwt.check_signature(token)
        except vc_jwt.TokenRefused as exc:
            return _refused("vc-jwt", "signature", str(exc))
        if checked.problems:
            return _refused("vc-jwt", "signature", "the claims do not match the credential: "
                            + "; ".join(checked.problems))
        cached = (checked.payload, checked.kid)
        signature_cache.put(digest, cached)
    payload, kid_url = cached
    key = keys.get_key(kid_url.rsplit("/", 1)[-1])
    if key is None or key.status is KeyStatus.REMOVED:
        return _refused("vc-jwt", "signature", f"the key {kid_url} was removed by the issuer; "
                                               "what it signed no longer verifies")
    return _after_signature("vc-jwt", payload, f"signed with {key.algorithm.value} key {kid_url}", now)


def _public_key_for_method(method: str):
    """Only our own issuers' verification methods count: {base}/issuers/{slug}/keys/{kid}."""
    prefix = f"{urls.base()}/issuers/"
    if not method.startswith(prefix):
        return None
    parts = method[len(prefix):].split("/")
    if len(parts) != 3 or parts[1] != "keys":
        return None
    key = keys.get_key(parts[2])
    if key is None or key.algorithm is not KeyAlgorithm.ED25519 or key.status is KeyStatus.REMOVED:
        return None
    return keys.public_key_of(key)


def verify_credential(document) -> Verification:
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except (ValueError, UnicodeDecodeError):
            return _refused("unknown", "signature", "not JSON: paste a token, or the credential's JSON")
    if not isinstance(document, dict):
        return _refused("unknown", "signature", "a credential is a JSON object")
    try:
        ok, reason = data_integrity.verify(document, _public_key_for_method)
    except Exception as exc:  # a hostile document must never become a 500
        ok, reason = False, f"cannot be checked ({type(exc).__name__})"
    if not ok:
        return _refused("data-integrity", "signature", f"Data Integrity proof: {reason}")
    method = document["proof"]["verificationMethod"]
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not method.startswith(issuer_id + "/keys/"):
        return _refused("data-integrity", "issuer known", "the proof's key does not belong to the credential's issuer")
    return _after_signature("data-integrity", document, f"eddsa-rdfc-2022 proof by {method}", None)


def verify_image(data: bytes) -> Verification:
    try:
        baked = extract_any(data)
    except BakedImageError as exc:
        return _refused("unknown", "signature", f"image: {exc}")
    if "openbadgecredential" in baked:
        text = baked["openbadgecredential"].strip()
        return verify_credential(text) if text.startswith("{") else verify_token(text)
    if "openbadges" in baked:
        return _refused("unknown", "signature", "this image holds an Open Badges 2.0 assertion; check it at its "
                                                "hosted URL with an OB 2.0 verifier")
    return _refused("unknown", "signature", "the image holds no baked credential")


def _parse_time(value) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None


def _after_signature(fmt: str, credential: dict, signature_detail: str, now: datetime | None) -> Verification:
    now = now or utcnow()
    checks = [Check("signature", True, signature_detail)]
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    award = _award_for(credential.get("id"))
    district = award.user.district if award is not None else None
    if award is None or issuer_id != urls.issuer(district):
        checks.append(Check("issuer known", False, f"{issuer_id!r} did not issue this credential here"))
        return _finish(fmt, checks, None)
    checks.append(Check("issuer known", True, f"{district.name} ({issuer_id})"))
    valid_from, valid_until = _parse_time(credential.get("validFrom")), _parse_time(credential.get("validUntil"))
    if valid_from is None or now + CLOCK_SKEW < valid_from:
        checks.append(Check("not before", False, f"valid only from {credential.get('validFrom')}"))
        return _finish(fmt, checks, award, "not yet valid")
    checks.append(Check("not before", True, f"valid from {credential['validFrom']}"))
    if valid_until is not None and now - CLOCK_SKEW >= valid_until:
        checks.append(Check("not expired", False, f"expired on {credential['validUntil']}"))
        return _finish(fmt, checks, award, "expired")
    checks.append(Check("not expired", True, f"valid until {credential['validUntil']}" if valid_until
                        else "does not expire"))
    if award.revoked_at is not None:
        checks.append(Check("not revoked", False, f"revoked on {award.revoked_at:%Y-%m-%d}: {award.revoked_reason}"))
        return _finish(fmt, checks, award, "revoked")
    checks.append(Check("not revoked", True, "not revoked (checked now)"))
    return _finish(fmt, checks, award, "valid")


def _finish(fmt: str, checks: list[Check], award: Award | None, status: str = "invalid") -> Verification:
    for name in CHECKS[len(checks):]:
        checks.append(Check(name, None, "not checked"))
    failed = next((c for c in checks if c.passed is False), None)
    return Verification(failed is None, fmt, failed.detail if failed else "valid", checks,
                        summary(award) if award is not None else None, status)


def _award_for(credential_id) -> Award | None:
    if not isinstance(credential_id, str) or not credential_id.startswith("urn:uuid:") or len(credential_id) > 60:
        return None
    return db.session.scalar(select(Award).where(Award.credential_uuid == credential_id[len("urn:uuid:"):])
                             .options(selectinload(Award.claim).selectinload(Claim.reviews)
                                      .selectinload(Review.validator)))


def summary(award: Award) -> dict:
    """What the badge says, for people: from our records, not from the (already checked) token."""
    badge = award.badge_class
    approvers = [r.validator.name for r in award.claim.reviews
                 if r.decision is ReviewDecision.APPROVE and r.revision_id == award.claim.current.id]
    return {
        "badge": badge.name, "domain": badge.domain.name, "level": badge.level,
        "level_name": next(lv.name for lv in badge.framework.levels if lv.value == badge.level),
        "professional_role": badge.role.name, "issuer": award.user.district.name,
        "recipient": award.user.name if award.show_name else None,
        "valid_from": award.valid_from.strftime("%Y-%m-%dT%H:%M:%SZ") if award.valid_from else None,
        "valid_until": award.valid_until.strftime("%Y-%m-%dT%H:%M:%SZ") if award.valid_until else None,
        "validated_by": approvers, "credential_id": f"urn:uuid:{award.credential_uuid}",
        "revoked": award.revoked_at is not None,
    }


def district_by_slug(slug: str) -> District | None:
    return db.session.scalar(select(District).where(District.slug == slug))
