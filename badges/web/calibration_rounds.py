"""Pages for validators taking part in calibration rounds: their rounds, one round's exemplars, and
one exemplar with the same rating form as a real claim's review.

Blind until rated: an exemplar's anchors and rationale are on the page only once this validator
has rated it (badges.calibration.rounds.reveal); then they stand beside the validator's own levels.
A round outside the validator's scope, another district's, or one whose set they curated is 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from ..access import found_or_404, get_visible_or_404, validator_required
from ..base import InvalidInput
from ..calibration import rounds
from ..extensions import db
from ..models import CalibrationRound, Exemplar
from ..visibility import ROUND_TO_RATE

bp = Blueprint("calibration_rounds", __name__, url_prefix="/validator/calibration")


class RatingForm(FlaskForm):
    """The note; the ratings (rating-<key question id>) and the overall level are read from the posted
    form as they are, and judged by badges.calibration.rounds (as a review's are)."""

    note = TextAreaField("Your note (optional)", render_kw={"rows": 4, "maxlength": rounds.NOTE_MAX})


def round_or_404(round_id: int) -> CalibrationRound:
    return get_visible_or_404(CalibrationRound, round_id, current_user, ROUND_TO_RATE)


def exemplar_or_404(calibration_round: CalibrationRound, exemplar_id: int) -> Exemplar:
    return found_or_404(
        rounds.exemplar_in(calibration_round, exemplar_id), f"There is no exemplar {exemplar_id} in this round."
    )


def exemplar_file_path(exemplar: Exemplar) -> str | None:
    """Where the exemplar's file is served (as an attachment, to the validators who rate it), if it has one."""
    return url_for("exemplars.exemplar_file", exemplar_id=exemplar.id) if exemplar.stored_name else None


@bp.get("/")
@validator_required
def index():
    mine = rounds.rounds_for(current_user)
    results = {r.round.id: r for r in rounds.my_results(current_user)}
    return render_template("calibration/rounds/index.html", mine=mine, results=results)


@bp.get("/rounds/<int:round_id>")
@validator_required
def round_page(round_id: int):
    calibration_round = round_or_404(round_id)
    return render_template(
        "calibration/rounds/round.html",
        view=rounds.round_view(current_user, calibration_round),
        results=rounds.results_of(current_user, calibration_round),
    )


def _show(
    calibration_round: CalibrationRound,
    exemplar: Exemplar,
    form: RatingForm,
    chosen: dict[str, str] | None = None,
    overall: str | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
):
    """The exemplar page; `chosen`, `overall` and the form's note are what a refused post sent."""
    view = rounds.round_view(current_user, calibration_round)
    return render_template(
        "calibration/rounds/exemplar.html",
        view=view,
        item=view.item(exemplar),
        number=[item.exemplar.id for item in view.items].index(exemplar.id) + 1,
        next_exemplar=view.next_after(exemplar),
        file_path=exemplar_file_path(exemplar),
        form=form,
        chosen=chosen or {},
        overall=overall,
        errors=errors or {},
    ), status


@bp.get("/rounds/<int:round_id>/exemplars/<int:exemplar_id>")
@validator_required
def exemplar(round_id: int, exemplar_id: int):
    calibration_round = round_or_404(round_id)
    return _show(calibration_round, exemplar_or_404(calibration_round, exemplar_id), RatingForm())


@bp.post("/rounds/<int:round_id>/exemplars/<int:exemplar_id>/rating")
@validator_required
def rate(round_id: int, exemplar_id: int):
    calibration_round = round_or_404(round_id)
    found = exemplar_or_404(calibration_round, exemplar_id)
    form = RatingForm()
    chosen = {key.removeprefix("rating-"): value for key, value in request.form.items() if key.startswith("rating-")}
    overall = request.form.get("overall_level")
    try:
        rounds.rate_exemplar(current_user, calibration_round, found.id, chosen, overall, form.note.data)
    except PermissionError:
        abort(404, "There is no such calibration round for you to rate.")
    except InvalidInput as exc:  # and StateConflict (409)
        db.session.rollback()
        return _show(calibration_round, found, form, chosen, overall, exc.errors, exc.status)
    flash(f"Your rating of “{found.title}” is recorded. Here are its anchors beside your levels.")
    return redirect(url_for(".exemplar", round_id=calibration_round.id, exemplar_id=found.id))
