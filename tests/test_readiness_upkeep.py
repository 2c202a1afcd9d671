"""Readiness figures kept in step with the history, in the same transaction, and rebuildable from it.

Every change goes through the real operations (self-assessment, claim and review, revocation, staff
changes); the tables are then compared with what a rebuild from the history gives.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from badges.credentials.revocation import revoke
from badges.educator import assessments
from badges.extensions import db
from badges.models import (
    ALL_SCHOOLS,
    DISTRICT_OFFICE,
    Award,
    ReadinessChange,
    ReadinessCount,
    ReadinessStanding,
    SelfAssessment,
)
from badges.permissions import ReadinessScope
from badges.readiness import dashboard, report
from badges.readiness.figures import Tally
from badges.readiness.history import month_of
from badges.readiness.upkeep import rebuild_district, refresh_counts
from tests.validation_setup import approve, make_world

DELIVERY = "delivery-operations"


def codes_for(framework, role="teacher", domain=None) -> list[str]:
    return [
        i.code
        for d in framework.domains
        if domain is None or d.code == domain
        for i in d.indicators
        if any(r.code == role for r in i.roles)
    ]


def assess(person, framework, level, when: datetime | None = None, levels: dict[str, int] | None = None):
    """Submit a full round at `level` (or per-domain `levels`), dated `when`."""
    draft = assessments.start_assessment(person)
    entries = []
    for domain in framework.domains:
        chosen = (levels or {}).get(domain.code, level)
        for code in codes_for(framework, domain=domain.code):
            entries.append({"indicator": code, "level": chosen, "reflection": ""})
    assessments.rate(person, draft, entries)
    assessments.submit(person, draft, now=when)
    db.session.commit()
    return draft


def standings(user_id: int) -> dict[str, tuple]:
    rows = db.session.scalars(select(ReadinessStanding).where(ReadinessStanding.user_id == user_id))
    return {
        r.domain_code: (
            r.school_key,
            r.professional_role,
            r.self_level,
            r.held_until_1,
            r.held_until_2,
            r.held_until_3,
            r.held_until_4,
        )
        for r in rows
    }


def snapshot(district_id: int) -> tuple[set, dict]:
    rows = db.session.scalars(select(ReadinessStanding).where(ReadinessStanding.district_id == district_id))
    kept = {
        (r.user_id, r.domain_code, r.school_key, r.professional_role, r.self_level)
        + tuple(getattr(r, f"held_until_{n}") for n in (1, 2, 3, 4))
        for r in rows
    }
    changes = {
        (c.school_key, c.professional_role, c.domain_code, c.measure, c.level, c.month): c.delta
        for c in db.session.scalars(select(ReadinessChange).where(ReadinessChange.district_id == district_id))
        if c.delta
    }
    return kept, changes


def figures(district_id: int) -> dict:
    data = dashboard.load(ReadinessScope(district_id, None))
    return {key: tally for key, tally in data.tallies.items() if tally != Tally()}


def assert_rebuild_agrees(district_id: int) -> None:
    """Standings, trend and the heatmap's counts are what a rebuild from the history gives."""
    before = snapshot(district_id), figures(district_id)
    rebuild_district(db.session.connection(), district_id)
    db.session.flush()
    assert (snapshot(district_id), figures(district_id)) == before
    db.session.rollback()


@pytest.fixture
def world(make_user, district, framework):
    return make_world(make_user, district, framework)


def test_a_submitted_round_sets_the_self_level_and_the_trend(world, framework):
    when = datetime(2026, 3, 10, 9, 0)
    assess(world.teacher, framework, 2, when)
    rows = standings(world.teacher.id)
    assert rows[DELIVERY][:3] == (world.north.id, "teacher", 2)
    assert world.teacher.last_assessed_at == when
    later = datetime(2026, 9, 2, 9, 0)
    assess(world.teacher, framework, 3, later, levels={DELIVERY: 4})
    assert standings(world.teacher.id)[DELIVERY][2] == 4
    changes = snapshot(world.teacher.district_id)[1]
    key = (world.north.id, "teacher", DELIVERY, "self")
    assert changes[(*key, 2, month_of(when))] == 1
    assert changes[(*key, 2, month_of(later))] == -1
    assert changes[(*key, 4, month_of(later))] == 1
    assert_rebuild_agrees(world.teacher.district_id)


def test_a_draft_changes_nothing(world, framework):
    draft = assessments.start_assessment(world.teacher)
    assessments.rate(world.teacher, draft, [{"indicator": codes_for(framework)[0], "level": 4, "reflection": ""}])
    db.session.commit()
    assert standings(world.teacher.id) == {}


def test_an_award_and_its_revocation_move_the_validated_level(world, make_user, framework):
    validator = world.person(make_user, "val@northfield.example.org", roles=("validator",))
    world.set_scope(validator)
    award = approve(validator, world.claim()).award
    held = standings(world.teacher.id)[DELIVERY]
    assert held[5] is not None and held[3] is None  # an Experienced (3) badge, in force
    data = dashboard.load(ReadinessScope(world.teacher.district_id, None))
    assert data.tallies[(world.north.id, "teacher", DELIVERY)].validated_levels == [0, 0, 1, 0]
    assert_rebuild_agrees(world.teacher.district_id)

    revoke(validator, db.session.get(Award, award.id), "Awarded in error.")
    db.session.commit()
    assert standings(world.teacher.id)[DELIVERY][5] is None
    data = dashboard.load(ReadinessScope(world.teacher.district_id, None))
    assert data.tallies[(world.north.id, "teacher", DELIVERY)].validated_levels == [0, 0, 0, 0]
    assert_rebuild_agrees(world.teacher.district_id)


