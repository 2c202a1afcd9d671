"""API of the framework audit stream: the same events as the page, for the admins of every district using
the framework; anyone else gets 404, as if the framework had no stream."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, admin_required
from ..frameworks.events import framework_events
from ..permissions import can_read_framework_events
from .framework_events_schemas import FrameworkEventSchema

blp = Blueprint(
    "framework_events_api",
    __name__,
    url_prefix="/api/v1/frameworks",
    description="The audit stream of a framework: drafts, publications, imports, loads and badge-policy changes.",
)


@blp.route("/<slug>/events")
class FrameworkEventList(MethodView):
    decorators = [admin_required]

    @blp.response(200, FrameworkEventSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an admin")
    @blp.alt_response(404, description="No stream this admin's district may read")
    def get(self, slug: str) -> Any:
        """The framework's events, newest first."""
        if not can_read_framework_events(acting_user(), slug):
            abort(404, f"No framework {slug} used by your district.")
        return framework_events(slug)
