"""marshmallow schemas for the admin API: validator scopes, conflicts of interest, the audit log.

Domains and professional roles are named by their codes in the district's framework, schools by
id. Input schemas check shapes only (422 when wrong); the scope and conflict rules answer 400
with messages per field, the same messages the pages show.
"""

from __future__ import annotations

from collections.abc import Callable

from marshmallow import Schema, ValidationError, fields, validate

from ..people.scope import REASON_MAX, ScopeFacts
from .fields import UTCDateTime

ACTION_PATTERN = r"^[a-z0-9_.\-]{1,60}$"


def plain_text(value: str) -> None:
    """PostgreSQL text cannot hold NUL; refuse it here rather than fail when it is stored."""
    if "\x00" in value:
        raise ValidationError("Text cannot contain NUL characters.")


def _codes(facts_attr: str) -> Callable[[ScopeFacts], list[str]]:
    return lambda facts: sorted(getattr(facts, facts_attr))


class ScopeSchema(Schema):
    domains = fields.Function(
        _codes("domain_codes"),
        metadata={
            "type": "array",
            "items": {"type": "string"},
            "description": "Codes of domains of the district's framework",
        },
    )
    roles = fields.Function(
        _codes("role_codes"),
        metadata={"type": "array", "items": {"type": "string"}, "description": "Codes of professional roles"},
    )
    schools = fields.Function(
        _codes("school_ids"),
        metadata={"type": "array", "items": {"type": "integer"}, "description": "Ids of the district's schools"},
    )
    whole_district = fields.Boolean(metadata={"description": "Every school and the district office"})


class ScopeInputSchema(Schema):
    """The whole new scope: it replaces the old one."""

    domains = fields.List(
        fields.String(),
        required=True,
        metadata={"description": 'Codes of domains of the district\'s framework, e.g. ["delivery-operations"]'},
    )
    roles = fields.List(
        fields.String(), required=True, metadata={"description": 'Codes of professional roles, e.g. ["teacher"]'}
    )
    schools = fields.List(fields.Integer(), required=True, metadata={"description": "Ids of the district's schools"})
    whole_district = fields.Boolean(
        required=True, metadata={"description": "Every school and the district office (schools may then be empty)"}
    )
    reason = fields.String(
        load_default="",
        validate=plain_text,
        metadata={"description": f"Why the scope changes; kept in the audit log (up to {REASON_MAX} characters)"},
    )


class SchoolSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ValidatorSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    school = fields.Nested(SchoolSchema, allow_none=True, metadata={"description": "None: the district office"})
    scope = fields.Nested(ScopeSchema)


class PersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()


class ConflictSchema(Schema):
    id = fields.Integer()
    validator = fields.Nested(PersonSchema)
    educator = fields.Nested(PersonSchema)
    reason = fields.String()
    created_at = UTCDateTime()


class ConflictInputSchema(Schema):
    validator = fields.Integer(required=True, metadata={"description": "Id of a validator of your district"})
    educator = fields.Integer(required=True, metadata={"description": "Id of an educator of your district"})
    reason = fields.String(
        required=True,
        validate=plain_text,
        metadata={"description": f'What the conflict is, e.g. "spouse" (1..{REASON_MAX} characters)'},
    )


class ConflictRemoveQuerySchema(Schema):
    reason = fields.String(
        load_default="",
        validate=[plain_text, validate.Length(max=REASON_MAX)],
        metadata={"description": "Why the conflict is removed; kept in the audit log"},
    )


class AuditFilterSchema(Schema):
    """Who and when, beside the action prefix (the page's filters)."""

    actor = fields.Integer(load_default=None, metadata={"description": "Only what this person of your district did"})
    since = fields.Date(load_default=None, data_key="from", metadata={"description": "From this day (UTC), included"})
    until = fields.Date(load_default=None, data_key="to", metadata={"description": "To this day (UTC), included"})


class AuditQuerySchema(AuditFilterSchema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1),
        metadata={"description": "1 is the newest events; past the last page, the last page"},
    )
    action = fields.String(
        load_default=None,
        validate=validate.Regexp(ACTION_PATTERN),
        metadata={"description": 'Only events whose action starts with this, e.g. "claim." or "scope.changed"'},
    )


class AuditCsvQuerySchema(AuditFilterSchema):
    action = fields.String(
        load_default=None,
        validate=validate.Regexp(ACTION_PATTERN),
        metadata={"description": "Only events whose action starts with this"},
    )


class AuditEventSchema(Schema):
    id = fields.Integer()
    occurred_at = UTCDateTime(metadata={"description": "UTC"})
    actor = fields.String(
        attribute="actor_label", metadata={"description": '"Name <email>" as it was then, or "command line"'}
    )
    actor_id = fields.Integer(allow_none=True)
    action = fields.String(metadata={"description": "e.g. claim.submitted, review.approved, scope.changed"})
    subject_type = fields.String()
    subject_id = fields.Integer()
    summary = fields.String()
    reason = fields.String()


class AuditPageSchema(Schema):
    page = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer(metadata={"description": "Events matching the filter"})
    events = fields.List(fields.Nested(AuditEventSchema), metadata={"description": "Newest first, 50 a page"})
