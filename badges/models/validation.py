"""Badge classes, claims on them, validators' reviews, and the awards that result.

A claim moves through revisions: the educator submits (revision 1), a validator may return it for
more evidence, the educator resubmits (revision 2), and so on. Each revision keeps its statement and
the evidence it cited, and each review names the revision it judged, so the history is never lost.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model, db
from .framework import Domain, Framework, Indicator, ProfessionalRole
from .people import User
from .portfolio import EvidenceItem
from .timestamps import utcnow


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(
        cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e], validate_strings=True
    )


class BadgeClass(Model):
    """One badge a person can earn: a domain at a level, for a professional role."""

    __tablename__ = "badge_classes"
    __table_args__ = (
        UniqueConstraint("domain_id", "role_id", "level"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"), index=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id", ondelete="RESTRICT"))
    role_id: Mapped[int] = mapped_column(ForeignKey("professional_roles.id", ondelete="RESTRICT"))
    level: Mapped[int]
    name: Mapped[str] = mapped_column(String(400))
    criteria: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    framework: Mapped[Framework] = relationship()
    domain: Mapped[Domain] = relationship()
    role: Mapped[ProfessionalRole] = relationship()


class BadgePolicy(Model):
    """How claims on a framework's badges are judged. One row per framework; absent means the defaults."""

    __tablename__ = "badge_policies"
    __table_args__ = (CheckConstraint("expert_approvals_required BETWEEN 1 AND 3", name="approvals_range"),)

    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), primary_key=True)
    # A level-n badge needs the level n-1 badge of the same domain and role first.
    requires_previous_level: Mapped[bool] = mapped_column(default=False)
    # Approving validators an Expert (level 4) claim needs; lower levels need one.
    expert_approvals_required: Mapped[int] = mapped_column(default=2)
    # Months an award stays valid (its credential's validUntil); None: it does not expire.
    validity_months: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ClaimStatus(str, enum.Enum):
    SUBMITTED = "submitted"  # waiting for validators
    RETURNED = "returned"  # a validator asked for more evidence; the educator may resubmit
    APPROVED = "approved"  # awarded
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "submitted": "Awaiting review",
            "returned": "Returned for more evidence",
            "approved": "Approved",
            "declined": "Declined",
            "withdrawn": "Withdrawn",
        }[self.value]

    @property
    def is_open(self) -> bool:
        return self in (ClaimStatus.SUBMITTED, ClaimStatus.RETURNED)


OPEN_STATUSES = ("submitted", "returned")

