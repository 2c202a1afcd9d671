"""Each person's readiness history, read from the records it derives from, and what it contributes.

Pure functions of loaded rows: `load_people` reads ratings of submitted self-assessments and awards
in a few batched queries; `standing_rows` is where a person stands now; `contributions` is what they
add to the monthly trend. Both the incremental upkeep and the rebuild use exactly these, which is
why the two agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from ..models import (
    DISTRICT_OFFICE,
    Award,
    BadgeClass,
    Domain,
    Indicator,
    Rating,
    SelfAssessment,
    User,
)

# "This badge never expires", as a time: comparisons with now stay plain `>` in SQL.
FAR_FUTURE = datetime(9999, 12, 31)
LEVELS = (1, 2, 3, 4)
CHUNK = 500  # ids per IN (...) list: well under every database's parameter limit

# (school_key, professional_role, domain_code, measure, level, month) -> people entering (+) or leaving (-)
ChangeKey = tuple[int, str, str, str, int, date]
# (school_key, professional_role, domain_code, self level, validated level) -> people (0: no level)
CountKey = tuple[int, str, str, int, int]


def month_of(moment: datetime | date) -> date:
    return date(moment.year, moment.month, 1)


def lower_median(levels: list[int]) -> int:
    """A domain's level from its key questions' ratings (the rule of badges.educator.assessments)."""
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


@dataclass
class PersonHistory:
    user_id: int
    district_id: int
    school_key: int
    professional_role: str | None
    active: bool
    # domain code -> [(submitted_at, derived level)], oldest first
    self_levels: dict[str, list[tuple[datetime, int]]] = field(default_factory=lambda: defaultdict(list))
    # (domain code, level, in force from, in force until or None, revoked); a revoked award ends at revocation
    badges: list[tuple[str, int, datetime, datetime | None, bool]] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        """Only active staff with a rated professional role are in the figures."""
        return self.active and self.professional_role is not None

    def domains(self) -> set[str]:
        return set(self.self_levels) | {badge[0] for badge in self.badges}


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def load_people(conn: Connection, user_ids: Iterable[int]) -> dict[int, PersonHistory]:
    """The history of each person named, in three queries per chunk of ids."""
    people: dict[int, PersonHistory] = {}
    for chunk in _chunks(sorted(set(user_ids))):
        for row in conn.execute(
            select(User.id, User.district_id, User.school_id, User.professional_role, User.active).where(
                User.id.in_(chunk)
            )
        ):
            people[row.id] = PersonHistory(
                row.id, row.district_id, row.school_id or DISTRICT_OFFICE, row.professional_role, row.active
            )
        _load_self_levels(conn, people, chunk)
        _load_badges(conn, people, chunk)
    return people


def _load_self_levels(conn: Connection, people: dict[int, PersonHistory], chunk: list[int]) -> None:
    rows = conn.execute(
        select(
            SelfAssessment.user_id,
            SelfAssessment.id,
            SelfAssessment.submitted_at,
            Domain.code,
            Rating.indicator_id,
            Rating.level,
        )
        .join(Rating, Rating.assessment_id == SelfAssessment.id)
        .join(Indicator, Indicator.id == Rating.indicator_id)
        .join(Domain, Domain.id == Indicator.domain_id)
        .where(SelfAssessment.user_id.in_(chunk), SelfAssessment.submitted_at.is_not(None))
        # Within a round the newest rating of a key question is its answer (ratings are append-only).
        .order_by(SelfAssessment.submitted_at, SelfAssessment.id, Rating.rated_at, Rating.id)
    )
    rounds: dict[tuple[int, int], tuple[datetime | None, defaultdict[str, dict[int, int]]]] = {}
    for user_id, assessment_id, submitted_at, domain_code, indicator_id, level in rows:
        by_domain = rounds.setdefault((user_id, assessment_id), (submitted_at, defaultdict(dict)))[1]
        by_domain[domain_code][indicator_id] = level
    for (user_id, _), (submitted_at, by_domain) in rounds.items():  # dicts keep the ORDER BY
        person = people.get(user_id)
        if person is None or submitted_at is None:
            continue
        for domain_code, answers in by_domain.items():
            person.self_levels[domain_code].append((submitted_at, lower_median(list(answers.values()))))


def _load_badges(conn: Connection, people: dict[int, PersonHistory], chunk: list[int]) -> None:
    rows = conn.execute(
        select(Award.user_id, Domain.code, BadgeClass.level, Award.awarded_at, Award.valid_until, Award.revoked_at)
        .join(BadgeClass, BadgeClass.id == Award.badge_class_id)
        .join(Domain, Domain.id == BadgeClass.domain_id)
        .where(Award.user_id.in_(chunk))
        .order_by(Award.awarded_at, Award.id)
    )
    for user_id, domain_code, level, awarded_at, valid_until, revoked_at in rows:
        ends = [moment for moment in (valid_until, revoked_at) if moment is not None]
        if user_id in people:
            people[user_id].badges.append(
                (domain_code, level, awarded_at, min(ends) if ends else None, revoked_at is not None)
            )


def validated_at(row: dict | Any, moment: datetime) -> int:
    """The validated level of a standing row (a dict or a result row) at `moment`; 0 for none."""
    get = row.get if isinstance(row, dict) else row._mapping.get
    for level in (4, 3, 2, 1):
        until = get(f"held_until_{level}")
        if until is not None and until > moment:
            return level
    return 0


def count_key(row: dict | Any, moment: datetime) -> CountKey:
    """Where a standing row counts in readiness_counts when evaluated at `moment`."""
    values: Any = row if isinstance(row, dict) else row._mapping
    return (
        values["school_key"],
        values["professional_role"],
        values["domain_code"],
        values["self_level"] or 0,
        validated_at(row, moment),
    )


def next_change(row: dict, moment: datetime) -> datetime | None:
    later = [row[f"held_until_{n}"] for n in LEVELS if row[f"held_until_{n}"] is not None]
    later = [until for until in later if until > moment and until != FAR_FUTURE]
    return min(later) if later else None


def standing_rows(person: PersonHistory, now: datetime) -> list[dict]:
    """The person's readiness_standings rows: latest self level, and until when each badge level holds.

    A revoked badge is left out (it never counts again); an expired one is kept: its time has
    passed, so the query ignores it, and the rows stay a function of the history alone."""
    if not person.counted:
        return []
    rows = []
    for domain_code in sorted(person.domains()):
        held: dict[int, datetime] = {}
        for code, level, _start, end, revoked in person.badges:
            if code == domain_code and not revoked:
                until = end or FAR_FUTURE
                held[level] = max(held.get(level, until), until)
        latest = person.self_levels.get(domain_code)
        rows.append(
            {
                "user_id": person.user_id,
                "domain_code": domain_code,
                "district_id": person.district_id,
                "school_key": person.school_key,
                "professional_role": person.professional_role,
                "self_level": latest[-1][1] if latest else None,
                "self_assessed_at": latest[-1][0] if latest else None,
                **{f"held_until_{n}": held.get(n) for n in LEVELS},
            }
        )
        rows[-1]["evaluated_at"] = now
        rows[-1]["next_change_at"] = next_change(rows[-1], now)
    return rows


def _month_end_levels(events: list[tuple[datetime, int | None]]) -> list[tuple[date, int | None]]:
    """[(month, level held at that month's end)] for each month in which the level may change."""
    result: list[tuple[date, int | None]] = []
    for moment, level in sorted(events, key=lambda e: e[0]):
        month = month_of(moment)
        if result and result[-1][0] == month:
            result[-1] = (month, level)
        else:
            result.append((month, level))
    return result


def _validated_events(badges: list[tuple[int, datetime, datetime | None]]) -> list[tuple[datetime, int | None]]:
    """The validated level after every start or end of a badge: the highest level in force."""
    moments = sorted({start for _, start, _ in badges} | {end for _, _, end in badges if end is not None})
    events: list[tuple[datetime, int | None]] = []
    for moment in moments:
        held = [level for level, start, end in badges if start <= moment and (end is None or end > moment)]
        events.append((moment, max(held) if held else None))
    return events


def contributions(person: PersonHistory) -> Counter[ChangeKey]:
    """What the person adds to the monthly trend: +1 where they reach a level, -1 where they leave it."""
    changes: Counter[ChangeKey] = Counter()
    if not person.counted:
        return changes
    assert person.professional_role is not None
    cell = (person.school_key, person.professional_role)
    timelines: dict[tuple[str, str], list[tuple[datetime, int | None]]] = {}
    for domain_code, levels in person.self_levels.items():
        timelines[(domain_code, "self")] = [(moment, level) for moment, level in levels]
    by_domain: dict[str, list[tuple[int, datetime, datetime | None]]] = defaultdict(list)
    for domain_code, level, start, end, _revoked in person.badges:
        if end is None or end > start:
            by_domain[domain_code].append((level, start, end))
    for domain_code, badges in by_domain.items():
        timelines[(domain_code, "validated")] = _validated_events(badges)
    for (domain_code, measure), events in timelines.items():
        before: int | None = None
        for month, held in _month_end_levels(events):
            if held == before:
                continue
            if before is not None:
                changes[(*cell, domain_code, measure, before, month)] -= 1
            if held is not None:
                changes[(*cell, domain_code, measure, held, month)] += 1
            before = held
    return changes
