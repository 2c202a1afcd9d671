"""The district's calibration report, for its admins and district leaders (badges.permissions
can_view_calibration_report): how each validator agrees with the anchors per domain (exact, within one
level, quadratic-weighted kappa), how validators agree with each other per domain (Krippendorff's ordinal
alpha, on calibration ratings and on live claims), each validator's exact agreement round by round, their
agreement with the other validators on shared claims, and their flags under the district's policy.

Every figure carries its n. The district's ratings are read in a handful of queries (load_calibration,
load_live and three small ones here); everything else is computed in Python.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..base import InvalidInput, spreadsheet_safe
from ..extensions import db
from ..models import CalibrationPolicy, District, Domain, ScopeDomain, SystemRole, User, UserSystemRole
from .drift import LiveRatings, load_live
from .policy import level_names, policy_of
from .standing import CalibrationData, Standing, load_calibration, round_results, standing_from
from .statistics import (
    Figure,
    exact_agreement,
    krippendorff_alpha_ordinal,
    quadratic_weighted_kappa,
    within_one_agreement,
)


@dataclass(frozen=True)
class HistoryPoint:
    """A validator's exact agreement with the anchors in one round; dated by their latest rating in it."""

    round_id: int
    round_title: str
    rated_at: datetime
    exact: Figure


@dataclass(frozen=True)
class ValidatorRow:
    """One validator in one domain."""

    validator_id: int
    name: str
    domain_code: str
    domain_name: str
    exact: Figure  # against the anchors, over every calibration rating in the domain
    within_one: Figure
    kappa: Figure
    history: list[HistoryPoint]  # oldest first
    live_exact: Figure  # against the other validators' ratings on the same claims
    live_within_one: Figure
    standing: Standing

    @property
    def flags(self) -> tuple[str, ...]:
        return self.standing.flags


@dataclass(frozen=True)
class DomainRow:
    code: str
    name: str
    alpha: Figure  # across validators, on calibration ratings: units (exemplar, key question)
    live_alpha: Figure  # across validators, on claims rated by two or more: units (claim, key question)


@dataclass(frozen=True)
class CalibrationReport:
    district: District
    policy: CalibrationPolicy
    level_names: dict[int, str]
    domains: list[DomainRow]  # the framework's domains (only the chosen one, if filtered)
    validators: list[ValidatorRow]  # by domain, then name
    domain_code: str | None  # the filter, if any
    all_domains: list[tuple[str, str]]  # (code, name) of every domain, for the filter

    def rows_in(self, domain_code: str) -> list[ValidatorRow]:
        return [row for row in self.validators if row.domain_code == domain_code]

    def has_figures(self, domain: DomainRow) -> bool:
        """Whether anything has been measured in the domain: a calibration rating or a shared live claim."""
        return (
            domain.alpha.n > 0
            or domain.live_alpha.n > 0
            or any(row.history or row.live_exact.n for row in self.rows_in(domain.code))
        )

    @property
    def measured_domains(self) -> list[DomainRow]:
        return [domain for domain in self.domains if self.has_figures(domain)]

    @property
    def quiet_domains(self) -> list[DomainRow]:
        """Domains with no calibration round rated and no claim decided by two validators yet."""
        return [domain for domain in self.domains if not self.has_figures(domain)]

    @property
    def flagged(self) -> list[ValidatorRow]:
        return [row for row in self.validators if row.standing.flagged]


def calibration_report(
    district: District, domain_code: str | None = None, now: datetime | None = None
) -> CalibrationReport:
    """The report for the district (the caller has checked can_view_calibration_report); `domain_code`
    narrows it to one domain (InvalidInput if the framework has no such domain)."""
    framework = district.framework
    domains: list[Domain] = list(framework.domains) if framework else []
    all_domains = [(d.code, d.name) for d in domains]
    if domain_code:
        domains = [d for d in domains if d.code == domain_code]
        if not domains:
            raise InvalidInput("The district's framework has no such domain; choose one from the list.", "domain")
    domain_code = domain_code or None
    policy = policy_of(district)
    data = load_calibration(district.id)
    live = load_live(district.id)
    live_people = live.validators()
    names = _validators(district, {r.validator_id for r in data.ratings} | {v for v, _ in live_people})
    in_scope = _scope_domains(district)
    grouped = data.by_validator_domain()
    domain_rows = [
        DomainRow(d.code, d.name, _calibration_alpha(data, d.id), krippendorff_alpha_ordinal(live.alpha_units(d.id)))
        for d in domains
    ]
    rows = []
    for domain in domains:
        for validator_id, name in sorted(names.items(), key=lambda item: (item[1], item[0])):
            key = (validator_id, domain.id)
            if domain.code not in in_scope.get(validator_id, set()) and key not in grouped and key not in live_people:
                continue  # neither in scope nor rated here: nothing to say
            rows.append(_row(data, live, grouped.get(key, []), validator_id, name, domain, policy, now))
    return CalibrationReport(district, policy, level_names(district), domain_rows, rows, domain_code, all_domains)


