"""The holder's badges over HTTP: the page under /educator/badges, its downloads and the name choice,
the public share page under /credentials, the PNG badge image, and the API under /api/v1/me/badges."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from badges.credentials import issuing
from badges.credentials.baking import extract_png, extract_svg
from badges.credentials.revocation import revoke
from badges.credentials.verification import verify_image
from badges.extensions import db
from badges.models import AuditEvent, Award, utcnow
from tests.conftest import USER_PASSWORD, api_headers, csrf_token_from
from tests.validation_setup import approve, make_world

PAGES, API = "/educator/badges", "/api/v1/me/badges"
STEM = "delivery-and-operations-experienced"


def issued_award(make_user, district, framework) -> tuple[Award, object]:
    """A teacher's award ("Delivery and Operations: Experienced, Teacher"), approved by a validator in scope."""
    world = make_world(make_user, district, framework)
    validator = world.person(
        make_user, "v@northfield.example.org", roles=("validator",), role="school-leader", school="south"
    )
    world.set_scope(validator)
    return approve(validator, world.claim()).award, world


@pytest.fixture
def held(make_user, district, framework):
    return issued_award(make_user, district, framework)


@pytest.fixture
def award(held):
    return held[0]


def login(auth, email) -> None:
    assert auth.login(email, USER_PASSWORD).status_code == 302


def main_of(response) -> str:
    """The page's own content, without the header (which names whoever is signed in)."""
    html = response.get_data(as_text=True)
    return html[html.index("<main") :]


def name_in_credential(award) -> str | None:
    identifiers = json.loads(award.data_integrity)["credentialSubject"]["identifier"]
    return next((i["identityHash"] for i in identifiers if i["identityType"] == "name"), None)


def test_owner_sees_the_badge_its_status_share_link_and_downloads(client, auth, award):
    login(auth, "teacher@northfield.example.org")
    page = client.get(f"{PAGES}/{award.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in (
        "Delivery and Operations: Experienced, Teacher",
        "Experienced (3 of 4)",
        "Valid",
        f"/credentials/{award.credential_uuid}",
        f"{STEM}.jwt",
        f"{STEM}-ob2.png",
        "Show my name on the public page and in the credential",
        "Northfield District",
    ):
        assert text in html
    assert page.headers["Cache-Control"] == "no-store"


def test_another_persons_badge_is_not_found_and_other_roles_are_refused(client, auth, make_user, award):
    make_user("other@northfield.example.org")
    paths = [
        f"{PAGES}/{award.id}",
        f"{PAGES}/{award.id}/credential.jwt",
        f"{PAGES}/{award.id}/badge.png",
        f"{API}/{award.id}",
        f"{API}/{award.id}/credential.json",
    ]
    assert [client.get(p).status_code for p in paths] == [302, 302, 302, 401, 401]
    login(auth, "other@northfield.example.org")
    assert [client.get(p).status_code for p in paths] == [404] * len(paths)
    assert client.get(API).get_json() == []
    auth.logout()
    login(auth, "v@northfield.example.org")  # the validator who approved it
    assert [client.get(p).status_code for p in paths] == [403] * len(paths)


def test_downloads_are_the_signed_forms_and_baked_images(client, auth, award):
    login(auth, "teacher@northfield.example.org")
    base = f"{PAGES}/{award.id}"
    got = {
        name: client.get(f"{base}/{name}")
        for name in ("credential.jwt", "credential.json", "badge.png", "badge.svg", "ob2-badge.png")
    }
    expected = {
        "credential.jwt": ("application/vc+jwt", f"{STEM}.jwt"),
        "credential.json": ("application/vc+ld+json", f"{STEM}.json"),
        "badge.png": ("image/png", f"{STEM}.png"),
        "badge.svg": ("image/svg+xml", f"{STEM}.svg"),
        "ob2-badge.png": ("image/png", f"{STEM}-ob2.png"),
    }
    for name, (mimetype, filename) in expected.items():
        response = got[name]
        assert response.status_code == 200, name
        assert response.mimetype == mimetype
        assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert got["credential.jwt"].get_data(as_text=True) == award.jwt
    assert got["credential.json"].get_data(as_text=True) == award.data_integrity
    png, svg, ob2_png = (got[n].get_data() for n in ("badge.png", "badge.svg", "ob2-badge.png"))
    assert extract_png(png) == {"openbadgecredential": award.jwt}
    assert extract_svg(svg) == {"openbadgecredential": award.jwt}
    assert verify_image(png).status == verify_image(svg).status == "valid"
    assertion = json.loads(extract_png(ob2_png)["openbadges"])
    assert assertion["id"].endswith(f"/ob2/assertions/{award.credential_uuid}")
    assert assertion["verification"] == {"type": "hosted"}
    assert got["badge.svg"].headers["Content-Security-Policy"].endswith("sandbox")
    # The same bytes every time: the award keeps its signed forms.
    assert client.get(f"{base}/badge.png").get_data() == png


