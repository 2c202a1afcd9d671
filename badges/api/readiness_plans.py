"""API for planning support: targets, next steps per domain, training cohorts (leaders, within their
readiness scope), and for every educator their cohorts and the choice to share self-assessment by name."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from ..access import acting_user, educator_required, get_visible_or_404, readiness_required, readiness_scope_of
from ..educator.sharing import set_self_assessment_sharing
from ..models import Cohort, ReadinessTarget
from ..readiness import cohorts, next_steps, targets
from ..readiness.dashboard import load
from ..readiness.report import DEFAULT_MIN_CELL, TargetProgress, measure_target
from ..visibility import MANAGED_TARGET, PLANNED_COHORT
from .readiness_plans_schemas import (
    CohortCreateSchema,
    CohortSchema,
    MyCohortSchema,
    NextStepsQuerySchema,
    NextStepsSchema,
    SharingSchema,
    TargetCreateSchema,
    TargetProgressSchema,
)

blp = Blueprint(
    "readiness_plans_api",
    __name__,
    url_prefix="/api/v1/readiness",
    description="Planning support: targets, next steps per domain, training cohorts (district and school leaders).",
)
me_blp = Blueprint(
    "my_plans_api",
    __name__,
    url_prefix="/api/v1/me",
    description="The signed-in educator's training cohorts and self-assessment sharing.",
)

_me = acting_user


def _min_cell() -> int:
    return int(current_app.config.get("READINESS_MIN_CELL", DEFAULT_MIN_CELL))


def _progress() -> list[TargetProgress]:
    scope = readiness_scope_of(_me())
    data = load(scope)
    return [measure_target(data, target, _min_cell(), data.now.date()) for target in data.targets]


@blp.route("/targets")
class TargetList(MethodView):
    decorators = [readiness_required]

    @blp.response(200, TargetProgressSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a district or school leader")
    def get(self) -> Any:
        """The targets you read (your district's; a school leader's school's too), with progress, soonest due first."""
        return _progress()

    @blp.arguments(TargetCreateSchema)
    @blp.response(201, TargetProgressSchema)
    @blp.alt_response(400, description="A rule was broken (unknown domain, past date, share out of 1..100...)")
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a district or school leader")
    def post(self, data: dict[str, Any]) -> Any:
        """Set a target: a share of staff at a level or above in a domain by a date."""
        me = _me()
        target = targets.create_target(
            me,
            readiness_scope_of(me),
            domain_code=data["domain"],
            share_percent=data["share_percent"],
            due_on=data["due_on"],
            professional_role=data["professional_role"],
            school_id=data["school_id"],
            min_level=data["min_level"],
            measure=data["measure"],
        )
        return next(p for p in _progress() if p.target.id == target.id)


@blp.route("/targets/<int:target_id>")
class TargetItem(MethodView):
    decorators = [readiness_required]

    @blp.response(204)
    @blp.alt_response(404, description="No such target you can change")
    def delete(self, target_id: int) -> None:
        """Delete a target (a school leader: only their school's)."""
        me = _me()
        targets.delete_target(
            me, readiness_scope_of(me), get_visible_or_404(ReadinessTarget, target_id, me, MANAGED_TARGET)
        )


@blp.route("/next-steps")
class NextSteps(MethodView):
    decorators = [readiness_required]

    @blp.arguments(NextStepsQuerySchema, location="query")
    @blp.response(200, NextStepsSchema)
    @blp.alt_response(400, description="Unknown domain or role")
    @blp.alt_response(404, description="No such school you lead")
    def get(self, query: dict[str, Any]) -> Any:
        """Who is ready for support in a domain (self-assessed levels only of those who share them by name,
        the others counted under the small-cell rule), and the Experts who could coach them, nearest first."""
        scope = readiness_scope_of(_me())
        school = query["school"]
        if school is not None and not next_steps.school_in_scope(scope, school):
            abort(404, f"There is no school {school} you lead.")
        return next_steps.next_steps(scope, query["domain"], school, query["role"], min_cell=_min_cell())


@blp.route("/cohorts")
class CohortList(MethodView):
    decorators = [readiness_required]

    @blp.response(200, CohortSchema(many=True))
    def get(self) -> Any:
        """The training cohorts of your scope, latest start first."""
        return cohorts.list_cohorts(readiness_scope_of(_me()))

    @blp.arguments(CohortCreateSchema)
    @blp.response(201, CohortSchema)
    @blp.alt_response(
        400, description="A rule was broken (no members, someone you do not lead, coach also a member...)"
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Form a training cohort for a domain."""
        me = _me()
        return cohorts.create_cohort(
            me,
            readiness_scope_of(me),
            name=data["name"],
            domain_code=data["domain"],
            starts_on=data["starts_on"],
            member_ids=data["members"],
            coach_id=data["coach"],
            notes=data["notes"],
        )


@blp.route("/cohorts/<int:cohort_id>")
class CohortItem(MethodView):
    decorators = [readiness_required]

    @blp.response(200, CohortSchema)
    @blp.alt_response(404, description="No such cohort you can see")
    def get(self, cohort_id: int) -> Any:
        """One training cohort: members, coach, start date."""
        return get_visible_or_404(Cohort, cohort_id, _me(), PLANNED_COHORT)

    @blp.response(204)
    @blp.alt_response(404, description="No such cohort you can see")
    def delete(self, cohort_id: int) -> None:
        """Delete a training cohort."""
        me = _me()
        cohorts.delete_cohort(me, readiness_scope_of(me), get_visible_or_404(Cohort, cohort_id, me, PLANNED_COHORT))


@me_blp.route("/cohorts")
class MyCohorts(MethodView):
    decorators = [educator_required]

    @me_blp.response(200, MyCohortSchema(many=True))
    def get(self) -> Any:
        """The training cohorts you are a member of, latest start first."""
        return cohorts.cohorts_of(_me())


@me_blp.route("/self-assessment-sharing")
class MySharing(MethodView):
    decorators = [educator_required]

    @me_blp.response(200, SharingSchema)
    def get(self) -> Any:
        """Whether your leaders may see your self-assessed levels by name (otherwise only in totals)."""
        return {"share": _me().shares_self_assessment}

    @me_blp.arguments(SharingSchema)
    @me_blp.response(200, SharingSchema)
    def put(self, data: dict[str, Any]) -> Any:
        """Choose whether your leaders may see your self-assessed levels by name."""
        me = set_self_assessment_sharing(_me(), data["share"])
        return {"share": me.shares_self_assessment}
