"""The admin's staff pages through HTTP with a real sign-in: the list, a person, adding and editing,
roles, the roster upload (preview, apply, bad rows by line, bad files), and what the audit log keeps."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from badges.extensions import db
from badges.models import AuditEvent, District, SystemRole, User
from tests.conftest import USER_PASSWORD, csrf_token_from

HEADER = "email,name,school,professional_role,system_roles\n"


@pytest.fixture
def signed_in(auth, admin):
    assert auth.login(admin.email, USER_PASSWORD).status_code == 302
    return admin


def token(client, path="/admin/people/new") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def events(prefix: str) -> list[AuditEvent]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(prefix))))


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(User.id)))


def person_data(client, **fields):
    data = {
        "name": "Dana Teacher",
        "email": "dana@northfield.example.org",
        "school": "",
        "professional_role": "teacher",
        "system_roles": ["educator"],
        "csrf_token": token(client),
    }
    data.update(fields)
    return data


# --- the list --------------------------------------------------------------------------------------


def test_staff_list_searches_and_links_to_people(client, signed_in, make_user):
    terry = make_user("terry@northfield.example.org", name="Terry Teacher")
    make_user("vera@northfield.example.org", roles=("validator",), name="Vera Validator")
    html = client.get("/admin/people?q=TERRY").get_data(as_text=True)
    assert f'href="/admin/people/{terry.id}"' in html and "Vera Validator" not in html
    assert "1 person matches" in html
    html = client.get("/admin/people?system_role=validator").get_data(as_text=True)
    assert "Vera Validator" in html and "Terry Teacher" not in html


def test_the_admin_home_and_navigation_link_to_the_staff_list(client, signed_in):
    assert 'href="/admin/people"' in client.get("/home/admin").get_data(as_text=True)
    assert 'href="/admin/people"' in client.get("/admin/validators").get_data(as_text=True)


def test_staff_list_pages_forward_and_back(client, signed_in, make_user, district):
    for i in range(60):
        make_user(f"p{i:02d}@northfield.example.org", name=f"Person {i:02d}")
    first = client.get("/admin/people?state=active").get_data(as_text=True)
    assert "Person 00" in first and "Person 49" not in first  # Ada Admin comes first
    after = re.search(r'href="/admin/people\?after=(\d+)&amp;state=active"', first).group(1)
    second = client.get(f"/admin/people?after={after}&state=active").get_data(as_text=True)
    assert "Person 49" in second and "Person 59" in second and "Person 00" not in second
    before = re.search(r'href="/admin/people\?before=(\d+)&amp;state=active"', second).group(1)
    back = client.get(f"/admin/people?before={before}&state=active").get_data(as_text=True)
    assert "Person 00" in back and "Person 49" not in back


@pytest.mark.parametrize(
    "query,field",
    [("school=999999", "school"), ("role=wizard", "role"), ("system_role=king", "system_role"), ("state=x", "state")],
)
def test_a_bad_filter_answers_400_naming_it(client, signed_in, query, field):
    response = client.get(f"/admin/people?{query}")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_a_page_link_for_another_districts_person_is_refused(client, signed_in, framework, make_user):
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    stranger = make_user("s@southfield.example.org", in_district=other, name="Sam South")
    response = client.get(f"/admin/people?after={stranger.id}")
    assert response.status_code == 400 and "out of date" in response.get_data(as_text=True)
    assert client.get(f"/admin/people/{stranger.id}").status_code == 404
    assert client.get(f"/admin/people/{stranger.id}/edit").status_code == 404
    assert "Sam South" not in client.get("/admin/people?q=sam").get_data(as_text=True)
    assert client.get("/admin/people/search?q=sam").get_json() == {"people": []}


def test_the_search_endpoint_suggests_up_to_twenty(client, signed_in, make_user):
    for i in range(25):
        make_user(f"v{i:02d}@northfield.example.org", roles=("validator",), name=f"Val {i:02d}")
    found = client.get("/admin/people/search?q=val&role=validator").get_json()["people"]
    assert len(found) == 20 and found[0]["name"] == "Val 00"
    assert client.get("/admin/people/search?role=king").status_code == 400


# --- one person ------------------------------------------------------------------------------------


def test_add_a_person_audited(client, signed_in, district):
    school = district.schools[0]
    response = client.post("/admin/people/new", data=person_data(client, school=str(school.id)))
    assert response.status_code == 302
    dana = db.session.scalar(select(User).where(User.email == "dana@northfield.example.org"))
    assert response.headers["Location"] == f"/admin/people/{dana.id}"
    assert (dana.school_id, dana.professional_role, dana.system_roles) == (school.id, "teacher", {SystemRole.EDUCATOR})
    assert dana.password_hash is None
    [event] = events("account.created")
    assert event.actor_id == signed_in.id and event.subject_id == dana.id and "Dana Teacher" in event.summary
    page = client.get(f"/admin/people/{dana.id}").get_data(as_text=True)
    assert "No password, not invited" in page and "never" in page
    assert "account actions: written by the accounts branch" not in page  # a Jinja comment renders nothing


def test_adding_shows_every_field_error_and_writes_nothing(client, signed_in, admin):
    before = user_count()
    data = person_data(client, name="  ", email=admin.email, professional_role="wizard", school="999999")
    response = client.post("/admin/people/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count('aria-invalid="true"') >= 1
    assert "school" in html and "Choose one of the schools" in html
    assert user_count() == before and events("account.") == []
    data = person_data(client, name="  ", email=admin.email, professional_role="wizard")
    html = client.post("/admin/people/new", data=data).get_data(as_text=True)
    assert "name is empty" in html and "already used by another account" in html and "wizard" in html


def test_edit_details_and_give_the_validator_role(client, signed_in, make_user):
    terry = make_user("terry@northfield.example.org", name="Terry Teacher")
    path = f"/admin/people/{terry.id}/edit"
    data = person_data(
        client,
        name="Terry Teach",
        email="terry@northfield.example.org",
        system_roles=["educator", "validator"],
        csrf_token=token(client, path),
    )
    response = client.post(path, data=data)
    assert response.status_code == 302
    db.session.rollback()
    terry = db.session.get(User, terry.id)
    assert terry.name == "Terry Teach" and terry.system_roles == {SystemRole.EDUCATOR, SystemRole.VALIDATOR}
    [changed] = events("account.updated")
    assert "Terry Teacher → Terry Teach" in changed.summary
    [roles] = events("account.roles_changed")
    assert "gave Validator" in roles.summary and roles.actor_id == signed_in.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved Terry Teach" in page and "Educator, Validator" in page


def test_an_admin_cannot_remove_their_own_admin_role(client, signed_in):
    path = f"/admin/people/{signed_in.id}/edit"
    data = person_data(
        client,
        name="Ada Admin",
        email=signed_in.email,
        professional_role="",
        system_roles=["educator"],
        csrf_token=token(client, path),
    )
    response = client.post(path, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "cannot remove your own admin role" in html
    db.session.rollback()
    assert db.session.get(User, signed_in.id).has_role(SystemRole.ADMIN)
    assert events("account.") == []


def test_sign_out_everywhere_from_the_person_page(client, signed_in, make_user):
    terry = make_user("terry@northfield.example.org", name="Terry Teacher")
    page = client.get(f"/admin/people/{terry.id}").get_data(as_text=True)
    action = f"/admin/people/{terry.id}/sign-out-everywhere"
    assert f'action="{action}"' in page
    response = client.post(action, data={"csrf_token": csrf_token_from(page), "back": "person"})
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/people/{terry.id}"
    assert len(events("account.signed_out_everywhere")) == 1


# --- the roster upload -----------------------------------------------------------------------------


def upload(client, content: bytes | str, name="roster.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/admin/people/import",
        data={"csrf_token": token(client, "/admin/people/import"), "roster": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def carried(html: str) -> str:
    return re.search(r'name="roster" value="([^"]+)"', html).group(1)


def test_roster_preview_then_apply(client, signed_in, make_user, district):
    make_user("terry@northfield.example.org", name="Terry Teacher")
    roster = HEADER + (
        "dana@northfield.example.org,Dana New,north,teacher,educator\n"
        "terry@northfield.example.org,Terry Teacher,north,teacher,educator;validator\n"
    )
    before = user_count()
    preview = upload(client, roster)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "1 to add, 1 to change, 0 already up to date" in html
    assert "Dana New" in html and "system roles Educator → Educator, Validator" in html
    assert "Import 2 people" in html
    assert user_count() == before and events("roster.") == []
    response = client.post(
        "/admin/people/import/apply", data={"csrf_token": csrf_token_from(html), "roster": carried(html)}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/people"
    assert user_count() == before + 1
    assert {e.action for e in events("roster.")} == {"roster.imported", "roster.updated"}
    assert "1 added, 1 changed" in client.get("/admin/people").get_data(as_text=True)


def test_roster_bad_rows_listed_by_line_and_nothing_written(client, signed_in):
    roster = HEADER + (
        "ok@northfield.example.org,Fine Person,,teacher,\n"
        "not-an-email,Someone,,teacher,\n"
        "x@northfield.example.org,Someone,nowhere,teacher,\n"
    )
    before = user_count()
    response = upload(client, roster)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    text = html.replace("&#39;", "'")
    assert "<td>3</td><td>email 'not-an-email' is not an email address</td>" in text
    assert "<td>4</td><td>school 'nowhere' is not a school of district 'northfield'</td>" in text
    assert "/admin/people/import/apply" not in html  # no apply button
    assert user_count() == before


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"\xff\xfe\x00b", "roster.csv", "not UTF-8"),
        (b"%PDF-1.4", "roster.pdf", "not a CSV file"),
        ("name,email\nA,a@x.org\n", "roster.csv", "missing column"),
        (b"", "roster.csv", "no header"),
    ],
)
def test_a_bad_roster_file_is_a_clear_400(client, signed_in, content, name, message):
    before = user_count()
    response = upload(client, content, name)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert user_count() == before


def test_a_too_big_roster_is_refused(client, signed_in, monkeypatch):
    from badges.web import people_import

    monkeypatch.setattr(people_import, "MAX_UPLOAD_BYTES", 100)
    response = upload(client, HEADER + "a@northfield.example.org,A,,teacher,\n" * 5)
    assert response.status_code == 400 and "larger than" in response.get_data(as_text=True)


def test_a_tampered_carried_roster_is_refused(client, signed_in):
    html = upload(client, HEADER + "dana@northfield.example.org,Dana,,teacher,\n").get_data(as_text=True)
    forged = carried(html)[:-2] + "xx"
    before = user_count()
    response = client.post("/admin/people/import/apply", data={"csrf_token": csrf_token_from(html), "roster": forged})
    assert response.status_code == 400 and "out of date or was changed" in response.get_data(as_text=True)
    assert user_count() == before


def test_apply_validates_again(client, signed_in, make_user, framework):
    html = upload(client, HEADER + "dana@northfield.example.org,Dana,,teacher,\n").get_data(as_text=True)
    # Meanwhile the address is taken in another district.
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    make_user("dana@northfield.example.org", in_district=other)
    before = user_count()
    response = client.post(
        "/admin/people/import/apply", data={"csrf_token": csrf_token_from(html), "roster": carried(html)}
    )
    assert response.status_code == 400 and "belongs to a user of another district" in response.get_data(as_text=True)
    assert user_count() == before and events("roster.") == []


def test_a_roster_cannot_take_the_admins_own_admin_role(client, signed_in):
    response = upload(client, HEADER + f"{signed_in.email},Ada Admin,,,educator\n")
    assert response.status_code == 400 and "remove your own admin role" in response.get_data(as_text=True)


def test_school_list_of_the_import_page(client, signed_in, district):
    assert "<code>north</code>" in client.get("/admin/people/import").get_data(as_text=True)


# --- pickers that search ---------------------------------------------------------------------------


def test_the_conflict_form_lists_at_most_twenty_and_searches(client, signed_in, make_user):
    for i in range(25):
        make_user(f"e{i:02d}@northfield.example.org", name=f"Educator {i:02d}")
    vera = make_user("vera@northfield.example.org", roles=("validator",), name="Vera Validator")
    page = client.get("/admin/conflicts").get_data(as_text=True)
    assert "Educator 19" in page and "Educator 20" not in page and "search to narrow" in page
    page = client.get("/admin/conflicts?educator_q=educator%2024&validator_q=vera").get_data(as_text=True)
    assert "Educator 24" in page and "Educator 00" not in page
    late = db.session.scalar(select(User).where(User.name == "Educator 24"))
    data = {"validator": str(vera.id), "educator": str(late.id), "reason": "", "csrf_token": csrf_token_from(page)}
    refused = client.post("/admin/conflicts", data=data)  # no reason: the chosen people stay chosen
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and f'<option selected value="{late.id}">' in html
    assert client.post("/admin/conflicts", data={**data, "reason": "Sister"}).status_code == 302


def test_the_validators_page_searches(client, signed_in, make_user):
    make_user("vera@northfield.example.org", roles=("validator",), name="Vera Validator")
    make_user("val@northfield.example.org", roles=("validator",), name="Val Other")
    page = client.get("/admin/validators?q=vera").get_data(as_text=True)
    assert "Vera Validator" in page and "Val Other" not in page


# --- the audit log ---------------------------------------------------------------------------------


def test_audit_log_by_person_and_days_names_people_and_exports_the_same(client, signed_in, make_user, district):
    from datetime import datetime

    from badges import audit

    terry = make_user("terry@northfield.example.org", name="Terry Teacher")
    old = audit.record(district, terry, "claim.submitted", terry, "Old event.")
    old.occurred_at = datetime(2026, 1, 5, 9, 30)
    audit.record(district, signed_in, "account.updated", terry, "Recent event by the admin.")
    db.session.commit()
    page = client.get(f"/admin/audit?actor={terry.id}").get_data(as_text=True)
    assert "Old event." in page and "Recent event" not in page
    assert "5 Jan 2026, 09:30 UTC" in page
    assert f'href="/admin/people/{terry.id}">Terry Teacher</a>' in page  # the subject by name
    page = client.get("/admin/audit?who=terry").get_data(as_text=True)  # one match: filtered by them
    assert "Old event." in page and "Recent event" not in page
    page = client.get("/admin/audit?from=2026-01-01&to=2026-01-31").get_data(as_text=True)
    assert "Old event." in page and "Recent event" not in page
    csv_text = client.get(f"/admin/audit.csv?actor={signed_in.id}").get_data(as_text=True)
    assert "Recent event" in csv_text and "Old event." not in csv_text
    csv_text = client.get("/admin/audit.csv?to=2026-01-31").get_data(as_text=True)
    assert "Old event." in csv_text and "Recent event" not in csv_text


@pytest.mark.parametrize("query", ["from=2026-13-01", "to=yesterday", "from=2026-02-01&to=2026-01-01", "actor=999999"])
def test_bad_audit_filters_are_400(client, signed_in, query):
    assert client.get(f"/admin/audit?{query}").status_code == 400
    assert client.get(f"/admin/audit.csv?{query}").status_code == 400


def test_the_command_line_sets_roles_through_the_same_operation(runner, make_user):
    terry = make_user("terry@northfield.example.org", name="Terry Teacher")
    result = runner.invoke(
        args=["user", "set-roles", terry.email, "--system-role", "educator", "--system-role", "school_leader"]
    )
    assert result.exit_code == 0 and "gave School leader" in result.output
    db.session.rollback()
    assert db.session.get(User, terry.id).system_roles == {SystemRole.EDUCATOR, SystemRole.SCHOOL_LEADER}
    [event] = events("account.roles_changed")
    assert event.actor_id is None and event.actor_label == "command line"


def test_a_roster_beyond_the_form_field_limit_is_carried_to_apply(app, client, signed_in):
    import random
    import string

    # The carried file is one form field, beyond Flask's limit for one (MAX_FORM_MEMORY_SIZE, 500 kB by
    # default, here 20 kB so that the test's own upload stays small): the apply step makes room for it.
    app.config["MAX_FORM_MEMORY_SIZE"] = 20_000
    rng = random.Random(7)
    lines = [
        f"p{i}@northfield.example.org,{''.join(rng.choices(string.ascii_letters, k=190))},,teacher," for i in range(300)
    ]
    preview = upload(client, HEADER + "\n".join(lines) + "\n")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[html.find("<main") :][:600]
    assert len(carried(html)) > 20_000
    before = user_count()
    response = client.post(
        "/admin/people/import/apply", data={"csrf_token": csrf_token_from(html), "roster": carried(html)}
    )
    assert response.status_code == 302 and user_count() == before + 300
