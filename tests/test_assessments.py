"""Self-assessment: the domain-level rule, kept history, drafts, submission, and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from badges.base import InvalidInput
from badges.educator import assessments
from badges.extensions import db
from badges.models import Rating, SelfAssessment
from tests.conftest import USER_PASSWORD, api_headers


@pytest.mark.parametrize(
    "levels,expected",
    [
        ([], None),
        ([3], 3),
        ([1, 4], 1),  # two ratings: more than half must reach the level, so both must
        ([4, 4], 4),
        ([1, 3, 4], 3),  # one low outlier does not sink the domain
        ([4, 1, 1], 1),  # one high outlier does not lift it
        ([2, 3, 3, 4], 3),
        ([1, 2, 3, 4], 2),
    ],
)
def test_domain_level_is_the_highest_level_more_than_half_reach(levels, expected):
    assert assessments.derive_domain_level(levels) == expected


def teacher_codes(framework) -> list[str]:
    return [i.code for d in framework.domains for i in d.indicators if any(r.code == "teacher" for r in i.roles)]


def rate_all(teacher, assessment, framework, level=3):
    assessments.rate(
        teacher,
        assessment,
        [{"indicator": c, "level": level, "reflection": "because"} for c in teacher_codes(framework)],
    )


def test_ratings_are_appended_and_the_newest_is_current(app, framework, teacher):
    draft = assessments.start_assessment(teacher)
    assessments.rate(teacher, draft, [{"indicator": "1.1", "level": 2, "reflection": "learning"}])
    assessments.rate(teacher, draft, [{"indicator": "1.1", "level": 3, "reflection": "tried it"}])
    assessments.rate(teacher, draft, [{"indicator": "1.1", "level": 3, "reflection": "tried it"}])  # unchanged
    db.session.commit()
    rows = db.session.scalars(select(Rating).order_by(Rating.id)).all()
    assert [(r.indicator.code, r.level) for r in rows] == [("1.1", 2), ("1.1", 3)]
    current = assessments.current_ratings(draft)
    assert [r.level for r in current.values()] == [3]


def test_a_new_assessment_never_overwrites_a_submitted_one(app, framework, teacher):
    first = assessments.start_assessment(teacher)
    rate_all(teacher, first, framework, level=2)
    assessments.submit(teacher, first)
    db.session.commit()
    first_rows = {(r.id, r.level, r.reflection) for r in first.ratings}

    second = assessments.start_assessment(teacher)
    assert second.id != first.id
    rate_all(teacher, second, framework, level=4)
    assessments.submit(teacher, second)
    db.session.commit()

    db.session.expire_all()
    assert {(r.id, r.level, r.reflection) for r in db.session.get(SelfAssessment, first.id).ratings} == first_rows
    with pytest.raises(InvalidInput, match="submitted and is closed"):
        assessments.rate(teacher, first, [{"indicator": "1.1", "level": 1}])


def test_a_new_round_can_start_from_the_last_submitted_one(app, framework, teacher):
    assert assessments.start_assessment(teacher, from_previous=True).ratings == []  # nothing to start from
    db.session.rollback()
    first = assessments.start_assessment(teacher)
    rate_all(teacher, first, framework, level=2)
    assessments.rate(teacher, first, [{"indicator": "1.1", "level": 4, "reflection": "family nights"}])
    assessments.submit(teacher, first)
    db.session.commit()
    second = assessments.start_assessment(teacher, from_previous=True)
    db.session.commit()
    carried = {r.indicator.code: (r.level, r.reflection) for r in assessments.current_ratings(second).values()}
    assert carried["1.1"] == (4, "family nights") and carried["1.2"] == (2, "because")
    assert set(carried) == set(teacher_codes(framework)) and assessments.missing_ratings(second) == []
    # The copies belong to the new round: the submitted one is untouched, and an unchanged rating adds nothing.
    assert {r.assessment_id for r in second.ratings} == {second.id} and len(first.ratings) == len(carried) + 1
    assert assessments.rate(teacher, second, [{"indicator": "1.1", "level": 4, "reflection": "family nights"}]) == []


def test_submit_needs_every_applicable_key_question(app, framework, teacher):
    draft = assessments.start_assessment(teacher)
    assessments.rate(teacher, draft, [{"indicator": "1.1", "level": 2}])
    with pytest.raises(InvalidInput, match="still to rate: 1.2"):
        assessments.submit(teacher, draft)


def test_domain_levels_count_only_the_roles_key_questions(app, framework, teacher):
    draft = assessments.start_assessment(teacher)
    # Domain 1 has four key questions; 1.4 applies to state, district and school leaders only.
    assessments.rate(
        teacher,
        draft,
        [{"indicator": "1.1", "level": 4}, {"indicator": "1.2", "level": 2}, {"indicator": "1.3", "level": 3}],
    )
    level = assessments.domain_levels(draft)[framework.domains[0].id]
    assert (level.level, level.rated, level.applicable, level.complete) == (3, 3, 3, True)


@pytest.mark.parametrize(
    "entry,field,message",
    [
        ({"indicator": "1.1", "level": 0}, "ratings.1.1", "level must be 1 (Explorer)"),
        ({"indicator": "1.1", "level": 5}, "ratings.1.1", "level must be 1 (Explorer)"),
        ({"indicator": "1.1", "level": "3"}, "ratings.1.1", "level must be"),
        ({"indicator": "1.4", "level": 2}, "ratings.1.4", "does not apply to your professional role"),
        ({"indicator": "99.1", "level": 2}, "ratings.99.1", "is not a key question of"),
        ({"indicator": "1.1", "level": 2, "reflection": "x" * 2001}, "ratings.1.1", "at most 2,000"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_saved(app, framework, teacher, entry, field, message):
    draft = assessments.start_assessment(teacher)
    db.session.commit()
    good = {"indicator": "1.2", "level": 3}
    with pytest.raises(InvalidInput) as caught:
        assessments.rate(teacher, draft, [good, entry])
    db.session.rollback()
    assert message in " ".join(caught.value.errors[field])
    assert db.session.scalar(select(func.count(Rating.id))) == 0


def test_indicator_from_another_framework_is_refused(app, framework, teacher, tmp_path):
    import json

    from badges.catalogue.loading import install_framework
    from badges.frameworks.loader import validate_framework_document
    from badges.resources import default_framework_file

    other = json.loads(default_framework_file().read_text(encoding="utf-8"))
    other["slug"] = "other-framework"
    other["domains"][0]["indicators"][0]["code"] = "x.1"
    install_framework(validate_framework_document(other))
    db.session.commit()
    draft = assessments.start_assessment(teacher)
    with pytest.raises(InvalidInput, match="'x.1' is not a key question of Competencies for Competency Education"):
        assessments.rate(teacher, draft, [{"indicator": "x.1", "level": 2}])


# -- API ----------------------------------------------------------------------------------------


def test_api_full_round_trip(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    headers = api_headers(client)
    started = client.post("/api/v1/me/assessments", headers=headers)
    assert started.status_code == 201
    assessment_id = started.get_json()["id"]
    assert client.post("/api/v1/me/assessments", headers=headers).get_json()["id"] == assessment_id

    ratings = [{"indicator": code, "level": 3, "reflection": "ok"} for code in teacher_codes(framework)]
    saved = client.put(f"/api/v1/me/assessments/{assessment_id}/ratings", json={"ratings": ratings}, headers=headers)
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["status"] == "draft"
    assert {d["domain"]: d["level"] for d in body["domain_levels"]}["delivery-operations"] == 3

    client.put(
        f"/api/v1/me/assessments/{assessment_id}/ratings",
        json={"ratings": [{"indicator": "1.1", "level": 4}]},
        headers=headers,
    )
    history = client.get(f"/api/v1/me/assessments/{assessment_id}/history").get_json()
    assert [h["level"] for h in history if h["indicator"] == "1.1"] == [3, 4]

    submitted = client.post(f"/api/v1/me/assessments/{assessment_id}/submit", headers=headers)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    progress = client.get("/api/v1/me/progress").get_json()
    assert len(progress) == 9 and all(p["trend"] == "new" for p in progress)
    summary = client.get("/api/v1/me/summary").get_json()
    assert summary["name"] == "Terry Teacher" and summary["feedback"] == []


@pytest.mark.parametrize(
    "ratings,status,field",
    [
        ([{"indicator": "1.1", "level": 7}], 422, "ratings"),
        ([{"indicator": "1.1"}], 422, "ratings"),
        ([{"indicator": "1.4", "level": 2}], 400, "ratings.1.4"),
        ([], 422, "ratings"),
    ],
)
def test_api_bad_ratings_answer_with_field_errors(client, auth, teacher, framework, ratings, status, field):
    auth.login(teacher.email, USER_PASSWORD)
    headers = api_headers(client)
    assessment_id = client.post("/api/v1/me/assessments", headers=headers).get_json()["id"]
    response = client.put(f"/api/v1/me/assessments/{assessment_id}/ratings", json={"ratings": ratings}, headers=headers)
    assert response.status_code == status
    errors = response.get_json()["errors"]
    assert field in errors or field in errors.get("json", {})
    assert db.session.scalar(select(func.count(Rating.id))) == 0


def test_another_educators_assessment_is_not_found(client, auth, teacher, make_user, framework):
    other = make_user("other@northfield.example.org")
    theirs = assessments.start_assessment(other)
    db.session.commit()
    auth.login(teacher.email, USER_PASSWORD)
    headers = api_headers(client)
    assert client.get(f"/api/v1/me/assessments/{theirs.id}").status_code == 404
    put = client.put(
        f"/api/v1/me/assessments/{theirs.id}/ratings",
        json={"ratings": [{"indicator": "1.1", "level": 2}]},
        headers=headers,
    )
    assert put.status_code == 404
    assert client.post(f"/api/v1/me/assessments/{theirs.id}/submit", headers=headers).status_code == 404
    assert db.session.scalar(select(func.count(Rating.id))) == 0


def test_api_write_without_csrf_header_is_refused(client, auth, teacher, framework):
    auth.login(teacher.email, USER_PASSWORD)
    response = client.post("/api/v1/me/assessments")
    assert response.status_code == 400 and response.is_json
    assert db.session.scalar(select(func.count(SelfAssessment.id))) == 0
