"""marshmallow schemas for API output; the OpenAPI document is generated from these."""

from __future__ import annotations

from flask_wtf.csrf import generate_csrf
from marshmallow import Schema, fields

from ..credentials.urls import public_url
from .fields import UTCDateTime


class LevelSchema(Schema):
    value = fields.Integer(metadata={"description": "1 to 4, the framework's four levels (1 lowest)"})
    code = fields.String()
    name = fields.String()
    descriptor = fields.String()


class ProfessionalRoleSchema(Schema):
    code = fields.String()
    name = fields.String()
    description = fields.String()


class IndicatorSchema(Schema):
    code = fields.String()
    position = fields.Integer()
    text = fields.String()
    roles = fields.Function(
        lambda ind: [role.code for role in ind.roles],
        dump_only=True,
        metadata={
            "type": "array",
            "items": {"type": "string"},
            "description": "Codes of the professional roles this indicator applies to",
        },
    )


class DomainSchema(Schema):
    code = fields.String()
    position = fields.Integer()
    name = fields.String()
    description = fields.String()
    indicators = fields.List(fields.Nested(IndicatorSchema))


class FrameworkSummarySchema(Schema):
    slug = fields.String()
    version = fields.String()
    title = fields.String()
    description = fields.String()
    loaded_at = UTCDateTime()
    url = fields.Function(
        lambda fw: public_url("frameworks_api.FrameworkVersion", slug=fw.slug, version=fw.version),
        dump_only=True,
        metadata={"type": "string", "format": "uri"},
    )


class FrameworkSchema(FrameworkSummarySchema):
    source = fields.String()
    levels = fields.List(fields.Nested(LevelSchema))
    roles = fields.List(fields.Nested(ProfessionalRoleSchema))
    domains = fields.List(fields.Nested(DomainSchema))


class SchoolRefSchema(Schema):
    slug = fields.String()
    name = fields.String()


class CurrentUserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    professional_role = fields.String(allow_none=True)
    system_roles = fields.Function(
        lambda u: sorted(r.value for r in u.system_roles),
        dump_only=True,
        metadata={"type": "array", "items": {"type": "string"}},
    )
    district = fields.Nested(SchoolRefSchema)
    school = fields.Nested(SchoolRefSchema, allow_none=True)
    csrf_token = fields.Function(
        lambda u: generate_csrf(),
        dump_only=True,
        metadata={"type": "string", "description": "Send as the X-CSRFToken header on POST, PUT, PATCH and DELETE"},
    )
