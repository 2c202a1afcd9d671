"""The educator's badge claims over HTTP: the pages under /educator/claims and the API under /api/v1/me.

Every refusal is checked for its status, a message naming the problem, and nothing saved.
Validators' decisions are made by calling the domain directly, as the review pages are not ours.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from badges.catalogue.badge_classes import role_indicators
from badges.catalogue.loading import install_framework
from badges.extensions import db
from badges.frameworks.loader import read_framework_file
from badges.models import (
    AuditEvent,
    BadgeClass,
    Claim,
    ClaimRevision,
    Domain,
    EvidenceItem,
    EvidenceKind,
    ProfessionalRole,
)
from badges.people.scope import set_scope
from badges.resources import default_framework_file
from badges.validation import claims
from badges.validation.reviews import decide
from tests.conftest import USER_PASSWORD, api_headers, csrf_token_from

API = "/api/v1/me"
PAGES = "/educator/claims"
DOMAIN = "delivery-operations"


def login(auth, user) -> None:
    assert auth.login(user.email, USER_PASSWORD).status_code == 302


def item_of(user, title="Exit tickets") -> EvidenceItem:
    item = EvidenceItem(
        user=user,
        kind=EvidenceKind.LINK,
        url="https://example.org/" + title.replace(" ", "-"),
        title=title,
        narrative=f"What {title.lower()} showed about pacing.",
    )
    db.session.add(item)
    db.session.commit()
    return item


def badge(framework, level=3, role="teacher") -> BadgeClass:
    return db.session.scalar(
        select(BadgeClass)
        .join(Domain, BadgeClass.domain_id == Domain.id)
        .join(ProfessionalRole)
        .where(
            BadgeClass.framework_id == framework.id,
            Domain.code == DOMAIN,
            BadgeClass.level == level,
            ProfessionalRole.code == role,
        )
    )


def claim_of(user, badge_class, items, statement="My exit tickets show pacing by evidence.") -> Claim:
    claim = claims.create_claim(user, badge_class.id, statement, [i.id for i in items])
    db.session.commit()
    return claim


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture(autouse=True)
def mail_kept(outbox):
    """Every test here keeps the mail (the log sender would create the app's logger)."""
    return outbox


@pytest.fixture
def validator(make_user):
    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None)
    person = make_user("val@northfield.example.org", roles=("validator",), professional_role=None, name="Vera Val")
    set_scope(admin, person, [DOMAIN], ["teacher"], [], True)
    db.session.commit()
    return person


def judge(validator, claim, decision, feedback="Add student work samples.", ratings=None):
    outcome = decide(validator, claim.id, decision, feedback, ratings or {})
    db.session.commit()
    return outcome


def post_page(client, page_url, action, data):
    token = csrf_token_from(client.get(page_url).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **data})


# -- claiming ------------------------------------------------------------------------------


