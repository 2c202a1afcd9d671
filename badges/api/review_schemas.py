"""marshmallow schemas for the validators' API.

The decision schema checks only shapes and types (422 when wrong); whether the decision, ratings and
feedback make sense is the service's to say (400 with messages per field, 409 if the claim moved on).
"""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields

from ..credentials.urls import public_url
from ..educator.previews import is_previewable
from ..models import ClaimStatus, EvidenceItem, EvidenceKind, ReviewDecision
from ..permissions import can_view_evidence_file
from .fields import UTCDateTime
from .schemas import LevelSchema


class ClaimantSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    school = fields.Function(
        lambda user: user.school.name if user.school else None,
        dump_only=True,
        metadata={"type": "string", "nullable": True, "description": "null for staff of the district office"},
    )
    professional_role = fields.String(allow_none=True, metadata={"description": "Code of the role, e.g. teacher"})


class ReviewBadgeClassRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    level = fields.Integer(
        metadata={"description": "1 to 4, the framework's four levels (1 lowest): the level claimed"}
    )
    domain = fields.Function(lambda bc: bc.domain.code, dump_only=True, metadata={"type": "string"})
    role = fields.Function(lambda bc: bc.role.code, dump_only=True, metadata={"type": "string"})
    image_url = fields.Function(
        lambda bc: public_url("badge_images.image", badge_class_id=bc.id),
        dump_only=True,
        metadata={"type": "string", "format": "uri"},
    )


class ReviewBadgeClassSchema(ReviewBadgeClassRefSchema):
    criteria = fields.String()


class ReviewQueueItemSchema(Schema):
    id = fields.Integer()
    status = fields.Enum(ClaimStatus, by_value=True)
    educator = fields.Nested(ClaimantSchema, attribute="user")
    badge_class = fields.Nested(ReviewBadgeClassRefSchema)
    revision = fields.Integer(attribute="current.number", metadata={"description": "The current revision"})
    submitted_at = UTCDateTime(attribute="current.submitted_at")
    approvals_required = fields.Integer()
    url = fields.Function(
        lambda claim: public_url("reviews_api.ReviewClaim", claim_id=claim.id),
        dump_only=True,
        metadata={"type": "string", "format": "uri"},
    )


def _file_url(item: EvidenceItem) -> str | None:
    if item.kind is not EvidenceKind.FILE or not can_view_evidence_file(current_user, item):
        return None
    return public_url("evidence_api.EvidenceFile", item_id=item.id)


def _preview_url(item: EvidenceItem) -> str | None:
    if not is_previewable(item) or not can_view_evidence_file(current_user, item):
        return None
    return public_url("evidence.preview", item_id=item.id)


class ReviewEvidenceSchema(Schema):
    id = fields.Integer()
    kind = fields.Enum(EvidenceKind, by_value=True)
    title = fields.String()
    narrative = fields.String()
    url = fields.String(allow_none=True, metadata={"description": "The web address (links only)"})
    filename = fields.String(attribute="original_filename", allow_none=True, metadata={"description": "Files only"})
    file_url = fields.Function(
        _file_url,
        dump_only=True,
        metadata={
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "Download (files only, while the revision citing it awaits review)",
        },
    )
    preview_url = fields.Function(
        _preview_url,
        dump_only=True,
        metadata={
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "PNG or JPEG redrawn by the service (images only, when file_url is given); 404 if it "
            "cannot be decoded",
        },
    )


class EvidenceSnapshotSchema(Schema):
    """An evidence item as a revision cited it (badges.validation.snapshots), whatever was edited since."""

    id = fields.Integer()
    title = fields.String()
    narrative = fields.String()
    url = fields.String(allow_none=True, metadata={"description": "Links only"})
    file_name = fields.String(allow_none=True, metadata={"description": "Files only"})
    sha256 = fields.String(allow_none=True, metadata={"description": "The file's SHA-256 (files only)"})


class WordsSchema(Schema):
    kind = fields.String(metadata={"description": "same, added or removed"})
    text = fields.String()


class FieldChangeSchema(Schema):
    field = fields.String(metadata={"description": "title, narrative, url, file_name or sha256"})
    label = fields.String()
    before = fields.String(allow_none=True)
    after = fields.String(allow_none=True)
    words = fields.List(fields.Nested(WordsSchema), metadata={"description": "Word diff (empty for sha256)"})


class ChangedItemSchema(Schema):
    id = fields.Integer()
    title = fields.Function(lambda change: change.after["title"], dump_only=True, metadata={"type": "string"})
    changes = fields.List(fields.Nested(FieldChangeSchema))


class EvidenceChangesSchema(Schema):
    added = fields.List(fields.Nested(EvidenceSnapshotSchema))
    removed = fields.List(fields.Nested(EvidenceSnapshotSchema))
    changed = fields.List(fields.Nested(ChangedItemSchema))
    unchanged = fields.List(fields.Nested(EvidenceSnapshotSchema))


