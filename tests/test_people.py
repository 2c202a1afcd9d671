"""Creating districts, schools and users, and the demo district."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from badges.extensions import db
from badges.models import District, School, SystemRole, User
from badges.people import operations as ops
from badges.people.demo import DEMO_PASSWORD, seed_demo_district
from badges.people.operations import PeopleError

GOOD_PASSWORD = "correct-horse-battery"


@pytest.fixture
def district(app, framework):
    district = ops.create_district("north", "North District", framework)
    db.session.commit()
    return district


@pytest.fixture
def school(district):
    school = ops.create_school(district, "north-high", "North High School")
    db.session.commit()
    return school


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- districts and schools ---------------------------------------------------------------


def test_create_district_and_school(district, framework):
    school = ops.create_school(district, "lincoln-elementary", "  Lincoln Elementary  ")
    assert district.framework is framework
    assert (school.district, school.slug, school.name) == (district, "lincoln-elementary", "Lincoln Elementary")


def test_district_without_framework(app):
    assert ops.create_district("bare", "Bare District").framework is None


@pytest.mark.parametrize(
    "slug", ["North", "north_district", "north district", "-north", "north-", "a--b", "", "x" * 81]
)
def test_bad_slug_is_refused_naming_the_field(app, slug):
    with pytest.raises(PeopleError, match="slug"):
        ops.create_district(slug, "A District")


def test_empty_name_is_refused(app):
    with pytest.raises(PeopleError, match="name is empty"):
        ops.create_district("north", "   ")


def test_duplicate_district_slug(district):
    with pytest.raises(PeopleError, match="slug 'north'.*already exists"):
        ops.create_district("north", "Another North")


def test_duplicate_school_slug_only_within_a_district(district, school, framework):
    with pytest.raises(PeopleError, match="slug 'north-high'"):
        ops.create_school(district, "north-high", "Again")
    other = ops.create_district("south", "South District", framework)
    assert ops.create_school(other, "north-high", "Same slug elsewhere").district is other


# --- users -------------------------------------------------------------------------------


def test_create_user_normalizes_and_sets_everything(district, school):
    user = ops.create_user(
        district,
        "  Ada.Lovelace@North.Example.ORG ",
        " Ada Lovelace ",
        school=school,
        professional_role="teacher",
        system_roles={SystemRole.EDUCATOR, SystemRole.VALIDATOR},
        password=GOOD_PASSWORD,
    )
    db.session.commit()
    assert user.email == "ada.lovelace@north.example.org"
    assert user.name == "Ada Lovelace"
    assert user.school is school and user.professional_role == "teacher"
    assert user.system_roles == {SystemRole.EDUCATOR, SystemRole.VALIDATOR}
    assert user.check_password(GOOD_PASSWORD) and not user.check_password("wrong-password-123")


def test_user_without_password_cannot_sign_in(district, auth):
    user = ops.create_user(district, "new@north.example.org", "New Person", system_roles={SystemRole.EDUCATOR})
    db.session.commit()
    assert user.password_hash is None
    assert auth.login("new@north.example.org", "any-password-at-all").status_code == 401


@pytest.mark.parametrize(
    "email", ["", "not-an-email", "a@b", "two@@example.org", "sp ace@example.org", "a@b.c" + "c" * 260]
)
def test_bad_email(district, email):
    with pytest.raises(PeopleError, match="email"):
        ops.create_user(district, email, "Someone")


def test_duplicate_email_is_refused_case_insensitively(district, framework):
    ops.create_user(district, "ada@north.example.org", "Ada")
    other = ops.create_district("south", "South District", framework)
    with pytest.raises(PeopleError, match="email 'ada@north.example.org' is already used"):
        ops.create_user(other, "ADA@north.example.org ", "Ada Again")


def test_school_of_another_district_is_refused(district, school, framework):
    other = ops.create_district("south", "South District", framework)
    with pytest.raises(PeopleError, match="school 'north-high' does not belong to district 'south'"):
        ops.create_user(other, "x@south.example.org", "X", school=school)


def test_professional_role_must_be_in_the_framework(district):
    with pytest.raises(PeopleError, match="professional_role 'janitor' is not a role.*teacher"):
        ops.create_user(district, "x@north.example.org", "X", professional_role="janitor")


def test_professional_role_needs_a_framework(app):
    bare = ops.create_district("bare", "Bare District")
    with pytest.raises(PeopleError, match="professional_role 'teacher'.*has no framework"):
        ops.create_user(bare, "x@bare.example.org", "X", professional_role="teacher")


def test_system_roles_must_be_system_role_members(district):
    with pytest.raises(PeopleError, match="system_roles"):
        ops.create_user(district, "x@north.example.org", "X", system_roles={"admin"})


def test_short_password_is_refused(district):
    with pytest.raises(PeopleError, match="password must be at least 12 characters"):
        ops.create_user(district, "x@north.example.org", "X", password="short-pass")
    user = ops.create_user(district, "x@north.example.org", "X")
    with pytest.raises(PeopleError, match="password"):
        ops.set_password(user, "11-chars-xx")
    assert user.password_hash is None


def test_set_password_lets_the_user_sign_in(district, auth):
    user = ops.create_user(district, "x@north.example.org", "X", system_roles={SystemRole.EDUCATOR})
    ops.set_password(user, GOOD_PASSWORD)
    db.session.commit()
    assert auth.login("x@north.example.org", GOOD_PASSWORD).status_code == 302


def test_lookups_raise_clear_errors(district):
    with pytest.raises(PeopleError, match="no district with slug 'nowhere'"):
        ops.get_district("nowhere")
    with pytest.raises(PeopleError, match="district 'north' has no school with slug 'nope'"):
        ops.get_school(district, "nope")
    with pytest.raises(PeopleError, match="no user with email 'ghost@north.example.org'"):
        ops.get_user_by_email("Ghost@north.example.org")


# --- the demo district -------------------------------------------------------------------


def demo_users() -> list[User]:
    district = db.session.scalar(select(District).where(District.slug == "demo"))
    return list(db.session.scalars(select(User).where(User.district_id == district.id)))


def test_demo_district_shape(demo, framework):
    assert demo.district.name == "Demo Unified School District"
    assert demo.district.framework is framework
    assert sorted(s.slug for s in demo.district.schools) == ["lincoln-elementary", "roosevelt-high"]
    users = demo_users()
    assert 28 <= len(users) <= 32
    assert len({u.name for u in users}) == len(users)
    with_role = {role: [u for u in users if role in u.system_roles] for role in SystemRole}
    assert len(with_role[SystemRole.VALIDATOR]) == 2
    assert len(with_role[SystemRole.DISTRICT_LEADER]) == 1
    assert len(with_role[SystemRole.ADMIN]) == 1
    roles = [u.professional_role for u in users]
    assert {"state-staff", "district-staff", "school-leader", "teacher"} <= set(roles)
    assert roles.count("teacher") > len(users) / 2
    teachers = [u for u in users if u.professional_role == "teacher"]
    assert {t.school.slug for t in teachers} == {"lincoln-elementary", "roosevelt-high"}
    assert all(u.school is None for u in users if u.professional_role in ("state-staff", "district-staff"))
    assert all(SystemRole.EDUCATOR in u.system_roles for u in users if u.professional_role is not None)


def test_demo_logins(demo):
    assert [login.email for login in demo.logins] == [
        "teacher@demo.example.org",
        "validator@demo.example.org",
        "validator2@demo.example.org",
        "leader@demo.example.org",
        "admin@demo.example.org",
        "principal@demo.example.org",
    ]
    assert all(login.password == DEMO_PASSWORD and login.description for login in demo.logins)
    dana = ops.get_user_by_email("teacher@demo.example.org")
    assert (dana.name, dana.professional_role, dana.school.slug) == ("Dana Teacher", "teacher", "lincoln-elementary")
    for login in demo.logins:
        assert ops.get_user_by_email(login.email).check_password(login.password)


def test_demo_seed_is_idempotent(demo, framework):
    before = (count(User), count(School), count(District))
    again = seed_demo_district(framework)
    db.session.commit()
    assert again.district.id == demo.district.id
    assert again.logins == demo.logins and not again.created
    assert (count(User), count(School), count(District)) == before


def test_demo_teacher_can_sign_in(demo, auth):
    response = auth.login("teacher@demo.example.org", DEMO_PASSWORD)
    assert response.status_code == 302
