"""Goals and the evidence portfolio (the adult's "binder" of work that shows progress)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model, db
from .framework import Domain, Indicator
from .people import User
from .timestamps import utcnow

evidence_indicators = Table(
    "evidence_indicators",
    db.metadata,
    Column("evidence_id", ForeignKey("evidence_items.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", ForeignKey("indicators.id", ondelete="RESTRICT"), primary_key=True),
)

goal_evidence = Table(
    "goal_evidence",
    db.metadata,
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_id", ForeignKey("evidence_items.id", ondelete="CASCADE"), primary_key=True),
)


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(
        cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e], validate_strings=True
    )


class GoalStatus(str, enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    SET_ASIDE = "set_aside"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EvidenceKind(str, enum.Enum):
    FILE = "file"
    LINK = "link"


class Goal(Model):
    __tablename__ = "goals"
    __table_args__ = (CheckConstraint("target_level BETWEEN 1 AND 4", name="target_level_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id", ondelete="RESTRICT"))
    target_level: Mapped[int]
    target_date: Mapped[date]
    actions: Mapped[str] = mapped_column(Text)  # what I will do
    support_needed: Mapped[str] = mapped_column(Text, default="")  # what support I need
    status: Mapped[GoalStatus] = mapped_column(_enum(GoalStatus), default=GoalStatus.NOT_STARTED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    domain: Mapped[Domain] = relationship()
    evidence: Mapped[list[EvidenceItem]] = relationship(
        secondary=goal_evidence, back_populates="goals", order_by="EvidenceItem.id"
    )


class EvidenceItem(Model):
    __tablename__ = "evidence_items"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'file' AND stored_name IS NOT NULL) OR (kind = 'link' AND url IS NOT NULL)", name="file_or_link"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(_enum(EvidenceKind))
    title: Mapped[str] = mapped_column(String(200))
    narrative: Mapped[str] = mapped_column(Text)  # what it shows, what I learned
    # Shown on the conference summary when the owner picks it.
    in_summary: Mapped[bool] = mapped_column(default=False)
    url: Mapped[str | None] = mapped_column(String(2000))
    # Uploads: kept under a generated name, never the uploader's; served only as attachments.
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    original_filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(120))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    indicators: Mapped[list[Indicator]] = relationship(secondary=evidence_indicators, order_by="Indicator.id")
    goals: Mapped[list[Goal]] = relationship(secondary=goal_evidence, back_populates="evidence")
