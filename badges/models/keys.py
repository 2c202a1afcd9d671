"""Signing keys: the service's own, kept in the shared database so every instance signs alike.

The private half is stored only as encrypted PKCS#8 (the passphrase is SIGNING_KEY_PASSPHRASE,
which lives in each instance's environment, never in the database). A retired key signs nothing
new but still verifies what it signed; a removed key has lost its private half and verifies nothing.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .timestamps import utcnow


class KeyAlgorithm(str, enum.Enum):
    ES256 = "ES256"  # VC-JWT (default)
    RS256 = "RS256"  # VC-JWT, for verifiers that only know RSA
    ED25519 = "Ed25519"  # Data Integrity proofs (eddsa-rdfc-2022)


class KeyStatus(str, enum.Enum):
    ACTIVE = "active"
    RETIRED = "retired"
    REMOVED = "removed"


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(
        cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e], validate_strings=True
    )


class SigningKey(Model):
    __tablename__ = "signing_keys"
    # One active key per algorithm: two instances creating a key at once cannot both win.
    __table_args__ = (
        Index(
            "uq_signing_keys_active_algorithm",
            "algorithm",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # random hex (never starts with "-": CLI-safe); the last segment of the key URL
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[KeyAlgorithm] = mapped_column(_enum(KeyAlgorithm))
    status: Mapped[KeyStatus] = mapped_column(_enum(KeyStatus), default=KeyStatus.ACTIVE)
    public_jwk: Mapped[str] = mapped_column(Text)  # JSON, without kid (added per URL)
    encrypted_private_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
