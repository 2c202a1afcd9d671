"""Pages for the educator's goals: list, set, edit (status, plan, linked evidence), delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField

from ..access import acting_user, educator_required, get_visible_or_404
from ..base import InvalidInput, NotAvailable, parse_small_int
from ..educator import goals
from ..educator.common import framework_and_role
from ..extensions import db
from ..models import Framework, Goal, GoalStatus, User
from .confirm import confirmation_step
from .dates import day
from .forms import CheckboxesField, show_errors

bp = Blueprint("goals", __name__, url_prefix="/educator/goals")


class DateOrEmptyField(DateField):
    """An empty date is None (the operation then says a date is needed), not a format error."""

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


def _level_or_none(value: object) -> int | None:
    # The goal rules judge the level (1..4); a value that is no number at all is a field error.
    if value in ("", None):
        return None
    level = parse_small_int(value, -99, 99)
    if level is None:
        raise ValueError("Choose a level from the list.")
    return level


class GoalForm(FlaskForm):
    # The rules (a domain of your framework, level 1..4, no past date, your own evidence) are
    # checked by badges.educator.goals, so the pages and the API give the same messages.
    domain = SelectField("Domain", validate_choice=False)
    target_level = SelectField("Target level", coerce=_level_or_none, validate_choice=False)
    target_date = DateOrEmptyField("Target date")
    actions = TextAreaField("What I will do")
    support_needed = TextAreaField("What support I need (optional)")
    evidence = CheckboxesField("Evidence that shows progress")

    def offer(self, framework: Framework, owner: User) -> GoalForm:
        self.domain.choices = [SelectChoice("", "Choose a domain")] + [
            SelectChoice(d.code, d.name) for d in framework.domains
        ]
        names = goals.level_names(framework)
        self.target_level.choices = [SelectChoice("", "Choose a level")] + [
            SelectChoice(v, f"{names.get(v, v)} ({v})") for v in goals.LEVELS
        ]
        self.evidence.choices = [SelectChoice(item.id, item.title) for item in goals.own_evidence(owner)]
        return self


class EditGoalForm(GoalForm):
    status = SelectField("Status", choices=[SelectChoice(s.value, s.label) for s in GoalStatus], validate_choice=False)


_me = acting_user


def _owned_goal_or_404(goal_id: int) -> Goal:
    return get_visible_or_404(Goal, goal_id, _me())


def _render_form(form: GoalForm, framework: Framework, goal: Goal | None = None, status: int = 200):
    return render_template("educator/goals/form.html", form=form, framework=framework, goal=goal), status


@bp.get("/")
@educator_required
def index():
    return render_template("educator/goals/index.html", goals=goals.list_goals(_me()))


@bp.route("/new", methods=["GET", "POST"])
@educator_required
def new():
    me = _me()
    try:
        framework, _ = framework_and_role(me)
    except NotAvailable as exc:
        abort(400, " ".join(message for messages in exc.errors.values() for message in messages))
    form = GoalForm().offer(framework, me)
    if not form.validate_on_submit():
        return _render_form(form, framework, status=400 if form.is_submitted() else 200)
    try:
        goals.create_goal(
            me,
            domain_code=form.domain.data,
            target_level=form.target_level.data,
            target_date=form.target_date.data,
            actions=form.actions.data,
            support_needed=form.support_needed.data,
            evidence_ids=form.evidence.data or (),
        )
    except InvalidInput as error:
        db.session.rollback()
        show_errors(form, error)
        return _render_form(form, framework, status=400)
    flash("Your goal is set.")
    return redirect(url_for("goals.index"))


@bp.route("/<int:goal_id>/edit", methods=["GET", "POST"])
@educator_required
def edit(goal_id: int):
    me = _me()
    goal = _owned_goal_or_404(goal_id)
    framework = goal.domain.framework
    form = EditGoalForm(
        data=None
        if request.method == "POST"
        else {
            "domain": goal.domain.code,
            "target_level": goal.target_level,
            "target_date": goal.target_date,
            "actions": goal.actions,
            "support_needed": goal.support_needed,
            "status": goal.status.value,
            "evidence": [item.id for item in goal.evidence],
        }
    )
    form.offer(framework, me)
    if not form.validate_on_submit():
        return _render_form(form, framework, goal, status=400 if form.is_submitted() else 200)
    try:
        goals.update_goal(
            me,
            goal,
            domain_code=form.domain.data,
            target_level=form.target_level.data,
            target_date=form.target_date.data,
            actions=form.actions.data,
            support_needed=form.support_needed.data,
            status=form.status.data,
            evidence_ids=form.evidence.data or (),
        )
    except InvalidInput as error:
        db.session.rollback()
        show_errors(form, error)
        return _render_form(form, framework, goal, status=400)
    flash("Your goal is saved.")
    return redirect(url_for("goals.index"))


@bp.post("/<int:goal_id>/delete")
@educator_required
def delete(goal_id: int):
    goal = _owned_goal_or_404(goal_id)
    names = goals.level_names(goal.domain.framework)
    asked = confirmation_step(
        title="Delete this goal?",
        message=f"Your goal of {names.get(goal.target_level, goal.target_level)} ({goal.target_level}) in "
        f"{goal.domain.name} by {day(goal.target_date)} will be deleted for good, with its plan.",
        details=["The evidence it links to stays in your portfolio."],
        button="Delete goal",
        cancel_url=url_for("goals.index"),
    )
    if asked:
        return asked
    goals.delete_goal(_me(), goal)
    flash("The goal is deleted; the evidence it linked to is still in your portfolio.")
    return redirect(url_for("goals.index"))
