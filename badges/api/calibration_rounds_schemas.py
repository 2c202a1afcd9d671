"""marshmallow schemas for validators' calibration rounds.

The blind rule lives in the shapes: an exemplar's anchors and rationale are only inside `result`,
which is dumped from badges.calibration.rounds.Reveal, and is null until the caller rated it.
The rating schema checks only shapes and types (422); whether the ratings make sense is the
service's to say (400 with messages per field, 409 when the round is closed or already rated).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..credentials.urls import public_url
from ..models import Exemplar
from .fields import UTCDateTime
from .schemas import LevelSchema


def _file_url(exemplar: Exemplar) -> str | None:
    return public_url("exemplars.exemplar_file", exemplar_id=exemplar.id) if exemplar.stored_name else None


class RoundsSetSchema(Schema):
    title = fields.String()
    description = fields.String()
    domain = fields.String(attribute="domain.code")
    domain_name = fields.String(attribute="domain.name")
    role = fields.String(attribute="role.code")


class RoundsProgressSchema(Schema):
    """Dumps a badges.calibration.rounds.RoundProgress."""

    id = fields.Integer(attribute="round.id")
    title = fields.String(attribute="round.title")
    exemplar_set = fields.Nested(RoundsSetSchema, attribute="round.exemplar_set")
    is_open = fields.Boolean(attribute="round.is_open")
    opened_at = UTCDateTime(attribute="round.opened_at")
    closed_at = UTCDateTime(attribute="round.closed_at", allow_none=True)
    rated = fields.Integer(metadata={"description": "Exemplars of the set you have rated"})
    total = fields.Integer(metadata={"description": "Exemplars in the set"})
    url = fields.Function(
        lambda p: public_url("calibration_rounds_api.CalibrationRoundItem", round_id=p.round.id),
        dump_only=True,
        metadata={"type": "string", "format": "uri"},
    )


class MyRoundsSchema(Schema):
    open = fields.List(fields.Nested(RoundsProgressSchema), metadata={"description": "Rounds to rate, oldest first"})
    finished = fields.List(
        fields.Nested(RoundsProgressSchema),
        metadata={"description": "Rounds rated through, and closed rounds you took part in, newest first"},
    )


class RoundsKeyQuestionSchema(Schema):
    id = fields.Integer(metadata={"description": "A key of `ratings` (the code is accepted too)"})
    code = fields.String()
    text = fields.String()


class RoundsComparisonSchema(Schema):
    your_level = fields.Integer(attribute="mine", allow_none=True)
    anchor_level = fields.Integer(attribute="anchor", allow_none=True)
    agreement = fields.String(metadata={"description": "match, off by one, off by more, or no anchor"})


class RoundsKeyQuestionResultSchema(RoundsComparisonSchema):
    indicator_id = fields.Integer(attribute="indicator.id")
    code = fields.String(attribute="indicator.code")


class RoundsRevealSchema(Schema):
    """Dumps a badges.calibration.rounds.Reveal: your rating beside the anchors."""

    exemplar_id = fields.Integer(attribute="exemplar.id")
    title = fields.String(attribute="exemplar.title")
    key_questions = fields.List(fields.Nested(RoundsKeyQuestionResultSchema))
    overall = fields.Nested(RoundsComparisonSchema)
    rationale = fields.String(metadata={"description": "Why the anchors are what they are"})
    note = fields.String(attribute="rating.note", metadata={"description": "Your own note"})
    submitted_at = UTCDateTime(attribute="rating.submitted_at")


class RoundsExemplarSchema(Schema):
    """Dumps a badges.calibration.rounds.ExemplarItem."""

    id = fields.Integer(attribute="exemplar.id")
    position = fields.Integer(attribute="exemplar.position")
    title = fields.String(attribute="exemplar.title")
    narrative = fields.String(attribute="exemplar.narrative")
    url = fields.String(attribute="exemplar.url", allow_none=True)
    filename = fields.String(attribute="exemplar.original_filename", allow_none=True)
    file_url = fields.Function(
        lambda item: _file_url(item.exemplar),
        dump_only=True,
        metadata={"type": "string", "format": "uri", "nullable": True},
    )
    rated = fields.Boolean()
    result = fields.Nested(
        RoundsRevealSchema,
        attribute="reveal",
        allow_none=True,
        metadata={"description": "Your rating beside the anchors; null until you have rated the exemplar"},
    )


class RoundsDetailSchema(Schema):
    """Dumps a badges.calibration.rounds.RoundView."""

    id = fields.Integer(attribute="round.id")
    title = fields.String(attribute="round.title")
    exemplar_set = fields.Nested(RoundsSetSchema, attribute="round.exemplar_set")
    is_open = fields.Boolean(attribute="round.is_open")
    opened_at = UTCDateTime(attribute="round.opened_at")
    closed_at = UTCDateTime(attribute="round.closed_at", allow_none=True)
    key_questions = fields.List(fields.Nested(RoundsKeyQuestionSchema))
    levels = fields.List(fields.Nested(LevelSchema))
    rated = fields.Integer()
    total = fields.Integer()
    exemplars = fields.List(fields.Nested(RoundsExemplarSchema), attribute="items")


class RoundsRatingSchema(Schema):
    # Levels are taken as sent (not through fields.Integer, which would truncate 2.5 to 2): the service
    # refuses anything but whole numbers 1..4 with a message naming the key question (400).
    ratings = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(metadata={"type": "integer"}),
        load_default=dict,
        metadata={"description": 'Key question code (or id) -> level 1..4, e.g. {"4.1": 3}; every key question'},
    )
    overall_level = fields.Raw(
        load_default=None,
        allow_none=True,
        metadata={"type": "integer", "description": "1 to 4, the framework's four levels (1 lowest)"},
    )
    note = fields.String(load_default="", metadata={"description": "Optional: your reasoning"})


class RoundsFigureSchema(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "0..1; null when it cannot be said"})
    percent = fields.Integer(allow_none=True)
    n = fields.Integer(metadata={"description": "How many ratings it rests on"})
    reason = fields.String(allow_none=True, metadata={"description": "Why there is no value"})


class RoundsResultsSchema(Schema):
    """Dumps a badges.calibration.rounds.RoundResults."""

    round_id = fields.Integer(attribute="round.id")
    title = fields.String(attribute="round.title")
    exemplar_set = fields.Nested(RoundsSetSchema, attribute="round.exemplar_set")
    ratings = fields.Integer(metadata={"description": "Key question ratings the figures are counted over"})
    exact = fields.Nested(RoundsFigureSchema, metadata={"description": "Share of key question ratings at the anchor"})
    within_one = fields.Nested(RoundsFigureSchema, metadata={"description": "Share within one level of the anchor"})
    overall_exact = fields.Nested(RoundsFigureSchema, metadata={"description": "Overall levels at the overall anchor"})
    exemplars = fields.List(fields.Nested(RoundsRevealSchema))
