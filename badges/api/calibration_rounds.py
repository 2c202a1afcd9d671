"""API for validators taking part in calibration rounds: their rounds, one round's exemplars, a blind
rating of one exemplar (answered with the reveal), and their results.

A round outside the caller's scope, another district's, or one whose set they curated answers 404;
an exemplar's anchors and rationale are in the answer only once the caller has rated it.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from ..access import found_or_404, get_visible_or_404, validator_required
from ..calibration import rounds
from ..models import CalibrationRound
from ..visibility import ROUND_TO_RATE
from .calibration_rounds_schemas import (
    MyRoundsSchema,
    RoundsDetailSchema,
    RoundsRatingSchema,
    RoundsResultsSchema,
    RoundsRevealSchema,
)

blp = Blueprint(
    "calibration_rounds_api",
    __name__,
    url_prefix="/api/v1/calibration",
    description="Validators' calibration rounds: blind ratings of exemplars, then the anchors.",
)


def _round(round_id: int) -> CalibrationRound:
    return get_visible_or_404(CalibrationRound, round_id, current_user, ROUND_TO_RATE)


@blp.route("/rounds")
class CalibrationRoundList(MethodView):
    decorators = [validator_required]

    @blp.response(200, MyRoundsSchema)
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a validator")
    def get(self) -> Any:
        """The open rounds I may rate, with my progress, and the rounds I have finished."""
        return rounds.rounds_for(current_user)


@blp.route("/rounds/<int:round_id>")
class CalibrationRoundItem(MethodView):
    decorators = [validator_required]

    @blp.response(200, RoundsDetailSchema)
    @blp.alt_response(404, description="No such round for me to rate")
    def get(self, round_id: int) -> Any:
        """A round: its key questions, levels and exemplars; the anchors only of the exemplars I rated."""
        return rounds.round_view(current_user, _round(round_id))


@blp.route("/rounds/<int:round_id>/exemplars/<int:exemplar_id>/rating")
class ExemplarRating(MethodView):
    decorators = [validator_required]

    @blp.arguments(RoundsRatingSchema)
    @blp.response(201, RoundsRevealSchema)
    @blp.alt_response(400, description="A rating, the overall level or the note is not valid; errors name each")
    @blp.alt_response(404, description="No such round for me to rate, or no such exemplar in it")
    @blp.alt_response(409, description="The round is closed, or I rated this exemplar already")
    def post(self, args: dict[str, Any], round_id: int, exemplar_id: int) -> Any:
        """Rate an exemplar blind: a level for every key question and an overall level. Final once made;
        the answer is my rating beside the anchors, with the rationale."""
        calibration_round = _round(round_id)
        exemplar = found_or_404(
            rounds.exemplar_in(calibration_round, exemplar_id), f"There is no exemplar {exemplar_id} in this round."
        )
        try:
            rounds.rate_exemplar(
                current_user, calibration_round, exemplar.id, args["ratings"], args["overall_level"], args["note"]
            )
        except PermissionError:
            abort(404, "There is no such calibration round for you to rate.")
        return rounds.reveal(current_user, exemplar)


@blp.route("/me/results")
class MyCalibrationResults(MethodView):
    decorators = [validator_required]

    @blp.response(200, RoundsResultsSchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Not a validator")
    def get(self) -> Any:
        """Per round I rated in (newest first), my levels against the anchors and my agreement figures."""
        return rounds.my_results(current_user)
