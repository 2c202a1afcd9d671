"""marshmallow schema for the framework audit stream API: one event, its itemised details."""

from __future__ import annotations

from marshmallow import Schema, fields

from .fields import UTCDateTime


class FrameworkEventSchema(Schema):
    id = fields.Integer()
    occurred_at = UTCDateTime()
    framework_slug = fields.String()
    framework_version = fields.String()
    actor = fields.String(attribute="actor_label")
    action = fields.String(metadata={"description": "e.g. framework.published, framework.policy_changed"})
    summary = fields.String()
    details = fields.List(fields.String(), metadata={"description": "The itemised changes, one sentence each"})
