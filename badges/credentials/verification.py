"""Verifying what we issued, for anyone: a VC-JWT, a Data Integrity credential, or a baked image.

The answer names each check (signature, issuer known, not before, not expired, not revoked) with
its outcome and reason, and a summary of the badge. Nothing a token or credential names is ever
fetched: keys come from our database, and only URLs under BADGES_PUBLIC_URL count as ours.

A site re-checking the same token is the common case, so the outcome of the signature check is
kept per token digest (bounded, per process). The award's revocation and validity are read fresh every
time, in one indexed query; what the badge says is kept per credential id and the keys' status for a
few seconds (see verification_records).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from ..base import JSONTooDeep, parse_id, parse_json
from ..extensions import db
from ..models import Award, District, KeyAlgorithm, KeyStatus, utcnow
from . import data_integrity, urls, vc_jwt
from . import verification_records as records
from .baking import BakedImageError, extract_any
from .recipient import email_identities

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
    format: str  # "vc-jwt", "data-integrity" or "unknown"
    reason: str  # the first failed check's detail, or "valid"
    checks: list[Check] = field(default_factory=list)
    summary: dict | None = None
    status: str = "invalid"  # valid, revoked, expired, not yet valid, invalid
    # What the signed credential itself says (its name, achievement, level, image), once its signature
    # held: shown beside an uploaded picture, which is not signed and may say something else.
    says: dict | None = None
    # The issuer's record of the award (dates, revocation), for the plain-words verdict; not in as_dict.
    state: records.AwardState | None = None

    def as_dict(self) -> dict:
        # What dataclasses.asdict gives, written out: it is on every API answer, and asdict's deep copy
        # of the summary was a tenth of a re-verification's cost.
        return {
            "valid": self.valid,
            "format": self.format,
            "reason": self.reason,
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks],
            "summary": None
            if self.summary is None
            else {**self.summary, "validated_by": list(self.summary["validated_by"])},
            "status": self.status,
        }


class _SignatureCache:
    """token digest -> (payload, kid) for tokens whose signature held; thread-safe LRU."""

    def __init__(self, size: int):
        self.size, self.lock = size, threading.Lock()
        self.items: OrderedDict[str, Any] = OrderedDict()

    def get(self, digest: str) -> Any:
        with self.lock:
            value = self.items.get(digest)
            if value is not None:
                self.items.move_to_end(digest)
            return value

    def put(self, digest: str, value: Any) -> None:
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


def _unsafe_kid(token: str) -> str | None:
    """A kid no database can even look up (NUL characters): refused before anything is queried."""
    try:
        kid = vc_jwt.read_header(token).get("kid")
    except vc_jwt.TokenRefused:
        return None
    return kid if isinstance(kid, str) and "\x00" in kid else None


def verify_token(token: str, now: datetime | None = None) -> Verification:
    token = (token or "").strip() if isinstance(token, str) else ""
    digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    cached = signature_cache.get(digest)
    if cached is None:
        unsafe = _unsafe_kid(token)
        if unsafe is not None:
            return _refused("vc-jwt", "signature", f"unknown key {unsafe!r}")
        try:
            checked = vc_jwt.check_signature(token)
        except vc_jwt.TokenRefused as exc:
            return _refused("vc-jwt", "signature", str(exc))
        if checked.problems:
            return _refused(
                "vc-jwt", "signature", "the claims do not match the credential: " + "; ".join(checked.problems)
            )
        cached = (checked.payload, checked.kid)
        signature_cache.put(digest, cached)
    payload, kid_url = cached
    key = records.key_state(kid_url.rsplit("/", 1)[-1])
    if key is None or key.status is KeyStatus.REMOVED:
        return _refused(
            "vc-jwt", "signature", f"the key {kid_url} was removed by the issuer; what it signed no longer verifies"
        )
    return _after_signature("vc-jwt", payload, f"signed with {key.algorithm.value} key {kid_url}", now)


def _public_key_for_method(method: str) -> Any:
    """Only our own issuers' verification methods count: {base}/issuers/{slug}/keys/{kid}."""
    prefix = f"{urls.base()}/issuers/"
    if not method.startswith(prefix):
        return None
    parts = method[len(prefix) :].split("/")
    if len(parts) != 3 or parts[1] != "keys":
        return None
    key = records.key_state(parts[2])
    if key is None or key.algorithm is not KeyAlgorithm.ED25519 or key.status is KeyStatus.REMOVED:
        return None
    return key.public_key


