"""Readiness: each person's current level per domain, kept beside the history it is derived from,
so a district dashboard reads a few small aggregates instead of replaying every rating.

The tables here are derived data. `badges.readiness.standings` writes them in the same flush as the
rating, award, revocation or staff change that moves them, and can rebuild them from the history;
a test shows the two agree. Domains are named by code, so figures carry across framework versions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .people import User
from .timestamps import utcnow

# School key of staff who work in the district office (no school): a real value, so it can sit in a
# primary key and in GROUP BY on both databases.
DISTRICT_OFFICE = 0
# The rollup rows of readiness_changes: every school, every role (never a real school id or role code).
ALL_SCHOOLS = -1
ALL_ROLES = "*"


class ReadinessStanding(Model):
    """One person's level in one domain now: self-assessed, and what badges in force confirm.

    A badge's expiry happens with time, not with a write, so the validated level is not stored as a
    number: `held_until_<n>` is when the person's last badge at level n stops being in force (None:
    none held; FAR_FUTURE: it never expires), and the validated level at any moment is the highest n
    whose time has not come. The row is counted in ReadinessCount as it stood at `evaluated_at`;
    once `next_change_at` has passed, the dashboard corrects that count for the row in the same
    statement (see badges.readiness.dashboard), so an expiry shows the moment it happens.
    """

    __tablename__ = "readiness_standings"
    __table_args__ = (
        Index("ix_readiness_standings_cell", "district_id", "school_key", "professional_role"),
        Index("ix_readiness_standings_next_change", "district_id", "next_change_at"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    domain_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    # Copied from the person, so the aggregate needs no join (kept in step by the same flush).
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    school_key: Mapped[int]
    professional_role: Mapped[str] = mapped_column(String(80))
    self_level: Mapped[int | None]
    self_assessed_at: Mapped[datetime | None]
    held_until_1: Mapped[datetime | None]
    held_until_2: Mapped[datetime | None]
    held_until_3: Mapped[datetime | None]
    held_until_4: Mapped[datetime | None]
    evaluated_at: Mapped[datetime]
    # The first held_until after evaluated_at: from then on the count of this row needs correcting.
    next_change_at: Mapped[datetime | None]


class ReadinessCount(Model):
    """How many people of a cell stand at each (self-assessed, validated) pair of levels, as their
    standing rows were evaluated (0: no level). The heatmap sums these few rows instead of scanning
    one row per person and domain; written in the same flush as the standings."""

    __tablename__ = "readiness_counts"

    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    school_key: Mapped[int] = mapped_column(primary_key=True)
    professional_role: Mapped[str] = mapped_column(String(80), primary_key=True)
    domain_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    self_level: Mapped[int] = mapped_column(primary_key=True)
    validated_level: Mapped[int] = mapped_column(primary_key=True)
    people: Mapped[int]


class ReadinessChange(Model):
    """The trend, as monthly changes: how many people of a cell entered (+) or left (-) a level in a
    month. The number at a level at the end of month M is the sum of the changes up to M. Each change
    is written four times: for its school and role, and to the rollups ALL_SCHOOLS and ALL_ROLES, so
    a trend for any filter reads one slice of rows.

    A badge's expiry is known when it is awarded, so its leaving is written then, in its future
    month. The trend follows today's staff: a person who moves school takes their history along,
    and a deactivated person's history leaves with them (so the rebuild from history agrees)."""

    __tablename__ = "readiness_changes"

    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    school_key: Mapped[int] = mapped_column(primary_key=True)
    professional_role: Mapped[str] = mapped_column(String(80), primary_key=True)
    domain_code: Mapped[str] = mapped_column(String(80), primary_key=True)
    measure: Mapped[str] = mapped_column(String(10), primary_key=True)  # "self" or "validated"
    level: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)  # the first day of the month
    delta: Mapped[int]


class ReadinessTarget(Model):
    """A district's goal: `share_percent` of the staff in `professional_role` (None: every rated
    role) at `min_level` or above in a domain by `due_on`, for the district or one school."""

    __tablename__ = "readiness_targets"
    __table_args__ = (
        CheckConstraint("min_level BETWEEN 1 AND 4", name="min_level_range"),
        CheckConstraint("share_percent BETWEEN 1 AND 100", name="share_range"),
        Index("ix_readiness_targets_district", "district_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    professional_role: Mapped[str | None] = mapped_column(String(80))
    domain_code: Mapped[str] = mapped_column(String(80))
    measure: Mapped[str] = mapped_column(String(10), default="validated")
    min_level: Mapped[int] = mapped_column(default=3)
    share_percent: Mapped[int]
    due_on: Mapped[date]
    # Where the figure stood when the target was set: "on track" compares progress since then with
    # the time gone (a straight line from the baseline on the day it was set to the target on due_on).
    baseline_percent: Mapped[float] = mapped_column(default=0.0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship()


class Cohort(Model):
    """A training group a leader formed for one domain: members, a start date, perhaps a coach."""

    __tablename__ = "cohorts"
    __table_args__ = (Index("ix_cohorts_district", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    domain_code: Mapped[str] = mapped_column(String(80))
    starts_on: Mapped[date]
    notes: Mapped[str] = mapped_column(Text, default="")
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    members: Mapped[list[CohortMember]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortMember.user_id"
    )


class CohortMember(Model):
    __tablename__ = "cohort_members"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
