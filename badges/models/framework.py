"""The competency framework as data: levels, roles, domains and their indicators.

A framework is identified by (slug, version). Rows of a published version are never
rewritten: a new version is new rows, so what was recorded against an older one stays
as it was recorded. A draft (published_at is None) is the one kind of version whose rows are
edited, by the admins of the district that owns the framework, until it is published.

Every row carries a CASE identifier (a UUID, CASE 1.1 section 4: `identifier`), kept for good, so
a version exported twice has the same identifiers and the CASE URLs it names keep resolving. A key
question's identity across versions is its code (CASE `humanCodingScheme`): drafts copy codes, and
a retired question's code is never given to a new one (badges.frameworks.drafts).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model, db
from .timestamps import utcnow


def new_identifier() -> str:
    """A CASE identifier: a lower-case UUID in the 8-4-4-4-12 form (CASE 1.1, the UUID derived type)."""
    return str(uuid.uuid4())


def _identifier() -> Mapped[str]:
    return mapped_column(String(36), unique=True, default=new_identifier)


indicator_roles = Table(
    "indicator_roles",
    db.metadata,
    Column("indicator_id", ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("professional_roles.id", ondelete="CASCADE"), primary_key=True),
)


class Framework(Model):
    __tablename__ = "frameworks"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the canonical file content: reloading the same file is a no-op, and a
    # different file under an existing (slug, version) is refused. "" while a draft.
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # CASE: the CFDocument's identifier, and those of its one CFRubric and that rubric's one criterion
    # (the scale), whose criterion levels are the Level rows.
    identifier: Mapped[str] = _identifier()
    rubric_identifier: Mapped[str] = _identifier()
    criterion_identifier: Mapped[str] = _identifier()
    # None: a draft, seen and edited only by the admins of the owning district.
    published_at: Mapped[datetime | None]
    # The version this one was drafted from (or imported over): what its change summary compares with.
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    # What changed against based_on, one sentence per change, written when it is published.
    change_summary: Mapped[list[str]] = mapped_column(JSON, default=list)

    levels: Mapped[list[Level]] = relationship(
        back_populates="framework", order_by="Level.value", cascade="all, delete-orphan"
    )
    roles: Mapped[list[ProfessionalRole]] = relationship(
        back_populates="framework", order_by="ProfessionalRole.position", cascade="all, delete-orphan"
    )
    domains: Mapped[list[Domain]] = relationship(
        back_populates="framework", order_by="Domain.position", cascade="all, delete-orphan"
    )

    based_on: Mapped[Framework | None] = relationship(remote_side="Framework.id")

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def label(self) -> str:
        return f"{self.title} {self.version}"

    def role(self, code: str) -> ProfessionalRole | None:
        return next((r for r in self.roles if r.code == code), None)

    def __repr__(self) -> str:
        return f"<Framework {self.slug}@{self.version}>"


class Level(Model):
    __tablename__ = "levels"
    __table_args__ = (UniqueConstraint("framework_id", "value"), UniqueConstraint("framework_id", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    value: Mapped[int]
    identifier: Mapped[str] = _identifier()
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    descriptor: Mapped[str] = mapped_column(Text)

    framework: Mapped[Framework] = relationship(back_populates="levels")


class ProfessionalRole(Model):
    """What a person does (teacher, school leader, ...): decides which indicators apply."""

    __tablename__ = "professional_roles"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    position: Mapped[int]
    identifier: Mapped[str] = _identifier()
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="roles")
    indicators: Mapped[list[Indicator]] = relationship(
        secondary=indicator_roles, back_populates="roles", order_by="Indicator.id"
    )


class Domain(Model):
    __tablename__ = "domains"
    __table_args__ = (UniqueConstraint("framework_id", "position"), UniqueConstraint("framework_id", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    position: Mapped[int]
    identifier: Mapped[str] = _identifier()
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="domains")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="domain", order_by="Indicator.position", cascade="all, delete-orphan"
    )


class Indicator(Model):
    """One key question of a domain; what a person at some level can answer or do."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("domain_id", "position"), UniqueConstraint("framework_id", "code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept beside domain_id so "is this indicator from that framework?" is one column check.
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"))
    domain_id: Mapped[int] = mapped_column(ForeignKey("domains.id", ondelete="CASCADE"))
    position: Mapped[int]
    identifier: Mapped[str] = _identifier()
    code: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)

    domain: Mapped[Domain] = relationship(back_populates="indicators")
    framework: Mapped[Framework] = relationship()
    roles: Mapped[list[ProfessionalRole]] = relationship(
        secondary=indicator_roles, back_populates="indicators", order_by="ProfessionalRole.position"
    )


class FrameworkOwner(Model):
    """The district that makes the versions of a framework (by slug). A framework with no owner is
    shared: loaded from a file or imported by the operator, adopted by districts, adapted as their own."""

    __tablename__ = "framework_owners"

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"), index=True)


class FrameworkEvent(Model):
    """One line of a framework's audit stream: drafts, publications, imports, loads and badge-policy
    changes. A framework is shared by districts while AuditEvent is per district, so this stream is the
    service's, read by the admins of every district using the framework (permissions.can_read_framework_events).
    Append-only, as the audit log is (the migration's triggers); named by slug and version, not by id,
    so a discarded draft's history stays.
    """

    __tablename__ = "framework_events"
    __table_args__ = (Index("ix_framework_events_slug_time", "framework_slug", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    framework_slug: Mapped[str] = mapped_column(String(80))
    framework_version: Mapped[str] = mapped_column(String(40))
    # The acting district (None: the command line).
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    actor_label: Mapped[str] = mapped_column(String(460))
    action: Mapped[str] = mapped_column(String(60))  # e.g. "framework.published"
    summary: Mapped[str] = mapped_column(Text)
    # The itemised changes of a publication or an edit, one sentence each.
    details: Mapped[list[str]] = mapped_column(JSON, default=list)
