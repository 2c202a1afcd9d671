"""API for the calibration report (the same figures as the page and the CSV) and the district's
calibration policy. The report is for the district's admins and district leaders; the policy is
changed by its admins (400 with messages per field when a value is out of range)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, admin_required, calibration_policy_district, calibration_report_required
from ..calibration.policy import policy_of, set_policy
from ..calibration.report import calibration_report
from .calibration_report_schemas import CalibrationPolicySchema, CalibrationReportQuerySchema, CalibrationReportSchema

blp = Blueprint(
    "calibration_report_api",
    __name__,
    url_prefix="/api/v1/calibration",
    description="How closely a district's validators agree with the anchors and each other; its calibration policy.",
)


@blp.route("/report")
class CalibrationReportView(MethodView):
    decorators = [calibration_report_required]

    @blp.arguments(CalibrationReportQuerySchema, location="query")
    @blp.response(200, CalibrationReportSchema)
    @blp.alt_response(400, description="A domain the district's framework does not have")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an admin or district leader")
    def get(self, args: dict[str, Any]) -> Any:
        """Per validator and domain: exact, within-one and weighted kappa against the anchors, per round, and
        against the other validators on shared claims; per domain: Krippendorff's alpha; each validator's flags."""
        return calibration_report(acting_user().district, args["domain"])


@blp.route("/policy")
class CalibrationPolicyView(MethodView):
    @calibration_report_required
    @blp.response(200, CalibrationPolicySchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an admin or district leader")
    def get(self) -> Any:
        """The district's calibration policy (the defaults if it never set one)."""
        return policy_of(acting_user().district)

    @admin_required  # before the body is read: a non-admin is refused whatever they send
    @blp.arguments(CalibrationPolicySchema)
    @blp.response(200, CalibrationPolicySchema)
    @blp.alt_response(400, description="A value out of range; errors name each")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not the district's admin")
    def put(self, data: dict[str, Any]) -> Any:
        """Set the threshold, the period and the restricted levels."""
        actor = acting_user()
        return set_policy(
            actor,
            calibration_policy_district(actor),
            data["min_exact_percent"],
            data["max_age_days"],
            data["restricted_levels"],
        )
