"""marshmallow schemas for the educator's claims API.

Input schemas check shapes only (422 when a key is missing or has the wrong type); the rules (a
badge of your framework and role, a statement, your own evidence, one open claim per badge) live in
badges.validation.claims and answer 400 with messages per field, so the pages and the API agree.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..catalogue.badge_classes import level_of
from ..credentials.urls import public_url
from ..models import BadgeClass, ClaimStatus, ReviewDecision
from ..validation.catalogue import BadgeState
from ..validation.claims import EVIDENCE_MAX, STATEMENT_MAX
from .fields import UTCDateTime

STATUSES = [status.value for status in ClaimStatus]
DECISIONS = [decision.value for decision in ReviewDecision]


def _image_url(badge_class: BadgeClass) -> str:
    return public_url("badge_images.image", badge_class_id=badge_class.id)


class MyDomainRefSchema(Schema):
    code = fields.String()
    name = fields.String()


class MyBadgeClassRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    image_url = fields.Function(_image_url, metadata={"type": "string", "format": "uri"})


class MyBadgeClassSchema(MyBadgeClassRefSchema):
    domain = fields.Nested(MyDomainRefSchema)
    level = fields.Integer(metadata={"description": "1 to 4, the framework's four levels (1 lowest)"})
    level_name = fields.Function(lambda bc: level_of(bc).name, metadata={"type": "string"})
    role = fields.Function(
        lambda bc: bc.role.code,
        metadata={"type": "string", "description": "Code of the professional role the badge is for"},
    )
    criteria = fields.String(metadata={"description": "The level descriptor and the key questions judged"})


class MyClaimEvidenceSchema(Schema):
    id = fields.Integer()
    title = fields.String()


class MyClaimRevisionSchema(Schema):
    number = fields.Integer()
    statement = fields.String()
    submitted_at = UTCDateTime()
    evidence = fields.List(fields.Nested(MyClaimEvidenceSchema))


class MyClaimRatingSchema(Schema):
    indicator = fields.Function(
        lambda rating: rating.indicator.code, metadata={"type": "string", "description": "Code of the key question"}
    )
    level = fields.Integer(metadata={"description": "1 to 4, the framework's four levels (1 lowest)"})


class MyClaimReviewSchema(Schema):
    decision = fields.Function(lambda review: review.decision.value, metadata={"type": "string", "enum": DECISIONS})
    decision_label = fields.Function(lambda review: review.decision.label, metadata={"type": "string"})
    feedback = fields.String()
    validator = fields.Function(
        lambda review: review.validator.name, metadata={"type": "string", "description": "The validator's name"}
    )
    revision = fields.Function(
        lambda review: review.revision.number,
        metadata={"type": "integer", "description": "The number of the revision judged"},
    )
    created_at = UTCDateTime()
    ratings = fields.List(fields.Nested(MyClaimRatingSchema))


class MyAwardRefSchema(Schema):
    id = fields.Integer()
    awarded_at = UTCDateTime()


class MyClaimSummarySchema(Schema):
    id = fields.Integer()
    badge_class = fields.Nested(MyBadgeClassRefSchema)
    status = fields.Function(lambda claim: claim.status.value, metadata={"type": "string", "enum": STATUSES})
    status_label = fields.Function(lambda claim: claim.status.label, metadata={"type": "string"})
    approvals_required = fields.Integer(metadata={"description": "Approving validators the claim needs"})
    revision = fields.Function(
        lambda claim: claim.current.number,
        metadata={"type": "integer", "description": "The number of the current revision"},
    )
    created_at = UTCDateTime()
    updated_at = UTCDateTime()
    decided_at = UTCDateTime(allow_none=True)
    url = fields.Function(
        lambda claim: public_url("claims_api.ClaimItem", claim_id=claim.id),
        metadata={"type": "string", "format": "uri"},
    )


class MyClaimSchema(MyClaimSummarySchema):
    revisions = fields.List(fields.Nested(MyClaimRevisionSchema), metadata={"description": "Oldest first"})
    reviews = fields.List(fields.Nested(MyClaimReviewSchema), metadata={"description": "Oldest first"})
    award = fields.Nested(MyAwardRefSchema, allow_none=True)


class MyAwardSchema(Schema):
    id = fields.Integer()
    awarded_at = UTCDateTime()
    badge_class = fields.Nested(MyBadgeClassSchema)
    claim = fields.Integer(attribute="claim_id", metadata={"description": "Id of the claim it was awarded on"})


class MyNotificationSchema(Schema):
    id = fields.Integer()
    message = fields.String()
    claim = fields.Integer(attribute="claim_id", allow_none=True, metadata={"description": "Id of the claim"})
    created_at = UTCDateTime()


EVIDENCE_IDS = {"description": f"Ids of your own evidence items that support the claim (1..{EVIDENCE_MAX})"}
STATEMENT = {"description": f"Why your evidence shows this level (1..{STATEMENT_MAX} characters)"}


class MyClaimCreateSchema(Schema):
    badge_class = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Id of a badge class from GET /api/v1/me/badge-classes"},
    )
    statement = fields.String(required=True, metadata=STATEMENT)
    evidence = fields.List(fields.Integer(), required=True, metadata=EVIDENCE_IDS)


class MyClaimResubmitSchema(Schema):
    statement = fields.String(required=True, metadata=STATEMENT)
    evidence = fields.List(fields.Integer(), required=True, metadata=EVIDENCE_IDS)


class MyClaimWithdrawSchema(Schema):
    reason = fields.String(load_default="", metadata={"description": "Optional; kept in the audit record"})


class MyCatalogueAwardSchema(Schema):
    id = fields.Integer()
    awarded_at = UTCDateTime()
    valid_until = UTCDateTime(allow_none=True)
    revoked_at = UTCDateTime(allow_none=True)


class MyCatalogueClaimSchema(Schema):
    id = fields.Integer()
    status = fields.Function(lambda claim: claim.status.value, metadata={"type": "string", "enum": STATUSES})


class MyCatalogueEntrySchema(Schema):
    badge_class = fields.Nested(MyBadgeClassSchema)
    state = fields.Function(
        lambda entry: entry.state.value,
        metadata={"type": "string", "enum": [state.value for state in BadgeState]},
    )
    state_label = fields.Function(lambda entry: entry.state.label, metadata={"type": "string"})
    award = fields.Nested(
        MyCatalogueAwardSchema, allow_none=True, metadata={"description": "The latest award, in force or not"}
    )
    claim = fields.Nested(MyCatalogueClaimSchema, allow_none=True, metadata={"description": "The open claim"})
    claimable = fields.Boolean(metadata={"description": "Whether POST /api/v1/me/claims would take it now"})
    note = fields.String(metadata={"description": "Why it cannot be claimed now, or that a claim renews it"})


class MyCatalogueDomainSchema(Schema):
    domain = fields.Nested(MyDomainRefSchema)
    badges = fields.List(fields.Nested(MyCatalogueEntrySchema), attribute="entries")