def test_claim_through_the_page(client, auth, teacher, framework):
    item = item_of(teacher)
    wanted = badge(framework)
    login(auth, teacher)
    page = client.get(f"{PAGES}/new?badge_class={wanted.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Submit claim" in html and '<label for="badge_class">Badge</label>' in html
    assert (
        '<optgroup label="Delivery' in html
        and f'<option selected value="{wanted.id}">Delivery and Operations: Experienced (3)' in html
    )
    assert wanted.criteria.splitlines()[0][:40] in html  # the preselected badge's criteria
    assert f'<h2 id="criteria-heading">{wanted.name}</h2>' in html and 'enctype="multipart/form-data"' in html
    assert "Evidence that supports the claim" in html and "Exit tickets" in html
    response = post_page(
        client,
        f"{PAGES}/new",
        f"{PAGES}/new",
        {"badge_class": wanted.id, "statement": "Pacing by evidence, every week.", "evidence": [item.id]},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{PAGES}/{db.session.scalar(select(Claim.id))}")
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert wanted.name in shown and "Awaiting review" in shown and "Pacing by evidence" in shown
    assert "Exit tickets" in shown and "Withdraw claim…" in shown and "Resubmit claim" not in shown
    assert 'class="danger-secondary">Withdraw claim…' in shown
    listing = client.get(f"{PAGES}/").get_data(as_text=True)
    assert wanted.name in listing and "Claim a badge" in listing and ">Badges</a>" in listing


def test_new_page_without_evidence_says_so(client, auth, teacher, framework):
    login(auth, teacher)
    html = client.get(f"{PAGES}/new").get_data(as_text=True)
    assert "You have no evidence yet" in html and 'href="/educator/evidence/"' in html


def test_claim_through_the_api(client, auth, teacher, framework):
    item = item_of(teacher)
    login(auth, teacher)
    offered = client.get(f"{API}/badge-classes").get_json()
    assert offered and {b["role"] for b in offered} == {"teacher"}
    first = next(b for b in offered if b["domain"]["code"] == DOMAIN and b["level"] == 3)
    assert first["level_name"] == "Experienced" and "Experienced (3)" in first["criteria"]
    assert first["image_url"].endswith(f"/badge-classes/{first['id']}/image.svg")
    response = client.post(
        f"{API}/claims",
        json={"badge_class": first["id"], "statement": "Weekly pacing.", "evidence": [item.id]},
        headers=api_headers(client),
    )
    body = response.get_json()
    assert response.status_code == 201, body
    assert body["status"] == "submitted" and body["approvals_required"] == 1 and body["award"] is None
    (revision,) = body["revisions"]
    assert (revision["number"], revision["statement"], revision["evidence"], body["reviews"]) == (
        1,
        "Weekly pacing.",
        [{"id": item.id, "title": "Exit tickets"}],
        [],
    ) and revision["submitted_at"]
    assert [c["id"] for c in client.get(f"{API}/claims").get_json()] == [body["id"]]
    assert client.get(f"{API}/claims/{body['id']}").get_json()["badge_class"]["name"] == first["name"]


def _bad_cases(framework, teacher, make_user):
    item = item_of(teacher)
    others = item_of(make_user("other@northfield.example.org"), "Not mine")
    data = read_framework_file(default_framework_file())
    data["version"] = "2.0"
    elsewhere = badge(install_framework(data).framework)
    db.session.commit()
    good = {"badge_class": badge(framework).id, "statement": "Weekly pacing.", "evidence": [item.id]}
    return (
        item,
        good,
        {
            "no badge": ({"badge_class": None}, "badge_class", "Choose the badge"),
            "another role's badge": ({"badge_class": badge(framework, role="school-leader").id}, "badge_class", "role"),
            "another framework's badge": ({"badge_class": elsewhere.id}, "badge_class", "There is no badge"),
            "no such badge": ({"badge_class": 999999}, "badge_class", "There is no badge"),
            "empty statement": ({"statement": "   "}, "statement", "Say why"),
            "no evidence": ({"evidence": []}, "evidence", "at least one"),
            "another educator's evidence": ({"evidence": [others.id]}, "evidence", "Not evidence in your portfolio"),
            "duplicate open claim": ({}, "badge_class", "already have an open claim"),
        },
    )


CASES = [
    "no badge",
    "another role's badge",
    "another framework's badge",
    "no such badge",
    "empty statement",
    "no evidence",
    "another educator's evidence",
    "duplicate open claim",
]


@pytest.mark.parametrize("via", ["page", "api"])
@pytest.mark.parametrize("case", CASES)
def test_bad_claims_are_refused_with_a_message_and_nothing_saved(
    client, auth, teacher, framework, make_user, via, case
):
    item, good, cases = _bad_cases(framework, teacher, make_user)
    change, field, words = cases[case]
    if case == "duplicate open claim":
        claim_of(teacher, badge(framework), [item])
    before = (count(Claim), count(ClaimRevision))
    login(auth, teacher)
    body = {**good, **change}
    if via == "api":
        response = client.post(f"{API}/claims", json=body, headers=api_headers(client))
        assert response.status_code == 400 and words in " ".join(response.get_json()["errors"][field])
    else:
        form = {**body, "badge_class": "" if body["badge_class"] is None else body["badge_class"]}
        response = post_page(client, f"{PAGES}/new", f"{PAGES}/new", form)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and "The claim was not submitted" in html
        assert re.search(rf'id="{field}-errors"[^>]*>.*?{re.escape(words)}', html, re.S)
    assert (count(Claim), count(ClaimRevision)) == before


@pytest.mark.parametrize(
    "body",
    [
        {"statement": "x", "evidence": [1]},
        {},
        {"badge_class": "abc", "statement": "x", "evidence": [1]},
        {"badge_class": 1, "statement": "x", "evidence": "1,2"},
    ],
)
def test_malformed_json_is_422(client, auth, teacher, framework, body):
    login(auth, teacher)
    response = client.post(f"{API}/claims", json=body, headers=api_headers(client))
    assert response.status_code == 422 and response.get_json()["errors"]
    assert count(Claim) == 0


# -- one's own claims only -----------------------------------------------------------------


def test_another_educator_gets_404_on_my_claim(client, auth, teacher, framework, make_user):
    claim = claim_of(teacher, badge(framework), [item_of(teacher)])
    other = make_user("other@northfield.example.org")
    login(auth, other)
    headers = api_headers(client)
    assert client.get(f"{PAGES}/{claim.id}").status_code == 404
    for action, body in (("resubmit", {"statement": "x", "evidence": [1]}), ("withdraw", {"reason": "x"})):
        assert post_page(client, f"{PAGES}/new", f"{PAGES}/{claim.id}/{action}", body).status_code == 404
        assert client.post(f"{API}/claims/{claim.id}/{action}", json=body, headers=headers).status_code == 404
    assert client.get(f"{API}/claims/{claim.id}").status_code == 404
    assert client.get(f"{API}/claims").get_json() == []
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status.value == "submitted"


# -- returned, resubmitted, withdrawn ----------------------------------------------------------


def test_resubmit_on_the_page_only_when_returned_and_history_kept(client, auth, teacher, framework, validator):
    first, second = item_of(teacher), item_of(teacher, "Student portfolios")
    claim = claim_of(teacher, badge(framework), [first], statement="First try.")
    login(auth, teacher)
    early = post_page(
        client, f"{PAGES}/{claim.id}", f"{PAGES}/{claim.id}/resubmit", {"statement": "Again.", "evidence": [first.id]}
    )
    assert early.status_code == 409 and "Only a claim returned" in early.get_data(as_text=True)
    indicator = role_indicators(claim.badge_class)[0]
    judge(validator, claim, "return", ratings={indicator.id: 2})
    html = client.get(f"{PAGES}/{claim.id}").get_data(as_text=True)
    assert "Returned for more evidence" in html and "Add student work samples." in html and "Vera Val" in html
    assert "Revise and resubmit" in html and "Resubmit claim" in html
    assert re.search(r'id="statement"[^>]*>\s*First try.</textarea>', html)  # prefilled from revision 1
    assert re.search(rf'<input checked id="evidence-\d+" name="evidence" type="checkbox" value="{first.id}">', html)
    assert f"<strong>{indicator.code}</strong> {indicator.text}" in html and "Novice (2)" in html
    empty = post_page(client, f"{PAGES}/{claim.id}", f"{PAGES}/{claim.id}/resubmit", {"statement": " "})
    assert empty.status_code == 400 and "Say why" in empty.get_data(as_text=True) and count(ClaimRevision) == 1
    response = post_page(
        client,
        f"{PAGES}/{claim.id}",
        f"{PAGES}/{claim.id}/resubmit",
        {"statement": "With samples now.", "evidence": [first.id, second.id]},
    )
    assert response.status_code == 302
    html = client.get(f"{PAGES}/{claim.id}").get_data(as_text=True)
    assert "Revision 1" in html and "Revision 2" in html and "First try." in html and "With samples now." in html
    assert "Awaiting review" in html and "Student portfolios" in html and "Resubmit claim" not in html


def test_resubmit_through_the_api_only_when_returned(client, auth, teacher, framework, validator):
    item = item_of(teacher)
    claim = claim_of(teacher, badge(framework), [item], statement="First try.")
    login(auth, teacher)
    headers = api_headers(client)
    url = f"{API}/claims/{claim.id}/resubmit"
    early = client.post(url, json={"statement": "Again.", "evidence": [item.id]}, headers=headers)
    assert early.status_code == 409 and "Only a claim returned" in early.get_json()["message"]
    indicator = role_indicators(claim.badge_class)[0]
    judge(validator, claim, "return", "Add samples.", {indicator.id: 2})
    assert client.post(url, json={"statement": "Again."}, headers=headers).status_code == 422
    bad = client.post(url, json={"statement": "", "evidence": [item.id]}, headers=headers)
    assert bad.status_code == 400 and "statement" in bad.get_json()["errors"] and count(ClaimRevision) == 1
    response = client.post(url, json={"statement": "With samples.", "evidence": [item.id]}, headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "submitted" and [r["number"] for r in body["revisions"]] == [1, 2]
    assert [r["statement"] for r in body["revisions"]] == ["First try.", "With samples."]
    review = body["reviews"][0]
    assert (review["decision"], review["feedback"], review["validator"], review["revision"]) == (
        "return",
        "Add samples.",
        "Vera Val",
        1,
    )
    assert review["ratings"] == [{"indicator": indicator.code, "level": 2}] and review["created_at"]


def test_withdraw_on_the_page_and_through_the_api(client, auth, teacher, framework):
    item = item_of(teacher)
    on_page = claim_of(teacher, badge(framework), [item])
    by_api = claim_of(teacher, badge(framework, level=2), [item])
    login(auth, teacher)
    asked = post_page(client, f"{PAGES}/{on_page.id}", f"{PAGES}/{on_page.id}/withdraw", {"reason": "Too soon."})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Withdraw this claim?" in html and "“Too soon.”" in html
    assert '<input type="hidden" name="reason" value="Too soon.">' in html and 'class="danger">Withdraw claim<' in html
    db.session.expire_all()
    assert db.session.get(Claim, on_page.id).status.value == "submitted"  # asking changed nothing
    response = post_page(
        client,
        f"{PAGES}/{on_page.id}",
        f"{PAGES}/{on_page.id}/withdraw",
        {"reason": "Too soon.", "confirmed": "yes"},
    )
    assert response.status_code == 302
    reason = db.session.scalar(select(AuditEvent.reason).where(AuditEvent.action == "claim.withdrawn"))
    assert reason == "Too soon."  # the typed reason survived the confirmation step
    html = client.get(f"{PAGES}/{on_page.id}").get_data(as_text=True)
    assert "Withdrawn" in html and "Withdraw claim" not in html
    again = post_page(client, f"{PAGES}/{by_api.id}", f"{PAGES}/{on_page.id}/withdraw", {})
    assert again.status_code == 409 and "can no longer be withdrawn" in again.get_data(as_text=True)
    headers = api_headers(client)
    withdrawn = client.post(f"{API}/claims/{by_api.id}/withdraw", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert client.post(f"{API}/claims/{by_api.id}/withdraw", json={}, headers=headers).status_code == 409


def test_evidence_a_claim_cites_cannot_be_deleted(client, auth, teacher, framework):
    item = item_of(teacher)
    claim_of(teacher, badge(framework), [item])
    login(auth, teacher)
    page = post_page(client, f"/educator/evidence/{item.id}", f"/educator/evidence/{item.id}/delete", {})
    assert page.status_code == 409 and "cannot be deleted" in page.get_data(as_text=True)
    api = client.delete(f"{API}/evidence/{item.id}", headers=api_headers(client))
    assert api.status_code == 409 and "cannot be deleted" in api.get_json()["message"]
    assert count(EvidenceItem) == 1


# -- awards and notifications --------------------------------------------------------------


def test_awards_and_notifications(client, auth, teacher, framework, validator, outbox):
    won = badge(framework)
    claim = claim_of(teacher, won, [item_of(teacher)])
    award = judge(validator, claim, "approve", "Clear.", {ind.id: 3 for ind in role_indicators(won)}).award
    login(auth, teacher)
    awards = client.get(f"{API}/awards").get_json()
    assert [(a["id"], a["claim"], a["badge_class"]["id"]) for a in awards] == [(award.id, claim.id, won.id)]
    detail = client.get(f"{API}/claims/{claim.id}").get_json()
    assert detail["status"] == "approved" and detail["award"]["id"] == award.id
    notes = client.get(f"{API}/notifications").get_json()
    assert len(notes) == 1 and notes[0]["claim"] == claim.id and "approved" in notes[0]["message"]
    assert [(m.to, m.subject) for m in outbox] == [(teacher.email, f"Your badge claim: {won.name}")]
    html = client.get(f"{PAGES}/").get_data(as_text=True)
    assert f'<img src="/badge-classes/{won.id}/image.svg" alt=""' in html and "Mark all as read" in html
    assert client.post(f"{API}/notifications/read", headers=api_headers(client)).status_code == 204
    assert client.get(f"{API}/notifications").get_json() == []
    assert "Mark all as read" not in client.get(f"{PAGES}/").get_data(as_text=True)


def test_notifications_marked_read_on_the_page(client, auth, teacher, framework, validator):
    claim = claim_of(teacher, badge(framework), [item_of(teacher)])
    judge(validator, claim, "return")
    login(auth, teacher)
    assert "was returned for more evidence" in client.get(f"{PAGES}/").get_data(as_text=True)
    response = post_page(client, f"{PAGES}/", f"{PAGES}/notifications/read", {})
    assert response.status_code == 302 and response.headers["Location"].endswith("/home/educator")
    assert client.get(f"{API}/notifications").get_json() == []


# -- new evidence in the claim form, unchanged resubmissions ---------------------------------

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def post_multipart(client, url, data, action=None):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(action or url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def stored_files(app) -> set[str]:
    from pathlib import Path

    return {p.name for p in Path(app.config["EVIDENCE_STORAGE_DIR"]).iterdir()}


def test_claim_with_a_new_file_attached_in_the_form(app, client, auth, teacher, framework):
    import io

    wanted = badge(framework)
    login(auth, teacher)
    response = post_multipart(
        client,
        f"{PAGES}/new",
        {
            "badge_class": str(wanted.id),
            "statement": "My unit plan shows pacing by evidence.",
            "new_file": (io.BytesIO(PDF), "unit-plan.pdf"),
            "new_title": "Unit plan",
            "new_narrative": "How the unit moves at each student's pace.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    claim = db.session.scalar(select(Claim))
    (item,) = claim.current.evidence
    assert (item.title, item.kind, item.original_filename) == ("Unit plan", EvidenceKind.FILE, "unit-plan.pdf")
    assert {ind.id for ind in item.indicators} == {ind.id for ind in role_indicators(wanted)}
    assert item.stored_name in stored_files(app)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "with your new evidence “Unit plan”" in shown and "Unit plan" in shown


def test_claim_with_a_new_link_and_chosen_evidence(client, auth, teacher, framework):
    old = item_of(teacher)
    login(auth, teacher)
    response = post_multipart(
        client,
        f"{PAGES}/new",
        {
            "badge_class": str(badge(framework).id),
            "statement": "Both show it.",
            "evidence": str(old.id),
            "new_url": "https://example.org/flex-schedule",
            "new_title": "Flex schedule",
            "new_narrative": "Students stay on pace.",
        },
    )
    assert response.status_code == 302
    assert [i.title for i in db.session.scalar(select(Claim)).current.evidence] == ["Exit tickets", "Flex schedule"]


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"statement": ""}, "statement", "Say why"),  # the claim fails: the new file must go too
        ({"new_title": ""}, "new_title", "Give the evidence a title"),  # the evidence fails
        ({"new_url": "https://example.org/x"}, "new_url", "not both"),
        ({"badge_class": "999999"}, "badge_class", "There is no badge"),
    ],
)
def test_a_refused_claim_leaves_no_new_evidence_or_file(app, client, auth, teacher, framework, change, field, words):
    import io

    login(auth, teacher)
    before = stored_files(app)
    data = {
        "badge_class": str(badge(framework).id),
        "statement": "It shows it.",
        "new_file": (io.BytesIO(PDF), "plan.pdf"),
        "new_title": "Plan",
        "new_narrative": "What it shows.",
        **change,
    }
    response = post_multipart(client, f"{PAGES}/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "The claim was not submitted" in html
    assert re.search(rf'id="{field}-errors"[^>]*>.*?{re.escape(words)}', html, re.S), html[html.find("<main") :]
    assert "choose the file again" in html
    assert (count(Claim), count(EvidenceItem)) == (0, 0)
    assert stored_files(app) == before  # the stored file went with the rollback


def test_new_evidence_needs_a_file_or_a_link(client, auth, teacher, framework):
    login(auth, teacher)
    response = post_multipart(
        client,
        f"{PAGES}/new",
        {"badge_class": str(badge(framework).id), "statement": "It shows it.", "new_title": "Plan"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose a file or give a web address" in html
    assert "Choose at least one item" not in html  # the new item was the evidence meant
    assert (count(Claim), count(EvidenceItem)) == (0, 0)


def test_an_unchanged_resubmission_is_refused_on_the_page(client, auth, teacher, framework, validator):
    item = item_of(teacher)
    claim = claim_of(teacher, badge(framework), [item], statement="First try.")
    judge(validator, claim, "return")
    login(auth, teacher)
    response = post_page(
        client,
        f"{PAGES}/{claim.id}",
        f"{PAGES}/{claim.id}/resubmit",
        {"statement": "First try.", "evidence": [item.id]},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "The claim was not resubmitted" in html
    assert re.search(r'id="statement-errors"[^>]*>.*?Nothing has changed since the validator returned', html, re.S)
    assert re.search(r'id="statement"[^>]*>\s*First try.</textarea>', html)  # what was posted stays
    assert count(ClaimRevision) == 1
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).status.value == "returned"


def test_withdrawing_a_decided_claim_is_refused_before_asking(client, auth, teacher, framework):
    claim = claim_of(teacher, badge(framework), [item_of(teacher)])
    login(auth, teacher)
    assert (
        post_page(client, f"{PAGES}/{claim.id}", f"{PAGES}/{claim.id}/withdraw", {"confirmed": "yes"}).status_code
        == 302
    )
    again = post_page(client, f"{PAGES}/{claim.id}", f"{PAGES}/{claim.id}/withdraw", {})
    assert again.status_code == 409 and "Withdraw this claim?" not in again.get_data(as_text=True)
    bad = post_page(client, f"{PAGES}/{claim.id}", f"{PAGES}/{claim.id}/withdraw", {"reason": "x" * 2001})
    assert bad.status_code in (400, 409)


def test_resubmitting_with_a_new_file_attached(app, client, auth, teacher, framework, validator):
    import io

    item = item_of(teacher)
    claim = claim_of(teacher, badge(framework), [item], statement="First try.")
    judge(validator, claim, "return")
    login(auth, teacher)
    page = client.get(f"{PAGES}/{claim.id}").get_data(as_text=True)
    assert "Add new evidence" in page and 'enctype="multipart/form-data"' in page
    before = stored_files(app)
    refused = post_multipart(
        client,
        f"{PAGES}/{claim.id}",
        {"statement": "", "evidence": str(item.id), "new_file": (io.BytesIO(PDF), "samples.pdf"), "new_title": "S"},
        action=f"{PAGES}/{claim.id}/resubmit",
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Say why" in html and "choose the file again" in html
    assert count(EvidenceItem) == 1 and stored_files(app) == before
    response = post_multipart(
        client,
        f"{PAGES}/{claim.id}",
        {
            "statement": "First try.",  # unchanged, but the new evidence is a change
            "evidence": str(item.id),
            "new_file": (io.BytesIO(PDF), "samples.pdf"),
            "new_title": "Student work samples",
            "new_narrative": "Three students' work across the unit.",
        },
        action=f"{PAGES}/{claim.id}/resubmit",
    )
    assert response.status_code == 302
    db.session.expire_all()
    revision = db.session.get(Claim, claim.id).current
    assert revision.number == 2 and [i.title for i in revision.evidence] == ["Exit tickets", "Student work samples"]
    assert "with your new evidence" in client.get(f"{PAGES}/{claim.id}").get_data(as_text=True)
