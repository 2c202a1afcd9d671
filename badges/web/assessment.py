"""Self-assessment pages: an overview, one page per domain saved as you go, submit (after a
confirmation step: a submitted round is kept as it is), and each past round, read only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import acting_user, educator_required, get_visible_or_404
from ..base import InvalidInput, parse_small_int
from ..educator import assessments
from ..educator.common import framework_and_role
from ..extensions import db
from ..models import SelfAssessment
from .confirm import confirmation_step

bp = Blueprint("assessment", __name__, url_prefix="/educator/assessment")


def _domains_for_role(framework, role_code):
    """[(domain, [indicators that apply to the role])] for domains with at least one."""
    rows = []
    for domain in framework.domains:
        mine = [ind for ind in domain.indicators if any(r.code == role_code for r in ind.roles)]
        if mine:
            rows.append((domain, mine))
    return rows


def _overview(submit_errors=None, status=200):
    framework, role = framework_and_role(current_user)
    draft = assessments.current_draft(current_user)
    levels = assessments.domain_levels(draft) if draft else {}
    return render_template(
        "educator/assessment/overview.html",
        framework=framework,
        role=role,
        draft=draft,
        levels=levels,
        domains=_domains_for_role(framework, role.code),
        submitted=assessments.submitted_assessments(current_user),
        submit_errors=submit_errors,
    ), status


@bp.get("/")
@educator_required
def overview():
    return _overview()


@bp.post("/start")
@educator_required
def start():
    fresh = assessments.current_draft(current_user) is None
    draft = assessments.start_assessment(acting_user(), from_previous=True)
    if fresh and draft.ratings:
        flash("Your new self-assessment starts from the ratings of your last one: change what has moved, then submit.")
    first = _domains_for_role(draft.framework, draft.professional_role)[0][0]
    return redirect(url_for("assessment.domain", code=first.code))


def _entries_from_form(indicators) -> tuple[list[dict], dict[str, list[str]]]:
    entries, errors = [], {}
    for ind in indicators:
        level = request.form.get(f"level-{ind.code}", "").strip()
        reflection = request.form.get(f"reflection-{ind.code}", "")
        if not level:
            if reflection.strip():
                errors[f"ratings.{ind.code}"] = ["choose a level for this key question to save its reflection."]
            continue
        # ASCII digits only: str.isdigit() takes "²", which int() refuses. Anything else goes on as text,
        # so the rule in badges.educator.assessments names what was wrong.
        number = parse_small_int(level, 1, 4)
        entries.append({"indicator": ind.code, "level": level if number is None else number, "reflection": reflection})
    return entries, errors


@bp.route("/domains/<code>", methods=["GET", "POST"])
@educator_required
def domain(code: str):
    framework, role = framework_and_role(current_user)
    rows = _domains_for_role(framework, role.code)
    index = next((i for i, (d, _) in enumerate(rows) if d.code == code), None)
    if index is None:
        abort(404, f"No domain {code!r} with key questions for your role in {framework.title}.")
    domain_obj, indicators = rows[index]
    following = rows[index + 1][0] if index + 1 < len(rows) else None
    draft = assessments.current_draft(current_user)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        entries, errors = _entries_from_form(indicators)
        added = []
        if not errors and entries:
            try:
                draft = draft or assessments.start_assessment(acting_user(), from_previous=True)
                added = assessments.rate(current_user, draft, entries)
            except InvalidInput as exc:
                db.session.rollback()
                errors = exc.errors
        if not errors:
            # Compared with what was stored: only a change is a save worth announcing.
            flash(f"Saved your ratings for {domain_obj.name}." if added else "Nothing to save: no rating changed.")
            if request.form.get("action") == "next":
                return redirect(
                    url_for("assessment.domain", code=following.code) if following else url_for("assessment.overview")
                )
            return redirect(url_for("assessment.domain", code=code))
        status = 400
    current = assessments.current_ratings(draft) if draft else {}
    return render_template(
        "educator/assessment/domain.html",
        framework=framework,
        role=role,
        domain=domain_obj,
        indicators=indicators,
        current=current,
        errors=errors,
        following=following,
        position=index + 1,
        count=len(rows),
        form=request.form if status == 400 else None,
    ), status


@bp.post("/submit")
@educator_required
def submit():
    draft = assessments.current_draft(current_user)
    if draft is None:
        abort(404, "You have no self-assessment in progress; start one first.")
    missing = assessments.missing_ratings(draft)
    if not missing:  # an incomplete round is refused below, without asking first
        asked = confirmation_step(
            title="Submit your self-assessment?",
            message="Once submitted, this self-assessment is kept as it is: you can read it later but not change it.",
            details=["Your progress chart and conference summary will include it; your next one starts from it."],
            button="Submit self-assessment",
            cancel_url=url_for("assessment.overview"),
            destructive=False,
        )
        if asked:
            return asked
    try:
        assessments.submit(current_user, draft)
    except InvalidInput as exc:
        db.session.rollback()
        return _overview([m for msgs in exc.errors.values() for m in msgs], 400)
    flash("Your self-assessment is submitted. Your progress chart now includes it.")
    return redirect(url_for("summary.progress"))


@bp.get("/rounds/<int:assessment_id>")
@educator_required
def round_page(assessment_id: int):
    """A submitted round as it was submitted: every rating and reflection, read only."""
    assessment = get_visible_or_404(SelfAssessment, assessment_id, acting_user())
    if assessment.is_draft:
        return redirect(url_for("assessment.overview"))
    return render_template(
        "educator/assessment/round.html",
        assessment=assessment,
        ratings=assessments.current_ratings(assessment),
        levels=assessments.domain_levels(assessment),
        domains=_domains_for_role(assessment.framework, assessment.professional_role),
        level_names={lv.value: lv.name for lv in assessment.framework.levels},
    )
