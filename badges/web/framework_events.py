"""The framework audit stream page: what happened to a framework (drafts, publications, imports, loads,
badge-policy changes), for the admins of every district using it. Anyone else answers 404, as if the
framework had no stream: whether a district uses a framework is not told to those outside it."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..access import acting_user, admin_required
from ..frameworks.events import framework_events
from ..frameworks.queries import versions_of
from ..permissions import can_read_framework_events, frameworks_used_by

bp = Blueprint("framework_events", __name__, url_prefix="/frameworks")


def readable_streams() -> list[str]:
    """The framework slugs whose stream the signed-in person may read (links on the admin audit page)."""
    user = current_user
    if not user.is_authenticated or user.district is None:
        return []
    return sorted(slug for slug in frameworks_used_by(user.district) if can_read_framework_events(user, slug))


@bp.app_context_processor
def stream_links():
    return {"can_read_framework_events": can_read_framework_events, "readable_streams": readable_streams}


@bp.get("/<slug>/events")
@admin_required
def stream(slug: str):
    if not can_read_framework_events(acting_user(), slug):
        abort(404)
    versions = versions_of(slug)
    return render_template(
        "frameworks/events.html",
        slug=slug,
        title=versions[-1].title if versions else slug,
        events=framework_events(slug),
    )
