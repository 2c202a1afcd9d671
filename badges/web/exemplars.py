"""Pages for curating calibration exemplar sets (admins, and lead validators in their scope) and the
exemplars' files. The educator's consent control is badges.web.calibration_consent.

A set's page shows its exemplars with their anchors: it is for curators only (raters see exemplars in
badges.web.calibration_rounds, anchors only after rating). Another district's set, or one outside a
lead validator's scope, answers 404. Permanent steps (open, delete, close) ask first.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..access import acting_user, curator_required, get_visible_or_404
from ..base import InvalidInput
from ..calibration import consent, exemplars, opening, sets
from ..calibration.key_questions import set_indicators
from ..downloads import send_exemplar_file
from ..extensions import db
from ..models import CalibrationConsent, CalibrationRound, Exemplar, ExemplarSet, SystemRole
from ..permissions import is_signed_in
from ..visibility import COPYABLE_CONSENT, CURATED_EXEMPLAR, CURATED_ROUND, CURATED_SET, EXEMPLAR_FILE
from .confirm import confirmation_step
from .exemplar_forms import ExemplarForm, SetForm
from .forms import show_errors

bp = Blueprint("exemplars", __name__)

FILE_NAMES_WARNING = (
    "The service removes the educator’s names from the title and narrative only. Names inside the file "
    "(its text, a signature, a photo, the document’s properties) cannot be removed by the service: open the "
    "copy and check it before you open the set."
)


@bp.context_processor
def curator_menu() -> dict[str, Any]:
    """An admin curates under the administration menu; a lead validator has a short menu of their own."""
    if not is_signed_in(current_user):
        return {}
    return {"curator_is_admin": current_user.has_role(SystemRole.ADMIN), "district": current_user.district}


def _posted_anchors(exemplar_set: ExemplarSet) -> dict[int, str]:
    return {ind.id: request.form.get(f"anchor-{ind.id}", "") for ind in set_indicators(exemplar_set)}


def _upload() -> tuple[str, bytes] | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return upload.filename, upload.stream.read(current_app.config["EVIDENCE_MAX_BYTES"] + 1)


def _exemplar_page(exemplar_set, form, chosen, exemplar=None, status=200) -> ResponseReturnValue:
    return render_template(
        "calibration/sets/exemplar_form.html",
        exemplar_set=exemplar_set,
        exemplar=exemplar,
        form=form,
        indicators=set_indicators(exemplar_set),
        levels=list(exemplar_set.framework.levels),
        chosen=chosen,
    ), status


# --- sets ------------------------------------------------------------------------------------------


@bp.get("/calibration/sets")
@curator_required
def index():
    return render_template(
        "calibration/sets/index.html",
        sets=sets.curated_sets(current_user),
        raters=opening.raters_count,
        district=current_user.district,
    )


@bp.route("/calibration/sets/new", methods=["GET", "POST"])
@curator_required
def new_set():
    form = SetForm()
    framework = current_user.district.framework
    form.domain.choices = [(d.code, d.name) for d in framework.domains] if framework else []
    form.role.choices = [(r.code, r.name) for r in framework.roles] if framework else []
    if form.validate_on_submit():
        try:
            made = sets.create_set(
                acting_user(), form.domain.data, form.role.data, form.title.data, form.description.data
            )
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Created the draft set “{made.title}”. Add its exemplars.")
            return redirect(url_for(".show", set_id=made.id))
    status = 400 if request.method == "POST" else 200
    return render_template("calibration/sets/set_form.html", form=form, exemplar_set=None), status


@bp.get("/calibration/sets/<int:set_id>")
@curator_required
def show(set_id: int):
    exemplar_set = get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)
    return _set_page(exemplar_set)


def _set_page(exemplar_set: ExemplarSet, errors: dict | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "calibration/sets/show.html",
        exemplar_set=exemplar_set,
        indicators=set_indicators(exemplar_set),
        levels={level.value: level.name for level in exemplar_set.framework.levels},
        problems=opening.opening_problems(exemplar_set) if exemplar_set.is_draft else [],
        raters=opening.raters_count,
        errors=errors or {},
    ), status


@bp.route("/calibration/sets/<int:set_id>/edit", methods=["GET", "POST"])
@curator_required
def edit_set(set_id: int):
    exemplar_set = get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)
    sets.require_draft(exemplar_set)
    form = SetForm(obj=None if request.method == "POST" else exemplar_set)
    del form.domain, form.role
    if form.validate_on_submit():
        try:
            sets.update_set(acting_user(), exemplar_set, form.title.data or "", form.description.data or "")
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash("Saved the set.")
            return redirect(url_for(".show", set_id=exemplar_set.id))
    status = 400 if request.method == "POST" else 200
    return render_template("calibration/sets/set_form.html", form=form, exemplar_set=exemplar_set), status


@bp.post("/calibration/sets/<int:set_id>/delete")
@curator_required
def delete_set(set_id: int):
    exemplar_set = get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)
    sets.require_draft(exemplar_set)
    asked = confirmation_step(
        title="Delete this draft set?",
        message=f"“{exemplar_set.title}” and its {len(exemplar_set.exemplars)} exemplar(s) will be deleted for good.",
        details=["Consent given for copied evidence stays on record; the educators’ own evidence is not touched."],
        button="Delete the set",
        cancel_url=url_for(".show", set_id=exemplar_set.id),
    )
    if asked:
        return asked
    title = exemplar_set.title
    sets.delete_set(acting_user(), exemplar_set)
    flash(f"Deleted the draft set “{title}”.")
    return redirect(url_for(".index"))


@bp.post("/calibration/sets/<int:set_id>/open")
@curator_required
def open_set(set_id: int):
    exemplar_set = get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)
    sets.require_draft(exemplar_set)
    title = request.form.get("round_title", "")
    found = opening.opening_problems(exemplar_set)
    problems = {"exemplars": found} if found else {}
    if not title.strip():
        problems["round_title"] = ["Give the round a title, such as “Autumn calibration”."]
    if problems:
        return _set_page(exemplar_set, problems, 400)
    asked = confirmation_step(
        title="Open this set for calibration?",
        message=f"“{exemplar_set.title}” will be frozen: its exemplars and anchors cannot change again, so "
        "every validator rates the same thing.",
        details=[f"Round “{title.strip()}” opens now for the district’s validators in this domain and role."],
        button="Open the set",
        cancel_url=url_for(".show", set_id=exemplar_set.id),
        destructive=False,
    )
    if asked:
        return asked
    try:
        opening.open_set(acting_user(), exemplar_set, title)
    except InvalidInput as exc:
        db.session.rollback()
        return _set_page(exemplar_set, exc.errors, 400)
    flash(f"Opened “{exemplar_set.title}”: round “{title.strip()}” has begun.")
    return redirect(url_for(".show", set_id=exemplar_set.id))


@bp.post("/calibration/sets/<int:set_id>/rounds")
@curator_required
def open_round(set_id: int):
    exemplar_set = get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)
    title = request.form.get("title", "")
    if not exemplar_set.is_draft and not any(r.is_open for r in exemplar_set.rounds) and title.strip():
        asked = confirmation_step(
            title="Open another round?",
            message=f"Round “{title.strip()}” of “{exemplar_set.title}” opens for validators who have not rated it.",
            details=["Validators who rated the set before have seen its anchors, so they are not asked again."],
            button="Open the round",
            cancel_url=url_for(".show", set_id=exemplar_set.id),
            destructive=False,
        )
        if asked:
            return asked
    try:
        opening.open_round(acting_user(), exemplar_set, title)
    except InvalidInput as exc:
        db.session.rollback()
        return _set_page(exemplar_set, exc.errors, exc.status)
    flash(f"Opened round “{title.strip()}”.")
    return redirect(url_for(".show", set_id=exemplar_set.id))


@bp.post("/calibration/rounds/<int:round_id>/close")
@curator_required
def close_round(round_id: int):
    calibration_round = get_visible_or_404(CalibrationRound, round_id, current_user, CURATED_ROUND)
    exemplar_set = calibration_round.exemplar_set
    if calibration_round.is_open:
        asked = confirmation_step(
            title="Close this round?",
            message=f"Round “{calibration_round.title}” of “{exemplar_set.title}” closes: no more ratings in it.",
            details=[f"{opening.raters_count(calibration_round)} validator(s) rated in it; their ratings stay."],
            button="Close the round",
            cancel_url=url_for(".show", set_id=exemplar_set.id),
        )
        if asked:
            return asked
    opening.close_round(acting_user(), calibration_round)
    flash(f"Closed round “{calibration_round.title}”.")
    return redirect(url_for(".show", set_id=exemplar_set.id))


# --- exemplars -------------------------------------------------------------------------------------


@bp.route("/calibration/sets/<int:set_id>/exemplars/new", methods=["GET", "POST"])
@curator_required
def new_exemplar(set_id: int):
    exemplar_set = get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)
    sets.require_draft(exemplar_set)
    form = ExemplarForm()
    del form.remove_file
    chosen = {str(k): v for k, v in _posted_anchors(exemplar_set).items()} if request.method == "POST" else {}
    if request.method == "POST":
        chosen["overall"] = request.form.get("anchor_level", "")
    if form.validate_on_submit():
        upload = _upload()
        try:
            made = exemplars.add_exemplar(
                acting_user(),
                exemplar_set,
                form.title.data,
                form.narrative.data,
                url=form.url.data,
                anchors=_posted_anchors(exemplar_set),
                anchor_level=request.form.get("anchor_level", ""),
                rationale=form.rationale.data,
                filename=upload[0] if upload else None,
                data=upload[1] if upload else None,
            )
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Added the exemplar “{made.title}”.")
            return redirect(url_for(".show", set_id=exemplar_set.id))
    return _exemplar_page(exemplar_set, form, chosen, status=400 if request.method == "POST" else 200)


@bp.route("/calibration/exemplars/<int:exemplar_id>/edit", methods=["GET", "POST"])
@curator_required
def edit_exemplar(exemplar_id: int):
    exemplar = get_visible_or_404(Exemplar, exemplar_id, current_user, CURATED_EXEMPLAR)
    exemplar_set = exemplar.exemplar_set
    sets.require_draft(exemplar_set)
    posted = request.method == "POST"
    form = ExemplarForm(obj=None if posted else exemplar)
    if posted:
        chosen = {str(k): v for k, v in _posted_anchors(exemplar_set).items()}
        chosen["overall"] = request.form.get("anchor_level", "")
    else:
        chosen = {str(k): str(v) for k, v in exemplar.anchor_levels.items()}
        chosen["overall"] = str(exemplar.anchor_level or "")
    if form.validate_on_submit():
        try:
            exemplars.update_exemplar(
                acting_user(),
                exemplar,
                file=_upload(),
                remove_file=form.remove_file.data,
                title=form.title.data,
                narrative=form.narrative.data,
                url=form.url.data,
                anchors=_posted_anchors(exemplar_set),
                anchor_level=request.form.get("anchor_level", ""),
                rationale=form.rationale.data,
            )
        except InvalidInput as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            flash(f"Saved the exemplar “{exemplar.title}”.")
            return redirect(url_for(".show", set_id=exemplar_set.id))
    return _exemplar_page(exemplar_set, form, chosen, exemplar, 400 if posted else 200)


@bp.post("/calibration/exemplars/<int:exemplar_id>/delete")
@curator_required
def delete_exemplar(exemplar_id: int):
    exemplar = get_visible_or_404(Exemplar, exemplar_id, current_user, CURATED_EXEMPLAR)
    exemplar_set = exemplar.exemplar_set
    sets.require_draft(exemplar_set)
    asked = confirmation_step(
        title="Remove this exemplar?",
        message=f"“{exemplar.title}” will be removed from “{exemplar_set.title}” with its anchors"
        + (" and its file." if exemplar.stored_name else "."),
        button="Remove the exemplar",
        cancel_url=url_for(".show", set_id=exemplar_set.id),
    )
    if asked:
        return asked
    exemplars.remove_exemplar(acting_user(), exemplar)
    flash("Removed the exemplar.")
    return redirect(url_for(".show", set_id=exemplar_set.id))


@bp.get("/calibration/exemplars/<int:exemplar_id>/file")
@login_required
def exemplar_file(exemplar_id: int):
    return send_exemplar_file(get_visible_or_404(Exemplar, exemplar_id, current_user, EXEMPLAR_FILE))


@bp.route("/calibration/sets/<int:set_id>/copy", methods=["GET", "POST"])
@curator_required
def copy(set_id: int):
    """The picker of consented evidence (GET), and the copy (POST, asked first)."""
    exemplar_set = get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)
    sets.require_draft(exemplar_set)
    if request.method == "GET":
        return render_template(
            "calibration/sets/copy.html",
            exemplar_set=exemplar_set,
            items=consent.consented_items(current_user),
            warning=FILE_NAMES_WARNING,
        )
    given = get_visible_or_404(CalibrationConsent, request.form.get("consent"), current_user, COPYABLE_CONSENT)
    has_file = given.evidence is not None and given.evidence.stored_name is not None
    asked = confirmation_step(
        title="Copy this evidence into the set?",
        message="A copy is made with the educator’s names removed from its title and narrative; it never names them.",
        details=[FILE_NAMES_WARNING] if has_file else ["A link is copied as it is: check where it leads."],
        button="Copy it",
        cancel_url=url_for(".copy", set_id=exemplar_set.id),
        destructive=False,
    )
    if asked:
        return asked
    made = consent.copy_consented(acting_user(), exemplar_set, given)
    flash("Copied. Now set its anchors and rationale" + (", and check its file." if has_file else "."))
    return redirect(url_for(".edit_exemplar", exemplar_id=made.id))
