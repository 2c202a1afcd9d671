"""Planning support over HTTP: the pages and the API, by role and scope, and the privacy of
self-assessment on both."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from badges.extensions import db
from badges.models import Cohort, ReadinessTarget, School
from badges.permissions import readiness_scope
from badges.readiness import cohorts, targets
from tests.conftest import USER_PASSWORD, api_headers, csrf_token_from
from tests.test_readiness_plans import DOMAIN, SOON, build_plans


@pytest.fixture
def plans(make_user, district, framework):
    return build_plans(make_user, district, framework)


def sign_in(auth, user):
    assert auth.login(user.email, USER_PASSWORD).status_code == 302


def token(client, path="/frameworks/"):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_a_leader_sets_a_target_and_sees_its_progress(client, auth, plans):
    sign_in(auth, plans.leader)
    page = client.get("/readiness/targets")
    assert page.status_code == 200 and "Set a target" in page.get_data(as_text=True)
    bad = client.post(
        "/readiness/targets",
        data={"csrf_token": token(client), "domain": "nope", "share_percent": "500", "due_on": "2000-01-01"},
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Choose a domain of your district" in body and "from 1 to 100" in body and "in the future" in body
    done = client.post(
        "/readiness/targets",
        data={
            "csrf_token": token(client),
            "domain": DOMAIN,
            "professional_role": "teacher",
            "share_percent": "75",
            "min_level": "2",
            "measure": "validated",
            "due_on": SOON.isoformat(),
        },
    )
    assert done.status_code == 302
    listed = client.get("/readiness/targets").get_data(as_text=True)
    assert "Delivery and Operations" in listed and "42.9%" in listed and "on track" in listed
    api = client.get("/api/v1/readiness/targets").get_json()
    assert [(t["domain"], t["share_percent"], t["current_percent"], t["status"]) for t in api] == [
        (DOMAIN, 75, 42.9, "on track")
    ]
    assert api[0]["created_at"].endswith("+00:00")


def test_targets_outside_the_scope_answer_404(client, auth, plans):
    district_wide = targets.create_target(plans.leader, readiness_scope(plans.leader), DOMAIN, 50, SOON)
    far = targets.create_target(plans.outsider, readiness_scope(plans.outsider), DOMAIN, 50, SOON)
    db.session.commit()
    ids = district_wide.id, far.id
    sign_in(auth, plans.principal)  # may read the district's target, not delete it
    assert "Delivery and Operations" in client.get("/readiness/targets").get_data(as_text=True)
    assert client.post(f"/readiness/targets/{ids[0]}/delete", data={"csrf_token": token(client)}).status_code == 404
    auth.logout()
    sign_in(auth, plans.leader)
    assert client.post(f"/readiness/targets/{ids[1]}/delete", data={"csrf_token": token(client)}).status_code == 404
    assert client.delete(f"/api/v1/readiness/targets/{ids[1]}", headers=api_headers(client)).status_code == 404
    assert client.delete(f"/api/v1/readiness/targets/{ids[0]}", headers=api_headers(client)).status_code == 204
    left = db.session.scalars(db.select(ReadinessTarget.id).where(ReadinessTarget.id.in_(ids))).all()
    assert left == [ids[1]]


def test_a_low_private_self_assessment_is_never_named_on_the_page_or_in_the_api(client, auth, plans):
    sign_in(auth, plans.leader)
    page = client.get(f"/readiness/next-steps?domain={DOMAIN}").get_data(as_text=True)
    assert "Sam" in page and "Nina" in page and "Gus" in page and "A mentor, please" in page
    assert "Pat" not in page and "Fewer than 5 others" in page
    api = client.get(f"/api/v1/readiness/next-steps?domain={DOMAIN}").get_json()
    assert {p["name"] for p in api["ready"]} == {"Sam", "Nina", "Gus"} and api["private_low"] is None
    assert [c["name"] for c in api["coaches"]] == ["Ella", "Zed"]
    auth.logout()
    pat = plans.people["private_low"]
    sign_in(auth, pat)  # Pat chooses to share, on their home page
    home = client.get("/home/educator").get_data(as_text=True)
    assert "Let my leaders see my self-assessed levels by name" in home
    assert (
        client.post("/me/self-assessment-sharing", data={"csrf_token": token(client), "share": "y"}).status_code == 302
    )
    assert client.get("/api/v1/me/self-assessment-sharing").get_json() == {"share": True}
    auth.logout()
    sign_in(auth, plans.leader)
    assert "Pat" in client.get(f"/readiness/next-steps?domain={DOMAIN}").get_data(as_text=True)
    auth.logout()
    sign_in(auth, pat)  # and back, through the API
    put = client.put("/api/v1/me/self-assessment-sharing", json={"share": False}, headers=api_headers(client))
    assert put.status_code == 200 and put.get_json() == {"share": False}
    auth.logout()
    sign_in(auth, plans.leader)
    api = client.get(f"/api/v1/readiness/next-steps?domain={DOMAIN}").get_json()
    assert "Pat" not in {p["name"] for p in api["ready"]}


def test_next_steps_by_scope(client, auth, plans):
    south, far = plans.world.south.id, db.session.scalar(db.select(School.id).where(School.slug == "far"))
    sign_in(auth, plans.principal)
    page = client.get(f"/readiness/next-steps?domain={DOMAIN}").get_data(as_text=True)
    assert "Nina" in page and "Gus" not in page  # Gus works at South
    assert client.get(f"/readiness/next-steps?domain={DOMAIN}&school={south}").status_code == 404
    assert client.get(f"/api/v1/readiness/next-steps?domain={DOMAIN}&school={south}").status_code == 404
    auth.logout()
    sign_in(auth, plans.leader)
    assert client.get(f"/readiness/next-steps?domain={DOMAIN}&school={far}").status_code == 404
    assert client.get(f"/api/v1/readiness/next-steps?domain={DOMAIN}&school={far}").status_code == 404
    assert client.get("/api/v1/readiness/next-steps?domain=nope").status_code == 400
    assert client.get(f"/readiness/next-steps?domain={DOMAIN}&school=abc").status_code == 404
    auth.logout()
    sign_in(auth, plans.educator)
    assert client.get(f"/readiness/next-steps?domain={DOMAIN}").status_code == 403
    assert client.get(f"/api/v1/readiness/next-steps?domain={DOMAIN}").status_code == 403


def test_a_leader_forms_a_cohort_and_its_members_see_it_at_home(client, auth, plans):
    people = plans.people
    sign_in(auth, plans.leader)
    page = client.get(f"/readiness/next-steps?domain={DOMAIN}")
    refused = client.post(
        "/readiness/cohorts",
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "domain": DOMAIN,
            "name": "",
            "starts_on": "",
        },
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Give the cohort a name." in body and "at least one member" in body
    formed = client.post(
        "/readiness/cohorts",
        data={
            "csrf_token": token(client),
            "domain": DOMAIN,
            "name": "Delivery circle",
            "starts_on": SOON.isoformat(),
            "notes": "Tuesdays",
            "members": [str(people["novice"].id), str(people["asks"].id)],
            "coach": str(people["expert_north"].id),
        },
    )
    assert formed.status_code == 302
    cohort_id = int(formed.headers["Location"].rsplit("/", 1)[1])
    shown = client.get(f"/readiness/cohorts/{cohort_id}").get_data(as_text=True)
    assert "Delivery circle" in shown and "Ella" in shown and "Nina" in shown and "Gus" in shown
    assert "Delivery circle" in client.get("/readiness/cohorts").get_data(as_text=True)
    listed = client.get("/api/v1/readiness/cohorts").get_json()
    assert [(c["name"], c["coach"]["name"], len(c["members"])) for c in listed] == [("Delivery circle", "Ella", 2)]
    auth.logout()
    sign_in(auth, people["novice"])
    home = client.get("/home/educator").get_data(as_text=True)
    assert "Your training cohorts" in home and "Delivery circle" in home and "Ella" in home
    assert client.get("/api/v1/me/cohorts").get_json() == [
        {
            "id": cohort_id,
            "name": "Delivery circle",
            "domain": DOMAIN,
            "domain_name": "Delivery and Operations",
            "starts_on": SOON.isoformat(),
            "coach": "Ella",
        }
    ]
    auth.logout()
    sign_in(auth, people["private_low"])
    assert "Your training cohorts" not in client.get("/home/educator").get_data(as_text=True)


def test_cohorts_through_the_api_and_outside_the_scope(client, auth, plans):
    people = plans.people
    north_circle = cohorts.create_cohort(
        plans.principal, readiness_scope(plans.principal), "North", DOMAIN, date.today(), [people["novice"].id]
    )
    db.session.commit()
    north_circle_id = north_circle.id
    sign_in(auth, plans.outsider)
    assert client.get(f"/readiness/cohorts/{north_circle_id}").status_code == 404
    assert client.get(f"/api/v1/readiness/cohorts/{north_circle_id}").status_code == 404
    assert client.delete(f"/api/v1/readiness/cohorts/{north_circle_id}", headers=api_headers(client)).status_code == 404
    made = client.post(
        "/api/v1/readiness/cohorts",
        json={"name": "Poach", "domain": DOMAIN, "starts_on": SOON.isoformat(), "members": [people["novice"].id]},
        headers=api_headers(client),
    )
    assert made.status_code == 400 and "members" in made.get_json()["errors"]
    auth.logout()
    sign_in(auth, plans.principal)
    made = client.post(
        "/api/v1/readiness/cohorts",
        json={
            "name": "Second",
            "domain": DOMAIN,
            "starts_on": (date.today() + timedelta(days=7)).isoformat(),
            "members": [people["shared_low"].id],
            "coach": people["expert_south"].id,
        },
        headers=api_headers(client),
    )
    assert made.status_code == 201 and made.get_json()["coach"]["name"] == "Zed"
    assert [c["name"] for c in client.get("/api/v1/readiness/cohorts").get_json()] == ["Second", "North"]
    assert client.delete(f"/api/v1/readiness/cohorts/{north_circle_id}", headers=api_headers(client)).status_code == 204
    assert db.session.scalars(db.select(Cohort.name)).all() == ["Second"]


def test_target_api_checks_fields_and_scope(client, auth, plans):
    sign_in(auth, plans.principal)
    refused = client.post(
        "/api/v1/readiness/targets",
        json={"domain": "nope", "share_percent": 0, "due_on": "2000-01-01", "school_id": plans.world.south.id},
        headers=api_headers(client),
    )
    assert refused.status_code == 400
    assert set(refused.get_json()["errors"]) == {"domain", "share_percent", "due_on", "school"}
    made = client.post(
        "/api/v1/readiness/targets",
        json={"domain": DOMAIN, "share_percent": 60, "due_on": SOON.isoformat()},
        headers=api_headers(client),
    )
    assert made.status_code == 201 and made.get_json()["school_id"] == plans.world.north.id


def test_the_openapi_document_names_the_planning_schemas(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert {"TargetProgress", "NextSteps", "Cohort", "MyCohort", "Sharing"} <= set(document["components"]["schemas"])
    assert "/api/v1/readiness/next-steps" in document["paths"]
