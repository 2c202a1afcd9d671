"""The competency framework as data: levels, roles, domains and their indicators.

A framework is identified by (slug, version). Rows of a loaded version are never
rewritten: a new version is new rows, so what was recorded against an older one stays
as it was recorded.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model, db
from .timestamps import utcnow

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
    # different file under an existing (slug, version) is refused.
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    levels: Mapped[list[Level]] = relationship(
        back_populates="framework", order_by="Level.value", cascade="all, delete-orphan"
    )
    roles: Mapped[list[ProfessionalRole]] = relationship(
        back_populates="framework", order_by="ProfessionalRole.position", cascade="all, delete-orphan"
    )
    domains: Mapped[list[Domain]] = relationship(
        back_populates="framework", order_by="Domain.position", cascade="all, delete-orphan"
    )

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
    code: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)

    domain: Mapped[Domain] = relationship(back_populates="indicators")
    framework: Mapped[Framework] = relationship()
    roles: Mapped[list[ProfessionalRole]] = relationship(
        secondary=indicator_roles, back_populates="indicators", order_by="ProfessionalRole.position"
    )