def test_showing_the_name_re_signs_the_same_credential_and_hiding_it_again(client, auth, award):
    login(auth, "teacher@northfield.example.org")
    uuid, jwt = award.credential_uuid, award.jwt
    public = f"/credentials/{uuid}"
    assert "Terry Teacher" not in main_of(client.get(public))
    token = csrf_token_from(client.get(f"{PAGES}/{award.id}").get_data(as_text=True))
    response = client.post(f"{PAGES}/{award.id}/name", data={"csrf_token": token, "show_name": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{PAGES}/{award.id}")
    db.session.refresh(award)
    assert award.show_name and award.credential_uuid == uuid and award.jwt != jwt
    assert name_in_credential(award) == "Terry Teacher"
    assert "Terry Teacher" in main_of(client.get(public))
    assert client.get(f"{PAGES}/{award.id}/credential.jwt").get_data(as_text=True) == award.jwt

    shown_jwt = award.jwt  # saving the same choice again signs nothing
    client.post(f"{PAGES}/{award.id}/name", data={"csrf_token": token, "show_name": "y"})
    db.session.refresh(award)
    assert award.jwt == shown_jwt

    client.post(f"{PAGES}/{award.id}/name", data={"csrf_token": token})  # an unticked box is not sent
    db.session.refresh(award)
    assert not award.show_name and name_in_credential(award) is None and award.credential_uuid == uuid
    assert "Terry Teacher" not in main_of(client.get(public))
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith("award.name"))).all()
    assert actions == ["award.name_shown", "award.name_hidden"]


def test_name_form_needs_its_csrf_token(client, auth, award):
    login(auth, "teacher@northfield.example.org")
    assert client.post(f"{PAGES}/{award.id}/name", data={"show_name": "y"}).status_code == 400
    db.session.refresh(award)
    assert not award.show_name


def test_an_award_made_before_credentials_existed_is_issued_by_the_cli_not_by_a_page_view(client, auth, award, runner):
    award.credential_uuid = award.jwt = award.data_integrity = award.recipient_salt = None
    award.valid_from = award.status_index = None
    db.session.commit()
    login(auth, "teacher@northfield.example.org")
    page = client.get(f"{PAGES}/{award.id}")
    assert page.status_code == 404 and "issue-missing" in page.get_data(as_text=True)
    assert client.get(f"{API}/{award.id}").status_code == 404
    assert client.get(API).get_json() == []
    db.session.rollback()
    assert db.session.get(Award, award.id).credential_uuid is None  # a GET never writes

    result = runner.invoke(args=["credentials", "issue-missing"])
    assert result.exit_code == 0 and "Issued 1 credential" in result.output
    db.session.rollback()
    award = db.session.get(Award, award.id)
    assert award.credential_uuid and award.jwt and award.data_integrity
    assert client.get(f"{PAGES}/{award.id}").status_code == 200
    assert client.get(f"/credentials/{award.credential_uuid}").status_code == 200
    again = runner.invoke(args=["credentials", "issue-missing"])
    assert again.exit_code == 0 and "already has its credential" in again.output


def test_public_page_shows_the_badge_and_its_live_status_to_anyone(client, award):
    response = client.get(f"/credentials/{award.credential_uuid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Delivery and Operations: Experienced, Teacher",
        "Status: Valid",
        "Experienced (3 of 4)",
        "Delivery and Operations",
        "Teacher",
        "Northfield District",
        "Evidence Delivery and Operations",
        "What it shows.",
        "Signature",
        "Not revoked",
        "Verify it yourself",
        f"/badge-classes/{award.badge_class_id}/image.png",
    ):
        assert text in html, text
    assert "teacher@northfield.example.org" not in html and "https://example.org/e" not in html
    assert "Terry Teacher" not in html  # the name only when the holder chose to show it
    link = re.search(r'href="([^"]*/verify\?credential=[^"]+)"', html).group(1)
    assert link == f"/verify?credential={award.credential_uuid}"  # short: whole tokens outgrow URL limits
    verified = client.get(link).get_data(as_text=True)
    assert ">Valid<" in verified and "Delivery and Operations: Experienced, Teacher" in verified
    assert client.get("/verify?credential=00000000-0000-4000-8000-000000000000").status_code == 404
    assert response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("uuid", ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "UPPER", "1" * 500])
