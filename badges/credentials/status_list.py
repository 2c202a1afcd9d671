"""The district's revocation list as a W3C Bitstring Status List credential (VC Bitstring Status List v1.0),
secured the two ways the badges are: with a Data Integrity proof (what the Data Integrity credential
names) and as a VC-JWT (what the VC-JWT names), the same bits at the same indexes.

Bit i is 0x80 >> (i % 8) of byte i // 8 (the first bit is the most significant bit of the first
byte); encodedList is "u" + base64url(gzip(bits)) without padding (multibase base64url).

Verifiers fetch the list on every check, so it is not signed on every fetch: the signed list is kept
(StatusListCredential) with a hash of what it says (format, URL, issuer, signing key, bits). A fetch
reads the bits fresh, in one indexed query, and serves the kept list while its hash still matches;
the list is signed again when a revocation changes the bits (`refresh`, in the revoking transaction)
or when the signing key is rotated. A list made stale some other way (a key rotated with the CLI)
is signed once per process and kept in memory until the next change is stored, so a GET never writes.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Award, District, KeyAlgorithm, SigningKey, StatusListCredential, utcnow
from . import keys, urls, vc_jwt
from .credential import CONTEXTS, issuer_profile, timestamp
from .issuing import STATUS_LIST_BITS, sign_data_integrity

DATA_INTEGRITY, VC_JWT = "data-integrity", "vc-jwt"
FORMATS = (DATA_INTEGRITY, VC_JWT)
MEDIA_TYPES = {DATA_INTEGRITY: "application/json", VC_JWT: "application/vc+jwt"}
# How long a verifier may keep the list (HTTP max-age, and the list's own ttl in milliseconds).
CACHE_SECONDS = 300


@dataclass(frozen=True)
class SignedList:
    """A status list credential as served: its exact body, media type and entity tag."""

    format: str
    body: str
    content_hash: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def etag(self) -> str:
        """A strong validator: the SHA-256 of the body (the same bytes give the same tag on any instance)."""
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()[:40]


def revoked_indexes(district: District) -> list[int]:
    return list(
        db.session.scalars(
            select(Award.status_index).where(
                Award.district_id == district.id, Award.revoked_at.is_not(None), Award.status_index.is_not(None)
            )
        )
    )


def encode_bits(indexes: Iterable[int], size: int = STATUS_LIST_BITS) -> str:
    bits = bytearray(size // 8)
    for i in indexes:
        bits[i // 8] |= 0x80 >> (i % 8)
    # mtime=0: the same list always compresses to the same bytes.
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode("ascii").rstrip("=")


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (start with 'u')")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def list_url(district: District, fmt: str) -> str:
    return urls.status_list_jwt(district) if fmt == VC_JWT else urls.status_list(district)


def _signing_key(fmt: str) -> SigningKey:
    algorithm = KeyAlgorithm(current_app.config["JWT_ALGORITHM"]) if fmt == VC_JWT else KeyAlgorithm.ED25519
    return keys.active_key(algorithm)


def _content_hash(district: District, fmt: str, encoded: str, key: SigningKey) -> str:
    """Everything the signed list depends on, except the moment it was signed."""
    what = [fmt, list_url(district, fmt), urls.issuer(district), key.kid, CACHE_SECONDS, encoded]
    return hashlib.sha256(json.dumps(what).encode("utf-8")).hexdigest()


def status_list_document(district: District, fmt: str, encoded: str) -> dict:
    """The unsigned BitstringStatusListCredential; its id is the URL it is served at."""
    url = list_url(district, fmt)
    return {
        "@context": [CONTEXTS[0]],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(district)["id"],
        "validFrom": timestamp(utcnow()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
            "ttl": CACHE_SECONDS * 1000,
        },
    }


def _sign(district: District, fmt: str, encoded: str, key: SigningKey) -> str:
    document = status_list_document(district, fmt, encoded)
    if fmt == VC_JWT:
        return vc_jwt.sign(document, key)
    return json.dumps(sign_data_integrity(document, district), ensure_ascii=False, separators=(",", ":"))


def _stored(district: District, fmt: str, for_update: bool = False) -> StatusListCredential | None:
    query = select(StatusListCredential).where(
        StatusListCredential.district_id == district.id, StatusListCredential.format == fmt
    )
    return db.session.scalar(query.with_for_update() if for_update else query)


def _recent() -> dict:
    """This process's lists signed on a fetch because the stored one was stale: (district, format) -> list."""
    return current_app.extensions.setdefault("badges_status_lists", {})


def current_list(district: District, fmt: str) -> SignedList:
    """The list as it stands now, signed: the stored one while nothing it says has changed."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown status list format {fmt!r}")
    encoded, key = encode_bits(revoked_indexes(district)), _signing_key(fmt)
    digest = _content_hash(district, fmt, encoded, key)
    row = _stored(district, fmt)
    if row is not None and row.content_hash == digest:
        return SignedList(fmt, row.document, digest)
    recent = _recent().get((district.id, fmt))
    if recent is not None and recent.content_hash == digest:
        return recent
    signed = SignedList(fmt, _sign(district, fmt, encoded, key), digest)
    _recent()[(district.id, fmt)] = signed
    return signed


def refresh(district: District) -> None:
    """Sign and store both lists again if what they say has changed; in the transaction that changed it.

    The stored row is locked first (PostgreSQL), so two revocations at once store one after the other,
    the second reading the bits after the first committed. Whatever is stored, a fetch compares it with
    the bits as they are, so a list is never served stale. A key that cannot sign here does not stand
    in the way of the change (a revocation must never fail for it): the next fetch that can signs it.
    """
    try:
        _refresh(district)
    except keys.KeyError_ as exc:
        current_app.logger.error("status lists of %s not signed again: %s", district.slug, exc)


def _refresh(district: District) -> None:
    for fmt in FORMATS:
        row = _stored(district, fmt, for_update=True)
        encoded, key = encode_bits(revoked_indexes(district)), _signing_key(fmt)
        digest = _content_hash(district, fmt, encoded, key)
        if row is not None and row.content_hash == digest:
            continue
        body = _sign(district, fmt, encoded, key)
        if row is not None:
            row.content_hash, row.document, row.signed_at = digest, body, utcnow()
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    StatusListCredential(district_id=district.id, format=fmt, content_hash=digest, document=body)
                )
        except IntegrityError:
            # Another transaction stored the first row at the same moment: update that one.
            row = _stored(district, fmt, for_update=True)
            assert row is not None, "the row that refused the insert exists"
            row.content_hash, row.document, row.signed_at = digest, body, utcnow()
    db.session.flush()
