"""API for the signed-in educator's self-assessments."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from ..access import educator_required, get_visible_or_404
from ..educator import assessments
from ..extensions import db
from ..models import SelfAssessment
from .assessment_schemas import AssessmentSchema, RatingSchema, RatingsInSchema

blp = Blueprint(
    "assessments_api",
    __name__,
    url_prefix="/api/v1/me/assessments",
    description="The signed-in educator's self-assessments and ratings.",
)


def present(assessment: SelfAssessment) -> dict:
    """The assessment with its current ratings and derived domain levels, for AssessmentSchema."""
    levels = assessments.domain_levels(assessment)
    current = assessments.current_ratings(assessment)
    return {
        "id": assessment.id,
        "framework": assessment.framework,
        "professional_role": assessment.professional_role,
        "started_at": assessment.started_at,
        "submitted_at": assessment.submitted_at,
        "is_draft": assessment.is_draft,
        "ratings": sorted(current.values(), key=lambda r: r.indicator_id),
        "domain_levels": [
            {
                "domain": d.code,
                "name": d.name,
                "level": levels[d.id].level,
                "rated": levels[d.id].rated,
                "applicable": levels[d.id].applicable,
            }
            for d in assessment.framework.domains
        ],
    }


def _load(assessment_id: int) -> SelfAssessment:
    return get_visible_or_404(SelfAssessment, assessment_id, current_user)


@blp.route("")
class AssessmentList(MethodView):
    decorators = [educator_required]

    @blp.response(200, AssessmentSchema(many=True))
    def get(self) -> Any:
        """Your self-assessments, newest first (the open one, if any, and every submitted one)."""
        rows = db.session.scalars(
            db.select(SelfAssessment)
            .where(SelfAssessment.user_id == current_user.id)
            .order_by(SelfAssessment.started_at.desc(), SelfAssessment.id.desc())
        )
        return [(present(a)) for a in rows]

    @blp.response(201, AssessmentSchema)
    def post(self) -> Any:
        """Start a self-assessment, or return the one already open."""
        draft = assessments.start_assessment(current_user)
        return present(draft)


@blp.route("/<int:assessment_id>")
class AssessmentItem(MethodView):
    decorators = [educator_required]

    @blp.response(200, AssessmentSchema)
    def get(self, assessment_id: int) -> Any:
        """One self-assessment with its current ratings and derived domain levels."""
        return present(_load(assessment_id))


@blp.route("/<int:assessment_id>/ratings")
class AssessmentRatings(MethodView):
    decorators = [educator_required]

    @blp.arguments(RatingsInSchema)
    @blp.response(200, AssessmentSchema)
    def put(self, body: dict, assessment_id: int) -> Any:
        """Save ratings (all or none). A changed rating adds a dated row; history is never overwritten."""
        assessment = _load(assessment_id)
        assessments.rate(current_user, assessment, body["ratings"])
        return present(assessment)


@blp.route("/<int:assessment_id>/history")
class AssessmentHistory(MethodView):
    decorators = [educator_required]

    @blp.response(200, RatingSchema(many=True))
    def get(self, assessment_id: int) -> Any:
        """Every rating ever saved in this self-assessment, oldest first."""
        return sorted(_load(assessment_id).ratings, key=lambda r: (r.rated_at, r.id))


@blp.route("/<int:assessment_id>/submit")
class AssessmentSubmit(MethodView):
    decorators = [educator_required]

    @blp.response(200, AssessmentSchema)
    def post(self, assessment_id: int) -> Any:
        """Close the self-assessment; every key question that applies to you must be rated."""
        assessment = _load(assessment_id)
        assessments.submit(current_user, assessment)
        return present(assessment)
