"""marshmallow schemas for the calibration exemplar-set API.

Key questions are named by their code ("4.2"). A set's anchors are shown only to its curators (this
API is theirs); the rounds API shows exemplars to raters without them. The schemas check shapes and
types (422); the service's rules answer 400 with messages per field, and a frozen set 409.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..calibration.opening import opening_problems
from ..credentials.urls import public_url
from ..models import Exemplar
from .fields import UTCDateTime


def _file_url(exemplar: Exemplar) -> str | None:
    if not exemplar.stored_name:
        return None
    return public_url("exemplars.exemplar_file", exemplar_id=exemplar.id)


def _anchors(exemplar: Exemplar) -> dict[str, int]:
    return {anchor.indicator.code: anchor.level for anchor in exemplar.anchors}


class CuratedRoundSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    opened_at = UTCDateTime()
    closed_at = UTCDateTime(allow_none=True)
    is_open = fields.Boolean()


class CuratedExemplarSchema(Schema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    narrative = fields.String()
    url = fields.String(allow_none=True)
    filename = fields.String(attribute="original_filename", allow_none=True)
    media_type = fields.String(allow_none=True)
    file_url = fields.Function(
        _file_url,
        dump_only=True,
        metadata={"type": "string", "format": "uri", "nullable": True, "description": "Download (as an attachment)"},
    )
    copied = fields.Function(
        lambda e: e.consent_id is not None,
        dump_only=True,
        metadata={"type": "boolean", "description": "Copied from consented evidence, names removed"},
    )
    anchors = fields.Function(
        _anchors,
        dump_only=True,
        metadata={"type": "object", "description": "Key question code -> the agreed level (1-4)"},
    )
    anchor_level = fields.Integer(allow_none=True, metadata={"description": "The agreed overall level"})
    rationale = fields.String()


class CuratedSetSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    domain = fields.Function(lambda s: s.domain.code, dump_only=True, metadata={"type": "string"})
    role = fields.Function(lambda s: s.role.code, dump_only=True, metadata={"type": "string"})
    draft = fields.Boolean(attribute="is_draft")
    created_at = UTCDateTime()
    opened_at = UTCDateTime(allow_none=True)
    rounds = fields.List(fields.Nested(CuratedRoundSchema))


class CuratedSetSchema(CuratedSetSummarySchema):
    exemplars = fields.List(fields.Nested(CuratedExemplarSchema))
    problems = fields.Function(
        lambda s: opening_problems(s) if s.is_draft else [],
        dump_only=True,
        metadata={"type": "array", "items": {"type": "string"}, "description": "What stops a draft from opening"},
    )


class ExemplarSetCreateSchema(Schema):
    domain = fields.String(required=True, metadata={"description": "Domain code, e.g. delivery-operations"})
    role = fields.String(required=True, metadata={"description": "Professional role code, e.g. teacher"})
    title = fields.String(required=True)
    description = fields.String(load_default="")


class CuratedExemplarCreateSchema(Schema):
    title = fields.String(required=True)
    narrative = fields.String(required=True)
    url = fields.String(load_default=None, allow_none=True, metadata={"description": "An optional http(s) link"})
    anchors = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        load_default=dict,
        metadata={"description": 'Key question code -> level 1-4, e.g. {"4.1": 3}'},
    )
    anchor_level = fields.Integer(load_default=None, allow_none=True)
    rationale = fields.String(load_default="")


class ExemplarSetOpenSchema(Schema):
    round_title = fields.String(required=True, metadata={"description": "The first round's title"})


class CalibrationConsentSchema(Schema):
    id = fields.Integer()
    evidence_id = fields.Integer(allow_none=True)
    granted_at = UTCDateTime()
    withdrawn_at = UTCDateTime(allow_none=True)
    in_force = fields.Boolean()
