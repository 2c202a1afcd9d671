"""API for the readiness dashboard: the same Report as the page and the CSV, as JSON (null where a
figure would describe fewer than min_cell people), and the people of a cell."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, readiness_required, readiness_scope_of
from ..readiness.cell_people import CellPeople, cell_people
from ..readiness.figures import CellFigures
from ..readiness.reading import open_report
from ..readiness.report import HeatmapRow, Report
from .readiness_schemas import ReadinessCellQuerySchema, ReadinessCellSchema, ReadinessQuerySchema, ReadinessSchema

blp = Blueprint(
    "readiness_api",
    __name__,
    url_prefix="/api/v1/readiness",
    description="Readiness of a district's (or a school's) staff, for its leaders.",
)
NOT_IN_SCOPE = "There is no such school among those whose readiness you can see."


def _cell(code: str, cell: CellFigures) -> dict[str, Any]:
    gap = cell.gap
    return {
        "domain": code,
        "suppressed": cell.suppressed,
        "staff": cell.staff,
        "levels": list(cell.levels) if cell.levels is not None else None,
        "not_yet": cell.not_yet,
        "share_experienced": cell.share_experienced,
        "gap": None if gap is None else dict(zip(("ahead", "match", "behind", "unconfirmed"), gap, strict=True)),
    }


def _row(report: Report, row: HeatmapRow) -> dict[str, Any]:
    codes = [code for code, _ in report.domains]
    return {
        "school": None if row.school_key < 0 else row.school_key,
        "school_name": row.name,
        "cells": [_cell(code, cell) for code, cell in zip(codes, row.cells, strict=True)],
    }


def dump_report(report: Report) -> dict[str, Any]:
    return {
        "view": report.filters.view,
        "measure": report.measure,
        "min_cell": report.min_cell,
        "school": report.filters.school_key,
        "role": report.filters.role,
        "term_start": report.data.term_start,
        "domains": [{"code": code, "name": name} for code, name in report.domains],
        "rows": [_row(report, row) for row in report.rows],
        "total": _row(report, report.total) if report.total else None,
        "participation": report.participation,
        "targets": [
            {
                "id": t.target.id,
                "domain": t.target.domain_code,
                "domain_name": t.domain_name,
                "role": t.target.professional_role,
                "role_name": t.role_name,
                "school_name": t.school_name,
                "measure": t.target.measure,
                "min_level": t.target.min_level,
                "share_percent": t.target.share_percent,
                "due_on": t.target.due_on,
                "staff": t.staff,
                "current_percent": t.current_percent,
                "expected_percent": t.expected_percent,
                "status": t.status,
            }
            for t in report.targets
        ],
        "trends": [
            {
                "measure": measure,
                "domain": line.domain_code,
                "domain_name": line.domain_name,
                "points": [{"month": month, "share_experienced": share} for month, share in line.points],
            }
            for measure, series in report.trends.items()
            for line in series
        ],
    }


def dump_cell(cell: CellPeople) -> dict[str, Any]:
    gap_view = cell.view == "gap"
    return {
        "school": cell.school_key,
        "school_name": cell.school_name,
        "domain": cell.domain_code,
        "domain_name": cell.domain_name,
        "view": cell.view,
        "role": cell.role,
        "min_cell": cell.min_cell,
        "staff": cell.staff,
        "hidden": cell.hidden,
        "people": [
            {
                "id": p.user_id,
                "name": p.name,
                "role_name": p.role_name,
                "level": p.level,
                "validated": p.validated if gap_view else None,
                "gap": p.gap if gap_view else None,
            }
            for p in cell.people
        ],
        "private": None if cell.view == "validated" else cell.private,
        "without_badge": cell.unlisted if cell.view == "validated" else None,
    }


@blp.route("")
class Readiness(MethodView):
    decorators = [readiness_required]

    @blp.arguments(ReadinessQuerySchema, location="query")
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(400, description="A professional role the district's framework does not have")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a district leader, nor a school leader with a school")
    @blp.alt_response(404, description="A school outside your scope (or none such)")
    def get(self, args: dict[str, Any]) -> Any:
        """The dashboard's figures: schools x domains, participation, targets, or the trend."""
        config = current_app.config
        report = open_report(
            readiness_scope_of(acting_user()),
            args["view"],
            args["school"],
            args["role"],
            min_cell=config["READINESS_MIN_CELL"],
            term_starts=config["READINESS_TERM_STARTS"],
        )
        if report is None:
            abort(404, NOT_IN_SCOPE)
        return dump_report(report)


@blp.route("/cell")
class ReadinessCell(MethodView):
    decorators = [readiness_required]

    @blp.arguments(ReadinessCellQuerySchema, location="query")
    @blp.response(200, ReadinessCellSchema)
    @blp.alt_response(400, description="A domain or professional role the district's framework does not have")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a district leader, nor a school leader with a school")
    @blp.alt_response(404, description="A school outside your scope (or none such)")
    def get(self, args: dict[str, Any]) -> Any:
        """The people of one cell: validated levels by name; self-assessed only for those who share them."""
        cell = cell_people(
            readiness_scope_of(acting_user()),
            args["school"],
            args["domain"],
            args["view"],
            args["role"],
            current_app.config["READINESS_MIN_CELL"],
        )
        if cell is None:
            abort(404, NOT_IN_SCOPE)
        return dump_cell(cell)
