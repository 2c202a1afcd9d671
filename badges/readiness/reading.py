"""One way in for the pages, the CSV and the API: the scope's report for the filters asked for.

Bad filters are InvalidInput (400). A school outside the actor's scope is None, which the caller
answers with 404, the same as a school that does not exist, so a key reveals nothing.
"""

from __future__ import annotations

from datetime import datetime

from ..base import InvalidInput
from ..permissions import ReadinessScope
from .dashboard import Filters, load
from .figures import VIEWS
from .report import Report, build_report, check_filters, school_in_scope


def open_report(
    scope: ReadinessScope,
    view: str = "validated",
    school_key: int | None = None,
    role: str | None = None,
    *,
    min_cell: int,
    term_starts: tuple[tuple[int, int], ...],
    now: datetime | None = None,
) -> Report | None:
    if view not in VIEWS:  # before any statement: an unknown view costs nothing
        raise InvalidInput({"view": [f"view must be one of {', '.join(VIEWS)}, not {view!r}."]})
    if school_key is not None and not scope.covers_school(school_key):
        return None
    data = load(scope, view, now, term_starts=term_starts, school_key=school_key, role=role)
    filters = Filters(school_key, role, view)
    check_filters(data, filters)
    if not school_in_scope(data, school_key):
        return None
    return build_report(data, filters, min_cell)
