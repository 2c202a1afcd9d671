"""The append-only audit log: every claim, decision, award and scope change, with who, what, when, why.

Operations call `record` inside their own transaction, so an event is kept exactly when what it
describes is kept. Reading is for a district's admins, scoped to their district.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from .base import InvalidInput, parse_id, spreadsheet_safe
from .extensions import db
from .models import AuditEvent, District, User

COMMAND_LINE = "command line"
PAGE_SIZE = 50
CSV_COLUMNS = ("id", "occurred_at_utc", "actor", "action", "subject_type", "subject_id", "summary", "reason")


def actor_label(actor: User | None) -> str:
    return f"{actor.name} <{actor.email}>" if actor is not None else COMMAND_LINE


def record(
    district: District | int, actor: User | None, action: str, subject: Any, summary: str, reason: str = ""
) -> AuditEvent:
    """Add one event about `subject` (any model with an id) to the current transaction."""
    event = AuditEvent(
        district_id=district if isinstance(district, int) else district.id,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label(actor),
        action=action,
        subject_type=subject.__tablename__,
        subject_id=subject.id,
        summary=summary,
        reason=reason or "",
    )
    db.session.add(event)
    return event


@dataclass
class AuditPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class AuditFilter:
    """Which events: an action prefix, the person who acted, the days (both ends included, UTC)."""

    action: str | None = None
    actor: User | None = None
    since: date | None = None
    until: date | None = None


def audit_filter(
    district: District,
    action: str | None = None,
    actor: object = None,
    since: object = None,
    until: object = None,
) -> AuditFilter:
    """The filter from query-string values ("" is no filter); InvalidInput naming each bad field."""
    errors: dict[str, list[str]] = {}
    person = None
    if actor not in (None, ""):
        number = parse_id(actor)
        person = (
            db.session.scalar(select(User).where(User.id == number, User.district_id == district.id))
            if number is not None
            else None
        )
        if person is None:
            errors["actor"] = [f"Choose a person of {district.name}."]
    days: dict[str, date | None] = {}
    for field, value in (("from", since), ("to", until)):
        if isinstance(value, date) or value in (None, ""):
            days[field] = value if isinstance(value, date) else None
            continue
        try:
            days[field] = date.fromisoformat(str(value))
        except ValueError:
            errors[field] = [f"Give the {field!r} day as YYYY-MM-DD, such as 2026-12-03."]
    if not errors and days["from"] and days["to"] and days["from"] > days["to"]:
        errors["to"] = ["The 'to' day is before the 'from' day."]
    if errors:
        raise InvalidInput(errors)
    return AuditFilter(action or None, person, days["from"], days["to"])


def _filtered(district: District, found: AuditFilter | str | None) -> Select[AuditEvent]:
    if not isinstance(found, AuditFilter):  # an action prefix alone, as callers passed before
        found = AuditFilter(action=found)
    query = select(AuditEvent).where(AuditEvent.district_id == district.id)
    if found.action:
        query = query.where(AuditEvent.action.startswith(found.action, autoescape=True))
    if found.actor is not None:  # ix_audit_events_actor_time (district_id, actor_id, occurred_at)
        query = query.where(AuditEvent.actor_id == found.actor.id)
    if found.since is not None:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(found.since, time.min))
    if found.until is not None:
        query = query.where(AuditEvent.occurred_at < datetime.combine(found.until + timedelta(days=1), time.min))
    return query


def audit_page(district: District, page: int = 1, action: AuditFilter | str | None = None) -> AuditPage:
    """Newest first, PAGE_SIZE a page; `action` is an AuditFilter, or an action prefix alone
    ("claim." or "review.approved")."""
    query = _filtered(district, action)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    events = list(
        db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    )
    return AuditPage(events, page, pages, total)


def subject_names(district: District, events: Iterable[AuditEvent]) -> dict[int, str]:
    """Names of the district's people the events are about (subject_type "users"), by id: the log
    page names them instead of showing a table name and a number."""
    ids = {e.subject_id for e in events if e.subject_type == User.__tablename__}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.name).where(User.id.in_(ids), User.district_id == district.id))
    return {user_id: name for user_id, name in rows}


def export_rows(district: District, action: AuditFilter | str | None = None) -> Iterable[list[str]]:
    for event in db.session.scalars(
        _filtered(district, action).order_by(AuditEvent.id).execution_options(yield_per=500)
    ):
        yield [
            str(event.id),
            event.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            spreadsheet_safe(event.actor_label),
            event.action,
            event.subject_type,
            str(event.subject_id),
            spreadsheet_safe(event.summary),
            spreadsheet_safe(event.reason),
        ]


def export_csv(district: District, action: AuditFilter | str | None = None) -> Iterable[str]:
    """The district's log, oldest first, as CSV text in chunks (streamed: the log only grows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for n, row in enumerate(export_rows(district, action), start=1):
        writer.writerow(row)
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
