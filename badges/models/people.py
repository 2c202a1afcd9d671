"""Districts, their schools, and the people who work in them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import Model
from .framework import Framework
from .timestamps import utcnow


class SystemRole(str, enum.Enum):
    """What a person may do in this service (distinct from their professional role)."""

    EDUCATOR = "educator"
    VALIDATOR = "validator"
    DISTRICT_LEADER = "district_leader"
    # Sees readiness for their own school (User.school_id) only.
    SCHOOL_LEADER = "school_leader"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class District(Model):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Where people write to the issuer: OB 2.0 requires an Issuer email (BADGES_ISSUER_EMAIL when unset).
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # The framework version the district's staff assess themselves against.
    framework_id: Mapped[int | None] = mapped_column(ForeignKey("frameworks.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    framework: Mapped[Framework | None] = relationship()
    schools: Mapped[list[School]] = relationship(back_populates="district", order_by="School.name")


class School(Model):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("district_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))

    district: Mapped[District] = relationship(back_populates="schools")


class UserSystemRole(Model):
    __tablename__ = "user_system_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[SystemRole] = mapped_column(
        Enum(
            SystemRole,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        primary_key=True,
    )


class User(UserMixin, Model):
    __tablename__ = "users"
    # Covers the readiness participation figures: staff and who has self-assessed, per school and role.
    __table_args__ = (
        Index("ix_users_readiness", "district_id", "active", "school_id", "professional_role", "last_assessed_at"),
        # The admin's staff list: one district, in name order, paged by keyset (name, id).
        Index("ix_users_directory", "district_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="SET NULL"), index=True)
    # Stored lower-cased; unique across the service because it is the login name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # A code from the district's framework (e.g. "teacher"); None for staff with no rated role.
    professional_role: Mapped[str | None] = mapped_column(String(80))
    # None until a password is set: imported staff cannot log in before that.
    password_hash: Mapped[str | None] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session's id (get_id): raising it ends every session of this person at once,
    # since the user loader refuses a cookie that names an older version (see end_sessions).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Self-assessment is for honest growth: leaders see it only in aggregate unless the person chooses
    # to let them see their self-assessed levels by name.
    shares_self_assessment: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When the person last submitted a self-assessment (participation figures read this, not the rounds).
    last_assessed_at: Mapped[datetime | None]
    # When an admin last sent an invitation (the staff list shows "invited" until a password is set).
    invited_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    # The address of the person's public profile (/profiles/<id>), set when they turn it on; the
    # profile lists only the awards they marked Award.on_profile.
    public_profile_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    district: Mapped[District] = relationship()
    school: Mapped[School | None] = relationship()
    role_rows: Mapped[list[UserSystemRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def system_roles(self) -> frozenset[SystemRole]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, role: SystemRole) -> bool:
        return role in self.system_roles

    def set_system_roles(self, roles: set[SystemRole]) -> None:
        keep = [row for row in self.role_rows if row.role in roles]
        have = {row.role for row in keep}
        self.role_rows = keep + [UserSystemRole(role=r) for r in sorted(roles - have, key=lambda r: r.value)]

    def set_password(self, password: str) -> None:
        """A new password ends every session signed in with the old one."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Sign this person out everywhere: every existing session cookie stops working.

        The increment happens in SQL at the next flush, so two requests ending sessions at once
        cannot lose one of the increments."""
        if self.id is not None:  # an account not stored yet has no sessions to end
            self.session_version = User.session_version + 1

    def get_id(self) -> str:
        """The session's id for Flask-Login: "<id>:<session version>" (checked by the user loader)."""
        return f"{self.id}:{self.session_version}"

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.id}>"
