"""Calibration: exemplar sets with agreed anchor levels, validators' blind ratings of them, the consent
that lets a person's own evidence become an exemplar, and each district's policy on what follows.

An exemplar is a copy made for calibration (written or uploaded, or copied from consented evidence with
names removed), never a link to a person's live evidence: what validators rated stays as they read it.
A validator rates an exemplar once, ever (a unique key): after rating it they have seen its anchors, so
a second rating would not be blind.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .framework import Domain, Framework, Indicator, ProfessionalRole
from .people import District, User
from .portfolio import EvidenceItem
from .timestamps import utcnow


class CalibrationConsent(Model):
    """An educator's recorded consent that one evidence item may be copied, names removed, into an
    exemplar set of their district. Withdrawn consent stops further copies; copies already made stay."""

    __tablename__ = "calibration_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL: the record of consent outlives the item (the exemplar is a copy of it).
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_items.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]

    evidence: Mapped[EvidenceItem | None] = relationship()
    user: Mapped[User] = relationship()

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class ExemplarSet(Model):
    """Exemplars for one domain and professional role. A draft is edited by its curators; once opened
    (opened_at) its exemplars and anchors are frozen, and validators rate it in calibration rounds."""

    __tablename__ = "exemplar_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id", ondelete="RESTRICT"))
    role_id: Mapped[int] = mapped_column(ForeignKey("professional_roles.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]

    district: Mapped[District] = relationship()
    framework: Mapped[Framework] = relationship()
    domain: Mapped[Domain] = relationship()
    role: Mapped[ProfessionalRole] = relationship()
    created_by: Mapped[User] = relationship()
    exemplars: Mapped[list[Exemplar]] = relationship(
        back_populates="exemplar_set", cascade="all, delete-orphan", order_by="Exemplar.position, Exemplar.id"
    )
    rounds: Mapped[list[CalibrationRound]] = relationship(
        back_populates="exemplar_set", order_by="CalibrationRound.opened_at, CalibrationRound.id"
    )

    @property
    def is_draft(self) -> bool:
        return self.opened_at is None


class Exemplar(Model):
    """One piece of evidence written or uploaded for calibration, with its agreed anchors: a level per
    key question, an overall level, and the rationale validators read after rating it."""

    __tablename__ = "exemplars"
    __table_args__ = (
        CheckConstraint("anchor_level IS NULL OR anchor_level BETWEEN 1 AND 4", name="anchor_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("exemplar_sets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    narrative: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    # An uploaded file, kept as evidence files are (generated name, served only as an attachment).
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    original_filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(120))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    # Set when copied from a person's evidence: the consent that allowed it (never the person's name).
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("calibration_consents.id", ondelete="RESTRICT"))
    anchor_level: Mapped[int | None]  # the agreed overall level
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    exemplar_set: Mapped[ExemplarSet] = relationship(back_populates="exemplars")
    consent: Mapped[CalibrationConsent | None] = relationship()
    anchors: Mapped[list[ExemplarAnchor]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ExemplarAnchor.indicator_id"
    )

    @property
    def anchor_levels(self) -> dict[int, int]:
        """Key question id -> the agreed level."""
        return {anchor.indicator_id: anchor.level for anchor in self.anchors}


class ExemplarAnchor(Model):
    __tablename__ = "exemplar_anchors"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    exemplar_id: Mapped[int] = mapped_column(ForeignKey("exemplars.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="RESTRICT"), primary_key=True)
    level: Mapped[int]

    indicator: Mapped[Indicator] = relationship()


class CalibrationRound(Model):
    """An opened exemplar set, rated by the district's validators in its domain and role until closed."""

    __tablename__ = "calibration_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("exemplar_sets.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None]

    exemplar_set: Mapped[ExemplarSet] = relationship(back_populates="rounds")
    opened_by: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CalibrationRating(Model):
    """One validator's blind judgment of one exemplar: a level per key question and an overall level,
    as on a real claim. Final once submitted: the anchors are shown right after."""

    __tablename__ = "calibration_ratings"
    __table_args__ = (
        UniqueConstraint("exemplar_id", "validator_id", name="uq_calibration_ratings_once"),
        CheckConstraint("overall_level BETWEEN 1 AND 4", name="overall_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="RESTRICT"), index=True)
    exemplar_id: Mapped[int] = mapped_column(ForeignKey("exemplars.id", ondelete="RESTRICT"))
    validator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    overall_level: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")  # the validator's own reasoning, as feedback on a claim
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[CalibrationRound] = relationship()
    exemplar: Mapped[Exemplar] = relationship()
    validator: Mapped[User] = relationship()
    levels: Mapped[list[CalibrationLevel]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CalibrationLevel.indicator_id"
    )

    @property
    def level_of(self) -> dict[int, int]:
        """Key question id -> the validator's level."""
        return {level.indicator_id: level.level for level in self.levels}


class CalibrationLevel(Model):
    __tablename__ = "calibration_levels"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    rating_id: Mapped[int] = mapped_column(ForeignKey("calibration_ratings.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="RESTRICT"), primary_key=True)
    level: Mapped[int]


class CalibrationPolicy(Model):
    """What a district asks of its validators' calibration. A district without a row has the defaults,
    which flag but restrict nothing: restricting is the district's choice."""

    __tablename__ = "calibration_policies"
    __table_args__ = (
        CheckConstraint("min_exact_percent BETWEEN 0 AND 100", name="min_exact_percent_range"),
        CheckConstraint("max_age_days > 0", name="max_age_days_positive"),
    )

    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    # A validator whose latest round agreed exactly with the anchors on fewer ratings than this is flagged.
    min_exact_percent: Mapped[int] = mapped_column(default=60)
    # ... and so is one whose latest round in the domain is older than this.
    max_age_days: Mapped[int] = mapped_column(default=365)
    # Claim levels a flagged validator may not decide (e.g. [4]: Expert); empty: flag only.
    restricted_levels: Mapped[list[int]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
