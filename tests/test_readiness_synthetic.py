"""The synthetic district: plausible, deterministic, readable by the dashboard, and its CLI."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from badges.extensions import db
from badges.models import (
    Award,
    Claim,
    ClaimRevision,
    District,
    Goal,
    Rating,
    ReadinessStanding,
    Review,
    SelfAssessment,
    SystemRole,
    User,
    UserSystemRole,
)
from badges.permissions import ReadinessScope
from badges.readiness import dashboard
from badges.readiness.figures import VIEWS
from badges.readiness.report import build_report
from badges.readiness.synthetic import generate_district

NOW = datetime(2027, 3, 15, 12, 0)


def synthesize(framework, slug="synth", seed=7, staff=300, schools=5):
    summary = generate_district(framework, slug, "Synthetic District", staff=staff, schools=schools, seed=seed, now=NOW)
    db.session.commit()
    return summary


def in_district(district_id, model, what=None):
    """SELECT what (default: the model) FROM model JOIN its owner, for the district's people."""
    return (
        select(model if what is None else what)
        .select_from(model)
        .join(User, User.id == model.user_id)
        .where(User.district_id == district_id)
    )


def test_a_small_district_has_every_kind_of_record_in_plausible_proportions(framework):
    summary = synthesize(framework)
    did = summary.district_id
    staff = db.session.scalar(select(func.count(User.id)).where(User.district_id == did))
    assert staff == 300 and summary.staff == 300
    roles = dict(
        db.session.execute(
            select(User.professional_role, func.count()).where(User.district_id == did).group_by(User.professional_role)
        ).all()
    )
    assert roles["teacher"] > 0.8 * staff and 10 <= roles["school-leader"] <= 15 and roles["district-staff"] >= 5
    assert db.session.scalar(select(func.count()).where(User.district_id == did, User.school_id.is_(None))) >= 5
    assert db.session.scalar(select(func.count()).where(User.district_id == did, User.password_hash.is_not(None))) == 0

    held = dict(
        db.session.execute(
            select(UserSystemRole.role, func.count())
            .join(User, User.id == UserSystemRole.user_id)
            .where(User.district_id == did)
            .group_by(UserSystemRole.role)
        ).all()
    )
    assert held[SystemRole.DISTRICT_LEADER] == 2 and held[SystemRole.SCHOOL_LEADER] == 5
    assert held[SystemRole.VALIDATOR] >= 3 and held[SystemRole.EDUCATOR] == staff

    # Rounds once a term (four terms in two years), most staff taking part, every key question rated.
    assert 0.6 * staff * 4 <= summary.assessments <= 0.85 * staff * 4
    one = db.session.scalar(
        in_district(did, SelfAssessment).where(SelfAssessment.professional_role == "teacher").limit(1)
    )
    rated = db.session.scalar(select(func.count()).where(Rating.assessment_id == one.id))
    applicable = sum(1 for d in framework.domains for i in d.indicators if "teacher" in {r.code for r in i.roles})
    assert rated == applicable

    statuses = set(db.session.scalars(in_district(did, Claim, Claim.status).distinct()))
    assert {s.value for s in statuses} == {"submitted", "returned", "approved", "declined", "withdrawn"}
    assert db.session.scalar(
        in_district(did, Claim, func.count(ClaimRevision.id))
        .join(ClaimRevision, ClaimRevision.claim_id == Claim.id)
        .where(ClaimRevision.number == 2)
    )
    assert (
        db.session.scalar(in_district(did, Claim, func.count(Review.id)).join(Review, Review.claim_id == Claim.id)) > 0
    )
    awards = db.session.execute(in_district(did, Award)).scalars().all()
    assert len(awards) == summary.awards > 20
    assert all(a.credential_uuid is None and a.jwt is None for a in awards)  # unsigned: issue-missing signs
    assert any(a.revoked_at is not None for a in awards)
    assert any(a.valid_until < NOW for a in awards) and any(a.valid_until > NOW for a in awards)
    approved = db.session.scalar(in_district(did, Claim, func.count(Claim.id)).where(Claim.status == "approved"))
    assert approved == len(awards)

    goals = db.session.execute(in_district(did, Goal)).scalars().all()
    assert len(goals) == summary.goals > 0
    assert any(g.support_needed and g.status.value in ("not_started", "in_progress") for g in goals)

    # Standings for every counted person who assessed or holds a badge.
    standing_people = db.session.scalar(
        select(func.count(func.distinct(ReadinessStanding.user_id))).where(ReadinessStanding.district_id == did)
    )
    assessed = db.session.scalar(
        select(func.count(User.id)).where(
            User.district_id == did, User.active.is_(True), User.last_assessed_at.is_not(None)
        )
    )
    assert assessed <= standing_people <= summary.counted and summary.counted >= 0.97 * staff


