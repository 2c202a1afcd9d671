"""The Open Badges 2.0 validator (1EdTech validator-core, PyPI `openbadges` 1.1.2 on Python 3.9) checks a
badge this service issued: the hosted assertion fetched from the running service, with its BadgeClass,
Issuer Profile and image, and the baked OB 2.0 PNG the holder downloads; then sees the revocation.

interop/ob2/validate.py answers the JSON-LD context from the package's own copy and reaches nothing but
this machine's loopback server.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from badges.credentials import holder
from badges.credentials.revocation import revoke
from badges.extensions import db
from tests.conftest import need
from tests.test_holder import issued_award

OB2_DIR = Path(__file__).resolve().parents[2] / "interop" / "ob2"
PYTHON = OB2_DIR / ".venv" / "bin" / "python"
EMAIL = "teacher@northfield.example.org"


def validator(badge_input: str, recipient: str | None = None) -> dict:
    command = [str(PYTHON), str(OB2_DIR / "validate.py"), badge_input]
    if recipient:
        command += ["--recipient", recipient]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0 and run.stdout, f"validate.py failed ({run.returncode}); stderr:\n{run.stderr}"
    return json.loads(run.stdout)


@pytest.fixture
def ob2_validator():
    need(
        PYTHON.exists(),
        "interop/ob2/.venv is missing: run `make interop` (python3.9 -m venv interop/ob2/.venv "
        "&& interop/ob2/.venv/bin/pip install -r interop/ob2/requirements.txt)",
    )
    return validator


def test_validator_accepts_the_hosted_assertion_then_sees_it_revoked(
    public_server, ob2_validator, make_user, district, framework
):
    award, world = issued_award(make_user, district, framework)
    url = f"{public_server}/ob2/assertions/{award.credential_uuid}"

    outcome = ob2_validator(url, recipient=EMAIL)
    assert outcome["status"] == "valid", json.dumps(outcome["errors"], indent=1)
    assert outcome["report"]["recipientProfile"] == {"email": EMAIL}
    assert outcome["report"]["openBadgesVersion"] == "2.0"
    types = {node.get("type") for node in outcome["graph"]}
    assert {"Assertion", "BadgeClass", "Issuer"} <= types
    assert ob2_validator(url, recipient="someone.else@example.org")["status"] == "invalid"

    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    outcome = ob2_validator(url)
    assert (outcome["status"], outcome["valid"]) == ("revoked", False)
    assert outcome["revocationReason"] == "Issued in error."


def test_validator_accepts_the_baked_png_the_holder_downloads(
    public_server, ob2_validator, make_user, district, framework, tmp_path
):
    award, world = issued_award(make_user, district, framework)
    image = tmp_path / "badge-ob2.png"
    image.write_bytes(holder.baked_ob2_png(award))

    outcome = ob2_validator(str(image), recipient=EMAIL)
    assert outcome["status"] == "valid", json.dumps(outcome["errors"], indent=1)
    assertion = next(node for node in outcome["graph"] if node.get("type") == "Assertion")
    assert assertion["id"] == f"{public_server}/ob2/assertions/{award.credential_uuid}"

    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    assert ob2_validator(str(image))["status"] == "revoked"