def verify_credential(document: Any, now: datetime | None = None) -> Verification:
    if isinstance(document, (str, bytes)):
        try:
            document = parse_json(document)
        except JSONTooDeep as exc:
            return _refused("unknown", "signature", str(exc))
        except ValueError:  # UnicodeDecodeError included
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
    return _after_signature("data-integrity", document, f"eddsa-rdfc-2022 proof by {method}", now)


def verify_image(data: bytes) -> Verification:
    try:
        baked = extract_any(data)
    except BakedImageError as exc:
        return _refused("unknown", "signature", f"image: {exc}")
    if "openbadgecredential" in baked:
        text = baked["openbadgecredential"].strip()
        return verify_credential(text) if text.startswith("{") else verify_token(text)
    if "openbadges" in baked:
        return _refused(
            "unknown",
            "signature",
            "this image holds an Open Badges 2.0 assertion; check it at its hosted URL with an OB 2.0 verifier",
        )
    return _refused("unknown", "signature", "the image holds no baked credential")


def verify_text(text: Any, now: datetime | None = None) -> Verification:
    """What a person pastes: a VC-JWT, or the JSON of a credential with a Data Integrity proof."""
    text = text.strip() if isinstance(text, str) else ""
    return verify_credential(text, now) if text.startswith("{") else verify_token(text, now)


def _parse_time(value: Any) -> datetime | None:
    return _parse_stamp(value) if isinstance(value, str) else None


