"""The signed-in person."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from ..access import educator_required
from ..educator.progress import conference_summary, progress_by_domain
from .assessment_schemas import ConferenceSummarySchema, DomainProgressSchema
from .schemas import CurrentUserSchema

blp = Blueprint("me_api", __name__, url_prefix="/api/v1/me", description="The signed-in person.")


@blp.route("")
class Me(MethodView):
    decorators = [login_required]

    @blp.response(200, CurrentUserSchema)
    @blp.alt_response(401, description="Not signed in")
    def get(self) -> Any:
        """Who am I: name, email, professional role, system roles, district and school."""
        return current_user


@blp.route("/progress")
class MyProgress(MethodView):
    decorators = [educator_required]

    @blp.response(200, DomainProgressSchema(many=True))
    def get(self) -> Any:
        """Your self-assessed level per domain for each submitted self-assessment, and the trend."""
        return progress_by_domain(current_user)[2]


@blp.route("/summary")
class MyConferenceSummary(MethodView):
    decorators = [educator_required]

    @blp.response(200, ConferenceSummarySchema)
    def get(self) -> Any:
        """What the printable conference summary shows: levels and trends, goals, chosen evidence, feedback."""
        return conference_summary(current_user)
