"""marshmallow schemas for the readiness API. A figure that would describe 1..min_cell-1 people is null."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..base import MAX_ID
from ..readiness.cell_people import CELL_VIEWS
from ..readiness.figures import VIEWS

SUPPRESSED = "null when it would describe fewer than min_cell people"


class ReadinessQuerySchema(Schema):
    view = fields.String(
        load_default="validated",
        validate=validate.OneOf(VIEWS),
        metadata={"description": "validated (badges in force), self (latest self-assessment), gap, or trend"},
    )
    school = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=MAX_ID),
        metadata={"description": "Only this school (its id; 0 is the district office); 404 outside your scope"},
    )
    role = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=80),
        metadata={"description": "Only this professional role (a code of the district's framework)"},
    )


class ReadinessCellQuerySchema(Schema):
    school = fields.Integer(
        required=True, validate=validate.Range(min=0, max=MAX_ID), metadata={"description": "The school's id"}
    )
    domain = fields.String(
        required=True, validate=validate.Length(min=1, max=80), metadata={"description": "The domain's code"}
    )
    view = fields.String(load_default="validated", validate=validate.OneOf(CELL_VIEWS))
    role = fields.String(load_default=None, validate=validate.Length(min=1, max=80))


class GapSchema(Schema):
    ahead = fields.Integer(metadata={"description": "Self-assessed above the badge in force"})
    match = fields.Integer()
    behind = fields.Integer(metadata={"description": "Self-assessed below the badge in force"})
    unconfirmed = fields.Integer(metadata={"description": "Self-assessed, no badge in force in the domain"})


class CellSchema(Schema):
    domain = fields.String(metadata={"description": "The domain's code"})
    suppressed = fields.Boolean(metadata={"description": "true: fewer than min_cell people, every figure null"})
    staff = fields.Integer(allow_none=True, metadata={"description": f"Staff counted; {SUPPRESSED}"})
    levels = fields.List(
        fields.Integer(),
        allow_none=True,
        metadata={"description": f"People at levels 1, 2, 3 and 4 (the framework's four levels); {SUPPRESSED}"},
    )
    not_yet = fields.Integer(allow_none=True, metadata={"description": "Staff without a level in this measure"})
    share_experienced = fields.Float(
        allow_none=True, metadata={"description": "Percent of the staff at level 3 or above"}
    )
    gap = fields.Nested(GapSchema, allow_none=True)


class RowSchema(Schema):
    school = fields.Integer(
        allow_none=True, metadata={"description": "The school's id (0: district office); null: total"}
    )
    school_name = fields.String()
    cells = fields.List(fields.Nested(CellSchema))


class DomainRefSchema(Schema):
    code = fields.String()
    name = fields.String()


class ParticipationSchema(Schema):
    staff = fields.Integer(allow_none=True)
    assessed = fields.Integer(allow_none=True, metadata={"description": "With a submitted self-assessment"})
    assessed_percent = fields.Float(allow_none=True)
    assessed_this_term = fields.Integer(allow_none=True)
    claims_waiting = fields.Integer()
    claims_waiting_long = fields.Integer(metadata={"description": "Waiting more than 14 days"})
    oldest_claim_days = fields.Integer(allow_none=True)
    badges_this_term = fields.Integer()


class TargetSchema(Schema):
    id = fields.Integer()
    domain = fields.String()
    domain_name = fields.String()
    role = fields.String(allow_none=True)
    role_name = fields.String()
    school_name = fields.String()
    measure = fields.String()
    min_level = fields.Integer()
    share_percent = fields.Integer()
    due_on = fields.Date()
    staff = fields.Integer(allow_none=True)
    current_percent = fields.Float(allow_none=True)
    expected_percent = fields.Float(allow_none=True)
    status = fields.String(metadata={"description": 'met, on track, behind, past due, or "fewer than N"'})


class TrendPointSchema(Schema):
    month = fields.Date()
    share_experienced = fields.Float(allow_none=True)


class TrendSchema(Schema):
    measure = fields.String(metadata={"enum": ["validated", "self"]})
    domain = fields.String()
    domain_name = fields.String()
    points = fields.List(fields.Nested(TrendPointSchema))


class ReadinessSchema(Schema):
    view = fields.String()
    measure = fields.String(metadata={"description": "validated, self or gap (the trend view draws both)"})
    min_cell = fields.Integer(metadata={"description": "Figures describing fewer people than this are null"})
    school = fields.Integer(allow_none=True)
    role = fields.String(allow_none=True)
    term_start = fields.Date()
    domains = fields.List(fields.Nested(DomainRefSchema))
    rows = fields.List(fields.Nested(RowSchema))
    total = fields.Nested(RowSchema, allow_none=True)
    participation = fields.Nested(ParticipationSchema)
    targets = fields.List(fields.Nested(TargetSchema))
    trends = fields.List(fields.Nested(TrendSchema))


class CellPersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    role_name = fields.String()
    level = fields.Integer(allow_none=True, metadata={"description": "The view's level (validated or self)"})
    validated = fields.Integer(allow_none=True, metadata={"description": "gap view: the badge in force"})
    gap = fields.String(allow_none=True, metadata={"description": "gap view: ahead, behind, matches, no badge yet"})


class ReadinessCellSchema(Schema):
    school = fields.Integer()
    school_name = fields.String()
    domain = fields.String()
    domain_name = fields.String()
    view = fields.String()
    role = fields.String(allow_none=True)
    min_cell = fields.Integer()
    staff = fields.Integer(allow_none=True)
    hidden = fields.Boolean(metadata={"description": "true: the cell describes fewer than min_cell people"})
    people = fields.List(fields.Nested(CellPersonSchema))
    private = fields.Integer(allow_none=True, metadata={"description": f"Self-assessed but not shared; {SUPPRESSED}"})
    without_badge = fields.Integer(allow_none=True, metadata={"description": "validated view"})
