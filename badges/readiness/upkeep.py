"""Keeps readiness_standings and readiness_changes in step with the history, in the same flush.

Guarded by construction: a session hook notices every change that can move a figure (a submitted
self-assessment, an award made, revoked or re-dated, a person's school, role or active flag, a
person removed), whoever makes it: a view, the API, the CLI or a roster import. Before the flush it
reads the affected people's history as it was; after, as it is; it writes the difference to the
monthly trend and replaces their standing rows. `rebuild_district` recomputes everything from the
history, and a test shows it gives the same numbers.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, event, func, insert, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import (
    ALL_ROLES,
    ALL_SCHOOLS,
    Award,
    District,
    ReadinessChange,
    ReadinessCount,
    ReadinessStanding,
    SelfAssessment,
    User,
    utcnow,
)
from .history import CHUNK, ChangeKey, CountKey, contributions, count_key, load_people, next_change, standing_rows

_PENDING = "readiness_pending"  # session.info key: {user id: contributions before the flush}
USER_FIELDS = ("school_id", "school", "professional_role", "active", "district_id", "district")
AWARD_FIELDS = ("revoked_at", "valid_until", "awarded_at", "user_id", "user", "badge_class_id", "badge_class")


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _affected_people(session: Session) -> set[int]:
    people: set[int] = set()
    for obj in list(session.new) + list(session.dirty):
        submitted = (
            isinstance(obj, SelfAssessment) and obj.submitted_at is not None and _changed(obj, ("submitted_at",))
        )
        awarded = isinstance(obj, Award) and (obj in session.new or _changed(obj, AWARD_FIELDS))
        if submitted or awarded:
            people.add(obj.user_id if obj.user_id is not None else obj.user.id)
        elif isinstance(obj, User) and obj not in session.new and _changed(obj, USER_FIELDS):
            people.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, (User, Award, SelfAssessment)):
            people.add(obj.id if isinstance(obj, User) else obj.user_id)
    people.discard(None)  # type: ignore[arg-type,unused-ignore]  # a person not stored yet has no history
    return people


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    people = _affected_people(session)
    if not people:
        return
    with session.no_autoflush:
        before = load_people(session.connection(), people)
    pending: dict[int, tuple[int | None, Counter[ChangeKey]]] = session.info.setdefault(_PENDING, {})
    for user_id in people:
        person = before.get(user_id)
        pending[user_id] = (person.district_id, contributions(person)) if person is not None else (None, Counter())


def _after_flush(session: Session, flush_context: Any) -> None:
    pending: dict[int, tuple[int | None, Counter[ChangeKey]]] = session.info.pop(_PENDING, {})
    if not pending:
        return
    conn = session.connection()
    now = utcnow()
    after = load_people(conn, pending)
    changes: dict[int, Counter[ChangeKey]] = {}
    for user_id, (old_district, old) in pending.items():
        person = after.get(user_id)
        if old_district is not None:  # what the person added before leaves the district they were in
            changes.setdefault(old_district, Counter()).subtract(old)
        if person is not None:
            changes.setdefault(person.district_id, Counter()).update(contributions(person))
    counts = replace_standings(
        conn, list(pending), [row for person in after.values() for row in standing_rows(person, now)], now
    )
    live = set(conn.scalars(select(District.id).where(District.id.in_(set(changes) | set(counts)))))
    for district_id in live:  # (a district deleted in this flush took its rows along)
        add_changes(conn, district_id, changes.get(district_id, Counter()))
        add_counts(conn, district_id, counts.get(district_id, Counter()))


def replace_standings(
    conn: Connection, user_ids: list[int], rows: list[dict], now: datetime
) -> dict[int, Counter[CountKey]]:
    """Swap the people's standing rows for new ones; returns what that moves in readiness_counts."""
    counts: dict[int, Counter[CountKey]] = {}
    for start in range(0, len(user_ids), CHUNK):
        chunk = user_ids[start : start + CHUNK]
        for old in conn.execute(select(*_STANDING_COLUMNS).where(ReadinessStanding.user_id.in_(chunk))):
            counts.setdefault(old.district_id, Counter())[count_key(old, old.evaluated_at)] -= 1
        conn.execute(delete(ReadinessStanding).where(ReadinessStanding.user_id.in_(chunk)))
    for row in rows:
        counts.setdefault(row["district_id"], Counter())[count_key(row, now)] += 1
    if rows:
        conn.execute(insert(ReadinessStanding), rows)
    return counts


