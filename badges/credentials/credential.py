"""An award as an Open Badges 3.0 OpenBadgeCredential (a W3C Verifiable Credential, VC Data Model 2.0).

Shapes follow OB 3.0 section 8 (data model): Achievement with criteria, alignment (targetType CFItem: the
domain's CASE item, /ims/case/v1p1/CFItems/<identifier>) and a ResultDescription of type RubricCriterionLevel
listing the four levels;
AchievementSubject identified by a salted SHA-256 of the email (IdentityObject), and the earned level
as result.achievedLevel. Evidence carries names and narratives, never the files.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app

from ..catalogue.badge_classes import level_of
from ..models import Award, BadgeClass, District
from . import urls
from .jsonld import CREDENTIALS_V2, DID_V1, OPEN_BADGES_V3

CONTEXTS = [CREDENTIALS_V2, OPEN_BADGES_V3]
PROFILE_CONTEXTS = [DID_V1, CREDENTIALS_V2, OPEN_BADGES_V3]
EVIDENCE_NARRATIVE_MAX = 2000  # keeps tokens small: the full narrative stays in the portfolio


def timestamp(moment: datetime) -> str:
    """VC 2.0 dateTimeStamp in UTC with seconds, as verifiers expect (YYYY-MM-DDTHH:MM:SSZ)."""
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def email_hash(email: str, salt: str) -> str:
    """OB 3.0 IdentityObject.identityHash: 'sha256$' + hex SHA-256 of the identity followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()


def issuer_profile(district: District) -> dict:
    return {"id": urls.issuer(district), "type": ["Profile"], "name": district.name, "url": urls.base()}


def issuer_email(district: District) -> str:
    """Where people write to the issuer: the district's own address, or the service's."""
    return district.contact_email or current_app.config["BADGES_ISSUER_EMAIL"]


def issuer_document(district: District, verification_methods: list[str]) -> dict:
    """What the issuer's id dereferences to, read two ways: by verifier-core as a controller document
    (the DID context first, assertionMethod listing the Data Integrity keys) and by wallets as an OB 3.0
    Profile, whose terms (Profile, name, url, email) the VC 2.0 and OB 3.0 contexts define, so that
    none of them drops out when the document is expanded as JSON-LD."""
    return {
        "@context": PROFILE_CONTEXTS,
        **issuer_profile(district),
        "email": issuer_email(district),
        "assertionMethod": verification_methods,
    }


def achievement(award: Award) -> dict:
    return badge_achievement(award.badge_class)


def achievement_document(badge: BadgeClass) -> dict:
    """The Achievement on its own, as its id URL serves it to machines (JSON-LD, the OB 3.0 context)."""
    return {"@context": CONTEXTS, **badge_achievement(badge)}


def badge_achievement(badge: BadgeClass) -> dict:
    """The OB 3.0 Achievement of a badge class: the same object every credential of it embeds."""
    framework, level = badge.framework, level_of(badge)
    achievement_id = urls.achievement(badge)
    result_description_id = f"{achievement_id}#levels"
    return {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": badge.name,
        "description": f"{level.name} ({level.value}) in {badge.domain.name} for a {badge.role.name.lower()}: "
        f"{level.descriptor}",
        "criteria": {"narrative": badge.criteria},
        "image": {"id": urls.badge_image(badge), "type": "Image"},
        "alignment": [
            {
                "type": ["Alignment"],
                "targetType": "CFItem",
                "targetName": badge.domain.name,
                "targetUrl": urls.case_item(badge.domain.identifier),
                "targetCode": badge.domain.code,
                "targetFramework": f"{framework.title} ({framework.version})",
            }
        ],
        "resultDescription": [
            {
                "id": result_description_id,
                "type": ["ResultDescription"],
                "name": "Competency level",
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": [
                    {
                        "id": urls.level(framework, lv.value),
                        "type": ["RubricCriterionLevel"],
                        "name": f"{lv.name} ({lv.value})",
                        "description": lv.descriptor,
                        "level": str(lv.value),
                    }
                    for lv in framework.levels
                ],
                "requiredLevel": urls.level(framework, level.value),
            }
        ],
    }


def build_credential(award: Award, status_list: str | None = None) -> dict:
    """The unsigned credential of an issued award (credential_uuid, salt, dates and index are set).

    `status_list` is the URL of the revocation list secured the way this credential will be (the
    VC-JWT names the VC-JWT list); by default the Data Integrity list."""
    assert award.credential_uuid and award.recipient_salt and award.valid_from, f"award {award.id} is not issued"
    district, person = award.user.district, award.user
    badge = award.badge_class
    achieved = achievement(award)
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": email_hash(person.email, award.recipient_salt),
            "salt": award.recipient_salt,
        }
    ]
    if award.show_name:
        identifiers.append(
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": person.name}
        )
    status_list = status_list or urls.status_list(district)
    credential = {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{award.credential_uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(district),
        "validFrom": timestamp(award.valid_from),
        "name": badge.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achieved,
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": achieved["resultDescription"][0]["id"],
                    "achievedLevel": achieved["resultDescription"][0]["requiredLevel"],
                }
            ],
        },
        "evidence": [
            {"type": ["Evidence"], "name": item.title, "narrative": item.narrative[:EVIDENCE_NARRATIVE_MAX]}
            for item in award.claim.current.evidence
        ],
        "credentialStatus": {
            "id": f"{status_list}#{award.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(award.status_index),
            "statusListCredential": status_list,
        },
    }
    if award.valid_until is not None:
        credential["validUntil"] = timestamp(award.valid_until)
    return credential
