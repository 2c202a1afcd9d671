"""marshmallow schemas for planning support: targets, next steps, cohorts, the sharing choice.

Input schemas check shapes only; the rules (a domain and role of the framework, a school you lead,
1..100 percent, a future date, members you lead) live in badges.readiness and answer 400 with field
messages, so the pages and the API say the same thing.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..base import MAX_ID
from .fields import UTCDateTime

MEASURES = ["validated", "self"]


class TargetProgressSchema(Schema):
    id = fields.Integer(attribute="target.id")
    domain = fields.String(attribute="target.domain_code")
    domain_name = fields.String()
    professional_role = fields.String(attribute="target.professional_role", allow_none=True)
    role_name = fields.String()
    school_id = fields.Integer(attribute="target.school_id", allow_none=True)
    school_name = fields.String()
    measure = fields.String(attribute="target.measure", metadata={"enum": MEASURES})
    min_level = fields.Integer(attribute="target.min_level")
    share_percent = fields.Integer(attribute="target.share_percent")
    due_on = fields.Date(attribute="target.due_on")
    baseline_percent = fields.Float(attribute="target.baseline_percent")
    created_at = UTCDateTime(attribute="target.created_at")
    staff = fields.Integer(allow_none=True, metadata={"description": "People counted; null: fewer than the minimum"})
    current_percent = fields.Float(allow_none=True)
    expected_percent = fields.Float(allow_none=True, metadata={"description": "Where a straight line is today"})
    status = fields.String(metadata={"description": "met, on track, behind, past due, or fewer than N"})
    on_track = fields.Boolean(allow_none=True)


class TargetCreateSchema(Schema):
    domain = fields.String(required=True, metadata={"description": "Code of a domain of your district's framework"})
    share_percent = fields.Integer(required=True, metadata={"description": "1..100"})
    due_on = fields.Date(required=True, metadata={"description": "ISO date, after today"})
    professional_role = fields.String(load_default=None, allow_none=True, metadata={"description": "null: every role"})
    school_id = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "null: the whole district (a school leader's targets are for their school)"},
    )
    min_level = fields.Integer(
        load_default=3, metadata={"description": "1 to 4, the framework's four levels (1 lowest); 3 by default"}
    )
    measure = fields.String(load_default="validated", metadata={"enum": MEASURES})


class NextStepsQuerySchema(Schema):
    domain = fields.String(required=True, metadata={"description": "Code of a domain of your district's framework"})
    school = fields.Integer(
        load_default=None, validate=validate.Range(0, MAX_ID), metadata={"description": "School id; 0: district office"}
    )
    role = fields.String(load_default=None, metadata={"description": "Professional role code"})


class ReadyPersonSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    school_key = fields.Integer()
    school_name = fields.String()
    role_name = fields.String()
    validated_level = fields.Integer(allow_none=True, metadata={"description": "Badge in force in the domain"})
    shared_self_level = fields.Integer(
        allow_none=True, metadata={"description": "Self-assessed level, only for people who share it by name"}
    )
    support_asked = fields.List(fields.String(), metadata={"description": "What their open goals ask for"})
    reasons = fields.List(fields.String())


class CoachSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    school_key = fields.Integer()
    school_name = fields.String()
    role_name = fields.String()
    same_school = fields.Boolean()


class NextStepsSchema(Schema):
    domain = fields.String(attribute="domain_code")
    domain_name = fields.String()
    school = fields.Integer(attribute="school_key", allow_none=True)
    role = fields.String(allow_none=True)
    min_cell = fields.Integer()
    ready = fields.List(fields.Nested(ReadyPersonSchema))
    private_low = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Others who self-assessed at level 1 or 2 but keep it private; null: fewer than min_cell"
        },
    )
    coaches = fields.List(fields.Nested(CoachSchema), metadata={"description": "Nearest first"})


class PersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class CohortSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    domain = fields.String(attribute="domain_code")
    school_id = fields.Integer(allow_none=True)
    starts_on = fields.Date()
    notes = fields.String()
    coach = fields.Nested(PersonRefSchema, allow_none=True)
    members = fields.Function(
        lambda c: [{"id": m.user.id, "name": m.user.name} for m in c.members],
        metadata={"type": "array", "items": {"type": "object"}},
    )
    created_at = UTCDateTime()


class CohortCreateSchema(Schema):
    name = fields.String(required=True)
    domain = fields.String(required=True)
    starts_on = fields.Date(required=True)
    members = fields.List(fields.Integer(), required=True, metadata={"description": "Ids of active staff you lead"})
    coach = fields.Integer(load_default=None, allow_none=True, metadata={"description": "Id of a staff member"})
    notes = fields.String(load_default="")


class MyCohortSchema(Schema):
    id = fields.Function(lambda e: e.cohort.id, metadata={"type": "integer"})
    name = fields.Function(lambda e: e.cohort.name, metadata={"type": "string"})
    domain = fields.Function(lambda e: e.cohort.domain_code, metadata={"type": "string"})
    domain_name = fields.String()
    starts_on = fields.Function(lambda e: e.cohort.starts_on.isoformat(), metadata={"type": "string", "format": "date"})
    coach = fields.Function(
        lambda e: e.cohort.coach.name if e.cohort.coach else None, metadata={"type": "string", "nullable": True}
    )


class SharingSchema(Schema):
    share = fields.Boolean(
        required=True, metadata={"description": "Whether leaders may see your self-assessed levels by name"}
    )
