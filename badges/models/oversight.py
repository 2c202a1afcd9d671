"""Who may validate what, recorded conflicts of interest, the audit log and notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .people import District, School, User
from .timestamps import utcnow


class ValidatorScope(Model):
    """What one validator may review: claims whose domain, professional role and organization
    are all inside it. Empty lists mean nothing, never everything."""

    __tablename__ = "validator_scopes"

    validator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # The whole district: every school and the district office.
    whole_district: Mapped[bool] = mapped_column(default=False)
    # A lead validator also curates exemplar sets (badges.calibration) for the domains and roles in scope.
    lead: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    validator: Mapped[User] = relationship()
    # Domains and roles by code, so a scope survives a new framework version.
    domains: Mapped[list[ScopeDomain]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ScopeDomain.domain_code"
    )
    roles: Mapped[list[ScopeRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ScopeRole.role_code"
    )
    schools: Mapped[list[ScopeSchool]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def domain_codes(self) -> list[str]:
        return [d.domain_code for d in self.domains]

    @property
    def role_codes(self) -> list[str]:
        return [r.role_code for r in self.roles]

    @property
    def school_ids(self) -> list[int]:
        return sorted(s.school_id for s in self.schools)


class ScopeDomain(Model):
    __tablename__ = "validator_scope_domains"

    validator_id: Mapped[int] = mapped_column(
        ForeignKey("validator_scopes.validator_id", ondelete="CASCADE"), primary_key=True
    )
    domain_code: Mapped[str] = mapped_column(String(80), primary_key=True)


class ScopeRole(Model):
    __tablename__ = "validator_scope_roles"

    validator_id: Mapped[int] = mapped_column(
        ForeignKey("validator_scopes.validator_id", ondelete="CASCADE"), primary_key=True
    )
    role_code: Mapped[str] = mapped_column(String(80), primary_key=True)


class ScopeSchool(Model):
    __tablename__ = "validator_scope_schools"

    validator_id: Mapped[int] = mapped_column(
        ForeignKey("validator_scopes.validator_id", ondelete="CASCADE"), primary_key=True
    )
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)

    school: Mapped[School] = relationship(lazy="selectin")


class Conflict(Model):
    """A recorded conflict of interest: this validator never reviews this educator's claims."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("validator_id", "educator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    validator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    educator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    validator: Mapped[User] = relationship(foreign_keys=[validator_id])
    educator: Mapped[User] = relationship(foreign_keys=[educator_id])


class AuditEvent(Model):
    """One line of the append-only audit log: who did what to which record, when, and why.

    The database refuses UPDATE (and on PostgreSQL DELETE) of these rows (see the migration); the
    actor's name is copied in so the log reads the same even if the account changes later.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_district_time", "district_id", "occurred_at"),
        # The audit page's "by person" filter.
        Index("ix_audit_events_actor_time", "district_id", "actor_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    actor_label: Mapped[str] = mapped_column(String(460))  # "Name <email>", or "command line"
    action: Mapped[str] = mapped_column(String(60))  # e.g. "claim.submitted", "scope.changed"
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)  # what happened, in a sentence
    reason: Mapped[str] = mapped_column(Text, default="")  # why, in the actor's words

    district: Mapped[District] = relationship()


class Notification(Model):
    """Something a person should see on their home page (a claim of theirs changed status)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
