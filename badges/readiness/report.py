"""The dashboard as people read it: filters applied, the small-cell rule applied, targets measured.

Built from one `DashboardData` (badges.readiness.dashboard.load), so the page, the CSV and the API
show the same numbers. Every number that describes 1 to min_cell-1 people is None here: the
presentation says "fewer than N" and cannot leak what it never received.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from ..base import InvalidInput
from ..models import ReadinessTarget
from .dashboard import DashboardData, Filters, Participation
from .figures import VIEWS, CellFigures, Tally, cell_figures, describes_too_few, percent

DEFAULT_MIN_CELL = 5


@dataclass(frozen=True)
class HeatmapRow:
    school_key: int
    name: str
    cells: list[CellFigures]  # one per domain, in the framework's order


@dataclass(frozen=True)
class ParticipationFigures:
    staff: int | None
    assessed: int | None
    assessed_percent: float | None
    assessed_this_term: int | None
    claims_waiting: int
    claims_waiting_long: int
    oldest_claim_days: int | None
    badges_this_term: int


@dataclass(frozen=True)
class TargetProgress:
    target: ReadinessTarget
    domain_name: str
    role_name: str
    school_name: str
    staff: int | None  # people the target counts, in the viewer's scope; None: fewer than min_cell
    current_percent: float | None
    expected_percent: float | None  # where a straight line from the baseline to the target is today
    status: str  # "met", "on track", "behind", "past due", or "fewer than N"

    @property
    def on_track(self) -> bool | None:
        return None if self.current_percent is None else self.status in ("met", "on track")


@dataclass(frozen=True)
class TrendSeries:
    domain_code: str
    domain_name: str
    # (month, percent of today's staff at level 3 or above at that month's end); None: too few
    points: list[tuple[date, float | None]]


@dataclass
class Report:
    data: DashboardData
    filters: Filters
    min_cell: int
    measure: str  # "validated", "self" or "gap" (the trend view draws both measures)
    domains: list[tuple[str, str]]
    rows: list[HeatmapRow] = field(default_factory=list)
    total: HeatmapRow | None = None
    participation: ParticipationFigures | None = None
    targets: list[TargetProgress] = field(default_factory=list)
    trends: dict[str, list[TrendSeries]] = field(default_factory=dict)  # measure -> series


def check_filters(data: DashboardData, filters: Filters) -> None:
    """Refuse an unknown view or role (400); a school outside the scope is the view's 404 (see school_in_scope)."""
    if filters.view not in VIEWS:
        raise InvalidInput({"view": [f"view must be one of {', '.join(VIEWS)}, not {filters.view!r}."]})
    if filters.role is not None and (data.shape is None or not data.shape.has_role(filters.role)):
        raise InvalidInput({"role": [f"{filters.role!r} is not a professional role of the district's framework."]})


def school_in_scope(data: DashboardData, school_key: int | None) -> bool:
    return school_key is None or (data.scope.covers_school(school_key) and school_key in data.schools)


def _staff_in(data: DashboardData, school_key: int, role: str, domain_code: str) -> int:
    """Staff a (school, role, domain) figure counts: the role's active staff, if the domain applies to it."""
    if data.shape is None or (role, domain_code) not in data.shape.applies:
        return 0
    entry = data.participation.get((school_key, role))
    return entry.staff if entry else 0


def _tally(data: DashboardData, school_key: int | None, role: str | None, domain_code: str) -> Tally:
    total = Tally()
    roles = [code for code, _ in data.shape.roles] if data.shape else []
    schools = [school_key] if school_key is not None else list(data.schools)
    for school in schools:
        for code in roles if role is None else [role]:
            found = data.tallies.get((school, code, domain_code))
            if found is not None:
                total.add(found)
            total.staff += _staff_in(data, school, code, domain_code)
    return total


def _participation(data: DashboardData, filters: Filters, min_cell: int) -> ParticipationFigures:
    total = Participation()
    for (school_key, role), entry in data.participation.items():
        if role is None:  # staff without a rated role are not in the readiness figures
            continue
        if (filters.school_key is None or school_key == filters.school_key) and filters.role in (None, role):
            total.add(entry)
    hidden = describes_too_few(total.staff, min_cell)
    assessed_hidden = hidden or describes_too_few(total.assessed, min_cell)
    oldest = (data.now - total.oldest_claim_at).days if total.oldest_claim_at else None
    return ParticipationFigures(
        None if hidden else total.staff,
        None if assessed_hidden else total.assessed,
        None if assessed_hidden else percent(total.assessed, total.staff),
        None if hidden or describes_too_few(total.assessed_this_term, min_cell) else total.assessed_this_term,
        total.claims_waiting,  # claims and badges are validators' work, not a judgement of anyone: shown as counted
        total.claims_waiting_long,
        oldest,
        total.badges_this_term,
    )


