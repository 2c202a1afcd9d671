"""Who sees whose readiness, as a table: every readiness page, CSV and API operation, asked by every
kind of person, for their own school, another school of their district, and another district's school.

A district leader sees their district only; a school leader their school only; nobody else sees any
of it. A school outside the asker's scope answers 404 (as if it did not exist), and no answer that
succeeds names a school or a person outside the scope.
"""

from __future__ import annotations

import pytest

from badges.extensions import db
from badges.models import District, School
from tests.conftest import USER_PASSWORD
from tests.test_readiness_upkeep import assess

DOMAIN = "delivery-operations"
VIEWS = ("validated", "self", "gap", "trend")


def _urls(school: int | None) -> list[str]:
    at = "" if school is None else f"&school={school}"
    urls = []
    for view in VIEWS:
        urls += [f"/readiness?view={view}{at}", f"/readiness.csv?view={view}{at}", f"/api/v1/readiness?view={view}{at}"]
    if school is not None:
        for view in VIEWS[:3]:
            cell = f"school={school}&domain={DOMAIN}&view={view}"
            urls += [f"/readiness/cell?{cell}", f"/readiness/cell.csv?{cell}", f"/api/v1/readiness/cell?{cell}"]
    urls += [f"/readiness/next-steps?domain={DOMAIN}{at}", f"/api/v1/readiness/next-steps?domain={DOMAIN}{at}"]
    return urls


@pytest.fixture
def world(app, district, framework, make_user):
    south = School(slug="south", name="South School")
    district.schools.append(south)
    far_district = District(slug="farfield", name="Farfield District", framework=framework)
    far = School(slug="far", name="Far School")
    far_district.schools.append(far)
    db.session.add(far_district)
    db.session.commit()
    north = next(s for s in district.schools if s.slug == "north")
    schools = {"north": north, "south": south, "far": far}
    for school, home in (("north", district), ("south", district), ("far", far_district)):
        for i in range(6):
            person = make_user(f"{school}{i}@example.org", in_district=home, name=f"{school.title()} Teacher {i}")
            person.school = schools[school]
            person.shares_self_assessment = True  # names could show: the test is that they do not leak
            db.session.commit()
            assess(person, framework, 1 + i % 2)
    people = {
        "district_leader": make_user("dl@example.org", roles=("district_leader",), professional_role=None),
        "other_district_leader": make_user(
            "odl@example.org", roles=("district_leader",), professional_role=None, in_district=far_district
        ),
        "school_leader": make_user(
            "sl@example.org", roles=("school_leader", "educator"), professional_role="school-leader"
        ),
        "school_leader_without_school": make_user("sl0@example.org", roles=("school_leader",), professional_role=None),
        "educator": make_user("ed@example.org"),
        "validator": make_user("val@example.org", roles=("validator",)),
        "admin": make_user("admin@example.org", roles=("admin",), professional_role=None),
    }
    people["school_leader"].school = north
    db.session.commit()
    return {name: school.id for name, school in schools.items()}, people


# asker -> (schools they may ask for, names that must never appear in what they are shown)
SEES = {
    "district_leader": ({None, "north", "south"}, ("Far School", "Far Teacher")),
    "school_leader": ({None, "north"}, ("South School", "South Teacher", "Far School", "Far Teacher")),
    "other_district_leader": ({None, "far"}, ("North School", "North Teacher", "South School", "South Teacher")),
}
REFUSED = ("school_leader_without_school", "educator", "validator", "admin")


@pytest.mark.parametrize("asker", [*SEES, *REFUSED])
def test_readiness_is_seen_only_within_the_askers_scope(client, auth, world, asker):
    school_ids, people = world
    auth.login(people[asker].email, USER_PASSWORD)
    wrong = []
    for school in (None, "north", "south", "far"):
        for url in _urls(None if school is None else school_ids[school]):
            answer = client.get(url)
            expected = 403 if asker in REFUSED else 200 if school in SEES[asker][0] else 404
            if answer.status_code != expected:
                wrong.append(f"{url} ({school}): {answer.status_code}, expected {expected}")
                continue
            if expected == 200:
                text = answer.get_data(as_text=True)
                leaked = [name for name in SEES[asker][1] if name in text]
                if leaked:
                    wrong.append(f"{url} ({school}) names {leaked}")
    assert not wrong, "\n".join(wrong)
