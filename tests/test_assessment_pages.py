"""Self-assessment, progress and conference-summary pages, as a person uses them."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from badges.educator import assessments, goals
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
    asked = client.post("/educator/assessment/submit", data={"csrf_token": token})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Submit your self-assessment?" in html and "kept as it is" in html
    assert '<button type="submit">Submit self-assessment</button>' in html  # permanent, not destructive
    assert db.session.scalar(select(SelfAssessment.submitted_at)) is None  # asking changed nothing
    done = client.post("/educator/assessment/submit", data={"csrf_token": token, "confirmed": "yes"})
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


def submit_a_full_round(client, framework, level="3"):
    for code, indicators in teacher_domains(framework):
        assert post_domain(client, code, {f"level-{c}": level for c in indicators}).status_code == 302
    token = csrf_token_from(client.get("/educator/assessment/").get_data(as_text=True))
    done = client.post("/educator/assessment/submit", data={"csrf_token": token, "confirmed": "yes"})
    assert done.status_code == 302


def flashed(client) -> str:
    return client.get("/educator/assessment/domains/engagement-communication").get_data(as_text=True)


def test_saved_is_said_only_when_a_rating_changed(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    post_domain(client, "engagement-communication", {"level-1.1": "2", "reflection-1.1": "Reading"})
    assert "Saved your ratings for" in flashed(client)
    post_domain(client, "engagement-communication", {"level-1.1": "2", "reflection-1.1": "Reading"})
    html = flashed(client)
    assert "Nothing to save: no rating changed." in html and "Saved your ratings" not in html
    post_domain(client, "engagement-communication", {})
    assert "Nothing to save: no rating changed." in flashed(client)
    post_domain(client, "engagement-communication", {"level-1.1": "2", "reflection-1.1": "Reading more"})
    assert "Saved your ratings for" in flashed(client)
    assert db.session.scalar(select(func.count(Rating.id))) == 2


def test_the_domain_page_loads_the_unsaved_changes_script(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    html = flashed(client)
    assert "data-warn-unsaved" in html and '<script src="/static/unsaved.js" defer></script>' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    script = client.get("/static/unsaved.js")
    script.close()
    assert script.status_code == 200


def test_a_new_round_starts_from_the_last_ones_ratings_and_past_rounds_are_readable(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    post_domain(client, "engagement-communication", {"level-1.1": "4", "reflection-1.1": "Family nights"})
    submit_a_full_round(client, framework)
    first = db.session.scalar(select(SelfAssessment))
    overview = client.get("/educator/assessment/").get_data(as_text=True)
    assert "Past self-assessments" in overview and f"/educator/assessment/rounds/{first.id}" in overview
    token = csrf_token_from(overview)
    started = client.post("/educator/assessment/start", data={"csrf_token": token})
    assert started.status_code == 302
    html = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "starts from the ratings of your last one" in html
    assert re.search(r'name="level-1.1" value="3" checked', html) and "Family nights" not in html  # 1.1 was re-rated 3
    db.session.expire_all()
    draft = assessments.current_draft(teacher)
    assert draft is not None and not assessments.missing_ratings(draft)
    post_domain(client, "engagement-communication", {"level-1.1": "1", "level-1.2": "3", "level-1.3": "3"})
    page = client.get(f"/educator/assessment/rounds/{first.id}")
    read = page.get_data(as_text=True)
    assert page.status_code == 200 and "Self-assessment of" in read and "cannot be changed" in read
    main = read[read.find("<main") : read.find("</main>")]
    assert "<strong>1.1</strong>" in main and "Experienced (3)" in main and "Explorer (1)" not in main
    assert "<form" not in main
    assert client.get(f"/educator/assessment/rounds/{draft.id}").status_code == 302  # a draft is edited, not read


def test_another_educators_round_is_404(client, auth, teacher, make_user, framework):
    other = make_user("other@northfield.example.org")
    theirs = assessments.start_assessment(other)
    db.session.commit()
    auth.login(teacher.email, USER_PASSWORD)
    assert client.get(f"/educator/assessment/rounds/{theirs.id}").status_code == 404
    assert client.get("/educator/assessment/rounds/999999").status_code == 404


def test_the_home_page_links_each_domain_to_its_self_assessment(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    html = client.get("/home/educator").get_data(as_text=True)
    for code, indicators in teacher_domains(framework):
        if indicators:
            assert f'href="/educator/assessment/domains/{code}"' in html
    assert 'href="/educator/badges/catalogue"' in html


def test_the_conference_summary_lists_badges_earned(client, auth, teacher, framework, make_user):
    from badges.catalogue.badge_classes import role_indicators
    from badges.people.scope import set_scope
    from badges.validation import claims
    from badges.validation.reviews import decide
    from tests.test_claims_http import badge, item_of

    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None)
    validator = make_user("val@northfield.example.org", roles=("validator",), professional_role=None)
    set_scope(admin, validator, ["delivery-operations"], ["teacher"], [], True)
    won = badge(framework, level=2)
    claim = claims.create_claim(teacher, won.id, "It shows it.", [item_of(teacher).id])
    decide(validator, claim.id, "approve", "Clear.", {i.id: 2 for i in role_indicators(won)})
    db.session.commit()
    auth.login(teacher.email, USER_PASSWORD)
    summary = client.get("/educator/summary").get_data(as_text=True)
    assert "Badges earned" in summary and won.name in summary and "In force" in summary
    (earned,) = client.get("/api/v1/me/summary").get_json()["awards"]
    assert (earned["badge"], earned["revoked_at"]) == (won.name, None)
    assert goals  # imported for the summary's other sections
