"""The append-only audit log: every claim, decision, award and scope change, with who, what, when, why.

Operations call `record` inside their own transaction, so an event is kept exactly when what it
describes is kept. Reading is for a district's admins, scoped to their district.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from .base import spreadsheet_safe
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


def _filtered(district: District, action: str | None) -> Select[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.district_id == district.id)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    return query


def audit_page(district: District, page: int = 1, action: str | None = None) -> AuditPage:
    """Newest first, PAGE_SIZE a page; `action` filters by prefix ("claim." or "review.approved")."""
    query = _filtered(district, action)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    events = list(
        db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    )
    return AuditPage(events, page, pages, total)


def export_rows(district: District, action: str | None = None) -> Iterable[list[str]]:
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


def export_csv(district: District, action: str | None = None) -> Iterable[str]:
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
