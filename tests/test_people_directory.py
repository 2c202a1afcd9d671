"""The staff directory: search, each filter, keyset pages (equal names too), district isolation."""

from __future__ import annotations

from datetime import datetime

import pytest

from badges.base import InvalidInput
from badges.extensions import db
from badges.models import District, School, SystemRole, User
from badges.people import directory
from badges.people.directory import StaffFilter, directory_page, search_people, staff_filter
from tests.conftest import USER_PASSWORD_HASH


@pytest.fixture
def staff(district, framework):
    """Northfield's staff (one school, the office) and a Southfield person with the same name."""
    north = district.schools[0]
    south = District(slug="southfield", name="Southfield", framework=framework)
    south.schools.append(School(slug="south", name="South School"))
    db.session.add(south)

    def person(email, name, *, school=None, role="teacher", roles=("educator",), active=True, password=True, **kw):
        user = User(
            district=kw.pop("in_district", district),
            email=email,
            name=name,
            school=school,
            professional_role=role,
            active=active,
            password_hash=USER_PASSWORD_HASH if password else None,
            **kw,
        )
        user.set_system_roles({SystemRole(r) for r in roles})
        db.session.add(user)
        return user

    people = {
        "ana": person("ana@n.example.org", "Ana Álvarez", school=north),
        "bo": person("bo@n.example.org", "Bo Brown", roles=("validator",), role=None),
        "cy": person("cy.x@n.example.org", "Cy Clark", school=north, active=False),
        "di": person("di@n.example.org", "Di Dean", password=False, invited_at=datetime(2026, 11, 1)),
        "ed": person("ed@n.example.org", "Ed Evans", password=False, role="school-leader"),
        "sam": person("sam@s.example.org", "Bo Brown", in_district=south, school=south.schools[0]),
    }
    db.session.commit()
    return people


def names(page) -> list[str]:
    return [u.email for u in page.users]


def find(district, **filters) -> list[str]:
    return names(directory_page(district, staff_filter(district, **filters)))


def test_everyone_by_name_and_only_of_the_district(district, staff):
    page = directory_page(district)
    assert names(page) == [
        f"{k}@n.example.org" if k != "cy" else "cy.x@n.example.org" for k in ["ana", "bo", "cy", "di", "ed"]
    ]
    assert (page.matches, page.more, page.next_after, page.prev_before) == (5, False, None, None)
    assert "sam@s.example.org" not in find(district, q="bo")


def test_search_by_name_or_email_ignores_case(district, staff):
    assert find(district, q="BROWN") == ["bo@n.example.org"]
    assert find(district, q="y.X@") == ["cy.x@n.example.org"]
    assert find(district, q="an") == ["ana@n.example.org", "di@n.example.org", "ed@n.example.org"]
    assert find(district, q="100%_") == []  # LIKE wildcards are plain text


def test_each_filter(district, staff):
    north = district.schools[0]
    assert find(district, school=str(north.id)) == ["ana@n.example.org", "cy.x@n.example.org"]
    assert find(district, school="office") == ["bo@n.example.org", "di@n.example.org", "ed@n.example.org"]
    assert find(district, role="school-leader") == ["ed@n.example.org"]
    assert find(district, role="none") == ["bo@n.example.org"]
    assert find(district, system_role="validator") == ["bo@n.example.org"]
    assert find(district, state="active") == ["ana@n.example.org", "bo@n.example.org"]
    assert find(district, state="deactivated") == ["cy.x@n.example.org"]
    assert find(district, state="invited") == ["di@n.example.org"]
    assert find(district, state="not_invited") == ["ed@n.example.org"]
    assert find(district, q="d", state="invited", school="office") == ["di@n.example.org"]


def test_account_states(staff):
    assert [directory.account_state(staff[k]) for k in ("ana", "cy", "di", "ed")] == [
        "active",
        "deactivated",
        "invited",
        "not_invited",
    ]


@pytest.mark.parametrize(
    "field,value",
    [
        ("school", "999999"),
        ("school", "abc"),
        ("role", "wizard"),
        ("system_role", "king"),
        ("state", "x"),
        ("q", "a" * 101),
    ],
)
def test_bad_filters_name_their_field(district, staff, field, value):
    with pytest.raises(InvalidInput) as info:
        staff_filter(district, **{field: value})
    assert list(info.value.errors) == [field]


def test_another_districts_school_is_no_filter(district, staff):
    south = db.session.scalar(db.select(School).where(School.slug == "south"))
    with pytest.raises(InvalidInput):
        staff_filter(district, school=str(south.id))


def test_keyset_pages_with_equal_names(district, staff):
    for i in range(7):
        db.session.add(User(district=district, email=f"same{i}@n.example.org", name="Same Name"))
    db.session.commit()
    seen, after, pages = [], None, 0
    while True:
        page = directory_page(district, StaffFilter(q="same"), after=after, per_page=3)
        seen += names(page)
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert sorted(seen) == [f"same{i}@n.example.org" for i in range(7)] and len(set(seen)) == 7 and pages == 3
    ids = [u.id for u in directory_page(district, StaffFilter(q="same"), per_page=10).users]
    assert ids == sorted(ids)  # equal names: by id
    # And back: the page before the last one is the second.
    second = directory_page(district, StaffFilter(q="same"), after=ids[2], per_page=3)
    back = directory_page(district, StaffFilter(q="same"), before=second.users[0].id, per_page=3)
    assert [u.id for u in back.users] == ids[:3] and back.prev_before is None and back.next_after == ids[2]


def test_a_cursor_of_another_district_is_refused(district, staff):
    with pytest.raises(InvalidInput):
        directory_page(district, after=staff["sam"].id)


def test_the_count_stops_at_the_cap(district, staff, monkeypatch):
    monkeypatch.setattr(directory, "COUNT_CAP", 3)
    page = directory_page(district, per_page=2)
    assert (page.matches, page.more) == (3, True)
    assert directory_page(district, per_page=2, after=page.next_after).matches is None  # later pages: no count
    monkeypatch.setattr(directory, "COUNT_CAP", 10)
    assert (directory_page(district, per_page=2).matches, directory_page(district).matches) == (5, 5)


def test_pickers_search_within_a_role_and_the_district(district, staff):
    assert [u.email for u in search_people(district, "b", SystemRole.VALIDATOR)] == ["bo@n.example.org"]
    assert [u.email for u in search_people(district, "", None, limit=2)] == ["ana@n.example.org", "bo@n.example.org"]
    assert search_people(district, "sam") == []
