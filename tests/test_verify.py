"""Verification for anyone: badges.credentials.verification, POST /api/v1/verify and the /verify page.

Every bad token is a clear "not valid" with its reason, through the domain function and the API alike,
and never a 500; revocation and expiry show at once; no answer ever carries private key material.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import datetime, timedelta

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from badges.catalogue.badge_classes import set_policy
from badges.catalogue.images import badge_png, badge_svg
from badges.credentials import keys, vc_jwt
from badges.credentials.baking import bake_png, bake_svg
from badges.credentials.credential import timestamp
from badges.credentials.revocation import revoke
from badges.credentials.verification import (
    CHECKS,
    signature_cache,
    verify_credential,
    verify_image,
    verify_text,
    verify_token,
)
from badges.extensions import db, limiter
from badges.models import KeyAlgorithm
from tests.conftest import USER_PASSWORD, csrf_token_from, make_app
from tests.validation_setup import approve, make_world
from tests.verify_tokens import BAD_TOKENS, resigned, segment, split

API = "/api/v1/verify"
BADGE = "Delivery and Operations: Experienced, Teacher"


@pytest.fixture
def held(make_user, district, framework):
    """(award, world, validator): the teacher's award, approved by a validator in scope."""
    world = make_world(make_user, district, framework)
    validator = world.person(
        make_user,
        "v@northfield.example.org",
        roles=("validator",),
        role="school-leader",
        school="south",
    )
    world.set_scope(validator)
    return approve(validator, world.claim()).award, world, validator


@pytest.fixture
def award(held):
    return held[0]


def no_secrets(text: str) -> str:
    assert "PRIVATE KEY" not in text and '"d":' not in text and '"d": ' not in text
    return text


def api_verify(client, **body) -> dict:
    response = client.post(API, json=body)
    no_secrets(response.get_data(as_text=True))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def assert_refused(result: dict, reason: str, failed_check: str) -> None:
    assert result["valid"] is False and result["status"] == "invalid"
    assert reason in result["reason"], result["reason"]
    checks = {c["name"]: c for c in result["checks"]}
    assert [c["name"] for c in result["checks"]] == list(CHECKS)
    assert checks[failed_check]["passed"] is False and reason in checks[failed_check]["detail"]


@pytest.mark.parametrize("case", BAD_TOKENS)
def test_every_bad_token_is_not_valid_with_its_reason(client, award, case):
    build, reason, failed_check = BAD_TOKENS[case]
    token = build(award)
    assert_refused(verify_token(token).as_dict(), reason, failed_check)
    assert_refused(verify_token(token).as_dict(), reason, failed_check)  # and again (caches must not change it)
    assert_refused(api_verify(client, token=token), reason, failed_check)
    page = client.get("/verify", query_string={"token": token})
    assert page.status_code == 200 and '<h2 id="verdict">Not valid</h2>' in no_secrets(page.get_data(as_text=True))


@pytest.mark.parametrize(
    "token",
    [
        "a.b.c",
        "..",
        "é.é.é",
        "eyJ9.eyJ9.x",
        "e30.e30.",
        "W10.W10.e30",
        "\x00.\x00.\x00",
        segment({"alg": "ES256", "kid": "http://127.0.0.1:5000/keys/\x00"}) + ".e30.e30",
        "x" * (vc_jwt.MAX_TOKEN_CHARS + 1),
    ],
)
def test_malformed_tokens_never_raise(client, app, token):
    assert verify_token(token).valid is False
    if "\x00" in token:  # the request guard refuses NUL in any JSON string before verification sees it
        answer = client.post(API, json={"token": token})
        assert answer.status_code == 400 and "NUL" in answer.get_json()["message"]
        return
    assert api_verify(client, token=token)["valid"] is False