def test_public_page_of_an_unknown_or_malformed_id_is_not_found(client, award, uuid):
    assert client.get(f"/credentials/{uuid}").status_code == 404
    assert client.get(f"/credentials/{award.credential_uuid.upper()}").status_code == 404


def test_revoked_badge_says_so_with_the_reason(client, auth, held):
    award, world = held
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    html = client.get(f"/credentials/{award.credential_uuid}").get_data(as_text=True)
    assert "Status: Revoked" in html and "Issued in error." in html
    login(auth, "teacher@northfield.example.org")
    html = client.get(f"{PAGES}/{award.id}").get_data(as_text=True)
    assert "Revoked" in html and "Issued in error." in html
    badge = client.get(f"{API}/{award.id}").get_json()
    assert (badge["status"], badge["revoked_reason"]) == ("revoked", "Issued in error.")


def test_expired_badge_says_so(client, auth, award):
    award.valid_from = (utcnow() - timedelta(days=800)).replace(microsecond=0)
    award.valid_until = award.valid_from + timedelta(days=365)
    issuing.sign(award)
    db.session.commit()
    assert "Status: Expired" in client.get(f"/credentials/{award.credential_uuid}").get_data(as_text=True)
    login(auth, "teacher@northfield.example.org")
    assert client.get(f"{API}/{award.id}").get_json()["status"] == "expired"


def test_badge_png_is_public_and_cached(client, award):
    response = client.get(f"/badge-classes/{award.badge_class_id}/image.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.get_data().startswith(b"\x89PNG\r\n\x1a\n")
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert client.get("/badge-classes/999999/image.png").status_code == 404
    assert client.get(f"/badge-classes/{2**40}/image.png").status_code == 404


def test_api_lists_describes_and_downloads_my_badges(client, auth, award):
    login(auth, "teacher@northfield.example.org")
    listed = client.get(API).get_json()
    assert [b["id"] for b in listed] == [award.id]
    badge = client.get(f"{API}/{award.id}").get_json()
    assert badge == listed[0]
    assert (badge["status"], badge["show_name"], badge["level_name"]) == ("valid", False, "Experienced")
    assert badge["share_url"].endswith(f"/credentials/{award.credential_uuid}")
    assert badge["credential_id"] == f"urn:uuid:{award.credential_uuid}"
    assert badge["downloads"]["ob2_png"].endswith(f"{PAGES}/{award.id}/ob2-badge.png")
    for url in badge["downloads"].values():
        assert client.get(urlsplit(url).path).status_code == 200
    jwt = client.get(f"{API}/{award.id}/credential.jwt").get_json()
    assert (jwt["jwt"], jwt["media_type"], jwt["filename"]) == (award.jwt, "application/vc+jwt", f"{STEM}.jwt")
    credential = client.get(f"{API}/{award.id}/credential.json").get_json()
    assert credential["credential"] == json.loads(award.data_integrity)
    assert credential["filename"] == f"{STEM}.json"


def test_api_patch_shows_and_hides_the_name(client, auth, award):
    login(auth, "teacher@northfield.example.org")
    headers = api_headers(client)
    jwt = award.jwt
    assert client.patch(f"{API}/{award.id}", json={}, headers=headers).get_json()["show_name"] is False
    db.session.refresh(award)
    assert award.jwt == jwt  # nothing sent, nothing changed
    response = client.patch(f"{API}/{award.id}", json={"show_name": True}, headers=headers)
    assert response.status_code == 200 and response.get_json()["show_name"] is True
    db.session.refresh(award)
    assert award.jwt != jwt and name_in_credential(award) == "Terry Teacher"
    assert client.patch(f"{API}/{award.id}", json={"show_name": "perhaps"}, headers=headers).status_code == 422
    assert client.patch(f"{API}/{award.id}", json={"colour": "red"}, headers=headers).status_code == 422
    assert client.patch(f"{API}/{award.id}", json={"show_name": False}).status_code == 400  # no CSRF token
    assert client.patch(f"{API}/999999", json={"show_name": False}, headers=headers).status_code == 404
    db.session.refresh(award)
    assert award.show_name
