"""The framework audit stream: what happened to a framework, which districts share.

The audit log (badges.audit) is per district; a framework is not, so its drafts, publications,
imports, loads and badge-policy changes are written here, one stream per framework slug, inside the
operation's own transaction. Who may read a stream is badges.permissions.can_read_framework_events.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from ..audit import actor_label
from ..extensions import db
from ..models import Framework, FrameworkEvent, User

STREAM_LIMIT = 200


def record_framework_event(
    framework: Framework, actor: User | None, action: str, summary: str, details: Iterable[str] = ()
) -> FrameworkEvent:
    event = FrameworkEvent(
        framework_slug=framework.slug,
        framework_version=framework.version,
        district_id=actor.district_id if actor is not None else None,
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label(actor),
        action=action,
        summary=summary,
        details=list(details),
    )
    db.session.add(event)
    return event


def framework_events(slug: str, limit: int = STREAM_LIMIT) -> list[FrameworkEvent]:
    """The newest events of a framework's stream first."""
    return list(
        db.session.scalars(
            select(FrameworkEvent)
            .where(FrameworkEvent.framework_slug == slug)
            .order_by(FrameworkEvent.occurred_at.desc(), FrameworkEvent.id.desc())
            .limit(limit)
        )
    )