def fingerprint(district_id: int) -> list[tuple]:
    """The district's people and their standings, with ids made relative (they differ between runs)."""
    first = db.session.scalar(select(func.min(User.id)).where(User.district_id == district_id))
    rows = db.session.execute(
        select(
            ReadinessStanding.user_id - first,
            ReadinessStanding.domain_code,
            ReadinessStanding.professional_role,
            ReadinessStanding.self_level,
            ReadinessStanding.self_assessed_at,
            ReadinessStanding.held_until_3,
        )
        .where(ReadinessStanding.district_id == district_id)
        .order_by(ReadinessStanding.user_id, ReadinessStanding.domain_code)
    )
    return [tuple(row) for row in rows]


def test_the_same_seed_makes_the_same_district(framework):
    one = synthesize(framework, "synth-one", seed=3, staff=120, schools=3)
    two = synthesize(framework, "synth-two", seed=3, staff=120, schools=3)
    other = synthesize(framework, "synth-other", seed=4, staff=120, schools=3)
    counts = [(s.assessments, s.ratings, s.goals, s.claims, s.awards, s.counted) for s in (one, two, other)]
    assert counts[0] == counts[1]
    assert fingerprint(one.district_id) == fingerprint(two.district_id) != fingerprint(other.district_id)


def test_the_dashboard_reads_it_in_every_view(framework):
    summary = synthesize(framework)
    scope = ReadinessScope(summary.district_id, None)
    for view in VIEWS:
        data = dashboard.load(scope, view, now=NOW)
        report = build_report(data, dashboard.Filters(view=view), min_cell=5)
        assert report.participation is not None and report.participation.staff == summary.counted
        if view == "trend":
            points = [p for series in report.trends["self"] for _, p in series.points if p]
            assert points and max(points) > 0
        else:
            assert len(report.rows) == 6  # five schools and the district office
            shares = [c.share_experienced for row in report.rows for c in row.cells if c.share_experienced]
            assert shares, view


def test_cli_synthesize_and_rebuild(runner, framework, monkeypatch):
    monkeypatch.setenv("BADGES_LEADER_PASSWORD", "a-long-enough-password")
    args = ["readiness", "synthesize", "--slug", "cli-synth", "--name", "CLI District", "--staff", "80"]
    result = runner.invoke(args=[*args, "--schools", "2", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "district cli-synth: 80 staff in 2 schools" in result.output and " s\n" in result.output
    db.session.rollback()
    district = db.session.scalar(select(District).where(District.slug == "cli-synth"))
    signable = db.session.scalars(select(User).where(User.district_id == district.id, User.password_hash.is_not(None)))
    assert [u.check_password("a-long-enough-password") for u in signable] == [True]

    rebuilt = runner.invoke(args=["readiness", "rebuild", "cli-synth"])
    assert rebuilt.exit_code == 0 and "people counted" in rebuilt.output, rebuilt.output
    refreshed = runner.invoke(args=["readiness", "refresh", "cli-synth"])
    assert refreshed.exit_code == 0 and "readiness standings re-counted" in refreshed.output, refreshed.output
    assert runner.invoke(args=["readiness", "refresh", "nowhere"]).exit_code != 0


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--slug", "synth", "--staff", "20"], "already exists"),
        (["--slug", "fresh", "--staff", "0"], "staff must be between 1"),
        (["--slug", "fresh", "--staff", "10", "--schools", "20"], "need at least as many staff"),
        (["--slug", "Bad Slug", "--staff", "10"], "lower-case"),
        (["--slug", "fresh", "--staff", "10", "--framework", "nope@1"], "loaded framework"),
    ],
)
def test_cli_refuses_bad_input_with_one_line(runner, framework, extra, message):
    synthesize(framework, "synth", staff=20, schools=1)
    result = runner.invoke(args=["readiness", "synthesize", "--name", "N", "--schools", "1", *extra])
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count(District.id)).where(District.slug == "fresh")) == 0


def test_cli_rebuild_of_an_unknown_district_fails(runner, framework):
    result = runner.invoke(args=["readiness", "rebuild", "nowhere"])
    assert result.exit_code != 0 and "no district with slug 'nowhere'" in result.output
