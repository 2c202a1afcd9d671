"""The one checkbox-list field (badges.web.forms.CheckboxesField): a chosen value that is no id within
the database's range (superscript digits, 40-digit numbers, signs, words) is a field error with a
message, answered 400, never a 500, on every form that lists ids: evidence key questions, claim
evidence, goal evidence."""

from __future__ import annotations

import pytest

from tests.conftest import USER_PASSWORD, csrf_token_from

NOT_IDS = ["²", "1" * 40, str(2**31), "-1", "0", "one", "1.0", " 7"]


@pytest.fixture
def signed_in(client, auth, teacher, framework):
    assert auth.login(teacher.email, USER_PASSWORD).status_code == 302
    return client


def _post(client, path: str, data: dict) -> tuple[int, str]:
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token, **data})
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize("value", NOT_IDS)
def test_evidence_key_questions_that_are_not_ids(signed_in, value):
    status, html = _post(
        signed_in,
        "/educator/evidence/new-link",
        {"title": "A plan", "narrative": "What it shows.", "url": "https://example.org/plan", "indicators": [value]},
    )
    assert status == 400 and "Choose from the list" in html and 'id="indicators-errors"' in html


@pytest.mark.parametrize("value", NOT_IDS)
def test_claim_evidence_that_is_not_ids(signed_in, value):
    status, html = _post(signed_in, "/educator/claims/new", {"statement": "It shows it.", "evidence": [value]})
    assert status == 400 and "Choose from the list" in html and "The claim was not submitted" in html


@pytest.mark.parametrize("value", NOT_IDS)
def test_goal_evidence_that_is_not_ids(signed_in, value):
    status, html = _post(signed_in, "/educator/goals/new", {"domain": "", "target_level": "", "evidence": [value]})
    assert status == 400 and "Choose from the list" in html


@pytest.mark.parametrize("value", ["²", "9" * 40])
def test_a_badge_choice_that_is_no_id(signed_in, value):
    status, html = _post(signed_in, "/educator/claims/new", {"badge_class": value, "statement": "x"})
    assert status == 400 and "could not coerce" in html and "The claim was not submitted" in html
