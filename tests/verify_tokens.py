"""Tokens that should not verify, built from an issued award for tests/test_verify.py: forged headers,
other keys, tampered payloads, other issuers. Each entry of BAD_TOKENS names the reason expected."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from badges.credentials import keys, vc_jwt
from badges.models import KeyAlgorithm

OTHER_ISSUER = "https://elsewhere.example.org/issuers/northfield"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def segment(value: dict) -> str:
    return b64(json.dumps(value, separators=(",", ":")).encode())


def split(token: str) -> tuple[dict, dict, str]:
    def decode(part):
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    header, payload, signature = token.split(".")
    return decode(header), decode(payload), signature


def with_header(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    return f"{segment({**split(token)[0], **changes})}.{payload}.{signature}"


def our_key(award):
    return keys.get_key(award.jwt_kid)


def signed_by_stranger(payload: dict, kid: str) -> str:
    return jwt.encode(
        payload, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256", headers={"kid": kid, "typ": "JWT"}
    )


def hs256_with_public_pem(award) -> str:
    header, payload, _ = split(award.jwt)
    pem = keys.public_key_of(our_key(award)).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{segment({**header, 'alg': 'HS256'})}.{segment(payload)}"
    return f"{signing_input}.{b64(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())}"


def unsigned(award) -> str:
    header, payload, _ = split(award.jwt)
    return f"{segment({**header, 'alg': 'none'})}.{segment(payload)}."


def tampered(award) -> str:
    header, payload, signature = award.jwt.split(".")
    claims = split(award.jwt)[1]
    claims["name"] = "Delivery and Operations: Expert, Teacher"
    return f"{header}.{segment(claims)}.{signature}"


def credential_of(token: str) -> dict:
    claims = split(token)[1]
    return {k: v for k, v in claims.items() if k not in ("iss", "jti", "sub", "nbf", "exp")}


def resigned(award, change) -> str:
    """The award's credential changed by `change` and signed with our own active key."""
    credential = credential_of(award.jwt)
    change(credential)
    return vc_jwt.sign(credential, keys.active_key(KeyAlgorithm.ES256))


def other_issuer(award) -> str:
    return resigned(award, lambda c: c["issuer"].update(id=OTHER_ISSUER))


def iss_elsewhere(award) -> str:
    header, payload, _ = split(award.jwt)
    return jwt.encode(
        {**payload, "iss": OTHER_ISSUER},
        keys.private_key_of(our_key(award)),
        algorithm="ES256",
        headers={"kid": header["kid"], "typ": "JWT"},
    )


# name -> (token from the award, the reason's words, the check that fails)
BAD_TOKENS = {
    "garbage": (lambda a: "this is not a token", "not a compact JWS", "signature"),
    "empty": (lambda a: "", "no token was given", "signature"),
    "truncated in the payload": (lambda a: a.jwt[: a.jwt.index(".") + 40], "it may be truncated", "signature"),
    "truncated signature": (
        lambda a: a.jwt.rsplit(".", 1)[0] + "." + b64(b"\x01" * 32),
        "signature does not match",
        "signature",
    ),
    "alg none (unsigned)": (unsigned, "unsigned token (alg: none) refused", "signature"),
    "HS256 with our public key as the secret": (hs256_with_public_pem, "algorithm 'HS256' refused", "signature"),
    "unknown kid under our prefix": (
        lambda a: signed_by_stranger(split(a.jwt)[1], split(a.jwt)[0]["kid"].rsplit("/", 1)[0] + "/no-such-key"),
        "unknown key",
        "signature",
    ),
    "kid on another host": (
        lambda a: signed_by_stranger(split(a.jwt)[1], "https://evil.example.org/keys/" + a.jwt_kid),
        "is not one of this service's keys",
        "signature",
    ),
    "jku header": (
        lambda a: with_header(a.jwt, jku="https://evil.example.org/jwks.json"),
        "header fields jku refused",
        "signature",
    ),
    "x5u header": (
        lambda a: with_header(a.jwt, x5u="https://evil.example.org/cert.pem"),
        "header fields x5u refused",
        "signature",
    ),
    "jwk header": (
        lambda a: with_header(a.jwt, jwk=keys.public_jwk_of(our_key(a), "x")),
        "header fields jwk refused",
        "signature",
    ),
    "tampered payload": (tampered, "signature does not match", "signature"),
    "signed by another key with our kid": (
        lambda a: signed_by_stranger(split(a.jwt)[1], split(a.jwt)[0]["kid"]),
        "signature does not match",
        "signature",
    ),
    "another issuer (issuer.id elsewhere)": (other_issuer, "did not issue this credential here", "issuer known"),
    "iss elsewhere": (iss_elsewhere, "iss does not match issuer.id", "signature"),
    "unknown credential id": (
        lambda a: resigned(a, lambda c: c.update(id="urn:uuid:" + "0" * 32)),
        "did not issue this credential here",
        "issuer known",
    ),
}
