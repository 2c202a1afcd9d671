"""Self-assessment: dated rounds of ratings, kept for ever so progress can be drawn.

Ratings are append-only: saving a rating again adds a row, and the newest row per indicator
is the assessment's current answer. A submitted assessment is closed; the next one is a new round.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model, db
from .framework import Framework, Indicator
from .people import User
from .timestamps import utcnow


class SelfAssessment(Model):
    __tablename__ = "self_assessments"
    __table_args__ = (Index("ix_self_assessments_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    # The professional role the person held when rating: it decided which indicators applied.
    professional_role: Mapped[str] = mapped_column(db.String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    framework: Mapped[Framework] = relationship()
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="assessment", order_by="Rating.id", cascade="all, delete-orphan"
    )

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


class Rating(Model):
    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
        Index("ix_ratings_assessment_indicator", "assessment_id", "indicator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessments.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="RESTRICT"))
    level: Mapped[int]
    reflection: Mapped[str] = mapped_column(Text, default="")
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[SelfAssessment] = relationship(back_populates="ratings")
    indicator: Mapped[Indicator] = relationship()