_STANDING_COLUMNS = [column for column in ReadinessStanding.__table__.columns]


def _upsert(conn: Connection, table: Any, rows: list[dict], value: str) -> None:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE SET value = value + excluded.value."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(table.primary_key.columns), set_={value: table.c[value] + stmt.excluded[value]}
    )
    conn.execute(stmt, rows)


def add_changes(conn: Connection, district_id: int, counter: Counter[ChangeKey]) -> None:
    """Add to the monthly trend: one upsert per changed cell, and per rollup it belongs to."""
    fields = ("school_key", "professional_role", "domain_code", "measure", "level", "month")
    rolled: Counter[ChangeKey] = Counter()
    for (school, role, domain, measure, level, month), delta in counter.items():
        for key in ((school, role), (school, ALL_ROLES), (ALL_SCHOOLS, role), (ALL_SCHOOLS, ALL_ROLES)):
            rolled[(key[0], key[1], domain, measure, level, month)] += delta
    rows = [
        {"district_id": district_id, **dict(zip(fields, key, strict=True)), "delta": delta}
        for key, delta in sorted(rolled.items())
        if delta
    ]
    _upsert(conn, ReadinessChange.__table__, rows, "delta")


def add_counts(conn: Connection, district_id: int, counter: Counter[CountKey]) -> None:
    fields = ("school_key", "professional_role", "domain_code", "self_level", "validated_level")
    rows = [
        {"district_id": district_id, **dict(zip(fields, key, strict=True)), "people": people}
        for key, people in sorted(counter.items())
        if people
    ]
    _upsert(conn, ReadinessCount.__table__, rows, "people")


def refresh_counts(conn: Connection, district_id: int, now: datetime | None = None) -> int:
    """Re-evaluate the standing rows whose badges changed level with time since they were counted,
    so the dashboard's correction stays small. The figures are right without it (the dashboard
    corrects in its query); run it nightly (`flask readiness refresh`). Returns the rows refreshed."""
    now = now or utcnow()
    s = ReadinessStanding
    stale = list(conn.execute(select(*_STANDING_COLUMNS).where(s.district_id == district_id, s.next_change_at <= now)))
    counts: Counter[CountKey] = Counter()
    for row in stale:
        counts[count_key(row, row.evaluated_at)] -= 1
        counts[count_key(row, now)] += 1
    if stale:  # one executemany, not an UPDATE per row
        conn.execute(
            update(s)
            .where(s.user_id == bindparam("row_user"), s.domain_code == bindparam("row_domain"))
            .values(evaluated_at=now, next_change_at=bindparam("next_change")),
            [
                {
                    "row_user": row.user_id,
                    "row_domain": row.domain_code,
                    "next_change": next_change(dict(row._mapping), now),
                }
                for row in stale
            ],
        )
    add_counts(conn, district_id, counts)
    return len(stale)


def rebuild_district(conn: Connection, district_id: int, now: datetime | None = None) -> int:
    """Recompute the district's standings, counts and trend from the history; returns the people counted."""
    now = now or utcnow()
    for table in (ReadinessStanding, ReadinessChange, ReadinessCount):
        conn.execute(delete(table).where(table.district_id == district_id))
    last_round = (
        select(func.max(SelfAssessment.submitted_at)).where(SelfAssessment.user_id == User.id).scalar_subquery()
    )
    conn.execute(update(User).where(User.district_id == district_id).values(last_assessed_at=last_round))
    user_ids = list(conn.scalars(select(User.id).where(User.district_id == district_id).order_by(User.id)))
    counted = 0
    for start in range(0, len(user_ids), CHUNK * 4):
        people = load_people(conn, user_ids[start : start + CHUNK * 4])
        rows = [row for person in people.values() for row in standing_rows(person, now)]
        if rows:
            conn.execute(insert(ReadinessStanding), rows)
        total: Counter[ChangeKey] = Counter()
        for person in people.values():
            total.update(contributions(person))
            counted += person.counted
        add_changes(conn, district_id, total)
        add_counts(conn, district_id, Counter(count_key(row, now) for row in rows))
    return counted


def install(sessions: Any) -> None:
    """Listen on every session the app makes (idempotent: several apps share one session class)."""
    for name, hook in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(sessions, name, hook):
            event.listen(sessions, name, hook)