def test_a_valid_token_passes_all_five_checks_with_the_summary(client, held):
    award, world, validator = held
    for result in (
        verify_token(award.jwt).as_dict(),
        api_verify(client, token=award.jwt),
        api_verify(client, token=f"  {award.jwt}\n"),
    ):
        assert (result["valid"], result["status"], result["format"], result["reason"]) == (
            True,
            "valid",
            "vc-jwt",
            "valid",
        )
        assert [(c["name"], c["passed"]) for c in result["checks"]] == [(name, True) for name in CHECKS]
        about = result["summary"]
        assert (
            about["badge"],
            about["level"],
            about["level_name"],
            about["domain"],
            about["professional_role"],
            about["issuer"],
            about["recipient"],
            about["validated_by"],
            about["revoked"],
        ) == (
            BADGE,
            3,
            "Experienced",
            "Delivery and Operations",
            "Teacher",
            "Northfield District",
            None,
            [validator.name],
            False,
        )
        assert about["credential_id"] == f"urn:uuid:{award.credential_uuid}" and about["valid_until"] is None


def test_revocation_shows_at_once_even_when_the_signature_is_cached(client, held):
    award, world, _ = held
    assert verify_token(award.jwt).status == "valid"
    assert signature_cache.get(hashlib.sha256(award.jwt.encode()).hexdigest()) is not None
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    for result in (verify_token(award.jwt).as_dict(), api_verify(client, token=award.jwt)):
        assert (result["valid"], result["status"]) == (False, "revoked")
        assert "Issued in error." in result["reason"]
        assert [c["passed"] for c in result["checks"]] == [True, True, True, True, False]
        assert result["summary"]["revoked"] is True
    page = client.get("/verify", query_string={"token": award.jwt}).get_data(as_text=True)
    assert '<h2 id="verdict">Revoked</h2>' in page


def test_a_removed_key_shows_at_once_even_when_the_signature_is_cached(client, award):
    assert verify_token(award.jwt).status == "valid"
    keys.rotate_key(KeyAlgorithm.ES256)
    db.session.commit()
    assert verify_token(award.jwt).status == "valid"  # a retired key still verifies what it signed
    keys.remove_key(award.jwt_kid)
    db.session.commit()
    for result in (verify_token(award.jwt).as_dict(), api_verify(client, token=award.jwt)):
        assert result["valid"] is False and "was removed by the issuer" in result["reason"]


def test_an_award_past_its_validity_is_expired(client, make_user, district, framework):
    set_policy(framework, validity_months=1)
    db.session.commit()
    world = make_world(make_user, district, framework)
    validator = world.person(make_user, "v@northfield.example.org", roles=("validator",), role="school-leader")
    world.set_scope(validator)
    award = approve(validator, world.claim()).award
    assert split(award.jwt)[1]["exp"] == vc_jwt.numeric_date(split(award.jwt)[1]["validUntil"])
    assert verify_token(award.jwt).status == "valid"
    later = award.valid_until + timedelta(days=1)
    for result in (
        verify_token(award.jwt, now=later),
        verify_text(award.jwt, now=later),
        verify_credential(award.data_integrity, now=later),
    ):
        assert (result.valid, result.status) == (False, "expired")
        assert result.reason == f"expired on {timestamp(award.valid_until)}"


def test_a_token_whose_valid_until_is_past_is_expired_through_the_api(client, award):
    past = datetime(2020, 1, 1)
    token = resigned(
        award, lambda c: c.update(validFrom=timestamp(past), validUntil=timestamp(past + timedelta(days=30)))
    )
    # The issuer's record says the same (a shortened validity also counts).
    award.valid_from, award.valid_until = past, past + timedelta(days=30)
    db.session.commit()
    result = api_verify(client, token=token)
    assert (result["valid"], result["status"], result["reason"]) == (
        False,
        "expired",
        "expired on 2020-01-31T00:00:00Z",
    )
    assert [c["passed"] for c in result["checks"]] == [True, True, True, False, None]


def test_the_issuers_record_of_validity_counts_even_when_the_token_has_none(award):
    award.valid_until = datetime(2021, 1, 1)
    db.session.commit()
    assert verify_token(award.jwt).status == "expired"


def test_a_token_not_yet_valid(award):
    token = resigned(award, lambda c: c.update(validFrom="2999-01-01T00:00:00Z"))
    result = verify_token(token)
    assert (result.valid, result.status) == (False, "not yet valid")


