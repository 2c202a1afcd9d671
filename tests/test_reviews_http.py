"""The validator's pages and API, through HTTP with a real sign-in.

Every refused decision is checked three ways: the status, a message naming the field, and no
review recorded (the claim still awaits review).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from badges.catalogue.badge_classes import role_indicators
from badges.educator import assessments, evidence
from badges.extensions import db
from badges.models import Award, BadgeClass, Claim, ClaimStatus, Indicator, Review, School, User
from badges.people import scope
from badges.validation import claims
from tests.conftest import USER_PASSWORD, Browserless, api_headers, csrf_token_from

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXPERIENCED = "Delivery and Operations: Experienced, Teacher"  # level 3: one approval
EXPERT = "Delivery and Operations: Expert, Teacher"  # level 4: two approvals by default
API = "/api/v1/reviews"


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    app.config["EVIDENCE_STORAGE_DIR"] = str(tmp_path / "evidence")


@dataclass
class World:
    framework: object
    north: School
    teacher: User
    validator: User
    outsider: User  # a validator whose scope is another domain

    def indicator(self, code: str) -> Indicator:
        return next(i for d in self.framework.domains for i in d.indicators if i.code == code)

    def claim(self, owner=None, badge=EXPERIENCED, file=False, when=None) -> Claim:
        owner = owner or self.teacher
        ids = [self.indicator("4.1").id]
        if file:
            item = evidence.add_file(owner, "Tracker", "Where each student is.", "a.pdf", PDF_BYTES, ids)
        else:
            item = evidence.add_link(owner, "Class blog", "Students publish here.", "https://blog.example.org/p", ids)
        badge_class = db.session.scalar(select(BadgeClass).where(BadgeClass.name == badge))
        made = claims.create_claim(owner, badge_class.id, "My tracker shows it.", [item.id])
        if when is not None:
            made.current.submitted_at = when
        db.session.commit()
        return made


@pytest.fixture
def world(make_user, district, framework) -> World:
    north = district.schools[0]
    south = School(slug="south", name="South School")
    district.schools.append(south)
    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None)
    make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    teacher = make_user("teacher@northfield.example.org", name="Terry Teacher")
    validator = make_user("val@northfield.example.org", roles=("validator",), name="Vera Validator")
    second = make_user("val2@northfield.example.org", roles=("validator",), name="Victor Second")
    outsider = make_user("out@northfield.example.org", roles=("validator",), name="Otto Outsider")
    teacher.school = validator.school = second.school = outsider.school = north
    for person in (validator, second):
        scope.set_scope(admin, person, ["delivery-operations"], ["teacher"], [north.id], False)
    scope.set_scope(admin, outsider, ["engagement-communication"], ["teacher"], [], True)
    db.session.commit()
    return World(framework, north, teacher, validator, outsider)


def signed_in(app, email: str):
    client = app.test_client()
    assert Browserless(client).login(email, USER_PASSWORD).status_code == 302
    return client


@pytest.fixture
def val(app, world):
    return signed_in(app, world.validator.email)


def reviews_recorded() -> int:
    return db.session.scalar(select(func.count()).select_from(Review))


def ratings(claim: Claim, level: int) -> dict[str, int]:
    return {str(ind.id): level for ind in role_indicators(claim.badge_class)}


def post_page(
    client, claim: Claim, decision: str, feedback: str = "", levels: dict | None = None, revision: int | None = None
):
    page = client.get(f"/validator/claims/{claim.id}")
    data = {
        "csrf_token": csrf_token_from(page.get_data(as_text=True)),
        "decision": decision,
        "feedback": feedback,
        "revision": revision or 1,
    }
    data.update({f"rating-{key}": value for key, value in (levels or {}).items()})
    return client.post(f"/validator/claims/{claim.id}/decision", data=data)


def post_api(client, claim: Claim, decision: str, feedback: str = "", levels: dict | None = None, revision=1):
    body = {"decision": decision, "feedback": feedback, "ratings": levels or {}, "revision": revision}
    return client.post(f"{API}/claims/{claim.id}/decision", json=body, headers=api_headers(client))


def status_of(claim: Claim) -> ClaimStatus:
    db.session.expire_all()
    return db.session.get(Claim, claim.id).status


# -- the queue ----------------------------------------------------------------------------


def test_queue_lists_claims_in_scope_oldest_first(app, world, make_user, val):
    later = world.claim()
    colleague = make_user("colleague@northfield.example.org", name="Cora Colleague")
    colleague.school = world.north
    earlier = world.claim(colleague, when=later.current.submitted_at - timedelta(days=2))
    elsewhere = make_user("south@northfield.example.org", name="Sam South")
    elsewhere.school = next(s for s in world.north.district.schools if s.slug == "south")
    world.claim(elsewhere)  # another school
    world.claim(badge="Engagement and Communication: Novice, Teacher")  # another domain
    page = val.get("/validator/claims/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert body.index("Cora Colleague") < body.index("Terry Teacher")
    assert "Sam South" not in body and "Engagement and Communication" not in body
    assert f'href="/validator/claims/{earlier.id}"' in body and ">Review</a>" in body
    assert [c["id"] for c in val.get(f"{API}/queue").get_json()] == [earlier.id, later.id]
    home = val.get("/home/validator").get_data(as_text=True)
    assert "2 claims waiting for you." in home and 'href="/validator/claims/"' in home


def test_other_roles_are_refused(app, world):
    claim = world.claim()
    assert app.test_client().get("/validator/claims/").status_code == 302
    assert app.test_client().get(f"{API}/claims/{claim.id}").status_code == 401
    for email in ("teacher@northfield.example.org", "leader@northfield.example.org", "admin@northfield.example.org"):
        client = signed_in(app, email)
        assert client.get("/validator/claims/").status_code == 403
        assert client.get(f"/validator/claims/{claim.id}").status_code == 403
        assert client.get(f"{API}/queue").status_code == 403
        assert client.get(f"{API}/claims/{claim.id}").status_code == 403


def test_out_of_scope_validator_sees_nothing_and_cannot_download(app, world, val):
    claim = world.claim(file=True)
    item = claim.current.evidence[0]
    outsider = signed_in(app, world.outsider.email)
    assert outsider.get("/validator/claims/").get_data(as_text=True).count(">Review</a>") == 0
    assert outsider.get(f"/validator/claims/{claim.id}").status_code == 404
    assert outsider.get(f"{API}/claims/{claim.id}").status_code == 404
    assert outsider.get(f"/educator/evidence/{item.id}/file").status_code == 404
    assert outsider.get(f"/api/v1/me/evidence/{item.id}/file").status_code == 404
    assert post_api(outsider, claim, "approve", levels=ratings(claim, 3)).status_code == 404
    token = csrf_token_from(outsider.get("/validator/claims/").get_data(as_text=True))
    assert (
        outsider.post(
            f"/validator/claims/{claim.id}/decision", data={"csrf_token": token, "decision": "approve", "revision": 1}
        ).status_code
        == 404
    )
    assert val.get("/validator/claims/999999").status_code == 404
    assert reviews_recorded() == 0
    # The validator in scope may download the file the claim cites.
    page = val.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    assert f'href="/educator/evidence/{item.id}/file" download>Download</a>' in page
    download = val.get(f"/educator/evidence/{item.id}/file")
    body = download.get_data()
    download.close()
    assert download.status_code == 200 and body == PDF_BYTES
    detail = val.get(f"{API}/claims/{claim.id}").get_json()
    assert detail["revisions"][0]["evidence"][0]["file_url"].endswith(f"/api/v1/me/evidence/{item.id}/file")


# -- the claim page -----------------------------------------------------------------------


def test_claim_page_shows_criteria_evidence_and_decision_form(app, world, val):
    draft = assessments.start_assessment(world.teacher)
    assessments.rate(
        world.teacher, draft, [{"indicator": ind.code, "level": 2} for ind in assessments.applicable_indicators(draft)]
    )
    assessments.submit(world.teacher, draft)
    claim = world.claim()
    body = val.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    badge = claim.badge_class
    assert f'<img src="/badge-classes/{badge.id}/image.svg" alt=""' in body
    assert "<mark>Experienced (3): the level claimed</mark>" in body and "Expert (4)" in body
    assert "Terry Teacher" in body and "North School" in body and "Teacher</dd>" in body
    assert "My tracker shows it." in body
    assert 'href="https://blog.example.org/p" rel="noopener noreferrer nofollow"' in body
    assert "approvals so far: <strong>0 of 1</strong>" in body
    for ind in role_indicators(badge):
        assert f'<legend><span class="code">{ind.code}</span> {ind.text}</legend>' in body
        assert body.count(f'name="rating-{ind.id}"') == 4
    assert re.search(r'value="1">\s*Explorer \(1\)', body) and re.search(r'value="4">\s*Expert \(4\)', body)
    assert "The educator’s latest self-assessment: Novice (2)" in body
    assert '<input type="hidden" name="revision" value="1">' in body and "Feedback for the educator" in body
    for value, text in (("approve", "Approve"), ("return", "Return for more evidence"), ("decline", "Decline")):
        assert re.search(rf'name="decision" value="{value}"[^>]*>{text}</button>', body)
    detail = val.get(f"{API}/claims/{claim.id}").get_json()
    assert [i["code"] for i in detail["indicators"]] == ["4.1", "4.2", "4.3"]
    assert {i["self_assessed"] for i in detail["indicators"]} == {2}
    assert detail["claimed_level"] == 3 and len(detail["levels"]) == 4 and detail["can_decide"] is True
    assert "4.1" in detail["badge_class"]["criteria"] and detail["revision"] == 1


# -- decisions ----------------------------------------------------------------------------


def test_return_with_feedback_through_the_page(app, world, val):
    claim = world.claim()
    response = post_page(val, claim, "return", "Add a tracker showing several students.")
    assert response.status_code == 302 and response.headers["Location"].endswith("/validator/claims/")
    queue = val.get("/validator/claims/").get_data(as_text=True)
    assert "Returned to Terry Teacher for more evidence" in queue and "There are no claims waiting" in queue
    assert status_of(claim) is ClaimStatus.RETURNED
    page = val.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    assert "Add a tracker showing several students." in page and 'name="decision"' not in page
    home = val.get("/home/validator").get_data(as_text=True)
    assert "Returned for more evidence" in home and EXPERIENCED in home


def test_approve_through_the_api_awards_the_badge(app, world, val):
    claim = world.claim()
    response = post_api(val, claim, "approve", "Well shown.", ratings(claim, 3))
    assert response.status_code == 201, response.get_json()
    result = response.get_json()
    award = db.session.scalar(select(Award).where(Award.claim_id == claim.id))
    assert award is not None and result["award_id"] == award.id
    assert result["status"] == "approved" and (result["approvals"], result["approvals_required"]) == (1, 1)
    assert result["review"]["decision"] == "approve" and len(result["review"]["ratings"]) == 3


def test_expert_claim_needs_two_approvals_through_the_page(app, world, val):
    claim = world.claim(badge=EXPERT)
    first = post_page(val, claim, "approve", levels=ratings(claim, 4))
    assert first.status_code == 302
    assert "Approval recorded: 1 of 2." in val.get("/validator/claims/").get_data(as_text=True)
    page = val.get(f"/validator/claims/{claim.id}").get_data(as_text=True)
    assert "You have recorded your decision on this revision." in page and 'name="decision"' not in page
    second = signed_in(app, "val2@northfield.example.org")
    assert post_page(second, claim, "approve", levels=ratings(claim, 4)).status_code == 302
    assert "Approved: the badge is awarded to Terry Teacher." in second.get("/validator/claims/").get_data(as_text=True)
    assert status_of(claim) is ClaimStatus.APPROVED


BAD_DECISIONS = {
    "approve without ratings": ("approve", "", {}, "ratings"),
    "a rating of 5": ("approve", "", {"4.1": 5, "4.2": 3, "4.3": 3}, "ratings"),
    "a key question of another domain": ("approve", "", {"4.1": 3, "4.2": 3, "4.3": 3, "1.1": 3}, "ratings"),
    "return without feedback": ("return", "  ", {}, "feedback"),
    "an unknown decision": ("maybe", "Hmm.", {}, "decision"),
}


@pytest.mark.parametrize("through", ["page", "api"])
@pytest.mark.parametrize("case", BAD_DECISIONS, ids=list(BAD_DECISIONS))
def test_bad_decisions_answer_400_and_record_nothing(app, world, val, through, case):
    decision, feedback, by_code, field = BAD_DECISIONS[case]
    claim = world.claim()
    levels = {str(world.indicator(code).id): level for code, level in by_code.items()}
    if through == "page":
        response = post_page(val, claim, decision, feedback, levels)
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and "Nothing was recorded" in body
        assert f'id="{field}-errors"' in body and 'name="decision"' in body
        if levels:  # the choices made are kept
            assert re.search(rf'name="rating-{world.indicator("4.2").id}" value="3" checked', body)
    else:
        response = post_api(val, claim, decision, feedback, levels)
        assert response.status_code == 400 and list(response.get_json()["errors"]) == [field]
    assert reviews_recorded() == 0 and status_of(claim) is ClaimStatus.SUBMITTED


def test_api_type_errors_answer_422(app, world, val):
    claim = world.claim()
    headers = api_headers(val)
    url = f"{API}/claims/{claim.id}/decision"
    assert val.post(url, json={"decision": "approve", "revision": "one"}, headers=headers).status_code == 422
    assert (
        val.post(url, json={"decision": "approve", "revision": 1, "ratings": {"1": "x"}}, headers=headers).status_code
        == 422
    )
    assert val.post(url, json={"decision": "approve"}, headers=headers).status_code == 422
    assert val.post(url, json={"decision": "approve", "revision": 1}).status_code == 400  # no CSRF header
    assert reviews_recorded() == 0


def test_deciding_twice_answers_409(app, world, val):
    claim = world.claim()
    assert post_api(val, claim, "approve", levels=ratings(claim, 3)).status_code == 201
    again = post_api(val, claim, "decline", "No.", ratings(claim, 1))
    assert again.status_code == 409 and "already approved" in again.get_json()["message"]
    page = post_page(val, claim, "return", "More please.")
    assert page.status_code == 409 and "already approved" in page.get_data(as_text=True)
    expert = world.claim(badge=EXPERT)
    assert post_api(val, expert, "approve", levels=ratings(expert, 4)).status_code == 201
    twice = post_api(val, expert, "approve", levels=ratings(expert, 4))
    assert twice.status_code == 409 and "already recorded your decision" in twice.get_json()["message"]
    assert reviews_recorded() == 2


def test_a_stale_revision_answers_409(app, world, val):
    claim = world.claim()
    assert post_page(val, claim, "return", "Show more students.").status_code == 302
    db.session.expire_all()  # the decision was made in the request's session
    claims.resubmit_claim(world.teacher, claim, "Now with more.", [claim.current.evidence[0].id])
    db.session.commit()
    stale = post_api(val, claim, "approve", levels=ratings(claim, 3), revision=1)
    assert stale.status_code == 409 and list(stale.get_json()["errors"]) == ["revision"]
    page = post_page(val, claim, "approve", levels=ratings(claim, 3), revision=1)
    body = page.get_data(as_text=True)
    assert page.status_code == 409 and "was resubmitted (revision 2)" in body
    assert '<input type="hidden" name="revision" value="2">' in body and "Revision 1, submitted" in body
    assert reviews_recorded() == 1 and status_of(claim) is ClaimStatus.SUBMITTED
    assert post_api(val, claim, "approve", levels=ratings(claim, 3), revision=2).status_code == 201
