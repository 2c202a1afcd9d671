"""marshmallow schemas for the account API: a person's account state, and changing your own password.

The password itself is checked by the one policy (badges.people.passwords), which answers 400 naming
the problem; the schema only bounds what is hashed.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import User
from .fields import UTCDateTime


def _has_password(user: User) -> bool:
    return user.password_hash is not None


class AccountSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    active = fields.Boolean(metadata={"description": "False: deactivated, cannot sign in"})
    has_password = fields.Function(
        _has_password, metadata={"type": "boolean", "description": "False until the person sets one"}
    )
    invited_at = UTCDateTime(allow_none=True, metadata={"description": "When an invitation was last sent"})
    last_sign_in_at = UTCDateTime(allow_none=True)


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    new_password = fields.String(
        required=True,
        validate=validate.Length(min=1, max=1024),
        metadata={"description": "At least 12 characters, at most 128, not one of the most common passwords"},
    )
