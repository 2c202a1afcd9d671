"""The wallet's verifier, @digitalcredentials/verifier-core (Node), checks a badge this service issued:
the Data Integrity form of a real award, fetching our issuer profile, Multikey document and status list
from the running service, then sees the revocation through the status list."""

from __future__ import annotations

import json

from badges.credentials.revocation import revoke
from badges.extensions import db
from tests.conftest import need
from tests.interop.test_verifier_core import NODE_DIR, steps, verifier_core
from tests.validation_setup import approve, make_world


def test_verifier_core_accepts_an_issued_badge_and_sees_its_revocation(
    public_server, make_user, district, framework, tmp_path
):
    import shutil

    need(shutil.which("node") is not None, "node is not installed")
    need(
        (NODE_DIR / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir(),
        "interop/node/node_modules is missing: run `make interop`",
    )
    world = make_world(make_user, district, framework)
    validator = world.person(
        make_user, "v@northfield.example.org", roles=("validator",), role="school-leader", school="south"
    )
    world.set_scope(validator)
    award = approve(validator, world.claim()).award
    credential = json.loads(award.data_integrity)
    assert credential["issuer"]["id"] == f"{public_server}/issuers/{district.slug}"

    log = steps(verifier_core(credential, tmp_path))
    assert log["valid_signature"]["valid"] is True
    assert log["expiration"]["valid"] is True
    assert log["revocation_status"]["valid"] is True

    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    log = steps(verifier_core(credential, tmp_path))
    assert log["valid_signature"]["valid"] is True
    assert log["revocation_status"]["valid"] is False
