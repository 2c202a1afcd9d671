"""Open Badges 2.0 hosted verification over HTTP: the Assertion, its BadgeClass and Issuer Profile,
each JSON-LD at its own id URL, public and readable from any origin; a revoked assertion answers 410."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from badges.credentials import issuing
from badges.credentials.credential import email_hash
from badges.credentials.revocation import revoke
from badges.extensions import db
from badges.models import District
from tests.test_holder import issued_award

CONTEXT = "https://w3id.org/openbadges/v2"


@pytest.fixture
def held(make_user, district, framework):
    return issued_award(make_user, district, framework)


def fetch(client, url: str, **kwargs):
    """GET one of our own absolute URLs through the test client."""
    parts = urlsplit(url)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""), **kwargs)


def test_assertion_badge_class_and_issuer_link_up(client, held):
    award, _ = held
    response = client.get(f"/ob2/assertions/{award.credential_uuid}")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assertion = response.get_json(force=True)
    credential = json.loads(award.data_integrity)
    identity = credential["credentialSubject"]["identifier"][0]
    assert assertion["@context"] == CONTEXT and assertion["type"] == "Assertion"
    assert assertion["id"] == f"http://127.0.0.1:5000/ob2/assertions/{award.credential_uuid}"
    assert assertion["recipient"] == {
        "type": "email",
        "hashed": True,
        "salt": identity["salt"],
        "identity": identity["identityHash"],
    }
    assert assertion["recipient"]["identity"] == email_hash("teacher@northfield.example.org", award.recipient_salt)
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["issuedOn"] == credential["validFrom"]
    assert "expires" not in assertion  # the default policy sets no validity period
    assert assertion["evidence"] == [
        {
            "type": "Evidence",
            "name": "Evidence Delivery and Operations: Experienced, Teacher",
            "narrative": "What it shows.",
        }
    ]
    assert "teacher@" not in response.get_data(as_text=True)

    badge_class = fetch(client, assertion["badge"]).get_json(force=True)
    assert (
        badge_class["id"]
        == assertion["badge"]
        == f"http://127.0.0.1:5000/ob2/badge-classes/{award.badge_class_id}?issuer=northfield"
    )
    assert (badge_class["type"], badge_class["name"]) == ("BadgeClass", "Delivery and Operations: Experienced, Teacher")
    assert badge_class["image"].endswith(f"/badge-classes/{award.badge_class_id}/image.png")
    assert badge_class["criteria"]["narrative"] == award.badge_class.criteria
    assert badge_class["criteria"]["id"].endswith("/domains/delivery-operations")
    assert badge_class["alignment"][0]["targetCode"] == "delivery-operations"
    assert set(badge_class["alignment"][0]) == {"targetName", "targetUrl", "targetCode", "targetFramework"}
    assert fetch(client, badge_class["image"]).mimetype == "image/png"

    issuer = fetch(client, badge_class["issuer"]).get_json(force=True)
    assert issuer == {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": "http://127.0.0.1:5000/ob2/issuers/northfield",
        "name": "Northfield District",
        "url": "http://127.0.0.1:5000",
        "email": "badges@localhost",
    }  # BADGES_ISSUER_EMAIL: the district has no address of its own


def test_content_type_follows_the_accept_header(client, held):
    award, _ = held
    path = f"/ob2/assertions/{award.credential_uuid}"
    assert client.get(path, headers={"Accept": "application/json"}).mimetype == "application/json"
    assert (
        client.get(path, headers={"Accept": "application/ld+json, application/json"}).mimetype == "application/ld+json"
    )
    assert client.get(path, headers={"Accept": "*/*"}).mimetype == "application/ld+json"


def test_revoked_assertion_answers_gone_with_the_reason(client, held):
    award, world = held
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    response = client.get(f"/ob2/assertions/{award.credential_uuid}")
    assert response.status_code == 410
    assert response.get_json(force=True) == {
        "@context": CONTEXT,
        "type": "Assertion",
        "revoked": True,
        "revocationReason": "Issued in error.",
        "id": f"http://127.0.0.1:5000/ob2/assertions/{award.credential_uuid}",
    }
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_expiring_award_says_when(client, held):
    award, _ = held
    award.valid_until = award.valid_from + timedelta(days=1095)
    issuing.sign(award)
    db.session.commit()
    assertion = client.get(f"/ob2/assertions/{award.credential_uuid}").get_json(force=True)
    assert assertion["expires"] == award.valid_until.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    "path",
    [
        "/ob2/assertions/00000000-0000-4000-8000-000000000000",
        "/ob2/assertions/nope",
        "/ob2/badge-classes/999999",
        "/ob2/badge-classes/0",
        f"/ob2/badge-classes/{2**40}",
        "/ob2/issuers/nowhere",
    ],
)
def test_unknown_documents_are_not_found_as_json(client, held, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json


def test_a_badge_class_names_one_issuer(client, held, framework):
    award, _ = held
    path = f"/ob2/badge-classes/{award.badge_class_id}"
    assert client.get(path).get_json(force=True)["issuer"].endswith("/ob2/issuers/northfield")  # the only one
    assert client.get(path + "?issuer=elsewhere").status_code == 404
    db.session.add(District(slug="southfield", name="Southfield District", framework=framework))
    db.session.commit()
    ambiguous = client.get(path)
    assert ambiguous.status_code == 404 and "?issuer=" in ambiguous.get_json()["message"]
    assert client.get(path + "?issuer=southfield").get_json(force=True)["issuer"].endswith("/issuers/southfield")
    assert client.get(path + "?issuer=northfield").get_json(force=True)["issuer"].endswith("/issuers/northfield")
    db.session.add(District(slug="westfield", name="Westfield District"))  # another framework: not its issuer
    db.session.commit()
    assert client.get(path + "?issuer=westfield").status_code == 404
