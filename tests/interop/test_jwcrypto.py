"""Another JOSE implementation (jwcrypto, not PyJWT) verifies an issued VC-JWT the way an outside verifier
would: it reads the kid from the header, fetches that URL from the running service, and checks the
signature with the JWK it got. The claims map as VC-JWT says (iss, jti, nbf, exp), the header has only
alg/typ/kid, and neither the key document nor the JWKS carries a private member.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.request
from datetime import UTC, datetime

import pytest
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import base64url_encode
from werkzeug.serving import make_server

from badges.catalogue.badge_classes import set_policy
from badges.extensions import db, limiter
from tests.conftest import _empty_all_tables, make_app
from tests.validation_setup import approve, make_world

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["ES256", "RS256"])
def app(database_url, request):
    """The app whose BADGES_PUBLIC_URL is the loopback address it is served at (see `served`)."""
    port = _free_port()
    app = make_app(database_url, BADGES_PUBLIC_URL=f"http://127.0.0.1:{port}", JWT_ALGORITHM=request.param)
    app.config["TEST_PORT"] = port
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        limiter.reset()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def served(app):
    """The live_server pattern of tests/browser, on the port the app's public URL names."""
    server = make_server("127.0.0.1", app.config["TEST_PORT"], app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app.config["BADGES_PUBLIC_URL"]
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def award(make_user, district, framework):
    """An award under a policy with a validity period, so the token has exp as well as nbf."""
    set_policy(framework, validity_months=12)
    db.session.commit()
    world = make_world(make_user, district, framework)
    validator = world.person(make_user, "v@northfield.example.org", roles=("validator",), role="school-leader")
    world.set_scope(validator)
    return approve(validator, world.claim()).award


def fetch_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        assert response.status == 200
        return json.loads(response.read())


def numeric_date(stamp: str) -> int:
    return int(datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def test_jwcrypto_verifies_an_issued_token_with_the_key_its_kid_names(served, app, award):
    token = award.jwt
    parsed = jws.JWS()
    parsed.deserialize(token)
    header = parsed.jose_header
    assert set(header) == {"alg", "typ", "kid"}
    assert header["alg"] == app.config["JWT_ALGORITHM"] and header["typ"] == "JWT"
    assert header["kid"] == f"{served}/keys/{award.jwt_kid}"

    published = fetch_json(header["kid"])  # what any verifier does: dereference the kid
    assert "keys" not in published and not PRIVATE_MEMBERS & set(published)
    assert published["kid"] == header["kid"]
    key = jwk.JWK(**published)
    assert not key.has_private

    checked = jwt.JWT(jwt=token, key=key, algs=[header["alg"]])  # signature, then exp/nbf against the clock
    claims = json.loads(checked.claims)
    assert claims["iss"] == claims["issuer"]["id"] == f"{served}/issuers/northfield"
    assert claims["jti"] == claims["id"] == f"urn:uuid:{award.credential_uuid}"
    assert claims["nbf"] == numeric_date(claims["validFrom"])
    assert claims["exp"] == numeric_date(claims["validUntil"])
    assert "sub" not in claims and "id" not in claims["credentialSubject"]  # the subject is a hashed email
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]

    header_b64, _, signature = token.split(".")
    changed = base64url_encode(json.dumps({**claims, "name": "Something else"}, separators=(",", ":")))
    with pytest.raises(jws.InvalidJWSSignature):
        jwt.JWT(jwt=f"{header_b64}.{changed}.{signature}", key=key, algs=[header["alg"]])


def test_the_jwks_lists_the_same_key_with_public_members_only(served, award):
    kid_url = f"{served}/keys/{award.jwt_kid}"
    key_set = fetch_json(f"{served}/.well-known/jwks.json")
    assert kid_url in [k["kid"] for k in key_set["keys"]]
    for member in key_set["keys"]:
        assert not PRIVATE_MEMBERS & set(member), member["kid"]
    parsed = jwk.JWKSet.from_json(json.dumps(key_set))
    assert not parsed.get_key(kid_url).has_private
    assert parsed.get_key(kid_url).thumbprint() == jwk.JWK(**fetch_json(kid_url)).thumbprint()
