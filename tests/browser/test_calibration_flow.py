"""As new users would, in the demo district: the admin writes an exemplar set with agreed anchors, opens it and
restricts Expert claims to calibrated validators; two validators rate it blind (the anchors appear only after
each rating); the report shows how each agreed; the validator below the threshold is refused an Expert claim
with a message that says why and what to do. At desktop width and on a 390 px phone."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from badges.educator import evidence
from badges.extensions import db
from badges.models import User
from badges.validation import claims
from tests.browser.pages import scroll_width, sign_in
from tests.validation_setup import badge, indicator_id

pytestmark = pytest.mark.browser

EXPERT = "Delivery and Operations: Expert, Teacher"
# (title, the anchors' level, the rationale validators read after rating)
EXEMPLARS = (
    ("Ratios unit with a daily tracker", "Experienced", "The tracker drives regrouping every week."),
    ("First learning targets in reading", "Novice", "Targets are posted but not yet used to group."),
)


@pytest.fixture
def expert_claim(demo):
    """A Roosevelt High teacher's Expert claim in Delivery and Operations: in validator2's scope."""
    owner = db.session.scalar(select(User).where(User.email == "robert.kowalski@demo.example.org"))
    framework = demo.district.framework
    item = evidence.add_link(
        owner,
        "Flex block",
        "Our flex block and pass rates.",
        "https://example.org/flex",
        [indicator_id(framework, "4.1")],
    )
    claim = claims.create_claim(owner, badge(EXPERT).id, "Two years of flexible pacing.", [item.id])
    db.session.commit()
    return claim.id


def fits(page, width):
    measured = scroll_width(page)
    assert measured <= width, f"{page.url} is {measured} px wide on a {width} px screen"


def choose_levels(page, level: str) -> None:
    """The same level for every key question and overall (radio groups, one fieldset each)."""
    for fieldset in page.locator("fieldset.indicator").all():
        fieldset.get_by_label(re.compile(rf"\b{level} \(\d\)")).check()


def write_the_set(page, base, width):
    page.get_by_role("link", name="Exemplar sets").first.click()
    page.get_by_role("link", name="Create an exemplar set").click()
    page.get_by_label("Domain").select_option(label="Delivery and Operations")
    page.get_by_label("Professional role").select_option(label="Teacher")
    page.get_by_label("Title", exact=True).fill("Delivery exemplars for teachers")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery exemplars for teachers")
    for title, level, rationale in EXEMPLARS:
        page.get_by_role("link", name="Add an exemplar").click()
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label(re.compile("^Narrative")).fill(f"{title}: what the teacher did, and with whom.")
        choose_levels(page, level)
        page.get_by_label(re.compile("^Rationale")).fill(rationale)
        fits(page, width)
        page.get_by_role("button", name="Add the exemplar").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Delivery exemplars for teachers")
    page.get_by_label("Title of the first round").fill("Winter calibration")
    page.get_by_role("button", name="Open the set…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open this set for calibration?")
    page.get_by_role("button", name="Open the set").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_text("Winter calibration").first).to_be_visible()


def restrict_expert(page):
    page.get_by_role("navigation", name=re.compile("Administration", re.I)).get_by_role(
        "link", name="Calibration"
    ).click()
    page.get_by_role("link", name="Change the policy").click()
    page.get_by_label(re.compile("^Exact agreement")).fill("60")
    page.get_by_label("Expert (4)").check()
    page.get_by_role("button", name="Save policy").click()
    expect(page.get_by_role("status")).to_be_visible()


def rate_the_round(page, levels):
    page.get_by_role("navigation", name=re.compile("Validat", re.I)).get_by_role("link", name="Calibration").click()
    page.get_by_role("link", name="Winter calibration").click()
    page.get_by_role("link", name=EXEMPLARS[0][0]).click()
    for (title, _, rationale), level in zip(EXEMPLARS, levels, strict=True):
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.get_by_text(rationale)).to_have_count(0)  # blind: the anchors come after the rating
        choose_levels(page, level)
        page.get_by_role("button", name="Submit rating").click()
        expect(page.get_by_text(rationale)).to_be_visible()
        next_link = page.get_by_role("link", name=re.compile("^Next exemplar to rate"))
        if next_link.count():
            next_link.click()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_admin_curates_two_validators_rate_and_the_one_below_is_refused_expert(
    live_server, page, demo, expert_claim, width
):
    base = live_server
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, base, "admin")
    write_the_set(page, base, width)
    restrict_expert(page)

    sign_in(page, base, "validator")  # Marcus Okafor agrees with every anchor
    rate_the_round(page, [level for _, level, _ in EXEMPLARS])
    fits(page, width)
    sign_in(page, base, "validator2")  # Priya Raman rates each a level higher
    rate_the_round(page, ["Expert", "Experienced"])

    sign_in(page, base, "admin")
    page.goto(base + "/calibration/report")
    rounds = page.get_by_role("table", name=re.compile("Delivery and Operations: exact agreement per round"))
    expect(rounds.get_by_role("row", name=re.compile("Marcus Okafor"))).to_contain_text("100%")
    expect(rounds.get_by_role("row", name=re.compile("Priya Raman"))).to_contain_text("0%")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    flagged = page.get_by_role("region", name="Flagged")
    expect(flagged).to_contain_text("Priya Raman")
    expect(flagged).not_to_contain_text("Marcus Okafor")
    fits(page, width)

    sign_in(page, base, "validator2")
    page.goto(f"{base}/validator/claims/{expert_claim}")
    refusal = page.get_by_text(re.compile("You cannot decide Expert claims in Delivery and Operations yet"))
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("agreed exactly with the anchors on 0% of 6 ratings, below the district's 60%")
    expect(refusal).to_contain_text("new calibration round in Delivery and Operations")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    fits(page, width)