def test_data_integrity_credential_valid_and_tampered(client, award):
    document = json.loads(award.data_integrity)
    for result in (
        verify_credential(award.data_integrity).as_dict(),
        verify_text(award.data_integrity).as_dict(),
        api_verify(client, credential=document),
        api_verify(client, credential=award.data_integrity),
    ):
        assert (result["valid"], result["status"], result["format"]) == (True, "valid", "data-integrity")
        assert [c["passed"] for c in result["checks"]] == [True] * 5
    changed = {**document, "name": "Delivery and Operations: Expert, Teacher"}
    for result in (verify_credential(changed).as_dict(), api_verify(client, credential=changed)):
        assert (result["valid"], result["format"]) == (False, "data-integrity")
        assert result["reason"] == "Data Integrity proof: signature does not match"
    stranger = {**document, "proof": {**document["proof"], "verificationMethod": "https://evil.example.org/k/1"}}
    assert api_verify(client, credential=stranger)["reason"] == "Data Integrity proof: unknown verification method"
    nul_method = {
        **document,
        "proof": {**document["proof"], "verificationMethod": document["proof"]["verificationMethod"] + "\x00"},
    }
    assert verify_credential(nul_method).reason == "Data Integrity proof: unknown verification method"
    answer = client.post(API, json={"credential": nul_method})  # over HTTP the request guard refuses NUL first
    assert answer.status_code == 400 and "proof.verificationMethod" in answer.get_json()["message"]
    for hostile in ([], "not json", 5, {"proof": "x"}, {"proof": {"type": "DataIntegrityProof"}}):
        assert api_verify(client, credential=hostile)["valid"] is False