def _row(
    data: CalibrationData,
    live: LiveRatings,
    ratings: list,
    validator_id: int,
    name: str,
    domain: Domain,
    policy: CalibrationPolicy,
    now: datetime | None,
) -> ValidatorRow:
    pairs = [pair for rated in ratings for pair in rated.pairs]
    live_pairs = live.pairs_of(validator_id, domain.id)
    history = [
        HistoryPoint(result.round.id, result.round.title, result.rated_at, exact_agreement(result.pairs))
        for result in round_results(data, ratings)
    ]
    return ValidatorRow(
        validator_id,
        name,
        domain.code,
        domain.name,
        exact_agreement(pairs),
        within_one_agreement(pairs),
        quadratic_weighted_kappa(pairs),
        history,
        exact_agreement(live_pairs),
        within_one_agreement(live_pairs),
        standing_from(data, ratings, validator_id, domain, policy, now),
    )


def _calibration_alpha(data: CalibrationData, domain_id: int) -> Figure:
    units: dict[Hashable, list[int]] = defaultdict(list)
    for rated in data.ratings:
        if rated.domain_id == domain_id:
            for indicator_id, level in rated.levels.items():
                units[(rated.exemplar_id, indicator_id)].append(level)
    return krippendorff_alpha_ordinal(units)


def _validators(district: District, raters: set[int]) -> dict[int, str]:
    """Validator id -> name: the district's validators, and anyone of the district among `raters` (who rated
    but holds the role no longer)."""
    return {
        user_id: name
        for user_id, name in db.session.execute(
            select(User.id, User.name)
            .outerjoin(
                UserSystemRole, (UserSystemRole.user_id == User.id) & (UserSystemRole.role == SystemRole.VALIDATOR)
            )
            .where(User.district_id == district.id, UserSystemRole.user_id.is_not(None) | User.id.in_(raters))
        )
    }


def _scope_domains(district: District) -> dict[int, set[str]]:
    """Validator id -> the domain codes in their scope."""
    found: dict[int, set[str]] = defaultdict(set)
    for validator_id, code in db.session.execute(
        select(ScopeDomain.validator_id, ScopeDomain.domain_code)
        .join(User, ScopeDomain.validator_id == User.id)
        .where(User.district_id == district.id)
    ):
        found[validator_id].add(code)
    return found


CSV_COLUMNS = [
    "validator_id",
    "validator",
    "domain",
    "domain_name",
    "exact_percent",
    "exact_n",
    "within_one_percent",
    "within_one_n",
    "kappa",
    "kappa_n",
    "live_exact_percent",
    "live_exact_n",
    "live_within_one_percent",
    "live_within_one_n",
    "latest_round",
    "latest_round_on",
    "latest_exact_percent",
    "latest_exact_n",
    "flags",
    "domain_alpha",
    "domain_alpha_n",
    "domain_live_alpha",
    "domain_live_alpha_n",
]


def _blank(value: object) -> object:
    return "" if value is None else value


def _kappa(figure: Figure) -> object:
    return "" if figure.value is None else round(figure.value, 3)


def csv_rows(report: CalibrationReport) -> Iterator[list[object]]:
    """One row per validator and domain, with every figure's n, names made safe for spreadsheets."""
    domains = {row.code: row for row in report.domains}
    for row in report.validators:
        domain, standing = domains[row.domain_code], row.standing
        latest = standing.latest
        yield [
            row.validator_id,
            spreadsheet_safe(row.name),
            row.domain_code,
            spreadsheet_safe(row.domain_name),
            _blank(row.exact.percent),
            row.exact.n,
            _blank(row.within_one.percent),
            row.within_one.n,
            _kappa(row.kappa),
            row.kappa.n,
            _blank(row.live_exact.percent),
            row.live_exact.n,
            _blank(row.live_within_one.percent),
            row.live_within_one.n,
            spreadsheet_safe(latest.round.title) if latest else "",
            latest.rated_at.date().isoformat() if latest else "",
            _blank(standing.exact.percent) if standing.exact else "",
            standing.exact.n if standing.exact else 0,
            spreadsheet_safe("; ".join(standing.flags)),
            _kappa(domain.alpha),
            domain.alpha.n,
            _kappa(domain.live_alpha),
            domain.live_alpha.n,
        ]


def export_csv(report: CalibrationReport) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(report))
    yield buffer.getvalue()
