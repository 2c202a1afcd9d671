"""Importing staff rosters: all rows checked first, every bad line reported, upsert by email."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from badges.extensions import db
from badges.models import SystemRole, User
from badges.people import operations as ops
from badges.people.roster import RosterError, RosterResult, import_roster

HEADER = "email,name,school,professional_role,system_roles\n"
GOOD = HEADER + (
    "ada@north.example.org,Ada Lovelace,north-high,teacher,\n"
    "Grace@North.example.org , Grace Hopper ,north-elem,school-leader,educator;validator\n"
    "alan@north.example.org,Alan Turing,,district-staff,district_leader\n"
)


@pytest.fixture
def district(app, framework):
    district = ops.create_district("north", "North District", framework)
    ops.create_school(district, "north-high", "North High School")
    ops.create_school(district, "north-elem", "North Elementary School")
    db.session.commit()
    return district


@pytest.fixture
def other_district(district, framework):
    other = ops.create_district("south", "South District", framework)
    ops.create_user(other, "sam@south.example.org", "Sam South")
    db.session.commit()
    return other


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def rejected(district, text) -> RosterError:
    before = user_count()
    with pytest.raises(RosterError) as info:
        import_roster(district, text)
    db.session.rollback()
    assert user_count() == before
    return info.value


def test_good_import_creates_users(district):
    assert import_roster(district, GOOD) == RosterResult(created=3, updated=0, unchanged=0)
    db.session.commit()
    grace = ops.get_user_by_email("grace@north.example.org")
    assert (grace.name, grace.school.slug, grace.professional_role) == ("Grace Hopper", "north-elem", "school-leader")
    assert grace.system_roles == {SystemRole.EDUCATOR, SystemRole.VALIDATOR}
    assert grace.password_hash is None  # cannot sign in until a password is set
    ada = ops.get_user_by_email("ada@north.example.org")
    assert ada.system_roles == {SystemRole.EDUCATOR}  # empty cell: the default
    alan = ops.get_user_by_email("alan@north.example.org")
    assert alan.school is None and alan.system_roles == {SystemRole.DISTRICT_LEADER}


def test_second_import_of_the_same_file_changes_nothing(district):
    import_roster(district, GOOD)
    db.session.commit()
    assert import_roster(district, GOOD) == RosterResult(created=0, updated=0, unchanged=3)
    assert not db.session.dirty


def test_changed_rows_are_updated_and_new_rows_added(district):
    import_roster(district, GOOD)
    db.session.commit()
    changed = HEADER + (
        "ada@north.example.org,Ada King,north-elem,school-leader,educator;validator\n"
        "grace@north.example.org,Grace Hopper,north-elem,school-leader,educator;validator\n"
        "alan@north.example.org,Alan Turing,,district-staff,educator\n"
        "new@north.example.org,New Person,north-high,teacher,\n"
    )
    assert import_roster(district, changed) == RosterResult(created=1, updated=2, unchanged=1)
    db.session.commit()
    ada = ops.get_user_by_email("ada@north.example.org")
    assert (ada.name, ada.school.slug, ada.professional_role) == ("Ada King", "north-elem", "school-leader")
    assert ada.system_roles == {SystemRole.EDUCATOR, SystemRole.VALIDATOR}
    assert ops.get_user_by_email("alan@north.example.org").system_roles == {SystemRole.EDUCATOR}


def test_users_missing_from_the_file_are_left_alone(district):
    ops.create_user(district, "keep@north.example.org", "Keep Me", password="a-long-password-1")
    db.session.commit()
    import_roster(district, GOOD)
    assert ops.get_user_by_email("keep@north.example.org").check_password("a-long-password-1")


def test_existing_password_survives_an_update(district):
    user = ops.create_user(district, "ada@north.example.org", "Ada", password="a-long-password-1")
    db.session.commit()
    assert import_roster(district, GOOD).updated == 1
    assert user.check_password("a-long-password-1")


def test_every_bad_row_is_reported_and_nothing_imported(district, other_district):
    text = HEADER + (
        "ada@north.example.org,Ada Lovelace,north-high,teacher,\n"  # 2: fine
        "not-an-email,Bad Email,north-high,teacher,\n"  # 3
        "ADA@north.example.org,Ada Twice,north-high,teacher,\n"  # 4: duplicate of line 2
        "x@north.example.org,X,atlantis,teacher,\n"  # 5: unknown school
        "y@north.example.org,Y,north-high,janitor,\n"  # 6: unknown role
        "\n"  # 7: blank, skipped
        "z@north.example.org,Z,north-high,teacher,educator;wizard\n"  # 8: unknown system role
        "sam@south.example.org,Sam,,teacher,\n"  # 9: another district's user
        "w@north.example.org,,north-high,teacher,\n"  # 10: no name
        "v@north.example.org,V,north-high,teacher,educator,extra\n"  # 11: too many fields
        "grace@north.example.org,Grace Hopper,north-elem,school-leader,\n"  # 12: fine
    )
    error = rejected(district, text)
    assert not error.whole_file
    lines = dict(error.problems)
    assert sorted(lines) == [3, 4, 5, 6, 8, 9, 10, 11]
    assert error.bad_rows == 8
    assert "not-an-email" in lines[3] and "not an email address" in lines[3]
    assert "also on line 2" in lines[4]
    assert "school 'atlantis'" in lines[5]
    assert "professional_role 'janitor'" in lines[6]
    assert "'wizard'" in lines[8]
    assert "another district" in lines[9]
    assert "name is empty" in lines[10]
    assert "6 fields" in lines[11]


def test_several_problems_on_one_row_are_all_named(district):
    error = rejected(district, HEADER + "bad,,nowhere,nobody,nothing\n")
    [(line, message)] = error.problems
    assert line == 2
    for part in ("email", "name is empty", "school 'nowhere'", "'nobody'", "'nothing'"):
        assert part in message


def test_quoted_field_spanning_lines_is_reported_at_its_first_line(district):
    text = HEADER + 'a@north.example.org,"Ada\nLovelace",north-high,teacher,\nbad,B,,teacher,\n'
    assert [line for line, _ in rejected(district, text).problems] == [4]


def test_utf8_bom_and_non_ascii_names(district):
    text = "\ufeff" + HEADER + "jose@north.example.org,José Núñez,north-high,teacher,\n"
    assert import_roster(district, text.encode("utf-8")).created == 1
    assert ops.get_user_by_email("jose@north.example.org").name == "José Núñez"
    assert import_roster(district, text).unchanged == 1  # a str with the BOM still in it


def test_header_columns_in_any_order_and_any_case(district):
    text = "Name,EMAIL,system_roles,school,professional_role\nAda,ada@north.example.org,,north-high,teacher\n"
    assert import_roster(district, text).created == 1


def test_file_that_is_not_utf8_is_refused_in_one_message(district):
    data = (HEADER + "jose@north.example.org,José Núñez,north-high,teacher,\n").encode("latin-1")
    error = rejected(district, data)
    assert error.whole_file
    [(line, message)] = error.problems
    assert line == 2 and "not UTF-8" in message


@pytest.mark.parametrize("text", ["", "\n\n", "ada@north.example.org,Ada,north-high,teacher,\n"])
def test_file_without_header_is_refused_in_one_message(district, text):
    error = rejected(district, text)
    assert error.whole_file
    [(line, message)] = error.problems
    assert line == 1 and "no header" in message


def test_header_with_missing_and_unknown_columns(district):
    error = rejected(district, "email,name,shoe_size\nada@north.example.org,Ada,42\n")
    assert error.whole_file
    [(line, message)] = error.problems
    assert line == 1
    assert "missing column(s): school, professional_role, system_roles" in message
    assert "'shoe_size'" in message


def test_header_only_imports_nothing(district):
    assert import_roster(district, HEADER) == RosterResult()


def test_five_thousand_rows_read_in_a_few_queries(district):
    rows = [
        f"staff{i}@north.example.org,Staff Member {i},{'north-high' if i % 2 else 'north-elem'},teacher,"
        for i in range(5000)
    ]
    text = HEADER + "\n".join(rows) + "\n"
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert import_roster(district, text).created == 5000
        db.session.commit()
        first_reads = statements.count("SELECT")
        statements.clear()
        assert import_roster(district, text).unchanged == 5000
        second = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    # Lookups are chunked, not one per row (inserts are batched where the backend allows it).
    assert first_reads < 50 and second < 50
    assert user_count() == 5000