def baked(award, kind: str) -> bytes:
    badge = award.badge_class
    args = (badge.domain.position, badge.domain.name, badge.level, "Experienced")
    if kind == "png":
        return bake_png(badge_png(*args), "openbadgecredential", award.jwt)
    return bake_svg(badge_svg(*args), award.jwt).encode()


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_baked_image_verifies_through_the_api_upload(client, award, kind):
    image = baked(award, kind)
    assert verify_image(image).status == "valid"
    response = client.post(
        API, data={"image": (io.BytesIO(image), f"badge.{kind}")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    result = response.get_json()
    assert (result["valid"], result["status"], result["summary"]["badge"]) == (True, "valid", BADGE)
    not_baked = client.post(API, data={"image": (io.BytesIO(badge_png(1, "X", 1, "Explorer")), "plain.png")})
    assert not_baked.status_code == 200 and not_baked.get_json()["reason"] == "the image holds no baked credential"


@pytest.mark.parametrize(
    "body, status",
    [
        ({}, 422),
        ({"token": None}, 422),
        ({"token": "x", "credential": {}}, 422),
        ({"image": "x"}, 422),
        ({"token": 5}, 422),
        ([], 422),
    ],
)
def test_malformed_requests_are_422(client, app, body, status):
    response = client.post(API, json=body)
    assert response.status_code == status and response.get_json()["code"] == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def multipart(path: str, client, **files: bytes):
    """A multipart body built in memory (the test client would spool a big one to a temporary file that
    stays open when the server refuses it unread)."""
    boundary, body = encode_multipart(
        {name: FileStorage(io.BytesIO(data), f"{name}.png", name) for name, data in files.items()}
    )
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_body_that_is_not_json_is_400_and_a_huge_one_413(client, app):
    assert client.post(API, data="{not json", content_type="application/json").status_code == 400
    huge = multipart(API, client, image=b"\x89PNG" + b"0" * (7 * 1024 * 1024))
    assert huge.status_code == 413 and "at most 5 MiB" in huge.get_json()["message"]
    assert huge.headers["Access-Control-Allow-Origin"] == "*"
    image = multipart(API, client, image=b"\x89PNG" + b"0" * (5 * 1024 * 1024))
    assert image.status_code == 413 and "at most 5 MiB" in image.get_json()["message"]
    page = multipart("/verify", client, image=b"0" * (7 * 1024 * 1024))
    assert page.status_code == 413 and "at most 5 MiB" in page.get_data(as_text=True)


def test_the_api_answers_cors_preflights_and_needs_no_csrf_or_session(client, app):
    preflight = client.options(
        API,
        headers={
            "Origin": "https://elsewhere.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Set-Cookie" not in client.post(API, json={"token": "x"}).headers


def page_token(client) -> str:
    page = client.get("/verify")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Token or credential" in html and "Badge image" in html
    return csrf_token_from(html)


def test_the_public_page_verifies_a_pasted_token_an_upload_and_a_link(client, held):
    award, _, validator = held
    result = client.post("/verify", data={"csrf_token": page_token(client), "token": award.jwt})
    html = no_secrets(result.get_data(as_text=True))
    assert result.status_code == 200 and result.headers["Cache-Control"] == "no-store"
    assert '<h2 id="verdict">Valid</h2>' in html
    for text in (
        BADGE,
        "Experienced (3 of 4)",
        "Delivery and Operations",
        "Northfield District",
        validator.name,
        "Not revoked",
        "Signature",
    ):
        assert text in html
    upload = client.post(
        "/verify",
        data={"csrf_token": page_token(client), "token": "", "image": (io.BytesIO(baked(award, "png")), "badge.png")},
    )
    assert upload.status_code == 200 and '<h2 id="verdict">Valid</h2>' in upload.get_data(as_text=True)
    pasted_json = client.post("/verify", data={"csrf_token": page_token(client), "token": award.data_integrity})
    assert '<h2 id="verdict">Valid</h2>' in pasted_json.get_data(as_text=True)
    link = client.get("/verify", query_string={"token": award.jwt})
    assert link.status_code == 200 and '<h2 id="verdict">Valid</h2>' in link.get_data(as_text=True)


def test_the_page_needs_its_csrf_token_and_something_to_verify(client, award):
    assert client.post("/verify", data={"token": award.jwt}).status_code == 400
    empty = client.post("/verify", data={"csrf_token": page_token(client)})
    assert empty.status_code == 400 and "Paste a token" in empty.get_data(as_text=True)
    both = client.post(
        "/verify",
        data={
            "csrf_token": page_token(client),
            "token": award.jwt,
            "image": (io.BytesIO(baked(award, "png")), "badge.png"),
        },
    )
    assert both.status_code == 400 and "not both" in both.get_data(as_text=True)


def test_signed_in_people_get_the_same_answers(client, auth, award):
    assert auth.login("teacher@northfield.example.org", USER_PASSWORD).status_code == 302
    assert client.get("/verify").status_code == 200
    assert client.post("/verify", data={"csrf_token": page_token(client)}).status_code == 400
    assert client.post(API, json={}).status_code == 422
    assert api_verify(client, token=award.jwt)["valid"] is True


def test_verifications_are_rate_limited_per_client_with_a_friendly_429(database_url):
    app = make_app(database_url, VERIFY_RATE_LIMIT="3 per minute")
    try:
        with app.app_context():
            client = app.test_client()
            assert client.get("/verify").status_code == 200  # the empty form is not counted
            answers = [client.post(API, json={"token": "x"}).status_code for _ in range(2)]
            answers.append(client.get("/verify?token=x").status_code)  # page and API share one budget
            assert answers == [200, 200, 200]
            limited = client.post(API, json={"token": "x"})
            assert limited.status_code == 429 and limited.headers["Access-Control-Allow-Origin"] == "*"
            assert "Too many verifications" in limited.get_json()["message"] and "Retry-After" in limited.headers
            page = client.get("/verify?token=x")
            assert page.status_code == 429 and "Too many verifications" in page.get_data(as_text=True)
            other = client.post(API, json={"token": "x"}, environ_base={"REMOTE_ADDR": "127.0.0.2"})
            assert other.status_code == 200
    finally:
        limiter.reset()


def test_the_jwks_and_key_documents_carry_no_private_material(client, award):
    for path in ("/.well-known/jwks.json", f"/keys/{award.jwt_kid}", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200
        no_secrets(response.get_data(as_text=True))
