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
from typing import Any

from sqlalchemy import Connection, Table, delete, event, func, insert, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import Award, District, ReadinessChange, ReadinessStanding, SelfAssessment, User
from .history import CHUNK, ChangeKey, contributions, load_people, standing_rows

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
    after = load_people(conn, pending)
    changes: dict[int, Counter[ChangeKey]] = {}
    for user_id, (old_district, old) in pending.items():
        person = after.get(user_id)
        if old_district is not None:  # what the person added before leaves the district they were in
            changes.setdefault(old_district, Counter()).subtract(old)
        if person is not None:
            changes.setdefault(person.district_id, Counter()).update(contributions(person))
    replace_standings(conn, list(pending), [row for person in after.values() for row in standing_rows(person)])
    for district_id, counter in changes.items():
        if conn.scalar(select(District.id).where(District.id == district_id)) is not None:
            add_changes(conn, district_id, counter)  # (a district deleted in this flush took its rows along)


def replace_standings(conn: Connection, user_ids: list[int], rows: list[dict]) -> None:
    for start in range(0, len(user_ids), CHUNK):
        conn.execute(delete(ReadinessStanding).where(ReadinessStanding.user_id.in_(user_ids[start : start + CHUNK])))
    if rows:
        conn.execute(insert(ReadinessStanding), rows)


def add_changes(conn: Connection, district_id: int, counter: Counter[ChangeKey]) -> None:
    """Add to the monthly trend: one upsert per changed cell (INSERT ... ON CONFLICT DO UPDATE)."""
    rows = [
        {
            "district_id": district_id,
            "school_key": school_key,
            "professional_role": role,
            "domain_code": domain_code,
            "measure": measure,
            "level": level,
            "month": month,
            "delta": delta,
        }
        for (school_key, role, domain_code, measure, level, month), delta in sorted(counter.items())
        if delta
    ]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    table = ReadinessChange.__table__
    assert isinstance(table, Table)
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(table.primary_key.columns), set_={"delta": table.c.delta + stmt.excluded.delta}
    )
    conn.execute(stmt, rows)


def rebuild_district(conn: Connection, district_id: int) -> int:
    """Recompute the district's standings and trend from the history; returns the people counted."""
    conn.execute(delete(ReadinessStanding).where(ReadinessStanding.district_id == district_id))
    conn.execute(delete(ReadinessChange).where(ReadinessChange.district_id == district_id))
    last_round = (
        select(func.max(SelfAssessment.submitted_at)).where(SelfAssessment.user_id == User.id).scalar_subquery()
    )
    conn.execute(update(User).where(User.district_id == district_id).values(last_assessed_at=last_round))
    user_ids = list(conn.scalars(select(User.id).where(User.district_id == district_id).order_by(User.id)))
    counted = 0
    for start in range(0, len(user_ids), CHUNK * 4):
        people = load_people(conn, user_ids[start : start + CHUNK * 4])
        rows = [row for person in people.values() for row in standing_rows(person)]
        if rows:
            conn.execute(insert(ReadinessStanding), rows)
        total: Counter[ChangeKey] = Counter()
        for person in people.values():
            total.update(contributions(person))
            counted += person.counted
        add_changes(conn, district_id, total)
    return counted


def install(sessions: Any) -> None:
    """Listen on every session the app makes (idempotent: several apps share one session class)."""
    for name, hook in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(sessions, name, hook):
            event.listen(sessions, name, hook)
