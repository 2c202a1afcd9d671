"""As a new user would: the demo district leader opens the readiness dashboard, reads the heatmap,
switches to self-assessed, filters to one school and one role, and exports the CSV, at desktop width
and at a 390 px phone width with no sideways scroll.

The demo has no history yet: the teachers' self-assessments (two rounds, months apart) are made here
through the domain's own functions before the browser starts.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from badges.extensions import db
from badges.models import User
from tests.browser.pages import scroll_width
from tests.test_readiness_upkeep import assess

pytestmark = pytest.mark.browser


@pytest.fixture
def history(demo, framework):
    teachers = db.session.scalars(
        select(User).where(User.district_id == demo.district.id, User.professional_role == "teacher").order_by(User.id)
    ).all()
    earlier = datetime.now().replace(microsecond=0) - timedelta(days=75)
    for i, person in enumerate(teachers):
        person.shares_self_assessment = i % 4 == 0
        assess(person, framework, 1 + i % 2, earlier + timedelta(hours=i))
        assess(person, framework, 2 + i % 3, earlier + timedelta(days=60, hours=i))
    db.session.commit()
    return len(teachers)


def sign_in(page, base):
    page.goto(base + "/login")
    page.get_by_label("Email").fill("leader@demo.example.org")
    page.get_by_label("Password").fill("demo-password-2026")
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_leader_reads_the_dashboard_filters_it_and_exports_it(chromium, live_server, history, width, tmp_path):
    context = chromium.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server)
        page.get_by_role("link", name="Open the readiness dashboard").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Readiness")
        heatmap = page.locator("svg.heatmap")
        expect(heatmap).to_be_visible()
        expect(heatmap.locator("title")).to_have_text("Validated readiness by school and domain")
        table = page.locator("table.heatmap-table")
        expect(table.get_by_role("rowheader", name="Lincoln Elementary School")).to_be_visible()
        expect(table.get_by_role("rowheader", name="Roosevelt High School")).to_be_visible()
        assert scroll_width(page) <= width

        page.get_by_role("navigation", name="Readiness view").get_by_role("link", name="Self-assessed").click()
        expect(page.get_by_role("heading", level=2).first).to_have_text("Self-assessed levels by school and domain")
        expect(page.locator("svg.heatmap title")).to_have_text("Self-assessed readiness by school and domain")
        lincoln = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Lincoln Elementary School"))
        expect(lincoln.get_by_role("cell").first).to_contain_text("%")  # 11 teachers: numbers shown

        page.get_by_label("School", exact=True).select_option(label="Lincoln Elementary School")
        page.get_by_label("Professional role", exact=True).select_option(label="Teacher")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"view=self&school=[0-9]+&role=teacher"))
        expect(table.get_by_role("rowheader")).to_have_count(1)
        expect(table.get_by_role("rowheader").first).to_have_text("Lincoln Elementary School")
        assert scroll_width(page) <= width

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download this view as CSV").click()
        download = download_info.value
        assert download.suggested_filename == "readiness-self.csv"
        saved = tmp_path / "readiness.csv"
        download.save_as(saved)
        lines = saved.read_text().splitlines()
        assert lines[0].startswith("school,domain_code,domain,measure,staff,explorer")
        assert len(lines) == 1 + 9 and all(line.startswith("Lincoln Elementary School,") for line in lines[1:])

        table.get_by_role("link", name="People in Lincoln Elementary School, Delivery and Operations").click()
        expect(page).to_have_url(
            re.compile(r"/readiness/cell\?view=self&role=teacher&school=[0-9]+&domain=delivery-operations")
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text("Delivery and Operations")
    finally:
        context.close()
