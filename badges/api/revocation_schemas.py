"""marshmallow schemas for revoking an award through the API.

The request schema checks only shape and type (422 when wrong); whether the reason will do is the
service's to say (400 with the message), and an award already revoked answers 409.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..credentials.revocation import REASON_MAX
from .fields import UTCDateTime


class RevocationRequestSchema(Schema):
    reason = fields.String(
        required=True,
        metadata={
            "description": f"Why the badge is revoked (1..{REASON_MAX} characters); the holder and the audit log "
            "read it, and verifiers see it"
        },
    )


class RevocationResultSchema(Schema):
    id = fields.Integer(metadata={"description": "Id of the award"})
    revoked_at = UTCDateTime()
    reason = fields.String(attribute="revoked_reason")
