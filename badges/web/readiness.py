"""The readiness dashboard for district and school leaders: heatmap, participation, targets, trends,
the people of a cell, and CSV of every view.

The numbers come from badges.readiness (the page, the CSV and the API read the same Report); the
settings READINESS_MIN_CELL and READINESS_TERM_STARTS are read here and handed in, since the
domain never reads config. A school outside the leader's scope answers 404, as a made-up one does.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ..access import acting_user, readiness_required, readiness_scope_of
from ..base import MAX_ID, InvalidInput, parse_small_int
from ..downloads import csv_download
from ..permissions import ReadinessScope
from ..readiness import exports
from ..readiness.cell_people import CellPeople, cell_people
from ..readiness.figures import VIEWS
from ..readiness.reading import open_report
from ..readiness.report import Report
from .readiness_charts import heatmap, legend, trend_chart

bp = Blueprint("readiness", __name__)

VIEW_LABELS = {"validated": "Validated", "self": "Self-assessed", "gap": "Gap", "trend": "Trend"}
NOT_IN_SCOPE = "There is no such school among those whose readiness you can see."


def settings() -> tuple[int, tuple[tuple[int, int], ...]]:
    return current_app.config["READINESS_MIN_CELL"], current_app.config["READINESS_TERM_STARTS"]


def query_filters() -> tuple[str, int | None, str | None]:
    """view, school key and role from the query string ("" means every school / every role)."""
    view = request.args.get("view") or "validated"
    raw_school = request.args.get("school") or ""
    school = parse_small_int(raw_school, 0, MAX_ID) if raw_school else None
    if raw_school and school is None:
        raise InvalidInput({"school": [f"school must be the number of a school, not {raw_school!r}."]})
    return view, school, request.args.get("role") or None


def report_or_404(scope: ReadinessScope, view: str, school: int | None, role: str | None) -> Report:
    min_cell, term_starts = settings()
    report = open_report(scope, view, school, role, min_cell=min_cell, term_starts=term_starts)
    if report is None:
        abort(404, NOT_IN_SCOPE)
    return report


def cell_or_404(scope: ReadinessScope) -> CellPeople:
    raw_school = request.args.get("school") or ""
    school = parse_small_int(raw_school, 0, MAX_ID)
    if school is None:
        raise InvalidInput({"school": [f"school must be the number of a school, not {raw_school!r}."]})
    domain = request.args.get("domain") or ""
    if not domain:
        raise InvalidInput({"domain": ["Say which domain: domain=<code>."]})
    view = request.args.get("view") or "validated"
    cell = cell_people(scope, school, domain, view, request.args.get("role") or None, settings()[0])
    if cell is None:
        abort(404, NOT_IN_SCOPE)
    return cell


@bp.get("/readiness")
@readiness_required
def dashboard():
    scope = readiness_scope_of(acting_user())
    view, school, role = query_filters()
    report = report_or_404(scope, view, school, role)
    # The filter's choices: every school of the scope (the report's rows are only the filtered one).
    return render_template(
        "readiness/dashboard.html",
        report=report,
        view=view,
        views=VIEWS,
        view_labels=VIEW_LABELS,
        school=school,
        role=role,
        # The levels of the dashboard's framework, in its own names (for the charts, tables and targets).
        level_names=report.data.shape.level_names if report.data.shape else {},
        heatmap=heatmap,
        legend=legend,
        trend_chart=trend_chart,
    )


@bp.get("/readiness.csv")
@readiness_required
def dashboard_csv():
    scope = readiness_scope_of(acting_user())
    view, school, role = query_filters()
    report = report_or_404(scope, view, school, role)
    rows = exports.report_rows(report)
    return csv_download(exports.as_csv(exports.columns(report), rows), f"readiness-{view}.csv")


@bp.get("/readiness/cell")
@readiness_required
def cell():
    cell = cell_or_404(readiness_scope_of(acting_user()))
    return render_template(
        "readiness/cell.html", cell=cell, private_note=exports.private_note(cell), describe=exports.describe
    )


@bp.get("/readiness/cell.csv")
@readiness_required
def cell_csv():
    cell = cell_or_404(readiness_scope_of(acting_user()))
    rows = exports.cell_rows(cell)
    return csv_download(exports.as_csv(exports.CELL_COLUMNS, rows), f"readiness-{cell.domain_code}-{cell.view}.csv")


def home_summary(scope: ReadinessScope) -> Report | None:
    """The validated report of a leader's whole scope, for the leader and school-leader homes."""
    min_cell, term_starts = settings()
    return open_report(scope, "validated", min_cell=min_cell, term_starts=term_starts)
