"""Signing keys from the command line, and what rotation, retirement and removal do to verification.

Keys live in the shared database with the private half encrypted under SIGNING_KEY_PASSPHRASE, so
two instances with the same passphrase sign and verify alike; private material never leaves.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from badges.catalogue.badge_classes import role_indicators
from badges.credentials import issuing, keys
from badges.credentials.verification import verify_credential, verify_token
from badges.educator import evidence
from badges.extensions import db
from badges.models import Award, KeyAlgorithm, KeyStatus, SigningKey, User
from badges.validation import claims, reviews
from tests.conftest import USER_PASSWORD, Browserless, api_headers, make_app
from tests.test_cli import failed
from tests.validation_setup import approve, badge, indicator_id, make_world

PRIVATE_MARKERS = ("PRIVATE KEY", "ENCRYPTED", '"d":')
PASSPHRASE = "the-same-passphrase-on-every-instance-0123456789"
BADGES = [
    "Delivery and Operations: Explorer, Teacher",
    "Delivery and Operations: Novice, Teacher",
    "Delivery and Operations: Experienced, Teacher",
    "Engagement and Communication: Explorer, Teacher",
]


@pytest.fixture
def world(make_user, district, framework):
    world = make_world(make_user, district, framework)
    world.validator = world.person(make_user, "val@northfield.example.org", roles=("validator",))
    world.set_scope(world.validator)
    return world


def award_for(world, name: str) -> Award:
    """Claim `name` as the teacher and approve it: an award, issued and signed."""
    outcome = approve(world.validator, world.claim(name=name))
    assert outcome.award is not None
    return outcome.award


def run(runner, *args: str) -> str:
    result = runner.invoke(args=["keys", *args])
    assert result.exit_code == 0, result.output
    db.session.rollback()  # see what the command committed
    return result.output


def key_rows() -> list[SigningKey]:
    db.session.rollback()
    return list(db.session.scalars(select(SigningKey).order_by(SigningKey.id)))


def no_private_material(text: str) -> None:
    for marker in PRIVATE_MARKERS:
        assert marker not in text, f"{marker!r} found in {text[:200]!r}"


# -- the commands ----------------------------------------------------------------------------


def test_list_without_keys_says_how_they_come(runner, app):
    assert "no signing keys yet" in run(runner, "list")


def test_create_uses_jwt_algorithm_and_retires_the_previous_key(runner, app):
    out = run(runner, "create")
    [first] = key_rows()
    assert (first.algorithm, first.status) == (KeyAlgorithm.ES256, KeyStatus.ACTIVE)
    assert out.strip() == f"created ES256 key {first.kid} (active)"
    out = run(runner, "create")
    first_again, second = key_rows()
    assert first_again.status is KeyStatus.RETIRED and first_again.retired_at is not None
    assert second.status is KeyStatus.ACTIVE
    assert f"created ES256 key {second.kid}" in out and f"retired {first.kid}" in out


def test_create_with_another_algorithm_leaves_the_others_active(runner, app):
    app.config["JWT_ALGORITHM"] = "RS256"
    run(runner, "create")
    run(runner, "create", "--algorithm", "Ed25519")
    run(runner, "create", "--algorithm", "ES256")
    assert [(k.algorithm.value, k.status.value) for k in key_rows()] == [
        ("RS256", "active"),
        ("Ed25519", "active"),
        ("ES256", "active"),
    ]


def test_rotate_is_worded_as_rotation(runner, app):
    out = run(runner, "rotate")
    [first] = key_rows()
    assert f"rotated ES256: new badges are signed with {first.kid}" in out and "no active ES256 key before" in out
    out = run(runner, "rotate", "--algorithm", "ES256")
    _, second = key_rows()
    assert f"new badges are signed with {second.kid}; {first.kid} is retired and still verifies" in out


@pytest.mark.parametrize(
    "args, expected",
    [
        (["create", "--algorithm", "HS256"], "HS256"),
        (["rotate", "--algorithm", "none"], "none"),
        (["retire", "no-such-kid"], "no signing key 'no-such-kid'"),
        (["remove", "no-such-kid", "--yes"], "no signing key 'no-such-kid'"),
        (["remove", "no-such-kid"], "no signing key 'no-such-kid'"),
    ],
)
def test_bad_input_exits_with_one_line(runner, app, args, expected):
    failed(runner.invoke(args=["keys", *args]), expected)
    assert key_rows() == []


def test_retire_and_remove_rules(runner, app):
    run(runner, "create")
    [key] = key_rows()
    failed(runner.invoke(args=["keys", "remove", key.kid, "--yes"]), "is active; retire it")
    assert "it still verifies what it signed" in run(runner, "retire", key.kid, "--yes")
    failed(runner.invoke(args=["keys", "retire", key.kid]), "already retired")
    refused = failed(
        runner.invoke(args=["keys", "remove", key.kid]), "what this key signed will no longer verify", "--yes"
    )
    assert "0 badge(s)" in refused
    [key] = key_rows()
    assert key.status is KeyStatus.RETIRED and key.encrypted_private_key is not None  # nothing done
    assert "no longer verifies" in run(runner, "remove", key.kid, "--yes")
    [key] = key_rows()
    assert key.status is KeyStatus.REMOVED and key.encrypted_private_key is None and key.removed_at is not None
    failed(runner.invoke(args=["keys", "remove", key.kid, "--yes"]), "already removed")


def test_retire_and_remove_ask_first_and_do_nothing_unless_told_yes(runner, app):
    run(runner, "create")
    [key] = key_rows()
    declined = runner.invoke(args=["keys", "retire", key.kid], input="n\n")
    assert f"Retire ES256 key {key.kid}? It will sign nothing new" in declined.output
    assert failed(declined, "was not retired", "--yes")
    assert key_rows()[0].status is KeyStatus.ACTIVE
    retired = runner.invoke(args=["keys", "retire", key.kid], input="y\n")
    assert retired.exit_code == 0 and "[y/N]" in retired.output and f"retired ES256 key {key.kid}" in retired.output
    assert key_rows()[0].status is KeyStatus.RETIRED

    declined = runner.invoke(args=["keys", "remove", key.kid], input="\n")  # the default is no
    assert f"Remove key {key.kid}? This cannot be undone" in declined.output
    failed(declined, "was not removed", "--yes")
    assert key_rows()[0].encrypted_private_key is not None
    removed = runner.invoke(args=["keys", "remove", key.kid], input="y\n")
    assert removed.exit_code == 0 and f"removed ES256 key {key.kid}" in removed.output
    assert key_rows()[0].status is KeyStatus.REMOVED


def test_list_shows_public_facts_only(runner, world):
    award_for(world, BADGES[0])  # the first award creates an ES256 and an Ed25519 key
    run(runner, "rotate")
    out = run(runner, "list")
    lines = out.splitlines()
    assert lines[0].split() == ["KID", "ALGORITHM", "STATUS", "CREATED", "RETIRED"]
    rows = key_rows()
    assert len(lines) == 1 + len(rows) == 4
    for key in rows:
        line = next(line for line in lines if line.startswith(key.kid))
        assert key.algorithm.value in line and key.status.value in line
    retired = next(k for k in rows if k.status is KeyStatus.RETIRED)
    assert f"{retired.retired_at:%Y-%m-%d}" in next(line for line in lines if line.startswith(retired.kid))
    no_private_material(out)


# -- what the keys sign, and what still verifies ----------------------------------------------------


def test_rotation_retirement_and_removal_through_verification(runner, world, client):
    before = award_for(world, BADGES[0])
    old_kid = before.jwt_kid
    assert verify_token(before.jwt).valid

    run(runner, "rotate")
    after = award_for(world, BADGES[1])
    assert after.jwt_kid != old_kid
    new_key = keys.get_key(after.jwt_kid)
    assert new_key.status is KeyStatus.ACTIVE and keys.get_key(old_kid).status is KeyStatus.RETIRED
    assert verify_token(before.jwt).valid and verify_token(after.jwt).valid  # signed before rotation: still valid

    run(runner, "retire", after.jwt_kid, "--yes")
    assert verify_token(after.jwt).valid  # a retired key still verifies
    third = award_for(world, BADGES[2])  # no active ES256 key: the next award makes one
    assert third.jwt_kid not in (old_kid, after.jwt_kid) and verify_token(third.jwt).valid

    jwks = client.get("/.well-known/jwks.json").get_json()
    listed = {jwk["kid"].rsplit("/", 1)[-1] for jwk in jwks["keys"]}
    assert listed == {old_kid, after.jwt_kid, third.jwt_kid}  # active and retired JWT keys, no Ed25519

    run(runner, "remove", old_kid, "--yes")
    outcome = verify_token(before.jwt)
    assert not outcome.valid and "removed" in outcome.reason
    assert verify_token(after.jwt).valid and verify_token(third.jwt).valid
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert {jwk["kid"].rsplit("/", 1)[-1] for jwk in jwks["keys"]} == {after.jwt_kid, third.jwt_kid}
    assert client.get(f"/keys/{old_kid}").status_code == 404
    assert client.get(f"/keys/{after.jwt_kid}").status_code == 200


def test_remove_names_how_many_badges_it_signed(runner, world):
    award = award_for(world, BADGES[0])
    run(runner, "rotate")
    refused = failed(runner.invoke(args=["keys", "remove", award.jwt_kid]), "no longer verify")
    assert "1 badge(s) carry a VC-JWT signed with it" in refused
    assert verify_token(award.jwt).valid


def test_private_key_material_never_leaves(runner, world, app):
    award = award_for(world, BADGES[0])
    run(runner, "rotate")
    slug = world.teacher.district.slug
    ed25519 = next(k for k in key_rows() if k.algorithm is KeyAlgorithm.ED25519)
    client = app.test_client()
    for path in [
        "/.well-known/jwks.json",
        f"/keys/{award.jwt_kid}",
        f"/issuers/{slug}",
        f"/issuers/{slug}/keys/{ed25519.kid}",
        f"/issuers/{slug}/status/revocation",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        no_private_material(response.get_data(as_text=True))
    no_private_material(run(runner, "list"))

    teacher = app.test_client()
    assert Browserless(teacher).login(world.teacher.email, USER_PASSWORD).status_code == 302
    response = teacher.get("/api/v1/me/awards")
    assert response.status_code == 200 and response.get_json()
    no_private_material(response.get_data(as_text=True))

    admin = app.test_client()
    assert Browserless(admin).login(world.admin.email, USER_PASSWORD).status_code == 302
    response = admin.post(
        f"/api/v1/awards/{award.id}/revoke", json={"reason": "Issued in error."}, headers=api_headers(admin)
    )
    assert response.status_code == 200
    no_private_material(response.get_data(as_text=True))
    no_private_material(admin.get("/admin/awards").get_data(as_text=True))


# -- several instances, one database ------------------------------------------------------------


def _approve_in(app, world, name: str) -> tuple[int, str, str]:
    """Claim and approve `name` inside another app instance; (award id, its JWT, its JSON-LD).

    What the test's own session knows is read first: touching its objects inside another app's
    context would load them through that app's engine and keep one of its connections.
    """
    teacher_id, validator_id = world.teacher.id, world.validator.id
    indicator = indicator_id(world.framework, "4.1")
    with app.app_context():
        teacher, validator = db.session.get(User, teacher_id), db.session.get(User, validator_id)
        item = evidence.add_link(teacher, f"Evidence {name}", "What it shows.", "https://example.org/e", [indicator])
        claim = claims.create_claim(teacher, badge(name).id, "It shows it.", [item.id])
        db.session.flush()
        outcome = reviews.decide(
            validator,
            claim.id,
            "approve",
            "Well shown.",
            {ind.id: claim.badge_class.level for ind in role_indicators(claim.badge_class)},
        )
        db.session.commit()
        award = outcome.award
        return award.id, award.jwt, award.data_integrity


def _verified_in(app, token: str, document: str) -> tuple[bool, bool]:
    with app.app_context():
        return verify_token(token).valid, verify_credential(document).valid


def _invoke_in(app, *args: str):
    """`keys ARGS` run by that instance (its app context: the CLI uses the current app when there is one)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["keys", *args])


