"""marshmallow schemas for the evidence API.

Indicators are named by their code in the framework ("4.2"), never by internal ids. The
schemas check only shapes and types (422 when wrong); the service's rules (lengths, web
addresses, which key questions apply to the person) answer 400 with messages per field.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..credentials.urls import public_url
from ..models import EvidenceItem, EvidenceKind
from .fields import FileUpload, UTCDateTime

INDICATOR_CODES = {
    "description": 'Codes of the key questions this evidence supports, e.g. ["4.2", "4.3"]; '
    "each must be in the district's framework and apply to the person's role"
}


class EvidenceIndicatorSchema(Schema):
    code = fields.String()
    text = fields.String()
    domain = fields.Function(lambda ind: ind.domain.code, dump_only=True, metadata={"type": "string"})


def _file_url(item: EvidenceItem) -> str | None:
    if item.kind is not EvidenceKind.FILE:
        return None
    return public_url("evidence_api.EvidenceFile", item_id=item.id)


class EvidenceSchema(Schema):
    id = fields.Integer()
    kind = fields.Enum(EvidenceKind, by_value=True)
    title = fields.String()
    narrative = fields.String(metadata={"description": "What the evidence shows and what the person learned"})
    in_summary = fields.Boolean(metadata={"description": "Shown on the person's conference summary"})
    indicators = fields.List(fields.Nested(EvidenceIndicatorSchema))
    url = fields.String(allow_none=True, metadata={"description": "The web address (links only)"})
    filename = fields.String(attribute="original_filename", allow_none=True, metadata={"description": "Files only"})
    media_type = fields.String(allow_none=True, metadata={"description": "Detected from the content (files only)"})
    size_bytes = fields.Integer(allow_none=True)
    sha256 = fields.String(allow_none=True)
    file_url = fields.Function(
        _file_url,
        dump_only=True,
        metadata={
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "Download (always as an attachment; files only)",
        },
    )
    created_at = UTCDateTime()
    updated_at = UTCDateTime()


class LinkCreateSchema(Schema):
    title = fields.String(required=True)
    narrative = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "http(s) web address"})
    indicators = fields.List(fields.String(), required=True, metadata=INDICATOR_CODES)
    in_summary = fields.Boolean(load_default=False)


class FileCreateSchema(Schema):
    """multipart/form-data: the file and the fields in one body. `indicators` may be repeated or comma-separated."""

    file = FileUpload(required=True, metadata={"description": "PDF, image, office document or plain text"})
    title = fields.String(required=True)
    narrative = fields.String(required=True)
    indicators = fields.List(fields.String(), required=True, metadata=INDICATOR_CODES)
    in_summary = fields.Boolean(load_default=False)


class EvidencePatchSchema(Schema):
    title = fields.String()
    narrative = fields.String()
    url = fields.String(metadata={"description": "Links only"})
    indicators = fields.List(fields.String(), metadata=INDICATOR_CODES)
    in_summary = fields.Boolean()
