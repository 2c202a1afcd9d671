"""Planning support: targets, next steps and cohorts through their public functions, on standings
built through the real paths (submitted self-assessments, approved claims), within each leader's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from badges.base import InvalidInput
from badges.educator import assessments, goals
from badges.educator.sharing import set_self_assessment_sharing
from badges.extensions import db
from badges.models import AuditEvent, District, School, User
from badges.people import scope as scopes
from badges.permissions import readiness_scope
from badges.readiness import cohorts, next_steps, targets
from badges.readiness.dashboard import load
from badges.readiness.report import measure_target
from tests.validation_setup import approve, make_world

DOMAIN = "delivery-operations"
NOVICE = "Delivery and Operations: Novice, Teacher"
EXPERT = "Delivery and Operations: Expert, Teacher"
SOON = date.today() + timedelta(days=200)


def self_assess(person: User, framework, level_in_domain: int, elsewhere: int = 3) -> None:
    """A submitted self-assessment: every key question of DOMAIN at one level, the rest at another."""
    draft = assessments.start_assessment(person)
    entries = [
        {"indicator": i.code, "level": level_in_domain if d.code == DOMAIN else elsewhere, "reflection": "so"}
        for d in framework.domains
        for i in d.indicators
        if any(r.code == person.professional_role for r in i.roles)
    ]
    assessments.rate(person, draft, entries)
    assessments.submit(person, draft)
    db.session.commit()


@dataclass
class Plans:
    world: object
    leader: User  # district leader
    principal: User  # school leader of North
    outsider: User  # district leader of another district
    educator: User
    people: dict[str, User]

    def scope(self, who: User):
        return readiness_scope(who)


def build_plans(make_user, district, framework) -> Plans:
    w = make_world(make_user, district, framework)
    validator = make_user("validator@northfield.example.org", roles=("validator",), professional_role=None)
    second = make_user("second@northfield.example.org", roles=("validator",), professional_role=None)
    for v in (validator, second):
        w.set_scope(v, schools=("north", "south"), whole_district=True)
    people = {
        "private_low": w.person(make_user, "pat@northfield.example.org"),
        "shared_low": w.person(make_user, "sam@northfield.example.org"),
        "novice": w.person(make_user, "nina@northfield.example.org"),
        "asks": w.person(make_user, "gus@northfield.example.org", school="south"),
        "expert_north": w.person(make_user, "ella@northfield.example.org"),
        "expert_south": w.person(make_user, "zed@northfield.example.org", school="south"),
    }
    self_assess(people["private_low"], framework, 1)
    self_assess(people["shared_low"], framework, 2)
    set_self_assessment_sharing(people["shared_low"], True)
    db.session.commit()
    approve(validator, w.claim(people["novice"], NOVICE))
    for expert in ("expert_north", "expert_south"):  # an Expert badge needs two approvals
        claim = w.claim(people[expert], EXPERT)
        approve(validator, claim)
        approve(second, claim)
    goals.create_goal(people["asks"], DOMAIN, 3, SOON, "Practise", support_needed="A mentor, please")
    goals.create_goal(w.teacher, DOMAIN, 3, SOON, "Practise", support_needed="   ")  # asks for nothing
    leader = make_user("leader@northfield.example.org", roles=("district_leader",), professional_role=None)
    principal = make_user("principal@northfield.example.org", roles=("school_leader",), professional_role=None)
    principal.school = w.north
    other = District(slug="elsewhere", name="Elsewhere", framework=framework)
    other.schools.append(School(slug="far", name="Far School"))
    db.session.add(other)
    db.session.commit()
    outsider = make_user("leader@elsewhere.example.org", roles=("district_leader",), in_district=other)
    far_expert = make_user("expert@elsewhere.example.org", in_district=other)
    far_admin = make_user("admin@elsewhere.example.org", roles=("admin",), in_district=other)
    far_claim = w.claim(far_expert, EXPERT)
    for n in (1, 2):
        far_validator = make_user(f"validator{n}@elsewhere.example.org", roles=("validator",), in_district=other)
        scopes.set_scope(far_admin, far_validator, [d.code for d in framework.domains], ["teacher"], [], True, "t")
        db.session.commit()
        approve(far_validator, far_claim)
    people["far_expert"] = far_expert
    return Plans(w, leader, principal, outsider, w.teacher, people)


@pytest.fixture
def plans(make_user, district, framework):
    return build_plans(make_user, district, framework)


def names(found) -> list[str]:
    return [p.name for p in found]


def test_the_ready_list_names_low_badges_shared_self_assessments_and_goals_asking_for_support(plans):
    steps = next_steps.next_steps(plans.scope(plans.leader), DOMAIN)
    by_name = {p.name: p for p in steps.ready}
    assert set(by_name) == {"Sam", "Nina", "Gus"}
    assert by_name["Nina"].reasons == ["Badge in force: Novice"]
    assert by_name["Sam"].reasons == ["Self-assessed Novice (shared by name)"]
    assert by_name["Sam"].shared_self_level == 2
    assert by_name["Gus"].support_asked == ["A mentor, please"]
    # Pat rated themselves Explorer but keeps it private: counted, and 1 is fewer than 5.
    assert "Pat" not in by_name and steps.private_low is None
    assert next_steps.next_steps(plans.scope(plans.leader), DOMAIN, min_cell=1).private_low == 1


def test_a_private_self_assessment_is_named_once_its_owner_shares_it(plans):
    pat = plans.people["private_low"]
    set_self_assessment_sharing(pat, True)
    db.session.commit()
    steps = next_steps.next_steps(plans.scope(plans.leader), DOMAIN, min_cell=1)
    assert "Pat" in names(steps.ready) and steps.private_low == 0
    set_self_assessment_sharing(pat, False)
    db.session.commit()
    assert "Pat" not in names(next_steps.next_steps(plans.scope(plans.leader), DOMAIN).ready)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "users", AuditEvent.subject_id == pat.id)
    ).all()
    assert {"self_assessment.shared", "self_assessment.kept_private"} <= set(actions)


def test_sharing_takes_a_boolean(plans):
    with pytest.raises(InvalidInput) as caught:
        set_self_assessment_sharing(plans.educator, "yes")
    assert "share" in caught.value.errors


def test_a_school_leader_sees_only_their_school_but_coaches_from_the_district(plans):
    steps = next_steps.next_steps(plans.scope(plans.principal), DOMAIN)
    assert set(names(steps.ready)) == {"Sam", "Nina"}  # Gus works at South
    assert names(steps.coaches) == ["Ella", "Zed"]  # same school first, then the district
    assert [c.same_school for c in steps.coaches] == [True, False]
    with pytest.raises(InvalidInput) as caught:
        next_steps.next_steps(plans.scope(plans.principal), DOMAIN, school_key=plans.world.south.id)
    assert "school" in caught.value.errors


def test_coaches_are_nearest_first_and_never_from_another_district(plans):
    south = next_steps.next_steps(plans.scope(plans.leader), DOMAIN, school_key=plans.world.south.id)
    assert names(south.ready) == ["Gus"]
    assert names(south.coaches) == ["Zed", "Ella"]
    everyone = next_steps.next_steps(plans.scope(plans.leader), DOMAIN)
    assert "Expert" not in names(everyone.coaches)  # the other district's Expert
    assert names(everyone.coaches) == ["Ella", "Zed"]  # North has two people to support, South one
    far = next_steps.next_steps(plans.scope(plans.outsider), DOMAIN)
    assert far.ready == [] and names(far.coaches) == ["Expert"]


def test_next_steps_refuse_unknown_domains_roles_and_other_districts_schools(plans):
    scope = plans.scope(plans.leader)
    with pytest.raises(InvalidInput) as caught:
        next_steps.next_steps(scope, "nope", role="astronaut")
    assert set(caught.value.errors) == {"domain", "role"}
    far_school = db.session.scalar(select(School.id).where(School.slug == "far"))
    with pytest.raises(InvalidInput):
        next_steps.next_steps(scope, DOMAIN, school_key=far_school)


def test_next_steps_run_a_constant_number_of_statements(plans, make_user):
    scope = plans.scope(plans.leader)
    next_steps.next_steps(scope, DOMAIN)  # the framework's shape is cached per process

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            next_steps.next_steps(scope, DOMAIN)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for n in range(4):
        person = plans.world.person(make_user, f"more{n}@northfield.example.org")
        goals.create_goal(person, DOMAIN, 3, SOON, "Practise", support_needed="Time")
        db.session.commit()
    assert count() == before <= 3


def test_a_target_is_checked_field_by_field(plans):
    with pytest.raises(InvalidInput) as caught:
        targets.create_target(
            plans.leader,
            plans.scope(plans.leader),
            "nope",
            0,
            date.today(),
            professional_role="astronaut",
            school_id=999999,
            min_level=7,
            measure="vibes",
        )
    assert set(caught.value.errors) == {
        "domain",
        "share_percent",
        "due_on",
        "professional_role",
        "school",
        "min_level",
        "measure",
    }


def test_a_target_records_its_baseline_and_its_progress_is_measured(plans):
    scope = plans.scope(plans.leader)
    target = targets.create_target(plans.leader, scope, DOMAIN, 75, SOON, professional_role="teacher", min_level=2)
    db.session.commit()
    # 7 teachers in the district, 3 with a badge at Novice or above in force.
    assert target.baseline_percent == pytest.approx(42.9)
    data = load(scope)
    assert [t.id for t in data.targets] == [target.id]
    progress = measure_target(data, data.targets[0], 5, date.today())
    assert progress.current_percent == pytest.approx(42.9) and progress.status == "on track"
    recorded = select(AuditEvent.action).where(
        AuditEvent.subject_type == "readiness_targets", AuditEvent.subject_id == target.id
    )
    assert db.session.scalars(recorded).all() == ["readiness.target_set"]


def test_a_school_leaders_targets_are_for_their_school(plans):
    scope = plans.scope(plans.principal)
    mine = targets.create_target(plans.principal, scope, DOMAIN, 50, SOON)
    assert mine.school_id == plans.world.north.id
    with pytest.raises(InvalidInput) as caught:
        targets.create_target(plans.principal, scope, DOMAIN, 50, SOON, school_id=plans.world.south.id)
    assert "school" in caught.value.errors
    district_wide = targets.create_target(plans.leader, plans.scope(plans.leader), DOMAIN, 50, SOON)
    db.session.commit()
    assert targets.target_in_scope(scope, mine) and not targets.target_in_scope(scope, district_wide)
    with pytest.raises(PermissionError):
        targets.delete_target(plans.principal, scope, district_wide)
    assert not targets.target_in_scope(plans.scope(plans.outsider), mine)
    targets.delete_target(plans.leader, plans.scope(plans.leader), mine)
    db.session.commit()
    assert [t.id for t in load(plans.scope(plans.leader)).targets] == [district_wide.id]


def test_a_cohort_is_formed_from_people_the_leader_leads(plans):
    people = plans.people
    scope = plans.scope(plans.leader)
    cohort = cohorts.create_cohort(
        plans.leader,
        scope,
        "  Delivery circle ",
        DOMAIN,
        SOON,
        [people["novice"].id, people["asks"].id],
        coach_id=people["expert_north"].id,
        notes="Tuesdays",
    )
    db.session.commit()
    assert cohort.name == "Delivery circle" and cohort.coach.name == "Ella"
    assert [c.id for c in cohorts.list_cohorts(scope)] == [cohort.id]
    mine = cohorts.cohorts_of(people["novice"])
    assert [(m.cohort.name, m.domain_name) for m in mine] == [("Delivery circle", "Delivery and Operations")]
    assert cohorts.cohorts_of(people["expert_north"]) == []  # the coach is not a member
    assert cohorts.list_cohorts(plans.scope(plans.principal)) == []  # a district cohort, not the school's
    assert cohorts.list_cohorts(plans.scope(plans.outsider)) == []


def test_a_cohort_is_checked_field_by_field(plans):
    people = plans.people
    with pytest.raises(InvalidInput) as caught:
        cohorts.create_cohort(plans.leader, plans.scope(plans.leader), "", "nope", "soon", [])
    assert set(caught.value.errors) == {"name", "domain", "starts_on", "members"}
    with pytest.raises(InvalidInput) as caught:
        cohorts.create_cohort(
            plans.leader,
            plans.scope(plans.leader),
            "A\x00",
            DOMAIN,
            SOON,
            [people["novice"].id],
            coach_id=people["novice"].id,
        )
    assert set(caught.value.errors) == {"name", "coach"}


def test_a_school_leader_forms_cohorts_of_their_school_with_a_coach_from_the_district(plans):
    people = plans.people
    scope = plans.scope(plans.principal)
    with pytest.raises(InvalidInput) as caught:
        cohorts.create_cohort(plans.principal, scope, "Mixed", DOMAIN, SOON, [people["novice"].id, people["asks"].id])
    assert "members" in caught.value.errors
    with pytest.raises(InvalidInput) as caught:  # an Expert of another district cannot coach
        cohorts.create_cohort(
            plans.principal, scope, "Far", DOMAIN, SOON, [people["novice"].id], coach_id=people["far_expert"].id
        )
    assert "coach" in caught.value.errors
    cohort = cohorts.create_cohort(
        plans.principal, scope, "North circle", DOMAIN, SOON, [people["novice"].id], coach_id=people["expert_south"].id
    )
    db.session.commit()
    assert cohort.school_id == plans.world.north.id
    assert [c.id for c in cohorts.list_cohorts(plans.scope(plans.leader))] == [cohort.id]
    assert cohorts.cohort_in_scope(scope, cohort) and not cohorts.cohort_in_scope(plans.scope(plans.outsider), cohort)
