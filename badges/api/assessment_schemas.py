"""Schemas for self-assessments, progress and the conference summary."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .fields import UTCDateTime


class RatingInSchema(Schema):
    indicator = fields.String(required=True, metadata={"description": 'Key question code, e.g. "4.2"'})
    level = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=4),
        metadata={"description": "1 to 4, the framework's four levels (1 lowest)"},
    )
    reflection = fields.String(load_default="", validate=validate.Length(max=2000))


class RatingsInSchema(Schema):
    ratings = fields.List(fields.Nested(RatingInSchema), required=True, validate=validate.Length(min=1, max=500))


class RatingSchema(Schema):
    indicator = fields.Function(lambda r: r.indicator.code, metadata={"type": "string"})
    level = fields.Integer()
    reflection = fields.String()
    rated_at = UTCDateTime()


class DomainLevelSchema(Schema):
    domain = fields.String(metadata={"description": "Domain code"})
    name = fields.String()
    level = fields.Integer(allow_none=True, metadata={"description": "Derived: the lower median of the ratings"})
    rated = fields.Integer()
    applicable = fields.Integer()


class FrameworkRefSchema(Schema):
    slug = fields.String()
    version = fields.String()


class AssessmentSchema(Schema):
    id = fields.Integer()
    framework = fields.Nested(FrameworkRefSchema)
    professional_role = fields.String()
    started_at = UTCDateTime()
    submitted_at = UTCDateTime(allow_none=True)
    status = fields.Function(lambda a: "draft" if a["is_draft"] else "submitted", metadata={"type": "string"})
    ratings = fields.List(fields.Nested(RatingSchema), metadata={"description": "The current rating per key question"})
    domain_levels = fields.List(fields.Nested(DomainLevelSchema))


class ProgressPointSchema(Schema):
    date = fields.Date()
    level = fields.Integer()


class DomainProgressSchema(Schema):
    domain = fields.Function(lambda p: p.domain.code, metadata={"type": "string"})
    name = fields.Function(lambda p: p.domain.name, metadata={"type": "string"})
    points = fields.Function(
        lambda p: [{"date": d.isoformat(), "level": lv} for d, lv in p.points],
        metadata={"type": "array", "items": {"type": "object"}},
    )
    current = fields.Integer(allow_none=True)
    previous = fields.Integer(allow_none=True)
    trend = fields.String(allow_none=True, metadata={"description": "up, down, same or new"})


class SummaryGoalSchema(Schema):
    id = fields.Integer()
    domain = fields.Function(lambda g: g.domain.code, metadata={"type": "string"})
    target_level = fields.Integer()
    target_date = fields.Date()
    status = fields.Function(lambda g: g.status.value, metadata={"type": "string"})
    actions = fields.String()
    support_needed = fields.String()
    evidence = fields.Function(
        lambda g: [e.id for e in g.evidence], metadata={"type": "array", "items": {"type": "integer"}}
    )


class SummaryEvidenceSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    narrative = fields.String()
    kind = fields.Function(lambda e: e.kind.value, metadata={"type": "string"})
    indicators = fields.Function(
        lambda e: [i.code for i in e.indicators], metadata={"type": "array", "items": {"type": "string"}}
    )


class SummaryFeedbackSchema(Schema):
    claim = fields.Function(lambda r: r.claim_id, metadata={"type": "integer"})
    badge = fields.Function(lambda r: r.claim.badge_class.name, metadata={"type": "string"})
    decision = fields.Function(
        lambda r: r.decision.value, metadata={"type": "string", "description": "approve, return or decline"}
    )
    validator = fields.Function(lambda r: r.validator.name, metadata={"type": "string"})
    revision = fields.Function(lambda r: r.revision.number, metadata={"type": "integer"})
    feedback = fields.String()
    created_at = UTCDateTime()


class SummaryAwardSchema(Schema):
    id = fields.Integer()
    badge = fields.Function(lambda a: a.badge_class.name, metadata={"type": "string"})
    awarded_at = UTCDateTime()
    valid_until = UTCDateTime(allow_none=True)
    revoked_at = UTCDateTime(allow_none=True)


class ConferenceSummarySchema(Schema):
    name = fields.Function(lambda s: s.person.name, metadata={"type": "string"})
    professional_role = fields.Function(lambda s: s.role.code, metadata={"type": "string"})
    framework = fields.Function(
        lambda s: {"slug": s.framework.slug, "version": s.framework.version}, metadata={"type": "object"}
    )
    domains = fields.List(fields.Nested(DomainProgressSchema))
    goals = fields.List(fields.Nested(SummaryGoalSchema))
    evidence = fields.List(fields.Nested(SummaryEvidenceSchema))
    feedback = fields.List(fields.Nested(SummaryFeedbackSchema))
    awards = fields.List(
        fields.Nested(SummaryAwardSchema),
        metadata={"description": "Badges earned, newest first, revoked ones included"},
    )
