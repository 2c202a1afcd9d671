"""The holder's side of an award: finding it, whether the name is shown, its live status, and the
files the holder takes away (the two signed forms and the badge images with the credential baked in).

Every file is built from what the award keeps (award.jwt, award.data_integrity), so each download
of the same award is the same credential; only showing or hiding the name re-signs it.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata

from sqlalchemy import select

from .. import audit
from ..catalogue.badge_classes import level_of
from ..catalogue.images import badge_png, badge_svg
from ..extensions import db
from ..models import Award, BadgeClass, User
from . import ob2
from .baking import OB2_KEYWORD, OB3_KEYWORD, bake_png, bake_svg
from .issuing import ensure_issued, sign
from .verification import Verification, verify_token

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STATUS_LABELS = {
    "valid": "Valid",
    "revoked": "Revoked",
    "expired": "Expired",
    "not yet valid": "Not yet valid",
    "invalid": "Cannot be verified",
}
# Media types of the downloads. A VC-JWT is a VC 2.0 credential secured as a JWT, which W3C VC-JOSE-COSE
# registers as application/vc+jwt; the JSON-LD form with its embedded proof is application/vc+ld+json.
JWT_TYPE = "application/vc+jwt"
JSON_TYPE = "application/vc+ld+json"


def award_by_credential_uuid(value: str) -> Award | None:
    """The award with this credential id (a canonical lower-case UUID), or None for anything else."""
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        return None
    return db.session.scalar(select(Award).where(Award.credential_uuid == value))


def set_show_name(owner: User, award: Award, show: bool) -> bool:
    """Show or hide the holder's name in the credential and on the public page; re-signs both forms
    (same credential id) when it changes. Returns whether anything changed. The caller commits."""
    if award.user_id != owner.id:
        raise PermissionError(f"{owner!r} does not hold award {award.id}")
    ensure_issued(award)
    show = bool(show)
    if award.show_name == show:
        return False
    award.show_name = show
    sign(award)
    shown = "shows" if show else "no longer shows"
    audit.record(
        award.user.district_id,
        owner,
        "award.name_shown" if show else "award.name_hidden",
        award,
        f"{owner.name} {shown} their name in the credential of “{award.badge_class.name}”.",
    )
    return True


def live_status(award: Award) -> Verification:
    """What anyone verifying the award's VC-JWT is told now: valid, revoked, expired, ..."""
    assert award.jwt, f"award {award.id} is not issued"
    return verify_token(award.jwt)


def status_label(verification: Verification) -> str:
    return STATUS_LABELS.get(verification.status, verification.status.capitalize())


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def file_stem(award: Award) -> str:
    """A download's name without extension: the domain and the level, e.g. delivery-and-operations-experienced."""
    badge = award.badge_class
    return "-".join(part for part in (_slug(badge.domain.name), _slug(level_of(badge).name)) if part) or "badge"


@functools.lru_cache(maxsize=256)
def _png(domain_position: int, domain_name: str, level_value: int, level_name: str, domain_code: str) -> bytes:
    return badge_png(domain_position, domain_name, level_value, level_name, domain_code)


def png_image(badge: BadgeClass) -> bytes:
    """The badge's PNG (drawn once per process per design: it is the same bytes every time)."""
    level = level_of(badge)
    return _png(badge.domain.position, badge.domain.name, level.value, level.name, badge.domain.code)


def svg_image(badge: BadgeClass) -> str:
    level = level_of(badge)
    return badge_svg(badge.domain.position, badge.domain.name, level.value, level.name, badge.domain.code)


def baked_png(award: Award) -> bytes:
    """OB 3.0 baking: the VC-JWT in an iTXt chunk with keyword openbadgecredential."""
    assert award.jwt, f"award {award.id} is not issued"
    return bake_png(png_image(award.badge_class), OB3_KEYWORD, award.jwt)


def baked_svg(award: Award) -> str:
    """OB 3.0 baking: <openbadges:credential verify="COMPACT-JWS">."""
    return bake_svg(svg_image(award.badge_class), award.jwt)


def baked_ob2_png(award: Award) -> bytes:
    """OB 2.0 baking: the hosted Assertion's JSON in an iTXt chunk with keyword openbadges. A verifier
    reads its id (the hosted URL) and fetches the assertion from us, so revocation is seen there."""
    assertion = json.dumps(ob2.assertion(award), ensure_ascii=False, separators=(",", ":"))
    return bake_png(png_image(award.badge_class), OB2_KEYWORD, assertion)
