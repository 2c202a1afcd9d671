"""Pages for planning support: district targets, next steps per domain, training cohorts, and the
educator's choice to share their self-assessment by name.

Leaders (badges.permissions.can_view_readiness) plan within their readiness scope; a target or cohort
outside it answers 404, like one that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField

from ..access import (
    acting_user,
    educator_required,
    get_visible_or_404,
    readiness_required,
    readiness_scope_of,
)
from ..base import MAX_ID, InvalidInput, parse_small_int
from ..educator.sharing import set_self_assessment_sharing
from ..extensions import db
from ..frameworks.levels import LEVEL_VALUES, level_name
from ..models import Cohort, ReadinessTarget, School
from ..permissions import ReadinessScope
from ..readiness import cohorts, next_steps, targets
from ..readiness.dashboard import DashboardData, load
from ..readiness.report import DEFAULT_MIN_CELL, measure_target
from ..readiness.shape import FrameworkShape, district_shape
from ..visibility import MANAGED_TARGET, PLANNED_COHORT
from .forms import CheckboxesField, show_errors
from .goals import DateOrEmptyField

bp = Blueprint("readiness_plans", __name__)


def _min_cell() -> int:
    return int(current_app.config.get("READINESS_MIN_CELL", DEFAULT_MIN_CELL))


class TargetForm(FlaskForm):
    # The rules (a domain and role of the framework, a school you lead, 1..100 %, a future date) are
    # checked by badges.readiness.targets, so the pages and the API give the same messages.
    domain = SelectField("Domain", validate_choice=False)
    professional_role = SelectField("Professional role", validate_choice=False)
    school = SelectField("School", validate_choice=False)
    share_percent = StringField("Share of staff (percent)")
    min_level = SelectField("At this level or above", validate_choice=False, default="3")
    measure = SelectField(
        "Measured by",
        choices=[
            SelectChoice("validated", "Badges in force (validated)"),
            SelectChoice("self", "Self-assessed levels"),
        ],
        validate_choice=False,
    )
    due_on = DateOrEmptyField("Due date")

    def offer(self, shape: FrameworkShape | None, scope: ReadinessScope) -> TargetForm:
        self.domain.choices = [SelectChoice("", "Choose a domain")] + [
            SelectChoice(code, name) for code, name in (shape.domains if shape else ())
        ]
        self.professional_role.choices = [SelectChoice("", "Every role")] + [
            SelectChoice(code, name) for code, name in (shape.roles if shape else ())
        ]
        if scope.whole_district:
            schools = _schools(scope)
            self.school.choices = [SelectChoice("", "The whole district")] + [
                SelectChoice(str(s.id), s.name) for s in schools
            ]
        else:
            self.school.choices = [SelectChoice(str(scope.school_id), "Your school")]
        names = shape.level_names if shape else {}
        self.min_level.choices = [SelectChoice(str(n), f"{level_name(names, n)} ({n})") for n in LEVEL_VALUES]
        return self


def _schools(scope: ReadinessScope) -> list[School]:
    return list(db.session.scalars(select(School).where(School.district_id == scope.district_id).order_by(School.name)))


class CohortForm(FlaskForm):
    domain = StringField("Domain")
    name = StringField("Cohort name")
    starts_on = DateOrEmptyField("Start date")
    notes = TextAreaField("Notes (optional)")
    members = CheckboxesField("Members")
    coach = RadioField("Coach", validate_choice=False)


class SharingForm(FlaskForm):
    share = BooleanField("Let my leaders see my self-assessed levels by name")


_me = acting_user


def _targets_page(form: TargetForm, data: DashboardData, scope: ReadinessScope, status: int = 200):
    today = data.now.date()
    progress = [
        (measure_target(data, target, _min_cell(), today), targets.target_in_scope(scope, target))
        for target in data.targets
    ]
    return (
        render_template(
            "readiness/targets.html",
            form=form,
            progress=progress,
            shape=data.shape,
            scope=scope,
            level_names=data.shape.level_names if data.shape else {},
        ),
        status,
    )


@bp.route("/readiness/targets", methods=["GET", "POST"])
@readiness_required
def target_list():
    me = _me()
    scope = readiness_scope_of(me)
    data = load(scope)
    form = TargetForm().offer(data.shape, scope)
    if not form.is_submitted():
        return _targets_page(form, data, scope)
    if form.validate_on_submit():
        try:
            targets.create_target(
                me,
                scope,
                domain_code=form.domain.data,
                share_percent=form.share_percent.data,
                due_on=form.due_on.data,
                professional_role=form.professional_role.data or None,
                school_id=form.school.data or None,
                min_level=form.min_level.data,
                measure=form.measure.data,
            )
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash("The target is set.")
            return redirect(url_for("readiness_plans.target_list"))
    return _targets_page(form, data, scope, status=400)


@bp.post("/readiness/targets/<int:target_id>/delete")
@readiness_required
def target_delete(target_id: int):
    me = _me()
    target = get_visible_or_404(ReadinessTarget, target_id, me, MANAGED_TARGET)
    targets.delete_target(me, readiness_scope_of(me), target)
    flash("The target is deleted.")
    return redirect(url_for("readiness_plans.target_list"))


def _filter_value(name: str) -> int | None:
    """A school key from the query string: absent is None; anything that is not one is a 404."""
    value = request.args.get(name)
    if value in (None, ""):
        return None
    number = parse_small_int(value, 0, MAX_ID)
    if number is None:
        abort(404, f"There is no school {value!r} you lead.")
    return number


def _next_steps_page(form: CohortForm, scope: ReadinessScope, domain, school, role, status: int = 200):
    shape = district_shape(scope.district_id)
    found = None
    errors: dict[str, list[str]] = {}
    if domain:
        try:
            found = next_steps.next_steps(scope, domain, school, role, min_cell=_min_cell())
        except InvalidInput as error:
            errors = error.errors
            status = 400
    if found is not None:
        form.coach.choices = [SelectChoice("", "No coach for now")] + [
            SelectChoice(str(c.user_id), c.name) for c in found.coaches
        ]
        form.domain.data = domain
    schools = _schools(scope) if scope.whole_district else []
    return (
        render_template(
            "readiness/next_steps.html",
            form=form,
            shape=shape,
            steps=found,
            domain=domain,
            school=school,
            role=role,
            schools=schools,
            filter_errors=errors,
            level_names=shape.level_names if shape else {},
        ),
        status,
    )


@bp.get("/readiness/next-steps")
@readiness_required
def next_steps_page():
    scope = readiness_scope_of(_me())
    school = _filter_value("school")
    if school is not None and not next_steps.school_in_scope(scope, school):
        abort(404, f"There is no school {school} you lead.")
    domain = request.args.get("domain") or None
    role = request.args.get("role") or None
    return _next_steps_page(CohortForm(formdata=None), scope, domain, school, role)


@bp.route("/readiness/cohorts", methods=["GET", "POST"])
@readiness_required
def cohort_list():
    me = _me()
    scope = readiness_scope_of(me)
    if request.method == "GET":
        return render_template(
            "readiness/cohorts.html",
            cohorts=cohorts.list_cohorts(scope),
            domain_names=cohorts.domain_names(scope.district_id),
        )
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = cohorts.create_cohort(
                me,
                scope,
                name=form.name.data,
                domain_code=form.domain.data,
                starts_on=form.starts_on.data,
                member_ids=form.members.data or (),
                coach_id=form.coach.data or None,
                notes=form.notes.data,
            )
        except InvalidInput as error:
            db.session.rollback()
            show_errors(form, error)
        else:
            flash(f"The cohort “{cohort.name}” is formed.")
            return redirect(url_for("readiness_plans.cohort_show", cohort_id=cohort.id))
    chosen = form.members.data or []
    domain = form.domain.data if isinstance(form.domain.data, str) else None
    page, status = _next_steps_page(form, scope, domain, None, None, status=400)
    form.members.data = chosen
    return page, status


@bp.get("/readiness/cohorts/<int:cohort_id>")
@readiness_required
def cohort_show(cohort_id: int):
    me = _me()
    cohort = get_visible_or_404(Cohort, cohort_id, me, PLANNED_COHORT)
    return render_template(
        "readiness/cohort.html", cohort=cohort, domain_names=cohorts.domain_names(cohort.district_id)
    )


@bp.post("/readiness/cohorts/<int:cohort_id>/delete")
@readiness_required
def cohort_delete(cohort_id: int):
    me = _me()
    cohort = get_visible_or_404(Cohort, cohort_id, me, PLANNED_COHORT)
    cohorts.delete_cohort(me, readiness_scope_of(me), cohort)
    flash("The cohort is deleted.")
    return redirect(url_for("readiness_plans.cohort_list"))


@bp.post("/me/self-assessment-sharing")
@educator_required
def sharing():
    form = SharingForm()
    if not form.validate_on_submit():
        abort(400, "The form expired; please try again.")
    me = _me()
    set_self_assessment_sharing(me, bool(form.share.data))
    flash(
        "Your leaders can now see your self-assessed levels by name."
        if me.shares_self_assessment
        else "Your self-assessed levels are shown to leaders only in totals."
    )
    return redirect(url_for("homes.role_home", home="educator"))
