"""The demo district's history: a living dashboard for the demo district leader, seeded once."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from badges.extensions import db
from badges.models import Award, Claim, Cohort, Goal, GoalStatus, SelfAssessment, User
from badges.permissions import readiness_scope
from badges.readiness import dashboard
from badges.readiness.cohorts import cohorts_of
from badges.readiness.demo_history import seed_demo_history
from badges.readiness.report import build_report


def leader() -> User:
    return db.session.scalar(select(User).where(User.email == "leader@demo.example.org"))


def figures(view: str):
    data = dashboard.load(readiness_scope(leader()), view)
    return build_report(data, dashboard.Filters(view=view), min_cell=5)


def shown_levels(report) -> int:
    return sum(sum(cell.levels) for row in report.rows for cell in row.cells if cell.levels)


def test_after_seeding_the_leader_sees_validated_and_self_figures(demo, framework):
    started = time.perf_counter()
    assert seed_demo_history(demo.district, framework) is True
    db.session.commit()
    assert time.perf_counter() - started < 10  # a couple of seconds; generous for a busy machine

    validated, mine = figures("validated"), figures("self")
    assert shown_levels(validated) >= 10 and shown_levels(mine) > 100
    assert mine.participation.assessed_percent >= 60
    assert validated.participation.claims_waiting == 3 and validated.participation.badges_this_term >= 10
    trend = figures("trend")
    assert any(p for series in trend.trends["self"] for _, p in series.points)
    (target,) = validated.targets
    assert target.domain_name == "Delivery and Operations" and target.target.share_percent == 75
    assert target.current_percent is not None and target.status in ("met", "on track", "behind")
    (cohort,) = db.session.scalars(select(Cohort)).all()
    assert cohort.members and cohort.domain_code == "personalization-proficiency"
    assert all(cohorts_of(member.user) for member in cohort.members)  # on each member's home page

    rounds = db.session.scalars(select(SelfAssessment.submitted_at).where(SelfAssessment.submitted_at.is_not(None)))
    months = {(moment.year, moment.month) for moment in rounds}
    assert len(months) >= 4  # several months of history, not one afternoon
    assert db.session.scalar(select(func.count(Award.id))) >= 10
    sharing = db.session.scalar(select(func.count(User.id)).where(User.shares_self_assessment.is_(True)))
    assert sharing >= 3
    goal = db.session.scalar(select(Goal))
    assert goal.support_needed and goal.status is GoalStatus.NOT_STARTED


def test_seeding_twice_adds_nothing(demo, framework):
    assert seed_demo_history(demo.district, framework) is True
    db.session.commit()
    counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (SelfAssessment, Claim, Award, Goal)]
    assert seed_demo_history(demo.district, framework) is False
    db.session.commit()
    assert [db.session.scalar(select(func.count()).select_from(m)) for m in (SelfAssessment, Claim, Award, Goal)] == (
        counts
    )


def test_demo_seed_command_adds_the_history_once(runner, app):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0 and "readiness history: added" in first.output, first.output
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "readiness history: already present" in again.output, again.output
