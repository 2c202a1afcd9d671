"""marshmallow schemas for the holder's badges API (names start with Holder: OpenAPI names are global).

The views hand these plain dicts built by badges.api.holder, so the pages and the API describe an
award the same way (live status, share link, downloads).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from .fields import UTCDateTime

STATUSES = ["valid", "revoked", "expired", "not yet valid", "invalid"]
URI = {"type": "string", "format": "uri"}


class HolderDownloadsSchema(Schema):
    jwt = fields.String(metadata={**URI, "description": "The VC-JWT (application/vc+jwt), as an attachment"})
    json = fields.String(
        metadata={
            **URI,
            "description": "The credential with its Data Integrity proof (application/vc+ld+json), as an attachment",
        }
    )
    png = fields.String(metadata={**URI, "description": "The badge PNG with the VC-JWT baked in (OB 3.0)"})
    svg = fields.String(metadata={**URI, "description": "The badge SVG with the VC-JWT baked in (OB 3.0)"})
    ob2_png = fields.String(metadata={**URI, "description": "The badge PNG with the OB 2.0 hosted assertion baked in"})


class HolderBadgeSchema(Schema):
    id = fields.Integer(metadata={"description": "The award's id"})
    badge_class_id = fields.Integer()
    name = fields.String()
    domain = fields.String()
    level = fields.Integer(metadata={"description": "1 to 4, the framework's four levels (1 lowest)"})
    level_name = fields.String()
    professional_role = fields.String()
    issuer = fields.String()
    credential_id = fields.String(metadata={"description": "urn:uuid:... (the same after re-signing)"})
    awarded_at = UTCDateTime()
    valid_from = fields.String(metadata={"format": "date-time"})
    valid_until = fields.String(allow_none=True, metadata={"format": "date-time", "description": "null: no expiry"})
    status = fields.String(metadata={"enum": STATUSES, "description": "What a verifier is told now"})
    status_label = fields.String()
    status_reason = fields.String(metadata={"description": '"valid", or the first failed check'})
    revoked_at = UTCDateTime(allow_none=True)
    revoked_reason = fields.String(allow_none=True)
    show_name = fields.Boolean(metadata={"description": "Whether the name is in the credential and on the public page"})
    on_profile = fields.Boolean(metadata={"description": "Listed on my public profile (shown while in force)"})
    profile_url = fields.String(
        allow_none=True, metadata={**URI, "description": "My public profile; null while it is turned off"}
    )
    linkedin_url = fields.String(metadata={**URI, "description": "LinkedIn's add-a-certification link, pre-filled"})
    share_url = fields.String(metadata={**URI, "description": "The public page anyone can open"})
    image_url = fields.String(metadata=URI)
    ob2_assertion_url = fields.String(metadata={**URI, "description": "The Open Badges 2.0 hosted assertion"})
    downloads = fields.Nested(HolderDownloadsSchema)


class HolderBadgeUpdateSchema(Schema):
    show_name = fields.Boolean(
        metadata={
            "description": "Show the name in the credential and on the public page; "
            "a change re-signs both forms (same credential id)"
        }
    )
    on_profile = fields.Boolean(metadata={"description": "List the badge on my public profile"})


class HolderJwtSchema(Schema):
    credential_id = fields.String()
    media_type = fields.String(metadata={"description": "application/vc+jwt"})
    filename = fields.String()
    jwt = fields.String(metadata={"description": "The compact JWS, as signed"})


class HolderJsonSchema(Schema):
    credential_id = fields.String()
    media_type = fields.String(metadata={"description": "application/vc+ld+json"})
    filename = fields.String()
    credential = fields.Dict(metadata={"description": "The OpenBadgeCredential with its eddsa-rdfc-2022 proof"})


class HolderProfileSchema(Schema):
    public = fields.Boolean(required=True, metadata={"description": "Whether my public profile is on"})
    url = fields.String(
        dump_only=True, allow_none=True, metadata={**URI, "description": "Its address; null while it is off"}
    )
