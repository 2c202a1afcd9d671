"""marshmallow schemas for the goals API.

Input schemas check shapes only (types, known keys); the rules (domain of your framework, level
1..4, no past date, your own evidence) live in badges.educator.goals and answer 400 with
field messages, so the pages and the API say the same thing.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..credentials.urls import public_url
from ..educator.goals import level_names
from ..models import GoalStatus
from .fields import UTCDateTime

STATUSES = [status.value for status in GoalStatus]
LEVEL_HELP = "1 to 4, the framework's four levels (1 lowest)"


class EvidenceRefSchema(Schema):
    id = fields.Integer()
    title = fields.String()


class GoalSchema(Schema):
    id = fields.Integer()
    domain = fields.Function(
        lambda goal: goal.domain.code, metadata={"type": "string", "description": "Code of the framework domain"}
    )
    domain_name = fields.Function(lambda goal: goal.domain.name, metadata={"type": "string"})
    target_level = fields.Integer(metadata={"description": LEVEL_HELP})
    target_level_name = fields.Function(
        lambda goal: level_names(goal.domain.framework).get(goal.target_level), metadata={"type": "string"}
    )
    target_date = fields.Date()
    actions = fields.String(metadata={"description": "What I will do"})
    support_needed = fields.String(metadata={"description": "What support I need"})
    status = fields.Function(lambda goal: goal.status.value, metadata={"type": "string", "enum": STATUSES})
    evidence = fields.Function(
        lambda goal: [item.id for item in goal.evidence],
        metadata={"type": "array", "items": {"type": "integer"}, "description": "Ids of the linked evidence items"},
    )
    evidence_items = fields.Function(
        lambda goal: [{"id": item.id, "title": item.title} for item in goal.evidence],
        metadata={
            "type": "array",
            "items": {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}},
        },
    )
    created_at = UTCDateTime()
    updated_at = UTCDateTime()
    url = fields.Function(
        lambda goal: public_url("goals_api.GoalItem", goal_id=goal.id), metadata={"type": "string", "format": "uri"}
    )


class GoalCreateSchema(Schema):
    domain = fields.String(required=True, metadata={"description": "Code of a domain of your district's framework"})
    target_level = fields.Integer(required=True, metadata={"description": LEVEL_HELP})
    target_date = fields.Date(required=True, metadata={"description": "ISO date, today or later"})
    actions = fields.String(required=True, metadata={"description": "What I will do (1..5000 characters)"})
    support_needed = fields.String(
        load_default="", metadata={"description": "What support I need (up to 5000 characters)"}
    )
    evidence = fields.List(
        fields.Integer(),
        load_default=list,
        metadata={"description": "Ids of your own evidence items that show progress"},
    )


class GoalUpdateSchema(Schema):
    """Only the keys sent are changed. A target date sent unchanged may be past; a new one may not."""

    domain = fields.String(metadata={"description": "Code of a domain of your district's framework"})
    target_level = fields.Integer(metadata={"description": LEVEL_HELP})
    target_date = fields.Date(metadata={"description": "ISO date; a changed date must be today or later"})
    actions = fields.String(metadata={"description": "What I will do (1..5000 characters)"})
    support_needed = fields.String(metadata={"description": "What support I need (up to 5000 characters)"})
    status = fields.String(metadata={"enum": STATUSES})
    evidence = fields.List(
        fields.Integer(), metadata={"description": "Ids of your own evidence items; replaces the linked list"}
    )
