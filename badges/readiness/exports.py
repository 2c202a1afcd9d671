"""The dashboard and a cell's people as CSV: the same numbers as the page, from the same Report.

A suppressed figure is a blank cell and the row's note says "fewer than N" (never a number a
spreadsheet could sum back). Text a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ..base import spreadsheet_safe
from .cell_people import CellPeople
from .figures import CellFigures
from .report import HeatmapRow, Report

LEVEL_COLUMNS = ["explorer", "novice", "experienced", "expert", "not_yet_rated"]
CELL_START = ["school", "domain_code", "domain", "measure", "staff"]
HEATMAP_COLUMNS = [*CELL_START, *LEVEL_COLUMNS, "experienced_or_above_percent"]
GAP_COLUMNS = ["school", "domain_code", "domain", "measure", "staff", "self_ahead", "matches", "self_behind"]
GAP_COLUMNS += ["self_assessed_no_badge", "note"]
TREND_COLUMNS = ["school", "domain_code", "domain", "measure", "month", "experienced_or_above_percent", "note"]
CELL_COLUMNS = ["school", "domain", "name", "professional_role", "level", "level_name", "validated_level", "gap"]
CELL_COLUMNS += ["note"]


def _blank(value: object) -> object:
    return "" if value is None else value


def columns(report: Report) -> list[str]:
    if report.filters.view == "trend":
        return TREND_COLUMNS
    return GAP_COLUMNS if report.measure == "gap" else [*HEATMAP_COLUMNS, "note"]


def _cell_row(report: Report, row: HeatmapRow, code: str, name: str, cell: CellFigures) -> list[object]:
    note = f"fewer than {report.min_cell}" if cell.suppressed else ""
    start = [spreadsheet_safe(row.name), code, spreadsheet_safe(name), report.measure, _blank(cell.staff)]
    if report.measure == "gap":
        gap = cell.gap or (None, None, None, None)
        return [*start, *(_blank(n) for n in gap), note]
    levels = cell.levels or (None, None, None, None)
    return [*start, *(_blank(n) for n in levels), _blank(cell.not_yet), _blank(cell.share_experienced), note]


def report_rows(report: Report) -> Iterator[list[object]]:
    """One row per school x domain (and the total row), or per domain x measure x month for the trend."""
    if report.filters.view == "trend":
        data = report.data
        school = data.schools.get(report.filters.school_key, "") if report.filters.school_key is not None else ""
        label = spreadsheet_safe(school or ("All schools" if data.scope.whole_district else "School total"))
        for measure, series in report.trends.items():
            for line in series:
                for month, share in line.points:
                    note = f"fewer than {report.min_cell}" if share is None else ""
                    yield [label, line.domain_code, spreadsheet_safe(line.domain_name), measure, month.isoformat(),
                           _blank(share), note]  # fmt: skip
        return
    rows = [*report.rows, *([report.total] if report.total else [])]
    for row in rows:
        for (code, name), cell in zip(report.domains, row.cells, strict=True):
            yield _cell_row(report, row, code, name, cell)


def cell_rows(cell: CellPeople) -> Iterator[list[object]]:
    school, domain = spreadsheet_safe(cell.school_name), spreadsheet_safe(cell.domain_name)
    if cell.hidden:
        yield [school, domain, "", "", "", "", "", "", f"fewer than {cell.min_cell} people: nobody is named"]
        return
    for person in cell.people:
        gap = person.gap if cell.view == "gap" else ""
        validated = _blank(person.validated) if cell.view == "gap" else ""
        yield [school, domain, spreadsheet_safe(person.name), spreadsheet_safe(person.role_name), _blank(person.level),
               person.level_name, validated, gap, ""]  # fmt: skip
    if cell.view == "validated":
        yield [school, domain, "", "", "", "", "", "", f"without a badge in force: {describe(cell.unlisted, cell)}"]
    else:
        yield [school, domain, "", "", "", "", "", "", private_note(cell)]


def describe(count: int | None, cell: CellPeople) -> str:
    return f"fewer than {cell.min_cell}" if count is None else str(count)


def private_note(cell: CellPeople) -> str:
    count = describe(cell.private, cell)
    if cell.private == 1:
        return "1 other keeps their self-assessment private"
    return f"{count} others keep their self-assessment private"


def as_csv(header: list[str], rows: Iterable[list[object]]) -> Iterator[str]:
    """CSV text in chunks (the response streams them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
