"""Curating exemplar sets over HTTP: the pages (with their confirmation steps), exemplar files, the
educator's consent control, the lead validator's switch, and the API."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from badges.calibration import consent, exemplars, sets
from badges.calibration.key_questions import set_indicators
from badges.educator import evidence
from badges.extensions import db
from badges.models import CalibrationConsent, CalibrationRound, Exemplar, ExemplarSet
from badges.people import scope
from tests import test_calibration_sets as set_tests
from tests.calibration_setup import DOMAIN, make_set
from tests.conftest import USER_PASSWORD, api_headers, csrf_token_from
from tests.test_calibration_sets import PDF, stored
from tests.test_evidence import ind

evidence_dir = set_tests.evidence_dir
validator = set_tests.validator
lead = set_tests.lead
stranger_admin = set_tests.stranger_admin


def sign_in(client, auth, user):
    assert auth.login(user.email, USER_PASSWORD).status_code == 302


def post(client, path, data=None, **kwargs):
    token = csrf_token_from(client.get("/frameworks/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def as_admin(client, auth, admin):
    sign_in(client, auth, admin)
    return client


def test_create_a_set_add_exemplars_and_open_it_with_confirmation(as_admin, admin, evidence_dir):
    client = as_admin
    page = client.get("/calibration/sets/new")
    assert page.status_code == 200 and "Domain" in text(page)
    refused = post(client, "/calibration/sets/new", {"domain": DOMAIN, "role": "teacher", "title": ""})
    assert refused.status_code == 400 and "Give the set a title." in text(refused)
    made = post(client, "/calibration/sets/new", {"domain": DOMAIN, "role": "teacher", "title": "Delivery"})
    assert made.status_code == 302
    exemplar_set = db.session.scalar(select(ExemplarSet))
    indicators = set_indicators(exemplar_set)
    form = client.get(f"/calibration/sets/{exemplar_set.id}/exemplars/new")
    assert (
        form.status_code == 200
        and f'name="anchor-{indicators[0].id}"' in text(form)
        and "Experienced (3)" in text(form)
    )
    anchors = {f"anchor-{ind.id}": "3" for ind in indicators}
    bad = post(client, f"/calibration/sets/{exemplar_set.id}/exemplars/new", {"title": "One", **anchors})
    assert bad.status_code == 400 and "Write the narrative" in text(bad)
    assert 'value="3" checked' in text(bad)  # what was chosen survives the refusal
    for title, level in (("One", "3"), ("Two", "2")):
        added = post(
            client,
            f"/calibration/sets/{exemplar_set.id}/exemplars/new",
            {
                "title": title,
                "narrative": "A plan.",
                "rationale": "Agreed.",
                "anchor_level": level,
                **anchors,
                "file": (io.BytesIO(PDF), "Terry plan.pdf"),
            },
            content_type="multipart/form-data",
        )
        assert added.status_code == 302, text(added)
    db.session.expire_all()
    show = client.get(f"/calibration/sets/{exemplar_set.id}")
    assert show.status_code == 200 and "Anchors of “One”" in text(show) and "The set is complete" in text(show)
    first = exemplar_set.exemplars[0]
    download = client.get(f"/calibration/exemplars/{first.id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith(f'attachment; filename="exemplar-{first.id}.pdf"')
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()
    no_title = post(client, f"/calibration/sets/{exemplar_set.id}/open", {"round_title": " "})
    assert no_title.status_code == 400 and "Give the round a title" in text(no_title)
    asked = post(client, f"/calibration/sets/{exemplar_set.id}/open", {"round_title": "Autumn"})
    assert asked.status_code == 200 and "Open this set for calibration?" in text(asked)
    db.session.expire_all()
    assert db.session.get(ExemplarSet, exemplar_set.id).is_draft
    opened = post(client, f"/calibration/sets/{exemplar_set.id}/open", {"round_title": "Autumn", "confirmed": "yes"})
    assert opened.status_code == 302
    db.session.expire_all()
    assert not db.session.get(ExemplarSet, exemplar_set.id).is_draft
    listing = client.get("/calibration/sets")
    assert "Autumn: open" in " ".join(text(listing).split()) and "0 validators" in text(listing)
    frozen = client.get(f"/calibration/exemplars/{first.id}/edit")
    assert frozen.status_code == 409 and "frozen" in text(frozen)


def test_opening_an_incomplete_set_lists_every_problem(as_admin, admin):
    exemplar_set = sets.create_set(admin, DOMAIN, "teacher", "Thin")
    exemplars.add_exemplar(admin, exemplar_set, "Only one", "Text.")
    db.session.commit()
    refused = post(as_admin, f"/calibration/sets/{exemplar_set.id}/open", {"round_title": "Autumn"})
    body = text(refused)
    assert refused.status_code == 400
    assert "at least 2 exemplars to open; it has 1" in body and "“Only one” has no overall anchor level." in body
    assert "“Only one” has no rationale" in body


def test_delete_and_close_ask_first(as_admin, admin):
    draft = make_set(admin.district, admin, title="Draft")
    opened = make_set(admin.district, admin, title="Opened")
    db.session.commit()
    assert "Delete this draft set?" in text(post(as_admin, f"/calibration/sets/{draft.id}/delete"))
    assert post(as_admin, f"/calibration/sets/{draft.id}/delete", {"confirmed": "yes"}).status_code == 302
    assert (
        post(as_admin, f"/calibration/sets/{opened.id}/open", {"round_title": "A", "confirmed": "yes"}).status_code
        == 302
    )
    calibration_round = db.session.scalar(select(CalibrationRound))
    assert "Close this round?" in text(post(as_admin, f"/calibration/rounds/{calibration_round.id}/close"))
    assert post(as_admin, f"/calibration/rounds/{calibration_round.id}/close", {"confirmed": "yes"}).status_code == 302
    again = post(as_admin, f"/calibration/sets/{opened.id}/rounds", {"title": "Spring"})
    assert again.status_code == 200 and "Open another round?" in text(again)
    assert (
        post(as_admin, f"/calibration/sets/{opened.id}/rounds", {"title": "Spring", "confirmed": "yes"}).status_code
        == 302
    )
    db.session.expire_all()
    assert [r.title for r in db.session.get(ExemplarSet, opened.id).rounds] == ["A", "Spring"]


def test_another_district_and_non_curators(client, auth, admin, stranger_admin, validator):
    exemplar_set = make_set(admin.district, admin)
    db.session.commit()
    sign_in(client, auth, stranger_admin)
    assert client.get(f"/calibration/sets/{exemplar_set.id}").status_code == 404
    assert client.get(f"/api/v1/calibration/sets/{exemplar_set.id}").status_code == 404
    auth.logout()
    sign_in(client, auth, validator)
    assert client.get("/calibration/sets").status_code == 403
    assert "Exemplar sets" not in text(client.get("/home/validator"))


def test_lead_validator_is_made_on_the_scope_page_and_curates(client, auth, admin, validator):
    sign_in(client, auth, admin)
    page = client.get(f"/admin/validators/{validator.id}/scope")
    assert "Lead validator" in text(page)
    saved = post(
        client,
        f"/admin/validators/{validator.id}/scope",
        {"domains": DOMAIN, "roles": "teacher", "whole_district": "y", "lead": "y"},
    )
    assert saved.status_code == 302
    assert scope.is_lead(validator)
    assert 'Vera Validator</a> <span class="muted">(lead validator)</span>' in text(client.get("/admin/validators"))
    auth.logout()
    sign_in(client, auth, validator)
    assert 'href="/calibration/sets"' in text(client.get("/home/validator"))
    assert client.get("/calibration/sets").status_code == 200
    assert (
        post(client, "/calibration/sets/new", {"domain": DOMAIN, "role": "teacher", "title": "Mine"}).status_code == 302
    )


def test_consent_control_on_the_evidence_page(client, auth, teacher, framework):
    item = evidence.add_link(teacher, "Plan", "Text.", "https://example.org", [ind(framework, "4.1").id])
    db.session.commit()
    sign_in(client, auth, teacher)
    page = text(client.get(f"/educator/evidence/{item.id}"))
    assert "Offer for calibration" in page and "used only to train validators in your district" in page
    assert post(client, f"/educator/evidence/{item.id}/calibration-consent").status_code == 302
    page = text(client.get(f"/educator/evidence/{item.id}"))
    assert "You offered this item" in page and "copies already made stay" in page
    assert post(client, f"/educator/evidence/{item.id}/calibration-consent/withdraw").status_code == 302
    assert db.session.scalar(select(CalibrationConsent)).withdrawn_at is not None


def test_copy_picker_warns_about_files_and_copies_without_names(as_admin, admin, teacher, framework, evidence_dir):
    item = evidence.add_file(teacher, "Terry's plan", "Terry wrote it.", "plan.pdf", PDF, [ind(framework, "4.1").id])
    given = consent.grant_consent(teacher, item)
    exemplar_set = sets.create_set(admin, DOMAIN, "teacher", "Copies")
    db.session.commit()
    picker = text(as_admin.get(f"/calibration/sets/{exemplar_set.id}/copy"))
    assert "[the educator]’s plan" in picker or "[the educator]&#39;s plan" in picker
    assert "Terry" not in picker and "cannot be removed by the service" in picker
    asked = post(as_admin, f"/calibration/sets/{exemplar_set.id}/copy", {"consent": given.id})
    assert asked.status_code == 200 and "cannot be removed by the service" in text(asked)
    done = post(as_admin, f"/calibration/sets/{exemplar_set.id}/copy", {"consent": given.id, "confirmed": "yes"})
    assert done.status_code == 302
    copy = db.session.scalar(select(Exemplar))
    assert copy.narrative == "[the educator] wrote it." and len(stored(evidence_dir)) == 2
    consent.withdraw_consent(teacher, item)
    db.session.commit()
    assert post(as_admin, f"/calibration/sets/{exemplar_set.id}/copy", {"consent": given.id}).status_code == 404


# -- the API -----------------------------------------------------------------------------------------


def test_api_create_add_exemplars_get_and_open(as_admin, admin):
    headers = api_headers(as_admin)
    made = as_admin.post(
        "/api/v1/calibration/sets", json={"domain": DOMAIN, "role": "teacher", "title": "API set"}, headers=headers
    )
    assert made.status_code == 201, made.get_json()
    set_id = made.get_json()["id"]
    exemplar_set = db.session.get(ExemplarSet, set_id)
    codes = [i.code for i in set_indicators(exemplar_set)]
    refused = as_admin.post(f"/api/v1/calibration/sets/{set_id}/open", json={"round_title": "A"}, headers=headers)
    assert refused.status_code == 400 and "at least 2 exemplars" in refused.get_json()["errors"]["exemplars"][0]
    bad = as_admin.post(
        f"/api/v1/calibration/sets/{set_id}/exemplars",
        json={"title": "X", "narrative": "Y", "anchors": {"9.9": 2}},
        headers=headers,
    )
    assert bad.status_code == 400 and "9.9" in bad.get_json()["errors"]["anchors"][0]
    for level in (3, 2):
        added = as_admin.post(
            f"/api/v1/calibration/sets/{set_id}/exemplars",
            json={
                "title": f"Level {level}",
                "narrative": "A plan.",
                "url": "https://example.org/plan",
                "anchors": {code: level for code in codes},
                "anchor_level": level,
                "rationale": "Agreed.",
            },
            headers=headers,
        )
        assert added.status_code == 201, added.get_json()
        assert added.get_json()["anchors"] == {code: level for code in codes}
    got = as_admin.get(f"/api/v1/calibration/sets/{set_id}").get_json()
    assert got["draft"] and [e["anchor_level"] for e in got["exemplars"]] == [3, 2] and got["problems"] == []
    listed = as_admin.get("/api/v1/calibration/sets").get_json()
    assert [s["id"] for s in listed] == [set_id] and "exemplars" not in listed[0]
    opened = as_admin.post(f"/api/v1/calibration/sets/{set_id}/open", json={"round_title": "Autumn"}, headers=headers)
    assert opened.status_code == 201 and opened.get_json()["title"] == "Autumn"
    frozen = as_admin.post(
        f"/api/v1/calibration/sets/{set_id}/exemplars", json={"title": "Late", "narrative": "Z"}, headers=headers
    )
    assert frozen.status_code == 409


def test_api_consent_put_and_delete(client, auth, teacher, framework, make_user):
    item = evidence.add_link(teacher, "Plan", "Text.", "https://example.org", [ind(framework, "4.1").id])
    other = make_user("other@northfield.example.org")
    theirs = evidence.add_link(other, "Theirs", "Text.", "https://example.org", [ind(framework, "4.1").id])
    db.session.commit()
    sign_in(client, auth, teacher)
    headers = api_headers(client)
    path = f"/api/v1/me/evidence/{item.id}/calibration-consent"
    granted = client.put(path, headers=headers)
    assert granted.status_code == 200 and granted.get_json()["in_force"] is True
    assert client.put(path, headers=headers).get_json()["id"] == granted.get_json()["id"]
    assert client.put(f"/api/v1/me/evidence/{theirs.id}/calibration-consent", headers=headers).status_code == 404
    assert client.delete(path, headers=headers).status_code == 204
    assert db.session.scalar(select(CalibrationConsent)).withdrawn_at is not None


def test_edit_an_exemplar_replaces_and_removes_its_file(as_admin, admin, evidence_dir):
    exemplar_set = sets.create_set(admin, DOMAIN, "teacher", "Files")
    exemplar = exemplars.add_exemplar(admin, exemplar_set, "One", "Text.", filename="a.pdf", data=PDF)
    db.session.commit()
    first_name = exemplar.stored_name
    page = text(as_admin.get(f"/calibration/exemplars/{exemplar.id}/edit"))
    assert f"exemplar-{exemplar.id}.pdf" in page and "Remove the file" in page
    fields = {"title": "One", "narrative": "Text.", "anchor_level": "2"}
    replaced = post(
        as_admin,
        f"/calibration/exemplars/{exemplar.id}/edit",
        {**fields, "file": (io.BytesIO(PDF + b"\n"), "b.pdf")},
        content_type="multipart/form-data",
    )
    assert replaced.status_code == 302
    db.session.expire_all()
    exemplar = db.session.get(Exemplar, exemplar.id)
    assert exemplar.stored_name != first_name and stored(evidence_dir) == [exemplar.stored_name]
    assert exemplar.anchor_level == 2
    removed = post(as_admin, f"/calibration/exemplars/{exemplar.id}/edit", {**fields, "remove_file": "y"})
    assert removed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Exemplar, exemplar.id).stored_name is None and stored(evidence_dir) == []


def test_a_lead_validator_sees_only_sets_in_scope(client, auth, admin, lead):
    outside = sets.create_set(admin, "engagement-communication", "teacher", "Outside")
    inside = sets.create_set(admin, DOMAIN, "teacher", "Inside")
    db.session.commit()
    sign_in(client, auth, lead)
    assert [s["id"] for s in client.get("/api/v1/calibration/sets").get_json()] == [inside.id]
    assert client.get(f"/calibration/sets/{outside.id}").status_code == 404
    assert client.get(f"/api/v1/calibration/sets/{outside.id}").status_code == 404
    page = text(client.get(f"/calibration/sets/{inside.id}"))
    assert 'aria-label="Calibration"' in page and "Audit log" not in page  # their own menu, not the admin's
