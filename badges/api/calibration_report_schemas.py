"""marshmallow schemas for the calibration report and policy API. Every figure says how many ratings it rests
on (n), and, when it cannot be said, why (reason; value null)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .fields import UTCDateTime


class FigureSchema(Schema):
    """Dumps a badges.calibration.statistics.Figure."""

    value = fields.Float(
        allow_none=True, metadata={"description": "0..1 for agreement shares; -1..1 for kappa and alpha"}
    )
    percent = fields.Integer(allow_none=True, metadata={"description": "value as a whole percentage, or null"})
    n = fields.Integer(metadata={"description": "Ratings behind the figure (pairs; for alpha: pairable values)"})
    reason = fields.String(allow_none=True, metadata={"description": "Why there is no value (null when there is)"})


class RoundPointSchema(Schema):
    round_id = fields.Integer()
    round_title = fields.String()
    rated_at = UTCDateTime(metadata={"description": "The validator's latest rating in the round"})
    exact = fields.Nested(FigureSchema)


class LatestRoundSchema(Schema):
    round_id = fields.Integer(attribute="round.id")
    round_title = fields.String(attribute="round.title")
    rated_at = UTCDateTime()
    finished = fields.Boolean(metadata={"description": "Whether the validator rated every exemplar of its set"})


class ValidatorFiguresSchema(Schema):
    """Dumps a badges.calibration.report.ValidatorRow: one validator in one domain."""

    validator_id = fields.Integer()
    name = fields.String()
    domain = fields.String(attribute="domain_code")
    domain_name = fields.String()
    exact = fields.Nested(FigureSchema, metadata={"description": "Against the anchors, every round"})
    within_one = fields.Nested(FigureSchema)
    kappa = fields.Nested(FigureSchema, metadata={"description": "Quadratic-weighted Cohen's kappa vs the anchors"})
    live_exact = fields.Nested(
        FigureSchema, metadata={"description": "Against the other validators' ratings on the same claims"}
    )
    live_within_one = fields.Nested(FigureSchema)
    history = fields.List(fields.Nested(RoundPointSchema), metadata={"description": "Exact agreement per round"})
    latest_round = fields.Nested(LatestRoundSchema, attribute="standing.latest", allow_none=True)
    latest_exact = fields.Nested(FigureSchema, attribute="standing.exact", allow_none=True)
    flags = fields.List(fields.String())


class DomainFiguresSchema(Schema):
    code = fields.String()
    name = fields.String()
    alpha = fields.Nested(FigureSchema, metadata={"description": "Krippendorff's ordinal alpha, calibration ratings"})
    live_alpha = fields.Nested(FigureSchema, metadata={"description": "The same on claims rated by two or more"})


class CalibrationPolicySchema(Schema):
    min_exact_percent = fields.Integer(
        required=True, metadata={"description": "0..100: a validator's latest round must agree exactly this much"}
    )
    max_age_days = fields.Integer(required=True, metadata={"description": "1..3650: and be at most this old"})
    restricted_levels = fields.List(
        fields.Integer(),
        required=True,
        metadata={"description": "Claim levels (1..4) a flagged validator may not decide; empty: flags only"},
    )


class CalibrationReportSchema(Schema):
    """Dumps a badges.calibration.report.CalibrationReport."""

    district = fields.String(attribute="district.slug")
    domain = fields.String(attribute="domain_code", allow_none=True, metadata={"description": "The filter, if any"})
    policy = fields.Nested(CalibrationPolicySchema)
    level_names = fields.Dict(keys=fields.String(), values=fields.String())
    domains = fields.List(fields.Nested(DomainFiguresSchema))
    validators = fields.List(fields.Nested(ValidatorFiguresSchema))


class CalibrationReportQuerySchema(Schema):
    domain = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=80),
        metadata={"description": "Only this domain (a code of the district's framework); 400 if there is none such"},
    )
