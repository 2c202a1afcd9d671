"""Public documents verifiers dereference: the JWKS, each key, the issuer profiles, the status lists.

No sign-in; JSON; readable from any origin (CORS), since verifiers run on other sites.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request

from ..access import found_or_404
from ..credentials import keys, status_list, urls
from ..credentials.credential import issuer_document
from ..credentials.data_integrity import multikey_document
from ..credentials.verification import district_by_slug
from ..errors import json_errors
from ..models import District, KeyAlgorithm, KeyStatus

bp = json_errors(Blueprint("issuers", __name__), paths=("/issuers/", "/keys/", "/.well-known/"))

JWT_ALGORITHMS = (KeyAlgorithm.ES256, KeyAlgorithm.RS256)
JWT_MEDIA_TYPES = ("application/vc+jwt", "application/jwt")


def _public_json(document, cache_seconds: int = 300):
    response = jsonify(document)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={cache_seconds}" if cache_seconds else "no-store"
    return response


def _district_or_404(slug: str) -> District:
    return found_or_404(district_by_slug(slug), f"There is no issuer {slug!r} here.")


@bp.get("/.well-known/jwks.json")
def jwks():
    """Every current and retired VC-JWT key (public parts only); each kid is the key's own URL."""
    return _public_json(
        {
            "keys": [
                keys.public_jwk_of(key, urls.jwt_key(key.kid))
                for key in keys.verifying_keys()
                if key.algorithm in JWT_ALGORITHMS
            ]
        }
    )


@bp.get("/keys/<kid>")
def jwt_key(kid: str):
    """The one public JWK a VC-JWT header's kid names (not a key set)."""
    key = keys.get_key(kid)
    if key is None or key.algorithm not in JWT_ALGORITHMS or key.status is KeyStatus.REMOVED:
        abort(404, "There is no such key (it may have been removed by the issuer).")
    return _public_json(keys.public_jwk_of(key, urls.jwt_key(kid)))


@bp.get("/issuers/<slug>")
def issuer(slug: str):
    """The issuer profile, also a controller document listing its Data Integrity keys (assertionMethod)."""
    district = _district_or_404(slug)
    methods = [
        urls.verification_method(district, key.kid)
        for key in keys.verifying_keys()
        if key.algorithm is KeyAlgorithm.ED25519
    ]
    return _public_json(issuer_document(district, methods))


@bp.get("/issuers/<slug>/keys/<kid>")
def verification_method(slug: str, kid: str):
    """A Multikey document: the Ed25519 public key of a Data Integrity verificationMethod."""
    district = _district_or_404(slug)
    key = keys.get_key(kid)
    if key is None or key.algorithm is not KeyAlgorithm.ED25519 or key.status is KeyStatus.REMOVED:
        abort(404, "There is no such key (it may have been removed by the issuer).")
    return _public_json(
        multikey_document(urls.verification_method(district, kid), urls.issuer(district), keys.public_key_of(key))
    )


def _status_list(signed: status_list.SignedList, negotiated: bool) -> Response:
    """The kept signed list, with its ETag (If-None-Match answers 304) and a short max-age: verifiers
    fetch it on every check. A revocation shows once a cached copy is older than the max-age."""
    response = Response(signed.body, mimetype=signed.media_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={status_list.CACHE_SECONDS}"
    if negotiated:
        response.headers["Vary"] = "Accept"
    response.set_etag(signed.etag)
    return response.make_conditional(request)


@bp.get("/issuers/<slug>/status/revocation")
def revocation_list(slug: str) -> Response:
    """The issuer's revocation list (Bitstring Status List credential) with a Data Integrity proof, or the
    same list as a VC-JWT to a client that asks for application/vc+jwt (or application/jwt)."""
    district = _district_or_404(slug)
    accepted = request.accept_mimetypes
    wanted = accepted.best_match(
        ["application/json", *JWT_MEDIA_TYPES, "application/ld+json"], default="application/json"
    )
    fmt = status_list.VC_JWT if wanted in JWT_MEDIA_TYPES else status_list.DATA_INTEGRITY
    return _status_list(status_list.current_list(district, fmt), negotiated=True)


@bp.get("/issuers/<slug>/status/revocation.jwt")
def revocation_list_jwt(slug: str) -> Response:
    """The same revocation list secured as a VC-JWT: what a VC-JWT's credentialStatus names."""
    return _status_list(status_list.current_list(_district_or_404(slug), status_list.VC_JWT), negotiated=False)
