"""Self-assessment, progress and conference-summary pages, as a person uses them."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from badges.extensions import db
from badges.models import Rating, SelfAssessment
from tests.conftest import USER_PASSWORD, csrf_token_from


def post_domain(client, code: str, fields: dict, action: str = "save"):
    page = client.get(f"/educator/assessment/domains/{code}")
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "action": action, **fields}
    return client.post(f"/educator/assessment/domains/{code}", data=data)


def teacher_domains(framework):
    return [
        (d.code, [i.code for i in d.indicators if any(r.code == "teacher" for r in i.roles)]) for d in framework.domains
    ]


def test_partial_save_and_come_back(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    overview = client.get("/educator/assessment/").get_data(as_text=True)
    assert "Start a new self-assessment" in overview
    saved = post_domain(
        client, "engagement-communication", {"level-1.1": "2", "reflection-1.1": "Reading about it", "level-1.2": "3"}
    )
    assert saved.status_code == 302
    again = client.get("/educator/assessment/domains/engagement-communication").get_data(as_text=True)
    assert re.search(r'name="level-1.1" value="2" checked', again)
    assert "Reading about it" in again
    assert not re.search(r'name="level-1.3" value="\d" checked', again)
    overview = client.get("/educator/assessment/").get_data(as_text=True)
    assert "2 of 3" in overview and "Submit self-assessment" in overview


def test_save_and_continue_goes_to_the_next_domain(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    response = post_domain(client, "engagement-communication", {"level-1.1": "1"}, action="next")
    assert response.headers["Location"].endswith("/educator/assessment/domains/personalization-proficiency")


def test_bad_page_input_is_a_400_with_the_reason_and_nothing_saved(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    for fields, reason in [
        ({"level-1.1": "9"}, "level must be 1 (Explorer)"),
        ({"reflection-1.1": "no level"}, "choose a level"),
        ({"level-1.1": "x"}, "level must be"),
    ]:
        response = post_domain(client, "engagement-communication", fields)
        assert response.status_code == 400
        assert reason in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Rating.id))) == 0


def test_a_key_question_for_another_role_cannot_be_posted(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    post_domain(client, "engagement-communication", {"level-1.4": "4", "level-1.1": "2"})
    assert [r.indicator.code for r in db.session.scalars(select(Rating))] == ["1.1"]  # 1.4 is not on the form


def test_submit_incomplete_then_complete(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    post_domain(client, "engagement-communication", {"level-1.1": "2"})
    token = csrf_token_from(client.get("/educator/assessment/").get_data(as_text=True))
    refused = client.post("/educator/assessment/submit", data={"csrf_token": token})
    assert refused.status_code == 400 and "still to rate: 1.2" in refused.get_data(as_text=True)

    for code, indicators in teacher_domains(framework):
        assert post_domain(client, code, {f"level-{c}": "3" for c in indicators}).status_code == 302
    token = csrf_token_from(client.get("/educator/assessment/").get_data(as_text=True))
    done = client.post("/educator/assessment/submit", data={"csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/educator/progress")
    assert db.session.scalar(select(SelfAssessment.submitted_at)) is not None

    progress = client.get("/educator/progress").get_data(as_text=True)
    assert progress.count('<svg class="level-chart"') == 9
    assert "Experienced (3)" in progress  # the table of the same numbers
    summary = client.get("/educator/summary").get_data(as_text=True)
    for heading in ("Where I am, by domain", "My goals", "Evidence I chose to share", "Validator feedback"):
        assert heading in summary
    assert "No validator feedback yet." in summary


def test_educator_without_professional_role_is_told_why(client, auth, make_user, framework):
    user = make_user("norole@northfield.example.org", professional_role=None)
    auth.login(user.email, USER_PASSWORD)
    response = client.get("/educator/assessment/")
    assert response.status_code == 400
    assert "no professional role" in response.get_data(as_text=True)


def test_people_without_the_educator_role_cannot_self_assess(client, auth, make_user, framework):
    leader = make_user("leader@northfield.example.org", roles=("district_leader",))
    auth.login(leader.email, USER_PASSWORD)
    assert client.get("/educator/assessment/").status_code == 403
    assert client.get("/educator/summary").status_code == 403
    assert client.get("/api/v1/me/summary").status_code == 403
