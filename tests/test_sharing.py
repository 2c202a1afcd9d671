"""Sharing a badge: the LinkedIn add-to-profile link, the link-preview tags of the share page (absolute
URLs from BADGES_PUBLIC_URL whatever the Host header says), and the holder's public profile (on and off,
only the awards they marked, only while in force), over HTTP and the holder API."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from badges.credentials import sharing
from badges.credentials.revocation import revoke
from badges.extensions import db
from badges.models import AuditEvent
from tests.conftest import api_headers, csrf_token_from
from tests.test_holder import API, PAGES, issued_award, login
from tests.validation_setup import approve

BADGE = "Delivery and Operations: Experienced, Teacher"
TEACHER = "teacher@northfield.example.org"


@pytest.fixture
def held(make_user, district, framework):
    return issued_award(make_user, district, framework)


@pytest.fixture
def award(held):
    return held[0]


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, f"no {key} meta tag"
    return unescape(match.group(1))


def linkedin_query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    return {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}


def test_linkedin_link_names_the_certification(app, award):
    base = app.config["BADGES_PUBLIC_URL"]
    query = linkedin_query(sharing.linkedin_url(award))
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": BADGE,
        "organizationName": "Northfield District",
        "issueYear": str(award.valid_from.year),
        "issueMonth": str(award.valid_from.month),
        "certUrl": f"{base}/credentials/{award.credential_uuid}",
        "certId": award.credential_uuid,
    }


def test_linkedin_link_carries_the_expiry_when_the_badge_has_one(app, award):
    award.valid_until = award.valid_from.replace(year=award.valid_from.year + 2, month=3)
    query = linkedin_query(sharing.linkedin_url(award))
    assert (query["expirationYear"], query["expirationMonth"]) == (str(award.valid_from.year + 2), "3")


def test_share_page_has_the_linkedin_link_and_a_copyable_link(client, award):
    html = client.get(f"/credentials/{award.credential_uuid}").get_data(as_text=True)
    href = re.search(r'<a class="button-like secondary" href="([^"]+)"[^>]*>Add to LinkedIn profile</a>', html)
    assert href and linkedin_query(unescape(href.group(1)))["certId"] == award.credential_uuid
    # Without JavaScript the link is in a read-only input; the script adds the button (no inline script).
    assert re.search(r'<input id="share-link" type="text" readonly value="[^"]+/credentials/', html)
    assert '<script src="/static/copy-link.js" defer></script>' in html
    assert "<script>" not in html
    script = client.get("/static/copy-link.js")
    assert "navigator.clipboard" in script.get_data(as_text=True)
    script.close()


def test_preview_tags_are_absolute_and_ignore_the_host_header(app, client, award):
    base = app.config["BADGES_PUBLIC_URL"]
    page = client.get(f"/credentials/{award.credential_uuid}", headers={"Host": "evil.example"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "evil.example" not in html
    assert meta(html, "og:title") == BADGE
    assert meta(html, "og:url") == f"{base}/credentials/{award.credential_uuid}"
    assert meta(html, "og:image") == f"{base}/badge-classes/{award.badge_class_id}/image.png"
    assert meta(html, "twitter:image") == meta(html, "og:image")
    assert meta(html, "og:description") == "A competency badge issued by Northfield District. Status: Valid."
    assert meta(html, "twitter:card") == "summary"


def _post_profile(client, award, on: bool):
    token = csrf_token_from(client.get(f"{PAGES}/{award.id}").get_data(as_text=True))
    data = {"csrf_token": token, "award_id": str(award.id)} | ({"public_profile": "y"} if on else {})
    return client.post(f"{PAGES}/profile", data=data)


def _mark(client, award, on: bool):
    token = csrf_token_from(client.get(f"{PAGES}/{award.id}").get_data(as_text=True))
    data = {"csrf_token": token} | ({"on_profile": "y"} if on else {})
    return client.post(f"{PAGES}/{award.id}/profile", data=data)


def test_profile_is_off_until_turned_on_and_404_once_turned_off(client, auth, award):
    owner = award.user
    assert owner.public_profile_id is None
    login(auth, TEACHER)
    assert "Your profile is off" in client.get(f"{PAGES}/{award.id}").get_data(as_text=True)
    turned_on = _post_profile(client, award, True)
    assert turned_on.status_code == 302 and turned_on.headers["Location"].endswith(
        f"{PAGES}/{award.id}#profile-heading"
    )
    db.session.refresh(owner)
    first = owner.public_profile_id
    assert re.fullmatch(r"[0-9a-f-]{36}", first)
    auth.logout()
    profile = client.get(f"/profiles/{first}")
    assert profile.status_code == 200 and "Terry Teacher" in profile.get_data(as_text=True)
    assert profile.headers["X-Robots-Tag"] == "noindex"

    login(auth, TEACHER)
    assert _post_profile(client, award, False).status_code == 302
    db.session.refresh(owner)
    assert owner.public_profile_id is None
    assert client.get(f"/profiles/{first}").status_code == 404
    _post_profile(client, award, True)  # on again: a new address, the old one stays gone
    db.session.refresh(owner)
    assert owner.public_profile_id not in (None, first)
    assert client.get(f"/profiles/{first}").status_code == 404
    actions = [
        e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id) if e.action.startswith("profile.")
    ]
    assert actions == ["profile.shown", "profile.hidden", "profile.shown"]


@pytest.mark.parametrize("path", ["/profiles/not-a-uuid", "/profiles/00000000-0000-4000-8000-000000000000"])
def test_unknown_profiles_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_profile_lists_only_marked_awards_in_force(client, auth, held, make_user):
    award, world = held
    validator = db.session.query(type(award.user)).filter_by(email="v@northfield.example.org").one()
    other = approve(validator, world.claim(name="Delivery and Operations: Novice, Teacher")).award
    login(auth, TEACHER)
    _post_profile(client, award, True)
    profile_url = f"/profiles/{award.user.public_profile_id}"
    assert "No badges are listed here" in client.get(profile_url).get_data(as_text=True)

    assert _mark(client, award, True).status_code == 302
    html = client.get(profile_url).get_data(as_text=True)
    assert BADGE in html and f"/credentials/{award.credential_uuid}" in html
    assert "Novice, Teacher" not in html and other.credential_uuid not in html
    assert "Northfield District" in html  # the issuer, and the date below
    assert f"{award.valid_from.day} {award.valid_from:%b %Y}" in html

    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    html = client.get(profile_url).get_data(as_text=True)
    assert BADGE not in html and "No badges are listed here" in html  # revoked: dropped, not shown as valid
    assert "Listed, but not shown while this badge is not in force" in client.get(f"{PAGES}/{award.id}").get_data(
        as_text=True
    )


def test_only_the_holder_marks_an_award(client, auth, award, make_user):
    make_user("other@northfield.example.org")
    login(auth, "other@northfield.example.org")
    token = csrf_token_from(client.get("/frameworks/").get_data(as_text=True))
    assert client.post(f"{PAGES}/{award.id}/profile", data={"csrf_token": token, "on_profile": "y"}).status_code == 404
    db.session.refresh(award)
    assert award.on_profile is False


def test_api_shows_and_sets_the_profile_fields(client, auth, award):
    login(auth, TEACHER)
    described = client.get(f"{API}/{award.id}").get_json()
    assert described["on_profile"] is False and described["profile_url"] is None
    assert linkedin_query(described["linkedin_url"])["certId"] == award.credential_uuid
    changed = client.patch(f"{API}/{award.id}", json={"on_profile": True}, headers=api_headers(client))
    assert changed.status_code == 200 and changed.get_json()["on_profile"] is True
    db.session.refresh(award)
    assert award.on_profile is True
    refused = client.patch(f"{API}/{award.id}", json={"on_profile": "maybe"}, headers=api_headers(client))
    assert refused.status_code == 422 and "on_profile" in refused.get_data(as_text=True)


def test_api_turns_the_profile_on_and_off(client, auth, award):
    login(auth, TEACHER)
    assert client.get(f"{API}/profile").get_json() == {"public": False, "url": None}
    on = client.put(f"{API}/profile", json={"public": True}, headers=api_headers(client)).get_json()
    assert on["public"] is True and on["url"].endswith(f"/profiles/{award.user.public_profile_id}")
    assert client.get(urlsplit(on["url"]).path).status_code == 200
    assert client.get(f"{API}/{award.id}").get_json()["profile_url"] == on["url"]
    off = client.put(f"{API}/profile", json={"public": False}, headers=api_headers(client))
    assert off.get_json() == {"public": False, "url": None}
    assert client.get(urlsplit(on["url"]).path).status_code == 404
    refused = client.put(f"{API}/profile", json={}, headers=api_headers(client))
    assert refused.status_code == 422 and "public" in refused.get_data(as_text=True)
