"""The calibration report for a district's admins and district leaders (page and CSV), and the district's
calibration policy for its admins. badges.calibration.report computes the figures; the API shows the same."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField

from ..access import acting_user, admin_required, calibration_policy_district, calibration_report_required
from ..base import InvalidInput
from ..calibration.policy import MAX_AGE_DAYS_LIMIT, level_names, policy_of, set_policy
from ..calibration.report import calibration_report, export_csv
from ..downloads import csv_download
from ..extensions import db
from ..permissions import can_set_calibration_policy
from .calibration_charts import agreement_chart, style_of
from .forms import CheckboxesField, show_errors

bp = Blueprint("calibration_report", __name__, url_prefix="/calibration")


def _report():
    domain = request.args.get("domain") or None
    try:
        return calibration_report(acting_user().district, domain)
    except InvalidInput as exc:
        abort(400, " ".join(m for ms in exc.errors.values() for m in ms))


@bp.get("/report")
@calibration_report_required
def report():
    return render_template(
        "calibration/report.html",
        report=_report(),
        chart=agreement_chart,
        style_of=style_of,
        may_set_policy=can_set_calibration_policy(current_user, current_user.district),
    )


@bp.get("/report.csv")
@calibration_report_required
def report_csv():
    found = _report()
    suffix = f"-{found.domain_code}" if found.domain_code else ""
    return csv_download(export_csv(found), f"calibration-{found.district.slug}{suffix}.csv")


class PolicyForm(FlaskForm):
    # Out-of-range and missing numbers reach badges.calibration.policy, which names them.
    min_exact_percent = IntegerField(
        "Exact agreement with the anchors, at least (percent)", render_kw={"min": 0, "max": 100, "inputmode": "numeric"}
    )
    max_age_days = IntegerField(
        "Latest calibration no older than (days)",
        render_kw={"min": 1, "max": MAX_AGE_DAYS_LIMIT, "inputmode": "numeric"},
    )
    restricted_levels = CheckboxesField("Claim levels a flagged validator may not decide")


@bp.route("/policy", methods=["GET", "POST"])
@admin_required
def policy():
    district = calibration_policy_district(acting_user())
    current = policy_of(district)
    form = PolicyForm(
        data=None
        if request.method == "POST"
        else {
            "min_exact_percent": current.min_exact_percent,
            "max_age_days": current.max_age_days,
            "restricted_levels": list(current.restricted_levels or []),
        }
    )
    names = level_names(district)
    form.restricted_levels.choices = [(value, f"{name} ({value})") for value, name in sorted(names.items())]
    if request.method == "POST":
        try:
            set_policy(
                acting_user(),
                district,
                request.form.get("min_exact_percent", ""),
                request.form.get("max_age_days", ""),
                request.form.getlist("restricted_levels"),
            )
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
            return render_template("calibration/policy.html", form=form, district=district), 400
        flash("Saved the calibration policy.")
        return redirect(url_for(".policy"))
    return render_template("calibration/policy.html", form=form, district=district)
