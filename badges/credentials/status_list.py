"""The district's revocation list as a W3C Bitstring Status List credential (VC Bitstring Status List v1.0).

Bit i is 0x80 >> (i % 8) of byte i // 8 (the first bit is the most significant bit of the first
byte); encodedList is "u" + base64url(gzip(bits)) without padding (multibase base64url). The list
is built from the awards table on each request, so a revocation shows at once; it is signed with
the issuer's Data Integrity key so offline verifiers can trust it.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

from sqlalchemy import select

from ..extensions import db
from ..models import Award, District, utcnow
from . import urls
from .credential import CONTEXTS, issuer_profile, timestamp
from .issuing import STATUS_LIST_BITS, sign_data_integrity


def revoked_indexes(district: District) -> list[int]:
    return list(db.session.scalars(select(Award.status_index).where(
        Award.district_id == district.id, Award.revoked_at.is_not(None), Award.status_index.is_not(None))))


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


def status_list_credential(district: District) -> dict:
    list_url = urls.status_list(district)
    now = timestamp(utcnow())
    document = {
        "@context": [CONTEXTS[0]],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(district)["id"],
        "validFrom": now,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(revoked_indexes(district)),
        },
    }
    return sign_data_integrity(document, district)