def test_expiry_counts_when_it_happens_without_a_write(world, make_user, framework):
    validator = world.person(make_user, "val@northfield.example.org", roles=("validator",))
    world.set_scope(validator)
    award = approve(validator, world.claim()).award
    award = db.session.get(Award, award.id)
    award.valid_until = datetime.now().replace(microsecond=0) + timedelta(days=40)
    db.session.commit()
    scope = ReadinessScope(world.teacher.district_id, None)
    cell = (world.north.id, "teacher", DELIVERY)
    assert dashboard.load(scope).tallies[cell].validated_levels[2] == 1
    after = award.valid_until + timedelta(seconds=1)
    assert dashboard.load(scope, now=after).tallies[cell].validated_levels[2] == 0
    # The trend already knows the month it leaves.
    changes = snapshot(world.teacher.district_id)[1]
    assert changes[(world.north.id, "teacher", DELIVERY, "validated", 3, month_of(award.valid_until))] == -1
    assert_rebuild_agrees(world.teacher.district_id)
    # The nightly refresh re-counts the expired row: the same figures, now with nothing to correct.
    assert refresh_counts(db.session.connection(), world.teacher.district_id, now=after) == 1
    db.session.commit()
    assert dashboard.load(scope, now=after).tallies[cell].validated_levels[2] == 0
    counted = db.session.scalars(select(ReadinessCount).where(ReadinessCount.validated_level == 3)).all()
    assert sum(row.people for row in counted) == 0
    assert refresh_counts(db.session.connection(), world.teacher.district_id, now=after) == 0


def test_moving_school_changing_role_and_deactivating_follow_the_person(world, framework):
    assess(world.teacher, framework, 2, datetime(2026, 2, 1))
    world.teacher.school = world.south
    db.session.commit()
    assert standings(world.teacher.id)[DELIVERY][0] == world.south.id
    changes = snapshot(world.teacher.district_id)[1]
    assert {key[0] for key in changes} == {world.south.id, ALL_SCHOOLS}  # the history moved along
    world.teacher.school = None
    world.teacher.professional_role = "district-staff"
    db.session.commit()
    assert {row[:2] for row in standings(world.teacher.id).values()} == {(DISTRICT_OFFICE, "district-staff")}
    assert_rebuild_agrees(world.teacher.district_id)
    world.teacher.active = False
    db.session.commit()
    assert standings(world.teacher.id) == {}
    assert snapshot(world.teacher.district_id) == (set(), {})
    world.teacher.active = True
    db.session.commit()
    assert standings(world.teacher.id)
    assert_rebuild_agrees(world.teacher.district_id)


def test_a_rolled_back_submission_leaves_no_figures(world, framework):
    draft = assessments.start_assessment(world.teacher)
    db.session.commit()
    entries = [{"indicator": c, "level": 3, "reflection": ""} for c in codes_for(framework)]
    assessments.rate(world.teacher, draft, entries)
    assessments.submit(world.teacher, draft)
    db.session.flush()
    assert standings(world.teacher.id)
    db.session.rollback()
    assert standings(world.teacher.id) == {}
    assert db.session.get(SelfAssessment, draft.id).submitted_at is None


def test_report_hides_cells_of_fewer_than_five(world, make_user, framework):
    people = [world.teacher] + [
        world.person(make_user, f"t{i}@northfield.example.org", school="north") for i in range(5)
    ]
    for person in people[:3]:
        assess(person, framework, 3)
    scope = ReadinessScope(world.teacher.district_id, None)
    data = dashboard.load(scope, view="self")
    built = report.build_report(data, dashboard.Filters(view="self"), min_cell=5)
    north = next(row for row in built.rows if row.school_key == world.north.id)
    delivery = north.cells[[code for code, _ in built.domains].index(DELIVERY)]
    assert delivery.staff == 6 and delivery.levels == (0, 0, 3, 0) and delivery.share_experienced == 50.0
    assert built.participation is not None and built.participation.assessed is None  # 3 people: fewer than 5
    small = report.build_report(data, dashboard.Filters(view="self", role="teacher"), min_cell=7)
    north = next(row for row in small.rows if row.school_key == world.north.id)
    assert all(cell.suppressed for cell in north.cells)  # six teachers: fewer than seven
    assert all(cell.staff in (None, 0) for row in small.rows for cell in row.cells)


def test_the_total_counts_only_the_groups_shown(world, make_user, framework):
    north = [world.teacher] + [world.person(make_user, f"n{i}@northfield.example.org") for i in range(5)]
    south = [world.person(make_user, f"s{i}@northfield.example.org", school="south") for i in range(2)]
    for person in north + south:
        assess(person, framework, 3)
    data = dashboard.load(ReadinessScope(world.teacher.district_id, None), view="self")
    built = report.build_report(data, dashboard.Filters(view="self"), min_cell=5)
    column = [code for code, _ in built.domains].index(DELIVERY)
    assert next(r for r in built.rows if r.school_key == world.south.id).cells[column].suppressed
    total = built.total.cells[column]
    # Eight people in all, but a total of 8 would give away the hidden school's 2.
    assert total.staff == 6 and total.leaves_out_small_groups