class RevisionDiffSchema(Schema):
    """Dumps a badges.validation.revision_diff.RevisionDiff."""

    since_revision = fields.Integer(
        attribute="since.number",
        metadata={"description": "The revision you last judged, or (if you never judged one) the previous revision"},
    )
    revision = fields.Integer(attribute="current.number")
    judged_by_you = fields.Boolean()
    statement_changed = fields.Boolean()
    statement = fields.List(fields.Nested(WordsSchema), metadata={"description": "The statement, word by word"})
    evidence = fields.Nested(EvidenceChangesSchema)


class ReviewRevisionSchema(Schema):
    number = fields.Integer()
    statement = fields.String()
    submitted_at = UTCDateTime()
    evidence = fields.List(fields.Nested(ReviewEvidenceSchema), metadata={"description": "The items as they are now"})
    evidence_snapshot = fields.List(
        fields.Nested(EvidenceSnapshotSchema), metadata={"description": "The items as this revision cited them"}
    )


class ReviewRatingSchema(Schema):
    indicator_id = fields.Integer()
    code = fields.String(attribute="indicator.code")
    level = fields.Integer()


class ReviewSchema(Schema):
    id = fields.Integer()
    revision = fields.Integer(attribute="revision.number")
    validator = fields.String(attribute="validator.name")
    decision = fields.Enum(ReviewDecision, by_value=True)
    feedback = fields.String()
    ratings = fields.List(fields.Nested(ReviewRatingSchema))
    created_at = UTCDateTime()


class ReviewIndicatorSchema(Schema):
    id = fields.Integer(metadata={"description": "Use as the key of `ratings` in a decision"})
    code = fields.String()
    text = fields.String()
    self_assessed = fields.Integer(
        allow_none=True,
        metadata={"description": "The educator's level in their latest submitted self-assessment, if any"},
    )


class ReviewClaimSchema(Schema):
    """Dumps a badges.web.reviews.ClaimReview: the claim and what the validator judges it by."""

    id = fields.Integer(attribute="claim.id")
    status = fields.Enum(ClaimStatus, by_value=True, attribute="claim.status")
    educator = fields.Nested(ClaimantSchema, attribute="claim.user")
    badge_class = fields.Nested(ReviewBadgeClassSchema, attribute="claim.badge_class")
    claimed_level = fields.Integer()
    levels = fields.List(fields.Nested(LevelSchema))
    indicators = fields.List(fields.Nested(ReviewIndicatorSchema))
    revision = fields.Integer(
        attribute="claim.current.number", metadata={"description": "The current revision: send it with the decision"}
    )
    revisions = fields.List(
        fields.Nested(ReviewRevisionSchema),
        attribute="claim.revisions",
        metadata={"description": "Oldest first; the last is the current one"},
    )
    reviews = fields.List(fields.Nested(ReviewSchema), attribute="claim.reviews")
    approvals = fields.Integer(metadata={"description": "Approvals of the current revision so far"})
    approvals_required = fields.Integer(attribute="claim.approvals_required")
    can_decide = fields.Boolean(metadata={"description": "Whether you may decide the current revision now"})
    refusal = fields.String(
        allow_none=True,
        metadata={
            "description": "Why the district's calibration policy keeps you from deciding it yet, and what to do; "
            "null when it does not"
        },
    )
    diff = fields.Nested(
        RevisionDiffSchema,
        allow_none=True,
        metadata={"description": "What the current revision changed; null on revision 1"},
    )
    earlier_ratings = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Indicator id -> level in your latest review of this claim (empty if none)"},
    )


class ReviewDecisionSchema(Schema):
    decision = fields.String(required=True, metadata={"description": "approve, return or decline"})
    feedback = fields.String(load_default="", metadata={"description": "Required to return or decline"})
    ratings = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        load_default=dict,
        metadata={
            "description": 'Indicator id -> level 1..4, e.g. {"41": 3}; every key question to approve or decline'
        },
    )
    revision = fields.Integer(
        required=True,
        metadata={
            "description": "The revision you reviewed; if the claim was resubmitted since, nothing is recorded (409)"
        },
    )


class ReviewDecisionResultSchema(Schema):
    """Dumps a badges.validation.reviews.Outcome."""

    review = fields.Nested(ReviewSchema)
    status = fields.Enum(ClaimStatus, by_value=True, attribute="claim.status")
    approvals = fields.Integer()
    approvals_required = fields.Integer(attribute="claim.approvals_required")
    award_id = fields.Function(
        lambda outcome: outcome.award.id if outcome.award else None,
        dump_only=True,
        metadata={"type": "integer", "nullable": True},
    )
