"""VC-JWT: an OpenBadgeCredential secured as a compact JWS with PyJWT
(OB 3.0 section 8.2, "JSON Web Token Proof Format").

Header: alg (ES256 or RS256), typ JWT, kid = the URL of the one public JWK; nothing else. Payload: the
credential at the top level plus iss = issuer.id, jti = id, sub = credentialSubject.id (if any),
nbf = validFrom and exp = validUntil as NumericDates.

Checking a token never fetches anything: the kid must be one of our own key URLs, the key is
looked up in our database, and the algorithm is pinned to that key's, so alg:none, HS256 with our
public key as the secret, jku/x5u/jwk headers and keys from elsewhere are all refused by name.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, datetime

import jwt

from ..base import parse_json
from ..models import KeyAlgorithm, KeyStatus, SigningKey
from . import keys, urls

ALGORITHMS = ("ES256", "RS256")
ALLOWED_HEADER = {"alg", "typ", "kid"}
MAX_TOKEN_CHARS = 200_000
SEGMENTS = ("header", "payload", "signature")


def numeric_date(stamp: str) -> int:
    return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def sign(credential: dict, key: SigningKey) -> str:
    """The credential (or status list credential) as a compact JWS, with the VC-JWT claims mapped."""
    claims = dict(credential)
    issuer = credential["issuer"]
    claims["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer  # a Profile, or its id alone
    claims["jti"] = credential["id"]
    subject_id = credential["credentialSubject"].get("id")
    if subject_id:
        claims["sub"] = subject_id
    claims["nbf"] = numeric_date(credential["validFrom"])
    if "validUntil" in credential:
        claims["exp"] = numeric_date(credential["validUntil"])
    # PyJWT writes alg and typ; we add only kid. Compact JSON keeps the token small.
    return jwt.encode(
        claims,
        keys.private_key_of(key),
        algorithm=key.algorithm.value,
        headers={"kid": urls.jwt_key(key.kid), "typ": "JWT"},
    )


class TokenRefused(ValueError):
    """Not a valid token; the message is the reason shown to the verifier."""


@dataclass
class CheckedToken:
    """A token whose signature and claim mapping held. Time and revocation are checked by the caller."""

    payload: dict
    kid: str
    algorithm: str
    problems: list[str] = field(default_factory=list)


def _b64json(segment: str, what: str) -> dict:
    try:
        padded = segment + "=" * (-len(segment) % 4)
        value = parse_json(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError):
        raise TokenRefused(f"the token's {what} is not base64url-encoded JSON") from None
    if not isinstance(value, dict):
        raise TokenRefused(f"the token's {what} is not a JSON object")
    return value


def read_header(token: str) -> dict:
    """The token's JOSE header, after the checks of its shape; TokenRefused with the reason."""
    if not isinstance(token, str) or not token.strip():
        raise TokenRefused("no token was given")
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS:
        raise TokenRefused(f"the token is longer than {MAX_TOKEN_CHARS:,} characters")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise TokenRefused("not a compact JWS: expected three dot-separated parts (it may be truncated)")
    # base64url in a JWS has no "=" padding (RFC 7515 section 2). Decoders that tolerate it would let
    # one signature stand for several strings, so a padded segment is refused whichever it is.
    for part, what in zip(parts, SEGMENTS, strict=True):
        if "=" in part:
            raise TokenRefused(
                f"the token's {what} carries '=' padding, which a compact JWS never has "
                "(RFC 7515 section 2: base64url without padding)"
            )
    return _b64json(parts[0], "header")


def check_signature(token: str) -> CheckedToken:
    """Check the header rules and the signature against our own key; raise TokenRefused with the reason."""
    header = read_header(token)
    alg = header.get("alg")
    if alg == "none" or alg is None:
        raise TokenRefused("unsigned token (alg: none) refused")
    if alg not in ALGORITHMS:
        raise TokenRefused(f"algorithm {alg!r} refused: badges are signed with ES256 or RS256 only")
    extra = sorted(set(header) - ALLOWED_HEADER)
    if extra:
        raise TokenRefused(
            f"header fields {', '.join(extra)} refused: the key is found by kid among this "
            "issuer's own keys, and nothing a token names is ever fetched"
        )
    kid_url = header.get("kid")
    prefix = urls.jwt_key_prefix()
    if not isinstance(kid_url, str) or not kid_url.startswith(prefix):
        raise TokenRefused(f"the key (kid {kid_url!r}) is not one of this service's keys ({prefix}...)")
    key = keys.get_key(kid_url[len(prefix) :])
    if key is None or key.algorithm is KeyAlgorithm.ED25519:
        raise TokenRefused(f"unknown key {kid_url}")
    if key.status is KeyStatus.REMOVED:
        raise TokenRefused(f"the key {kid_url} was removed by the issuer; what it signed no longer verifies")
    if key.algorithm.value != alg:
        raise TokenRefused(f"the header says {alg} but key {kid_url} is {key.algorithm.value}")
    try:
        payload = jwt.decode(
            token.strip(),
            keys.public_key_of(key),
            algorithms=[key.algorithm.value],
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
                "verify_iss": False,
            },
        )
    except jwt.InvalidSignatureError:
        raise TokenRefused("the signature does not match: the token was changed after it was signed") from None
    except jwt.DecodeError as exc:
        raise TokenRefused(f"the token cannot be decoded ({exc})") from None
    except jwt.InvalidTokenError as exc:
        raise TokenRefused(f"the token is not valid ({exc})") from None
    return CheckedToken(payload=payload, kid=kid_url, algorithm=alg, problems=claim_mapping_problems(payload))


def claim_mapping_problems(payload: dict) -> list[str]:
    """VC-JWT claim mapping: iss/jti/sub/nbf/exp must say what the credential says."""
    problems = []
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if payload.get("iss") != issuer_id:
        problems.append("iss does not match issuer.id")
    if payload.get("jti") != payload.get("id"):
        problems.append("jti does not match the credential id")
    subject = payload.get("credentialSubject")
    if isinstance(subject, dict) and subject.get("id") and payload.get("sub") != subject.get("id"):
        problems.append("sub does not match credentialSubject.id")
    try:
        if payload.get("nbf") != numeric_date(payload.get("validFrom", "")):
            problems.append("nbf does not match validFrom")
        if "validUntil" in payload and payload.get("exp") != numeric_date(payload["validUntil"]):
            problems.append("exp does not match validUntil")
    except (TypeError, ValueError):
        problems.append("validFrom/validUntil are not UTC timestamps")
    return problems
