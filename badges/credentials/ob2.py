"""Open Badges 2.0 hosted verification: the same award as an Assertion, BadgeClass and Issuer Profile.

Older backpacks and validators speak only OB 2.0. Each document is JSON-LD served at its own `id`
URL (Open Badges v2.0, "HostedBadge Verification"): the Assertion names its BadgeClass by URL, the
BadgeClass its Issuer Profile. The recipient is the same salted SHA-256 of the email as in the OB 3.0
credential (one salt per award). A revoked assertion is stripped to `id` and `revoked`, with the
reason, and answered with 410 Gone: the spec's two signals, either of which means revoked.

A badge class belongs to a framework, which several districts may use, while an OB 2.0 BadgeClass
has exactly one issuer: its URL names the district (`?issuer=<slug>`), and only a district that uses
the framework or has awarded the badge can be named.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from ..catalogue.badge_classes import level_of
from ..extensions import db
from ..models import Award, BadgeClass, District
from . import urls
from .credential import EVIDENCE_NARRATIVE_MAX, email_hash, issuer_email, timestamp

CONTEXT = "https://w3id.org/openbadges/v2"


def badge_class_url(badge_class: BadgeClass, district: District) -> str:
    return f"{urls.ob2_badge_class(badge_class)}?issuer={district.slug}"


def assertion(award: Award) -> dict:
    """The hosted Assertion of an issued award (credential_uuid, salt and dates are set)."""
    assert award.credential_uuid and award.recipient_salt and award.valid_from, f"award {award.id} is not issued"
    salt = award.recipient_salt
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.ob2_assertion(award.credential_uuid),
        "recipient": {"type": "email", "hashed": True, "salt": salt, "identity": email_hash(award.user.email, salt)},
        "badge": badge_class_url(award.badge_class, award.user.district),
        "verification": {"type": "hosted"},
        "issuedOn": timestamp(award.valid_from),
    }
    if award.valid_until is not None:
        document["expires"] = timestamp(award.valid_until)
    evidence = [
        {"type": "Evidence", "name": item.title, "narrative": item.narrative[:EVIDENCE_NARRATIVE_MAX]}
        for item in award.claim.current.evidence
    ]
    if evidence:
        document["evidence"] = evidence
    return document


def revoked_assertion(award: Award) -> dict:
    """What a revoked hosted assertion answers: only `id` and `revoked` are required, the reason is kept."""
    assert award.credential_uuid, f"award {award.id} is not issued"
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.ob2_assertion(award.credential_uuid),
        "revoked": True,
        "revocationReason": award.revoked_reason or "Revoked by the issuer.",
    }


def hosted_assertion(award: Award) -> tuple[dict, int]:
    """The document and HTTP status the assertion's URL answers with now."""
    if award.is_revoked:
        return revoked_assertion(award), 410
    return assertion(award), 200


def badge_class(badge: BadgeClass, district: District) -> dict:
    framework, level = badge.framework, level_of(badge)
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(badge, district),
        "name": badge.name,
        "description": f"{level.name} ({level.value}) in {badge.domain.name} for a {badge.role.name.lower()}: "
        f"{level.descriptor}",
        "image": urls.badge_image(badge, "png"),
        "criteria": {"id": urls.domain(framework, badge.domain.code), "narrative": badge.criteria},
        "issuer": urls.ob2_issuer(district),
        "alignment": [
            {
                "targetName": badge.domain.name,
                "targetUrl": urls.case_item(badge.domain.identifier),
                "targetCode": badge.domain.code,
                "targetFramework": f"{framework.title} ({framework.version})",
            }
        ],
        "tags": [badge.domain.name, level.name, badge.role.name],
    }


def issuer(district: District) -> dict:
    """The Issuer Profile: OB 2.0 requires name, url and email (the district's own, or the service's)."""
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls.ob2_issuer(district),
        "name": district.name,
        "url": urls.base(),
        "email": issuer_email(district),
    }


def issuers_of(badge: BadgeClass) -> list[District]:
    """Districts that may appear as the badge class's issuer: those on its framework or that awarded it."""
    awarded = select(Award.district_id).where(Award.badge_class_id == badge.id, Award.district_id.is_not(None))
    return list(
        db.session.scalars(
            select(District)
            .where(or_(District.framework_id == badge.framework_id, District.id.in_(awarded)))
            .order_by(District.slug)
        )
    )