def measure_target(data: DashboardData, target: ReadinessTarget, min_cell: int, today: date) -> TargetProgress:
    """A target's progress within the viewer's scope, and whether it is on track."""
    shape = data.shape
    school = target.school_id if target.school_id is not None else data.scope.school_id
    tally = _tally(data, school, target.professional_role, target.domain_code)
    names = (
        shape.domain_name(target.domain_code) if shape else target.domain_code,
        shape.role_name(target.professional_role) if shape else (target.professional_role or "Every role"),
        data.schools.get(school, "the district") if school is not None else "the district",
    )
    if tally.staff == 0 or describes_too_few(tally.staff, min_cell):
        status = "no staff counted" if tally.staff == 0 else f"fewer than {min_cell}"
        return TargetProgress(target, *names, None, None, None, status)
    current = round(100.0 * tally.at_or_above(target.measure, target.min_level) / tally.staff, 1)
    start = target.created_at.date()
    span = (target.due_on - start).days
    gone = min(1.0, max(0.0, (today - start).days / span)) if span > 0 else 1.0
    expected = round(target.baseline_percent + (target.share_percent - target.baseline_percent) * gone, 1)
    if current >= target.share_percent:
        status = "met"
    elif today > target.due_on:
        status = "past due"
    else:
        status = "on track" if current >= expected else "behind"
    return TargetProgress(target, *names, tally.staff, current, expected, status)


def current_share(data: DashboardData, target: ReadinessTarget) -> float:
    """Where a target's figure stands now (its baseline when it is set), ignoring the small-cell rule."""
    school = target.school_id if target.school_id is not None else data.scope.school_id
    tally = _tally(data, school, target.professional_role, target.domain_code)
    return round(100.0 * tally.at_or_above(target.measure, target.min_level) / tally.staff, 1) if tally.staff else 0.0


def _trends(data: DashboardData, filters: Filters, min_cell: int) -> dict[str, list[TrendSeries]]:
    """Per measure and domain: the share of today's staff at level 3 or above at each month's end."""
    shape = data.shape
    if shape is None:
        return {}
    today = data.now.date()
    # (measure, domain) -> month -> net change per level (data.changes is already filtered, in SQL)
    grouped: dict[tuple[str, str], dict[date, list[int]]] = {}
    for (code, kind, level, month), delta in data.changes.items():
        if month > today:
            continue
        per_month = grouped.setdefault((kind, code), {})
        per_month.setdefault(month, [0, 0, 0, 0])[level - 1] += delta
    changed = sorted({month for per_month in grouped.values() for month in per_month})
    months = _every_month(changed[0], today) if changed else []  # months with no change are points too
    result: dict[str, list[TrendSeries]] = {}
    for measure in ("validated", "self"):
        series = []
        for domain_code, domain_name in shape.domains:
            staff = _tally(data, filters.school_key, filters.role, domain_code).staff
            hidden = describes_too_few(staff, min_cell) or staff == 0
            per_month = grouped.get((measure, domain_code), {})
            running = [0, 0, 0, 0]
            points: list[tuple[date, float | None]] = []
            for month in months:
                for i, delta in enumerate(per_month.get(month, (0, 0, 0, 0))):
                    running[i] += delta
                points.append((month, None if hidden else round(100.0 * (running[2] + running[3]) / staff, 1)))
            series.append(TrendSeries(domain_code, domain_name, points))
        result[measure] = series
    return result


def _every_month(first: date, last: date) -> list[date]:
    months, month = [], date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


def build_report(data: DashboardData, filters: Filters, min_cell: int = DEFAULT_MIN_CELL) -> Report:
    check_filters(data, filters)
    measure = filters.view if filters.view != "trend" else "validated"
    domains = list(data.shape.domains) if data.shape else []
    report = Report(data, filters, min_cell, measure, domains)
    report.participation = _participation(data, filters, min_cell)
    today = data.now.date()
    if filters.view == "trend":
        report.trends = _trends(data, filters, min_cell)
        return report
    report.targets = [measure_target(data, target, min_cell, today) for target in data.targets]
    schools = [key for key in sorted(data.schools, key=lambda k: (k == 0, data.schools[k]))]
    if filters.school_key is not None:
        schools = [filters.school_key]
    for school_key in schools:
        tallies = [_tally(data, school_key, filters.role, code) for code, _ in domains]
        report.rows.append(
            HeatmapRow(school_key, data.schools[school_key], [cell_figures(t, measure, min_cell) for t in tallies])
        )
    report.total = _total_row(data, filters, min_cell, measure, domains, report.rows)
    return report


def _total_row(
    data: DashboardData,
    filters: Filters,
    min_cell: int,
    measure: str,
    domains: list[tuple[str, str]],
    rows: list[HeatmapRow],
) -> HeatmapRow | None:
    """All schools together. A total that included hidden cells would let anyone subtract the shown
    cells and read the hidden ones, so where a column hides any cell, its total counts only the cells
    shown (and says so: `leaves_out_small_groups`)."""
    if filters.school_key is not None or len(rows) < 2:
        return None
    cells = []
    for index, (code, _) in enumerate(domains):
        tally = Tally()
        left_out = False
        for row in rows:
            if row.cells[index].suppressed:
                left_out = True
            else:
                tally.add(_tally(data, row.school_key, filters.role, code))
        figures = cell_figures(tally, measure, min_cell)
        cells.append(replace(figures, leaves_out_small_groups=left_out))
    return HeatmapRow(-1, "All schools" if data.scope.whole_district else "School total", cells)