def _close(*apps) -> None:
    for instance in apps:
        with instance.app_context():
            db.session.remove()
            db.engine.dispose()


def test_two_instances_sign_and_verify_each_others_badges(world, database_url):
    first = make_app(database_url, SIGNING_KEY_PASSPHRASE=PASSPHRASE)
    second = make_app(database_url, SIGNING_KEY_PASSPHRASE=PASSPHRASE)
    try:
        _, token_1, doc_1 = _approve_in(first, world, BADGES[0])  # creates the keys
        _, token_2, doc_2 = _approve_in(second, world, BADGES[1])  # uses them
        assert _verified_in(second, token_1, doc_1) == (True, True)
        assert _verified_in(first, token_2, doc_2) == (True, True)
        result = _invoke_in(second, "rotate")
        assert result.exit_code == 0, result.output
        _, token_3, doc_3 = _approve_in(first, world, BADGES[2])  # signs with the key the other instance made
        assert _verified_in(second, token_3, doc_3) == (True, True)
        assert _verified_in(second, token_1, doc_1) == (True, True)
        kids = {json.loads(doc)["proof"]["verificationMethod"] for doc in (doc_1, doc_2, doc_3)}
        assert len(kids) == 1  # one Ed25519 key served all three (only ES256 was rotated)
    finally:
        _close(first, second)


def test_a_wrong_passphrase_is_named_not_a_stack_trace(world, database_url):
    right = make_app(database_url, SIGNING_KEY_PASSPHRASE=PASSPHRASE)
    wrong = make_app(database_url, SIGNING_KEY_PASSPHRASE="not-the-passphrase-the-keys-were-made-with")
    try:
        award_id, token, document = _approve_in(right, world, BADGES[0])
        for args in (["rotate"], ["create", "--algorithm", "RS256"]):
            result = _invoke_in(wrong, *args)
            line = failed(result, "cannot be decrypted", "SIGNING_KEY_PASSPHRASE")
            assert "Traceback" not in result.output and line.startswith("Error: key ")
        with wrong.app_context():
            assert db.session.scalar(select(func.count(SigningKey.id))) == 2  # nothing created
            with pytest.raises(keys.KeyError_, match="is SIGNING_KEY_PASSPHRASE the one it was made with"):
                issuing.sign(db.session.get(Award, award_id))
            db.session.rollback()
        assert _verified_in(wrong, token, document) == (True, True)  # verifying needs only public keys
    finally:
        _close(right, wrong)