revision_evidence = Table(
    "claim_revision_evidence",
    db.metadata,
    Column("revision_id", ForeignKey("claim_revisions.id", ondelete="CASCADE"), primary_key=True),
    # RESTRICT: evidence a claim cited stays as long as the record of the claim does.
    Column("evidence_id", ForeignKey("evidence_items.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Claim(Model):
    __tablename__ = "claims"
    __table_args__ = (
        # At most one open claim per person and badge: a double-submitted form makes one claim.
        Index(
            "uq_claims_open_per_badge",
            "user_id",
            "badge_class_id",
            unique=True,
            sqlite_where=text("status IN ('submitted', 'returned')"),
            postgresql_where=text("status IN ('submitted', 'returned')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    badge_class_id: Mapped[int] = mapped_column(ForeignKey("badge_classes.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ClaimStatus] = mapped_column(_enum(ClaimStatus), default=ClaimStatus.SUBMITTED, index=True)
    # Fixed when the claim is made, so a later policy change does not move the goalposts.
    approvals_required: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None]
    # A renewal: a new claim with fresh evidence for a badge the person held before.
    renewal_of_award_id: Mapped[int | None] = mapped_column(
        ForeignKey("awards.id", ondelete="RESTRICT", use_alter=True)
    )  # awards also point at claims
    # Bumped on every change: an UPDATE that finds another version was overtaken (StaleDataError),
    # which guards SQLite where there is no SELECT ... FOR UPDATE.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User] = relationship()
    badge_class: Mapped[BadgeClass] = relationship()
    revisions: Mapped[list[ClaimRevision]] = relationship(
        back_populates="claim", order_by="ClaimRevision.number", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="claim", order_by="Review.id", cascade="all, delete-orphan"
    )
    award: Mapped[Award | None] = relationship(back_populates="claim", foreign_keys="Award.claim_id")
    renewal_of: Mapped[Award | None] = relationship(foreign_keys=[renewal_of_award_id])

    @property
    def current(self) -> ClaimRevision:
        return self.revisions[-1]


class ClaimRevision(Model):
    """What the educator submitted at one round: the statement and the evidence cited."""

    __tablename__ = "claim_revisions"
    __table_args__ = (UniqueConstraint("claim_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    number: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # What each cited item said when this revision was submitted, so what a validator judged stays on
    # record after the educator edits or deletes the item: a list of {"id", "title", "narrative",
    # "url", "file_name", "sha256"} in the order of `evidence` (see badges.validation.snapshots).
    evidence_snapshot: Mapped[list[dict]] = mapped_column(JSON, default=list)

    claim: Mapped[Claim] = relationship(back_populates="revisions")
    evidence: Mapped[list[EvidenceItem]] = relationship(secondary=revision_evidence, order_by="EvidenceItem.id")


class ReviewDecision(str, enum.Enum):
    APPROVE = "approve"
    RETURN = "return"
    DECLINE = "decline"

    @property
    def label(self) -> str:
        return {"approve": "Approved", "return": "Returned for more evidence", "decline": "Declined"}[self.value]


class Review(Model):
    """One validator's judgement of one revision of a claim."""

    __tablename__ = "reviews"
    # One decision per validator per revision: a double-submitted decision cannot count twice.
    __table_args__ = (UniqueConstraint("revision_id", "validator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("claim_revisions.id", ondelete="CASCADE"))
    validator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    decision: Mapped[ReviewDecision] = mapped_column(_enum(ReviewDecision))
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="reviews")
    revision: Mapped[ClaimRevision] = relationship()
    validator: Mapped[User] = relationship()
    ratings: Mapped[list[ReviewRating]] = relationship(
        back_populates="review", order_by="ReviewRating.indicator_id", cascade="all, delete-orphan"
    )


class ReviewRating(Model):
    """The validator's rating of one indicator, beside the educator's own."""

    __tablename__ = "review_ratings"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="RESTRICT"), primary_key=True)
    level: Mapped[int]

    review: Mapped[Review] = relationship(back_populates="ratings")
    indicator: Mapped[Indicator] = relationship()


class Award(Model):
    """A badge earned. One per claim (unique), whatever races to create it.

    The award is issued as a verifiable credential: the district is the issuer, the credential id
    is a UUID, the recipient is a salted hash of their email, and `status_index` is the award's
    bit in the district's revocation status list. The signed forms are kept, so every download of
    the same award is the same bytes (and a re-check of the same token is a cache hit).
    """

    __tablename__ = "awards"
    __table_args__ = (
        UniqueConstraint("district_id", "status_index"),
        Index("ix_awards_district_awarded", "district_id", "awarded_at"),  # badges awarded this term
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    badge_class_id: Mapped[int] = mapped_column(ForeignKey("badge_classes.id", ondelete="RESTRICT"), index=True)
    awarded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The credential (filled when it is issued, in the same transaction as the award).
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"))
    credential_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    recipient_salt: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    status_index: Mapped[int | None]
    show_name: Mapped[bool] = mapped_column(default=False)
    # Listed on the holder's public profile (User.public_profile_id) when they turn it on.
    on_profile: Mapped[bool] = mapped_column(default=False, server_default=false())
    jwt: Mapped[str | None] = mapped_column(Text)
    jwt_kid: Mapped[str | None] = mapped_column(String(64))
    data_integrity: Mapped[str | None] = mapped_column(Text)  # the JSON-LD credential with its proof
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))

    claim: Mapped[Claim] = relationship(back_populates="award", foreign_keys=[claim_id])
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    badge_class: Mapped[BadgeClass] = relationship()
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now: datetime) -> bool:
        return self.valid_until is not None and now >= self.valid_until