@lru_cache(maxsize=1024)  # the same few timestamps again and again; strptime is slow
def _parse_stamp(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None


def _award_state(credential_id: Any) -> records.AwardState | None:
    if (
        not isinstance(credential_id, str)
        or not credential_id.startswith("urn:uuid:")
        or len(credential_id) > 60
        or "\x00" in credential_id
    ):
        return None
    return records.award_state(credential_id[len("urn:uuid:") :])


def _after_signature(fmt: str, credential: dict, signature_detail: str, now: datetime | None) -> Verification:
    result = _checked(fmt, credential, signature_detail, now)
    result.says = what_it_says(credential)
    return result


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def what_it_says(credential: dict) -> dict:
    """Name, achievement, level, issuer and image as the credential states them (not from our records).

    The image is named only when it is one of this service's badge images (its badge class id), so a page
    can show it from here: nothing a credential names elsewhere is ever fetched or linked."""
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    achievement = achievement if isinstance(achievement, dict) else {}
    results = subject.get("result") if isinstance(subject, dict) else None
    achieved = (
        results[0].get("achievedLevel")
        if isinstance(results, list) and results and isinstance(results[0], dict)
        else None
    )
    level = None
    descriptions = achievement.get("resultDescription")
    for description in descriptions if isinstance(descriptions, list) else []:
        levels = description.get("rubricCriterionLevel") if isinstance(description, dict) else None
        for entry in levels if isinstance(levels, list) else []:
            if isinstance(entry, dict) and achieved is not None and entry.get("id") == achieved:
                level = _text(entry.get("name"))
    image = achievement.get("image")
    image_url = image.get("id") if isinstance(image, dict) else image
    prefix, badge_class_id = f"{urls.base()}/badge-classes/", None
    if isinstance(image_url, str) and image_url.startswith(prefix):
        number, _, rest = image_url[len(prefix) :].partition("/")
        badge_class_id = parse_id(number) if rest in ("image.png", "image.svg") else None
    issuer = credential.get("issuer")
    return {
        "name": _text(credential.get("name")),
        "achievement": _text(achievement.get("name")),
        "level": level,
        "issuer": _text(issuer.get("name")) if isinstance(issuer, dict) else None,
        "image_badge_class_id": badge_class_id,
        # The salted email hashes it names: what the verify page's "belongs to this address?" compares.
        "email_identities": email_identities(credential),
    }


def _checked(fmt: str, credential: dict, signature_detail: str, now: datetime | None) -> Verification:
    now = now or utcnow()
    checks = [Check("signature", True, signature_detail)]
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    state = _award_state(credential.get("id"))
    # urls.issuer(district), from the cached slug
    if state is None or issuer_id != f"{urls.base()}/issuers/{state.about.issuer_slug}":
        checks.append(Check("issuer known", False, f"{issuer_id!r} did not issue this credential here"))
        return _finish(fmt, checks, None)
    checks.append(Check("issuer known", True, f"{state.about.issuer_name} ({issuer_id})"))
    valid_from = _parse_time(credential.get("validFrom"))
    if valid_from is None or now + CLOCK_SKEW < valid_from:
        checks.append(Check("not before", False, f"valid only from {credential.get('validFrom')}"))
        return _finish(fmt, checks, state, "not yet valid")
    checks.append(Check("not before", True, f"valid from {credential['validFrom']}"))
    # The credential's validUntil, or the issuer's record when that is earlier (a shortened validity).
    until_stamp = credential.get("validUntil")
    valid_until = _parse_time(until_stamp)
    if state.valid_until is not None and (valid_until is None or state.valid_until < valid_until):
        valid_until, until_stamp = state.valid_until, _stamp(state.valid_until)
    if valid_until is not None and now - CLOCK_SKEW >= valid_until:
        checks.append(Check("not expired", False, f"expired on {until_stamp}"))
        return _finish(fmt, checks, state, "expired")
    checks.append(Check("not expired", True, f"valid until {until_stamp}" if valid_until else "does not expire"))
    if state.revoked_at is not None:
        checks.append(Check("not revoked", False, f"revoked on {state.revoked_at:%Y-%m-%d}: {state.revoked_reason}"))
        return _finish(fmt, checks, state, "revoked")
    checks.append(Check("not revoked", True, "not revoked (checked now)"))
    return _finish(fmt, checks, state, "valid")


def _finish(fmt: str, checks: list[Check], state: records.AwardState | None, status: str = "invalid") -> Verification:
    for name in CHECKS[len(checks) :]:
        checks.append(Check(name, None, "not checked"))
    failed = next((c for c in checks if c.passed is False), None)
    return Verification(
        failed is None,
        fmt,
        failed.detail if failed else "valid",
        checks,
        _summary(state) if state is not None else None,
        status,
        state=state,
    )


def _stamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _summary(state: records.AwardState) -> dict:
    about = state.about
    return {
        "badge": about.badge,
        "domain": about.domain,
        "level": about.level,
        "level_name": about.level_name,
        "professional_role": about.professional_role,
        "issuer": about.issuer_name,
        "recipient": state.recipient,
        "valid_from": _stamp(state.valid_from),
        "valid_until": _stamp(state.valid_until),
        "validated_by": list(about.validated_by),
        "credential_id": f"urn:uuid:{state.credential_uuid}",
        "revoked": state.revoked_at is not None,
    }


def summary(award: Award) -> dict:
    """What the badge says, for people: from our records, not from the (already checked) token."""
    return _summary(records.state_of(award))


def stored_token(credential_uuid: str) -> str | None:
    """The VC-JWT we issued under this credential id (for share links), or None."""
    if not isinstance(credential_uuid, str) or len(credential_uuid) != 36 or "\x00" in credential_uuid:
        return None
    return db.session.scalar(select(Award.jwt).where(Award.credential_uuid == credential_uuid))


def district_by_slug(slug: str) -> District | None:
    if not slug or len(slug) > 80 or "\x00" in slug:  # PostgreSQL refuses NUL in text: no such issuer
        return None
    return db.session.scalar(select(District).where(District.slug == slug))
