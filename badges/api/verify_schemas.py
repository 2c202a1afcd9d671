"""marshmallow schemas for POST /api/v1/verify: what may be sent, and the verdict that comes back.

Named Verify... so they never clash with other schemas in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load
from werkzeug.datastructures import FileStorage

SOURCES = ("token", "credential", "image")
STATUSES = ["valid", "revoked", "expired", "not yet valid", "invalid"]


class VerifyCredentialField(fields.Raw):
    """A credential with a Data Integrity proof: the JSON object itself, or its text (from a form field).
    Anything else is still verified, and found not valid with the reason (a verdict, not a 422)."""


class VerifyRequestSchema(Schema):
    """Exactly one of: a VC-JWT, a credential with a Data Integrity proof, or a baked PNG/SVG (multipart)."""

    class Meta:
        unknown = EXCLUDE

    token = fields.String(metadata={"description": "A VC-JWT (compact JWS), as issued by this service"})
    credential = VerifyCredentialField(
        metadata={
            "type": "object",
            "description": "An OpenBadgeCredential with an eddsa-rdfc-2022 Data Integrity proof",
        }
    )
    image = Upload(metadata={"description": "A baked badge image, PNG or SVG, up to 5 MiB (multipart/form-data only)"})

    @post_load
    def _exactly_one(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """-> {"source": name, "value": ...}. A blank field beside another source (as an HTML form with an
        empty textarea sends) does not count; alone, a blank token is verified (and found not valid)."""
        given = {name: data[name] for name in SOURCES if data.get(name) is not None}
        if isinstance(given.get("image"), FileStorage) and not given["image"].filename:
            del given["image"]
        if len(given) > 1:
            given = {name: value for name, value in given.items() if not (isinstance(value, str) and not value.strip())}
        if not given:
            raise ValidationError("Send one of token, credential or image.", "_schema")
        if len(given) > 1:
            raise ValidationError(f"Send only one of token, credential or image, not {' and '.join(given)}.", "_schema")
        ((source, value),) = given.items()
        if source == "image" and not isinstance(value, FileStorage):
            raise ValidationError("An image is sent as a file in a multipart/form-data body.", "image")
        return {"source": source, "value": value}


class VerifyImageUploadSchema(Schema):
    """multipart/form-data: the baked image (a token or credential may be sent as a form field instead)."""

    image = Upload(required=True, metadata={"description": "A baked badge image, PNG or SVG, up to 5 MiB"})


class VerifyCheckSchema(Schema):
    name = fields.String(metadata={"enum": ["signature", "issuer known", "not before", "not expired", "not revoked"]})
    passed = fields.Boolean(allow_none=True, metadata={"description": "null: not reached (an earlier check failed)"})
    detail = fields.String()


class VerifySummarySchema(Schema):
    """What the badge says, from the issuer's records (the signed credential was checked first)."""

    badge = fields.String()
    domain = fields.String()
    level = fields.Integer(metadata={"description": "1 to 4, the framework's four levels (1 lowest)"})
    level_name = fields.String()
    professional_role = fields.String()
    issuer = fields.String()
    recipient = fields.String(allow_none=True, metadata={"description": "Only when the holder chose to show it"})
    valid_from = fields.String(allow_none=True, metadata={"format": "date-time"})
    valid_until = fields.String(allow_none=True, metadata={"format": "date-time"})
    validated_by = fields.List(fields.String())
    credential_id = fields.String()
    revoked = fields.Boolean()


class VerifyResultSchema(Schema):
    """The verdict. Answered with 200 whatever it is: "not valid" is a result, not an error."""

    valid = fields.Boolean()
    status = fields.String(metadata={"enum": STATUSES})
    format = fields.String(metadata={"enum": ["vc-jwt", "data-integrity", "unknown"]})
    reason = fields.String(metadata={"description": 'The first failed check\'s detail, or "valid"'})
    checks = fields.List(fields.Nested(VerifyCheckSchema))
    summary = fields.Nested(VerifySummarySchema, allow_none=True)
