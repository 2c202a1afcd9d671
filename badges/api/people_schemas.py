"""marshmallow schemas for the admin's people API: the staff list, adding and changing a person,
the roster import. Input schemas check shapes (422); the people rules answer 400 naming each field,
the same messages the pages show."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import SystemRole
from ..people.directory import MAX_QUERY, NO_ROLE, OFFICE, STATES, account_state
from ..people.operations import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH
from .admin_schemas import SchoolSchema, plain_text
from .fields import UTCDateTime

ROLE_VALUES = [r.value for r in SystemRole]


class StaffQuerySchema(Schema):
    q = fields.String(
        load_default="",
        validate=[plain_text, validate.Length(max=MAX_QUERY)],
        metadata={"description": "Name or email contains this (case-insensitive)"},
    )
    school = fields.String(
        load_default="", metadata={"description": f'A school id, or "{OFFICE}" for the district office'}
    )
    role = fields.String(
        load_default="", metadata={"description": f'A professional role code, or "{NO_ROLE}" for none'}
    )
    system_role = fields.String(load_default="", validate=validate.OneOf(["", *ROLE_VALUES]))
    state = fields.String(load_default="", validate=validate.OneOf(["", *STATES]))
    cursor = fields.Integer(
        load_default=None, metadata={"description": "next_cursor of the previous page; none for the first"}
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class StaffMemberSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    school = fields.Nested(SchoolSchema, allow_none=True, metadata={"description": "None: the district office"})
    professional_role = fields.String(allow_none=True)
    system_roles = fields.Function(
        lambda user: sorted(r.value for r in user.system_roles),
        metadata={"type": "array", "items": {"type": "string", "enum": ROLE_VALUES}},
    )
    state = fields.Function(
        account_state, metadata={"type": "string", "enum": list(STATES), "description": "The account's state"}
    )
    invited_at = UTCDateTime(allow_none=True)
    last_sign_in_at = UTCDateTime(allow_none=True)
    created_at = UTCDateTime()


class StaffPageSchema(Schema):
    people = fields.List(fields.Nested(StaffMemberSchema), metadata={"description": "By name, then id"})
    next_cursor = fields.Integer(allow_none=True, metadata={"description": "Pass as cursor for the next page"})
    matches = fields.Integer(
        allow_none=True, metadata={"description": "How many match, counted up to 500 (first page only; else null)"}
    )
    more = fields.Boolean(metadata={"description": "More than `matches` match"})


class StaffMemberPatchSchema(Schema):
    """Only the details sent change."""

    name = fields.String(validate=[plain_text, validate.Length(max=MAX_NAME_LENGTH)])
    email = fields.String(validate=[plain_text, validate.Length(max=MAX_EMAIL_LENGTH)])
    school = fields.Integer(allow_none=True, metadata={"description": "A school id; null: the district office"})
    professional_role = fields.String(allow_none=True, validate=plain_text)
    system_roles = fields.List(
        fields.String(validate=validate.OneOf(ROLE_VALUES)),
        metadata={"description": "Every system role the person will hold (the others are taken away)"},
    )


class StaffMemberInputSchema(StaffMemberPatchSchema):
    name = fields.String(required=True, validate=[plain_text, validate.Length(max=MAX_NAME_LENGTH)])
    email = fields.String(required=True, validate=[plain_text, validate.Length(max=MAX_EMAIL_LENGTH)])
    system_roles = fields.List(
        fields.String(validate=validate.OneOf(ROLE_VALUES)), load_default=lambda: [SystemRole.EDUCATOR.value]
    )


class RosterInputSchema(Schema):
    csv = fields.String(
        required=True,
        metadata={"description": "The roster: email,name,school,professional_role,system_roles (see the CLI)"},
    )
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Only say what it would do"})


class RosterProblemSchema(Schema):
    line = fields.Integer()
    message = fields.String()


class RosterRowSchema(Schema):
    line = fields.Integer()
    email = fields.String()
    name = fields.String()
    changes = fields.List(fields.String(), metadata={"description": "For people who exist: what changes"})


class RosterPreviewSchema(Schema):
    applied = fields.Boolean(metadata={"description": "False for a dry run (or a roster with problems)"})
    problems = fields.List(fields.Nested(RosterProblemSchema), metadata={"description": "Every bad line"})
    to_create = fields.List(fields.Nested(RosterRowSchema))
    to_update = fields.List(fields.Nested(RosterRowSchema))
    unchanged = fields.Integer()
