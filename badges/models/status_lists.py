"""The district's revocation list as last signed, one row per securing format.

Verifiers fetch the list on every check; signing it on every GET would make each fetch a signature
and each answer different bytes. So the signed document is kept with the hash of what it says (the
bits, the key, the URLs): it is signed again only when that hash changes (a revocation, a rotated key).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .timestamps import utcnow


class StatusListCredential(Model):
    __tablename__ = "status_list_credentials"
    __table_args__ = (UniqueConstraint("district_id", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(20))  # "data-integrity" or "vc-jwt"
    content_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 hex of what was signed, before signing
    document: Mapped[str] = mapped_column(Text)  # exactly the bytes served (JSON, or a compact JWS)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
