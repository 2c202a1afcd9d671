"""The dashboard runs a constant number of SQL statements whatever the district's size: at most 3 for
the figures (dashboard.load + build_report, every view), and the same number for the whole GET
/readiness request at 6 and at 60 staff. Any N+1 (a query per school, person or target) fails here.

The districts are built quickly with Core inserts of people and their standings (the upkeep's own
correctness is tested in test_readiness_upkeep.py); the figures only read those tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, insert, select

from badges.extensions import db
from badges.models import District, ReadinessChange, ReadinessStanding, ReadinessTarget, School, SystemRole, User
from badges.permissions import ReadinessScope
from badges.readiness import dashboard, report
from badges.readiness.figures import VIEWS
from badges.readiness.history import count_key, next_change
from badges.readiness.upkeep import add_counts
from tests.conftest import USER_PASSWORD, USER_PASSWORD_HASH

ROLES = ("teacher", "school-leader")


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def build_district(framework, slug: str, staff: int, schools: int) -> int:
    district = District(slug=slug, name=f"{slug.title()} District", framework=framework)
    for n in range(schools):
        district.schools.append(School(slug=f"s{n}", name=f"School {n}"))
    db.session.add(district)
    db.session.flush()
    school_ids = [school.id for school in district.schools]
    now = datetime.now().replace(microsecond=0)
    people = [
        {
            "district_id": district.id,
            "school_id": school_ids[i % schools],
            "email": f"p{i}@{slug}.example.org",
            "name": f"Person {i}",
            "professional_role": ROLES[i % 7 == 0],
            "active": True,
            "shares_self_assessment": i % 3 == 0,
            "last_assessed_at": now - timedelta(days=i),
        }
        for i in range(staff)
    ]
    db.session.execute(insert(User), people)
    ids = dict(db.session.execute(select(User.email, User.id).where(User.district_id == district.id)).all())
    standings, changes = [], {}
    for i, person in enumerate(people):
        for d, domain in enumerate(framework.domains):
            level = 1 + (i + d) % 4
            standings.append(
                {
                    "user_id": ids[person["email"]],
                    "domain_code": domain.code,
                    "district_id": district.id,
                    "school_key": person["school_id"],
                    "professional_role": person["professional_role"],
                    "self_level": level,
                    "self_assessed_at": now,
                    **{
                        f"held_until_{n}": (now + timedelta(days=400) if n == level - 1 else None) for n in (1, 2, 3, 4)
                    },
                    "evaluated_at": now,
                }
            )
            standings[-1]["next_change_at"] = next_change(standings[-1], now)
            for month in (date(2025, 9, 1), date(2026, 1, 1)):
                key = (person["school_id"], person["professional_role"], domain.code, "self", level, month)
                changes[key] = changes.get(key, 0) + (1 if month.month == 9 else 0)
    db.session.execute(insert(ReadinessStanding), standings)
    add_counts(db.session.connection(), district.id, Counter(count_key(row, now) for row in standings))
    db.session.execute(
        insert(ReadinessChange),
        [
            dict(
                zip(("school_key", "professional_role", "domain_code", "measure", "level", "month"), k, strict=True),
                delta=v,
                district_id=district.id,
            )  # fmt: skip
            for k, v in changes.items()
        ],
    )
    for domain in framework.domains[:3]:
        db.session.add(
            ReadinessTarget(
                district_id=district.id, domain_code=domain.code, share_percent=75, due_on=date(2027, 6, 30)
            )
        )
    leader = User(
        district_id=district.id, email=f"leader@{slug}.example.org", name="Leader", password_hash=USER_PASSWORD_HASH
    )
    leader.set_system_roles({SystemRole.DISTRICT_LEADER})
    db.session.add(leader)
    db.session.commit()
    return district.id


@pytest.fixture
def sizes(app, framework):
    return {6: build_district(framework, "small", 6, 2), 60: build_district(framework, "large", 60, 6)}


def figures_statements(district_id: int, view: str) -> int:
    scope = ReadinessScope(district_id, None)
    dashboard.load(scope, view)  # warm the framework-shape cache (kept per process)
    db.session.expire_all()
    with counted() as statements:
        data = dashboard.load(scope, view)
        built = report.build_report(data, dashboard.Filters(view=view), 5)
    assert built.participation is not None and built.participation.staff is not None
    return len(statements)


@pytest.mark.parametrize("view", VIEWS)
def test_the_figures_take_at_most_three_statements_at_any_size(sizes, view):
    counts = {staff: figures_statements(district_id, view) for staff, district_id in sizes.items()}
    assert counts[6] == counts[60], counts
    assert counts[60] <= 3, counts


def test_the_whole_request_is_constant_in_the_districts_size(app, sizes):
    counts = {}
    for staff in sizes:
        slug = "small" if staff == 6 else "large"
        for view in VIEWS:
            client = app.test_client()
            page = client.get("/login")
            token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
            client.post(
                "/login", data={"email": f"leader@{slug}.example.org", "password": USER_PASSWORD, "csrf_token": token}
            )
            client.get(f"/readiness?view={view}")  # warm
            with counted() as statements:
                response = client.get(f"/readiness?view={view}")
            assert response.status_code == 200
            assert (f"School {5 if staff == 60 else 1}") in response.get_data(as_text=True)
            counts[(view, staff)] = len(statements)
    for view in VIEWS:
        assert counts[(view, 6)] == counts[(view, 60)], counts
