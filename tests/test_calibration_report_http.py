"""The calibration report page, CSV and API, the policy page and API, and the restriction a flagged
validator meets on the claim page, the queue and the review API, through HTTP with a real sign-in."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from badges.calibration.key_questions import set_indicators
from badges.calibration.policy import set_policy
from badges.extensions import db
from badges.models import AuditEvent, CalibrationPolicy, Claim, ClaimStatus, Review
from tests.calibration_setup import DOMAIN, make_set, open_round, rate
from tests.conftest import USER_PASSWORD, Browserless, api_headers, csrf_token_from
from tests.validation_setup import full_ratings, make_world

EXPERT = "Delivery and Operations: Expert, Teacher"
EXPERIENCED = "Delivery and Operations: Experienced, Teacher"


@pytest.fixture
def world(make_user, district, framework):
    made = make_world(make_user, district, framework)
    make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    return made


@pytest.fixture
def low(world, make_user):
    """A validator in scope whose one round agreed exactly on 2 of 6 ratings (33%)."""
    v = world.person(
        make_user, "low@northfield.example.org", roles=("validator",), role="school-leader", school="south"
    )
    v.name = "Lou Low"
    world.set_scope(v, domains=[DOMAIN], roles=["teacher"], schools=["north"])
    exemplar_set = make_set(world.admin.district, world.admin)
    calibration_round = open_round(exemplar_set, world.admin)
    ids = [ind.id for ind in set_indicators(exemplar_set)]
    first, second = exemplar_set.exemplars
    rate(v, calibration_round, first, dict(zip(ids, (3, 4, 4), strict=True)))
    rate(v, calibration_round, second, dict(zip(ids, (2, 1, 1), strict=True)))
    db.session.commit()
    return v


def signed_in(app, email: str):
    client = app.test_client()
    assert Browserless(client).login(email, USER_PASSWORD).status_code == 302
    return client


def restrict_expert(world):
    set_policy(world.admin, world.admin.district, 60, 365, [4])
    db.session.commit()


def reviews_recorded() -> int:
    return db.session.scalar(select(func.count()).select_from(Review))


# -- the report -----------------------------------------------------------------------------


def test_report_page_has_chart_tables_and_flags(app, world, low):
    admin = signed_in(app, world.admin.email)
    page = admin.get(f"/calibration/report?domain={DOMAIN}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<svg class="agreement-chart"' in html and 'role="img"' in html
    assert "each validator&#39;s exact agreement with the anchors, round by round</title>" in html
    assert 'stroke-dasharray="6 4"' in html and "threshold 60%" in html  # the threshold, dashed and labelled
    assert "Lou Low" in html and '33% <span class="muted">(n=6)</span>' in html
    assert "agreed exactly on 33% of 6 ratings, below the district&#39;s 60%" in html
    assert "Krippendorff" in html and "Download as CSV" in html
    assert 'href="/calibration/policy"' in html  # the admin may change the policy
    assert signed_in(app, "leader@northfield.example.org").get("/calibration/report").status_code == 200


def test_report_refuses_educators_validators_and_bad_domains(app, world, low):
    assert signed_in(app, world.teacher.email).get("/calibration/report").status_code == 403
    assert signed_in(app, low.email).get("/calibration/report").status_code == 403
    assert signed_in(app, low.email).get("/api/v1/calibration/report").status_code == 403
    assert app.test_client().get("/calibration/report").status_code == 302
    assert app.test_client().get("/api/v1/calibration/report").status_code == 401
    admin = signed_in(app, world.admin.email)
    assert admin.get("/calibration/report?domain=nope").status_code == 400
    assert admin.get("/api/v1/calibration/report?domain=nope").status_code == 400


def test_report_csv(app, world, low):
    low.name = "+Lou"
    db.session.commit()
    response = signed_in(app, "leader@northfield.example.org").get(f"/calibration/report.csv?domain={DOMAIN}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["validator"], r["exact_percent"], r["exact_n"]) for r in rows] == [("'+Lou", "33", "6")]


def test_report_api(app, world, low):
    body = signed_in(app, world.admin.email).get(f"/api/v1/calibration/report?domain={DOMAIN}").get_json()
    assert body["domain"] == DOMAIN and body["policy"]["restricted_levels"] == []
    [row] = body["validators"]
    assert row["name"] == "Lou Low" and row["exact"] == {
        "value": pytest.approx(1 / 3),
        "percent": 33,
        "n": 6,
        "reason": None,
    }
    assert row["flags"] == ["agreed exactly on 33% of 6 ratings, below the district's 60%"]
    assert row["latest_round"]["round_title"] == "Autumn calibration" and row["history"][0]["exact"]["n"] == 6
    assert body["domains"][0]["alpha"]["value"] is None  # one validator: nothing pairable


# -- the policy -----------------------------------------------------------------------------


def test_policy_page_saves_and_audits(app, world):
    admin = signed_in(app, world.admin.email)
    page = admin.get("/calibration/policy")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Expert (4)" in html and 'value="60"' in html
    token = csrf_token_from(html)
    refused = admin.post(
        "/calibration/policy", data={"csrf_token": token, "min_exact_percent": "120", "max_age_days": "0"}
    )
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "a whole percentage from 0 to 100" in text and "from 1 to 3,650" in text
    assert db.session.get(CalibrationPolicy, world.admin.district_id) is None
    saved = admin.post(
        "/calibration/policy",
        data={"csrf_token": token, "min_exact_percent": "75", "max_age_days": "200", "restricted_levels": ["3", "4"]},
    )
    assert saved.status_code == 302
    policy = db.session.get(CalibrationPolicy, world.admin.district_id)
    assert (policy.min_exact_percent, policy.max_age_days, policy.restricted_levels) == (75, 200, [3, 4])
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calibration.policy_changed"))
    assert signed_in(app, "leader@northfield.example.org").get("/calibration/policy").status_code == 403


def test_policy_api(app, world):
    admin = signed_in(app, world.admin.email)
    assert admin.get("/api/v1/calibration/policy").get_json() == {
        "min_exact_percent": 60,
        "max_age_days": 365,
        "restricted_levels": [],
    }
    bad = admin.put(
        "/api/v1/calibration/policy",
        json={"min_exact_percent": 60, "max_age_days": 365, "restricted_levels": [7]},
        headers=api_headers(admin),
    )
    assert bad.status_code == 400 and "restricted_levels" in bad.get_json()["errors"]
    good = admin.put(
        "/api/v1/calibration/policy",
        json={"min_exact_percent": 70, "max_age_days": 90, "restricted_levels": [4]},
        headers=api_headers(admin),
    )
    assert good.status_code == 200 and good.get_json()["restricted_levels"] == [4]
    leader = signed_in(app, "leader@northfield.example.org")
    assert leader.get("/api/v1/calibration/policy").get_json()["min_exact_percent"] == 70
    body = {"min_exact_percent": 0, "max_age_days": 1, "restricted_levels": []}
    assert leader.put("/api/v1/calibration/policy", json=body, headers=api_headers(leader)).status_code == 403


# -- the restriction ------------------------------------------------------------------------


def test_flagged_validator_is_refused_an_expert_claim_on_the_page(app, world, low):
    restrict_expert(world)
    claim = world.claim(name=EXPERT)
    client = signed_in(app, low.email)
    page = client.get(f"/validator/claims/{claim.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "You cannot decide Expert claims in Delivery and Operations yet" in html
    assert 'href="/validator/calibration"' in html
    assert 'name="decision"' not in html  # no decision buttons
    queue = client.get("/validator/claims/").get_data(as_text=True)
    assert "Not yet yours to decide" in queue
    before = reviews_recorded()
    data = {"csrf_token": csrf_token_from(html), "decision": "approve", "feedback": "Shown.", "revision": 1}
    data.update({f"rating-{i}": 4 for i in full_ratings(claim, 4)})
    refused = client.post(f"/validator/claims/{claim.id}/decision", data=data)
    assert refused.status_code == 403
    assert "agreed exactly with the anchors on 33% of 6 ratings, below the district&#39;s 60%" in refused.get_data(
        as_text=True
    )
    assert reviews_recorded() == before
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status is ClaimStatus.SUBMITTED


def test_flagged_validator_is_refused_on_the_api(app, world, low):
    restrict_expert(world)
    claim = world.claim(name=EXPERT)
    client = signed_in(app, low.email)
    shown = client.get(f"/api/v1/reviews/claims/{claim.id}").get_json()
    assert shown["can_decide"] is False and shown["refusal"].startswith("You cannot decide Expert claims")
    body = {"decision": "approve", "feedback": "Shown.", "ratings": full_ratings(claim, 4), "revision": 1}
    refused = client.post(f"/api/v1/reviews/claims/{claim.id}/decision", json=body, headers=api_headers(client))
    assert refused.status_code == 403
    message = refused.get_json()["message"]
    assert "on 33% of 6 ratings" in message and "a new calibration round in Delivery and Operations" in message
    assert reviews_recorded() == 0


def test_flagged_validator_may_still_decide_below_the_restricted_level(app, world, low):
    restrict_expert(world)
    claim = world.claim(name=EXPERIENCED)
    client = signed_in(app, low.email)
    assert "You cannot decide" not in client.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    body = {"decision": "approve", "feedback": "Shown.", "ratings": full_ratings(claim, 3), "revision": 1}
    made = client.post(f"/api/v1/reviews/claims/{claim.id}/decision", json=body, headers=api_headers(client))
    assert made.status_code == 201


def test_another_districts_admin_never_sees_this_districts_validators(app, world, low, make_user, framework):
    from badges.models import District

    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    make_user("admin@southfield.example.org", roles=("admin",), professional_role=None, in_district=other)
    client = signed_in(app, "admin@southfield.example.org")
    assert "Lou Low" not in client.get("/calibration/report").get_data(as_text=True)
    assert client.get("/api/v1/calibration/report").get_json()["validators"] == []
    assert "Lou Low" not in client.get("/calibration/report.csv").get_data(as_text=True)
    assert signed_in(app, world.admin.email).get("/api/v1/calibration/report").get_json()["validators"]
