"""The public verify page as a parent or a hiring principal reads it: the verdict first in plain words,
a word and an icon per outcome (Valid, Revoked, Expired, Not valid), no developer jargon in the headline
(the technical reason kept in a disclosure), and "does this badge belong to this email address?"
answered from the credential's salted hash, for both OB 3.0 forms (VC-JWT and Data Integrity JSON).

The page accepts only OB 3.0 credentials: an OB 2.0 badge image is told so in plain words, and the OB 2.0
hashed recipient is matched by the same function (tested directly below)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import pytest

from badges.credentials import ob2
from badges.credentials.holder import baked_ob2_png, set_show_name
from badges.credentials.recipient import belongs_to, email_identities
from badges.credentials.revocation import revoke
from badges.extensions import db
from badges.models import AuditEvent, utcnow
from tests.conftest import csrf_token_from
from tests.test_holder import issued_award
from tests.verify_tokens import BAD_TOKENS

BADGE = "Delivery and Operations: Experienced, Teacher"
EMAIL = "teacher@northfield.example.org"
JARGON = re.compile(r"JWS|JWT|compact|base64|\bkid\b|\balg\b|header|payload|proof|urn:|eddsa|Data Integrity", re.I)


@pytest.fixture
def held(make_user, district, framework):
    return issued_award(make_user, district, framework)


@pytest.fixture
def award(held):
    return held[0]


def verdict_of(html: str) -> tuple[str, str, str]:
    """(the word, the icon's name, the plain sentence) of the page's verdict."""
    box = re.search(
        r'<section aria-labelledby="verdict" class="verdict verdict-(\w+)" role="status">\s*'
        r'<svg class="verdict-icon"[^>]*data-icon="(\w+)">.*?</svg>\s*<div>\s*'
        r'<h2 id="verdict">([^<]+)</h2>\s*<p class="verdict-words">([^<]*)</p>',
        html,
        re.S,
    )
    assert box, "no verdict box"
    assert box.group(1) == box.group(2)
    return box.group(3), box.group(2), unescape(box.group(4))


def technical_of(html: str) -> str:
    found = re.search(r'<details class="technical">(.*?)</details>', html, re.S)
    assert found, "no technical disclosure"
    return unescape(found.group(1))


def check_page(client, text: str, email: str | None = None):
    token = csrf_token_from(client.get("/verify").get_data(as_text=True))
    return client.post("/verify", data={"csrf_token": token, "token": text} | ({"email": email} if email else {}))


def test_valid_says_who_by_whom_and_when(client, award):
    html = client.get("/verify", query_string={"credential": award.credential_uuid}).get_data(as_text=True)
    word, icon, sentence = verdict_of(html)
    assert (word, icon) == ("Valid", "valid")
    when = f"{award.valid_from.day} {award.valid_from:%b %Y}"
    assert sentence == (
        f"This badge is valid: “{BADGE}”, issued to the person whose email address it carries by "
        f"Northfield District on {when}."
    )
    assert "Passed" in technical_of(html)


def test_valid_names_the_holder_when_they_show_their_name(client, auth, award):
    set_show_name(award.user, award, True)
    db.session.commit()
    html = client.get("/verify", query_string={"credential": award.credential_uuid}).get_data(as_text=True)
    assert "issued to Terry Teacher by Northfield District" in verdict_of(html)[2]


def test_revoked_says_so_with_the_reason(client, held):
    award, world = held
    revoke(world.admin, award, "Issued in error.")
    db.session.commit()
    word, icon, sentence = verdict_of(check_page(client, award.jwt).get_data(as_text=True))
    assert (word, icon) == ("Revoked", "revoked")
    assert sentence.startswith(f"This badge was revoked on {award.revoked_at.day} {award.revoked_at:%b %Y}")
    assert sentence.endswith("The reason given: Issued in error.")


def test_expired_says_until_when(client, award):
    award.valid_until = utcnow() - timedelta(days=3)
    db.session.commit()
    word, icon, sentence = verdict_of(check_page(client, award.data_integrity).get_data(as_text=True))
    assert (word, icon) == ("Expired", "expired")
    assert sentence.startswith("This badge has expired:")
    assert sentence.endswith(f"counted until {award.valid_until.day} {award.valid_until:%b %Y}.")


def test_not_valid_is_plain_and_keeps_the_technical_reason_inside(client, award):
    html = check_page(client, "this is not a token").get_data(as_text=True)
    word, icon, sentence = verdict_of(html)
    assert (word, icon) == ("Not valid", "invalid")
    assert sentence.startswith("This is not a badge token: ")
    assert "not a compact JWS" in technical_of(html) and "not a compact JWS" not in sentence


@pytest.mark.parametrize("case", BAD_TOKENS)
def test_no_jargon_in_the_headline_of_any_refusal(client, award, case):
    build, reason, _ = BAD_TOKENS[case]
    html = client.get("/verify", query_string={"token": build(award)}).get_data(as_text=True)
    word, _, sentence = verdict_of(html)
    assert word == "Not valid"
    assert not JARGON.search(sentence), sentence
    assert reason in technical_of(html)


def test_the_four_outcomes_differ_by_icon_and_word(client, held):
    award, world = held
    pages = {"valid": check_page(client, award.jwt)}
    pages["invalid"] = check_page(client, "nonsense")
    award.valid_until = utcnow() - timedelta(days=1)
    db.session.commit()
    pages["expired"] = check_page(client, award.jwt)
    award.valid_until = None
    revoke(world.admin, award, "Wrong person.")
    db.session.commit()
    pages["revoked"] = check_page(client, award.jwt)
    seen = {name: verdict_of(page.get_data(as_text=True))[:2] for name, page in pages.items()}
    assert seen == {
        "valid": ("Valid", "valid"),
        "invalid": ("Not valid", "invalid"),
        "expired": ("Expired", "expired"),
        "revoked": ("Revoked", "revoked"),
    }
    paths = {
        name: re.search(r'<svg class="verdict-icon".*?</svg>', page.get_data(as_text=True), re.S).group(0)
        for name, page in pages.items()
    }
    assert len(set(paths.values())) == 4


@pytest.mark.parametrize("form", ["jwt", "data_integrity"])
def test_email_check_matches_the_holder_and_only_the_holder(client, award, form):
    text = getattr(award, form)
    events = db.session.query(AuditEvent).count()
    match = check_page(client, text, "  Teacher@Northfield.Example.org ")
    html = match.get_data(as_text=True)
    assert match.status_code == 200
    assert "Yes: this badge was issued to Teacher@Northfield.Example.org." in unescape(html)
    assert 'data-icon="match"' in html
    miss = check_page(client, text, "someone.else@northfield.example.org").get_data(as_text=True)
    assert "No: this badge was not issued to someone.else@northfield.example.org." in unescape(miss)
    assert 'data-icon="no-match"' in miss
    assert db.session.query(AuditEvent).count() == events  # nothing written down about who was checked


@pytest.mark.parametrize("bad", ["not an address", "a@b", "x" * 300 + "@example.org"])
def test_email_check_refuses_what_is_not_an_address(client, award, bad):
    page = check_page(client, award.jwt, bad)
    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 400
    assert "That is not an email address" in html or "Field cannot be longer" in html
    assert verdict_of(page.get_data(as_text=True))[0] == "Valid"  # the badge itself was still checked


def test_email_check_on_an_untrusted_badge_says_it_cannot_check(client, award):
    header, payload, _ = award.jwt.split(".")
    html = unescape(check_page(client, f"{header}.{payload}.AAAA", EMAIL).get_data(as_text=True))
    assert "The email address cannot be checked: this badge did not pass the signature check." in html


def test_the_email_form_follows_the_verdict_with_the_same_credential(client, award):
    html = client.get("/verify", query_string={"credential": award.credential_uuid}).get_data(as_text=True)
    assert f'<input type="hidden" name="token" value="{award.jwt}">' in html
    assert '<label for="check-email">Email address</label>' in html


def test_ob2_badges_are_told_apart_and_their_hashed_recipient_matches_the_same_way(client, award):
    token = csrf_token_from(client.get("/verify").get_data(as_text=True))
    page = client.post(
        "/verify", data={"csrf_token": token, "token": "", "image": (io.BytesIO(baked_ob2_png(award)), "b.png")}
    )
    word, _, sentence = verdict_of(page.get_data(as_text=True))
    assert word == "Not valid" and "older Open Badges 2.0 badge" in sentence
    identities = email_identities(ob2.assertion(award))
    assert identities and identities[0]["hashed"] is True
    assert belongs_to(identities, EMAIL.upper()) and not belongs_to(identities, "x@northfield.example.org")


def test_home_page_links_the_verify_page(client):
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/verify">Check a badge</a>' in html
