"""As people would: a validator approves a claim; the teacher downloads the baked PNG badge; anyone,
without an account, gives that image to the public verify page and reads "Valid"; the validator
revokes the badge; the same image now verifies as "Revoked"."""

import pytest
from playwright.sync_api import expect

from badges.educator import evidence
from badges.extensions import db
from badges.models import User
from badges.people.demo import DEMO_PASSWORD
from badges.validation import claims
from tests.validation_setup import badge, indicator_id

pytestmark = pytest.mark.browser

BADGE = "Delivery and Operations: Experienced, Teacher"


def sign_in(page, base, email):
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def verify_image(page, base, path) -> None:
    page.context.clear_cookies()  # anyone: no account
    page.goto(base + "/verify")
    page.get_by_label("Badge image").set_input_files(str(path))
    page.get_by_role("button", name="Verify").click()


def test_downloaded_badge_verifies_then_shows_revoked(public_server, page, demo, tmp_path):
    base = public_server
    teacher = db.session.query(User).filter_by(email="teacher@demo.example.org").one()
    item = evidence.add_link(
        teacher,
        "Learning progression tracker",
        "How I track each student.",
        "https://example.org/tracker",
        [indicator_id(demo.district.framework, "4.1")],
    )
    claim = claims.create_claim(teacher, badge(BADGE).id, "Every unit starts from the tracker.", [item.id])
    db.session.commit()

    sign_in(page, base, "validator@demo.example.org")
    page.goto(f"{base}/validator/claims/{claim.id}")
    for fieldset in page.locator("fieldset.indicator").all():
        fieldset.get_by_label("Experienced (3)").check()
    page.get_by_label("Feedback for the educator").fill("Clear progressions. Well done.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("awarded")

    sign_in(page, base, "teacher@demo.example.org")
    page.goto(base + "/educator/claims/")
    page.get_by_role("link", name="Share and download").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
    with page.expect_download() as download:
        page.get_by_role("link", name="delivery-and-operations-experienced.png").click()
    image = tmp_path / "badge.png"
    download.value.save_as(image)
    assert image.read_bytes().startswith(b"\x89PNG")

    verify_image(page, base, image)
    expect(page.locator("#verdict")).to_have_text("Valid")
    expect(page.get_by_role("main")).to_contain_text(BADGE)

    sign_in(page, base, "validator@demo.example.org")
    page.goto(f"{base}/validator/claims/{claim.id}")
    page.get_by_label("Reason for revoking").fill("Awarded to the wrong person.")
    page.get_by_role("button", name="Revoke badge…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke this badge?")  # asked once more
    page.get_by_role("button", name="Revoke badge", exact=True).click()
    expect(page.get_by_text("Revoked").first).to_be_visible()

    verify_image(page, base, image)
    expect(page.locator("#verdict")).to_have_text("Revoked")
    expect(page.get_by_role("main")).to_contain_text("Awarded to the wrong person.")
