"""API for the signed-in educator's goals."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, educator_required, get_visible_or_404
from ..educator import goals
from ..models import Goal
from .goal_schemas import GoalCreateSchema, GoalSchema, GoalUpdateSchema

blp = Blueprint("goals_api", __name__, url_prefix="/api/v1/me/goals", description="The signed-in educator's goals.")

# Schema key -> keyword of badges.educator.goals.
FIELD_NAMES = {"domain": "domain_code", "evidence": "evidence_ids"}


_me = acting_user


def _owned_goal_or_404(goal_id: int) -> Goal:
    return get_visible_or_404(Goal, goal_id, _me())


@blp.route("")
class GoalList(MethodView):
    decorators = [educator_required]

    @blp.response(200, GoalSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def get(self) -> Any:
        """My goals: open ones first by target date, then achieved and set aside."""
        return goals.list_goals(_me())

    @blp.arguments(GoalCreateSchema)
    @blp.response(201, GoalSchema)
    @blp.alt_response(400, description="A rule was broken (past date, unknown domain, another person's evidence...)")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not an educator")
    def post(self, data: dict[str, Any]) -> Any:
        """Set a goal: a target level in a domain by a date, with a plan."""
        goal = goals.create_goal(
            _me(),
            domain_code=data["domain"],
            target_level=data["target_level"],
            target_date=data["target_date"],
            actions=data["actions"],
            support_needed=data["support_needed"],
            evidence_ids=data["evidence"],
        )
        return goal


@blp.route("/<int:goal_id>")
class GoalItem(MethodView):
    decorators = [educator_required]

    @blp.response(200, GoalSchema)
    @blp.alt_response(404, description="No such goal of yours")
    def get(self, goal_id: int) -> Any:
        """One of my goals."""
        return _owned_goal_or_404(goal_id)

    @blp.arguments(GoalUpdateSchema)
    @blp.response(200, GoalSchema)
    @blp.alt_response(400, description="A rule was broken")
    @blp.alt_response(404, description="No such goal of yours")
    def patch(self, data: dict[str, Any], goal_id: int) -> Any:
        """Change some fields of one of my goals (status, plan, date, level, linked evidence)."""
        goal = _owned_goal_or_404(goal_id)
        goals.update_goal(_me(), goal, **{FIELD_NAMES.get(k, k): v for k, v in data.items()})
        return goal

    @blp.response(204)
    @blp.alt_response(404, description="No such goal of yours")
    def delete(self, goal_id: int) -> None:
        """Delete one of my goals (the evidence it linked to stays)."""
        goals.delete_goal(_me(), _owned_goal_or_404(goal_id))
