"""The service's signing keys: create, rotate, retire, remove, and load for signing or verifying.

Keys live in the database (shared by every instance) with the private half encrypted under
SIGNING_KEY_PASSPHRASE; decrypted keys are cached per process by kid. Private key material is
never logged, never put in a response, and never leaves this module except as a key object.
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from flask import current_app
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import KeyAlgorithm, KeyStatus, SigningKey, utcnow

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


class KeyError_(ValueError):
    """A key operation that cannot be done; the message says why (CLI: one line)."""


def _new_private_key(algorithm: KeyAlgorithm) -> PrivateKey:
    if algorithm is KeyAlgorithm.ES256:
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm is KeyAlgorithm.RS256:
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    return ed25519.Ed25519PrivateKey.generate()


def _public_jwk(private_key: PrivateKey) -> dict[str, Any]:
    public = private_key.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        return json.loads(ECAlgorithm.to_jwk(public))
    if isinstance(public, rsa.RSAPublicKey):
        return json.loads(RSAAlgorithm.to_jwk(public))
    return json.loads(OKPAlgorithm.to_jwk(public))


def _passphrase() -> bytes:
    return current_app.config["SIGNING_KEY_PASSPHRASE"].encode("utf-8")


def create_key(algorithm: KeyAlgorithm) -> SigningKey:
    """A new active key for `algorithm`; the one active before it (if any) is retired."""
    for old in db.session.scalars(
        select(SigningKey).where(SigningKey.algorithm == algorithm, SigningKey.status == KeyStatus.ACTIVE)
    ):
        old.status, old.retired_at = KeyStatus.RETIRED, utcnow()
    db.session.flush()
    private_key = _new_private_key(algorithm)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )
    key = SigningKey(
        kid=secrets.token_hex(16),
        algorithm=algorithm,
        status=KeyStatus.ACTIVE,
        public_jwk=json.dumps(_public_jwk(private_key), sort_keys=True),
        encrypted_private_key=pem.decode("ascii"),
    )
    db.session.add(key)
    db.session.flush()
    return key


rotate_key = create_key  # rotation is: a new active key, the old one retired (still verifies)


def active_key(algorithm: KeyAlgorithm, create: bool = True) -> SigningKey:
    """The active key for `algorithm`, made on first use so a new install can issue at once.

    Two instances making the first key at the same moment: the unique index lets one win, and the
    other uses the winner's key.
    """
    key = db.session.scalar(
        select(SigningKey).where(SigningKey.algorithm == algorithm, SigningKey.status == KeyStatus.ACTIVE)
    )
    if key is not None or not create:
        if key is None:
            raise KeyError_(f"there is no active {algorithm.value} signing key; create one with `keys create`")
        return key
    try:
        with db.session.begin_nested():
            key = create_key(algorithm)
    except IntegrityError:
        raced = db.session.scalar(
            select(SigningKey).where(SigningKey.algorithm == algorithm, SigningKey.status == KeyStatus.ACTIVE)
        )
        assert raced is not None  # the unique index that refused ours holds another process's active key
        key = raced
    return key


def get_key(kid: str) -> SigningKey | None:
    if not kid or len(kid) > 64 or "\x00" in kid:  # PostgreSQL refuses NUL in text: no such key
        return None
    return db.session.scalar(select(SigningKey).where(SigningKey.kid == kid))


def retirable(kid: str) -> SigningKey:
    """The key if it can be retired (it is active); KeyError_ otherwise. Writes nothing."""
    key = get_key(kid)
    if key is None:
        raise KeyError_(f"no signing key {kid!r}")
    if key.status is not KeyStatus.ACTIVE:
        raise KeyError_(f"key {kid} is already {key.status.value}")
    return key


def retire_key(kid: str) -> SigningKey:
    key = retirable(kid)
    key.status, key.retired_at = KeyStatus.RETIRED, utcnow()
    db.session.flush()
    return key


def removable(kid: str) -> SigningKey:
    """The key if it can be removed (it is retired); KeyError_ otherwise. Writes nothing."""
    key = get_key(kid)
    if key is None:
        raise KeyError_(f"no signing key {kid!r}")
    if key.status is KeyStatus.ACTIVE:
        raise KeyError_(f"key {kid} is active; retire it (or rotate) before removing it")
    if key.status is KeyStatus.REMOVED:
        raise KeyError_(f"key {kid} is already removed")
    return key


def remove_key(kid: str) -> SigningKey:
    """Destroy the private half: what the key signed no longer verifies. Only a retired key."""
    key = removable(kid)
    key.status, key.removed_at, key.encrypted_private_key = KeyStatus.REMOVED, utcnow(), None
    db.session.flush()
    _private_key.cache_clear()
    return key


def list_keys() -> list[SigningKey]:
    return list(db.session.scalars(select(SigningKey).order_by(SigningKey.created_at, SigningKey.id)))


def verifying_keys() -> list[SigningKey]:
    """Active and retired keys: the ones that still verify."""
    return list(
        db.session.scalars(
            select(SigningKey)
            .where(SigningKey.status != KeyStatus.REMOVED)
            .order_by(SigningKey.created_at, SigningKey.id)
        )
    )


def private_key_of(key: SigningKey) -> Any:  # the private key of the key's algorithm
    if key.status is not KeyStatus.ACTIVE or key.encrypted_private_key is None:
        raise KeyError_(f"key {key.kid} is {key.status.value}; it signs nothing new")
    return _private_key(key.kid, key.encrypted_private_key, _passphrase())


@lru_cache(maxsize=32)
def _private_key(kid: str, pem: str, passphrase: bytes) -> Any:
    try:
        return serialization.load_pem_private_key(pem.encode("ascii"), password=passphrase)
    except ValueError:
        raise KeyError_(f"key {kid} cannot be decrypted: is SIGNING_KEY_PASSPHRASE the one it was made with?") from None


def public_key_of(key: SigningKey) -> Any:  # the public key of the key's algorithm
    jwk = key.public_jwk
    if key.algorithm is KeyAlgorithm.ES256:
        return ECAlgorithm.from_jwk(jwk)
    if key.algorithm is KeyAlgorithm.RS256:
        return RSAAlgorithm.from_jwk(jwk)
    return OKPAlgorithm.from_jwk(jwk)


def public_jwk_of(key: SigningKey, kid_url: str) -> dict:
    """The public JWK as published: kid is the key's URL, alg and use say what it is for."""
    jwk = json.loads(key.public_jwk)
    jwk = {k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "y", "n", "e")}  # public members only
    alg = "EdDSA" if key.algorithm is KeyAlgorithm.ED25519 else key.algorithm.value
    return {**jwk, "kid": kid_url, "alg": alg, "use": "sig"}
