"""API for curating calibration exemplar sets (admins, and lead validators in their scope), and the
educator's consent that one of their evidence items may be copied into one, names removed.

Another district's set, or one outside a lead validator's scope, answers 404; a refused opening
answers 400 naming every problem; a change to an opened (frozen) set 409.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from ..access import acting_user, curator_required, educator_required, get_visible_or_404
from ..calibration import consent, exemplars, opening, sets
from ..models import EvidenceItem, ExemplarSet
from ..visibility import CURATED_SET
from .exemplars_schemas import (
    CalibrationConsentSchema,
    CuratedExemplarCreateSchema,
    CuratedExemplarSchema,
    CuratedRoundSchema,
    CuratedSetSchema,
    CuratedSetSummarySchema,
    ExemplarSetCreateSchema,
    ExemplarSetOpenSchema,
)

blp = Blueprint(
    "exemplars_api",
    __name__,
    url_prefix="/api/v1/calibration/sets",
    description="Calibration exemplar sets, for their curators (with anchors).",
)
consent_blp = Blueprint(
    "calibration_consent_api",
    __name__,
    url_prefix="/api/v1/me/evidence",
    description="The signed-in educator's consent to calibration copies of their evidence.",
)


def _set_or_404(set_id: int) -> ExemplarSet:
    return get_visible_or_404(ExemplarSet, set_id, current_user, CURATED_SET)


@blp.route("")
class SetList(MethodView):
    decorators = [curator_required]

    @blp.response(200, CuratedSetSummarySchema(many=True))
    @blp.alt_response(401, description="Not signed in")
    @blp.alt_response(403, description="Neither an admin nor a lead validator")
    def get(self) -> Any:
        """The sets I curate: drafts first, then opened ones with their rounds."""
        return sets.curated_sets(acting_user())

    @blp.arguments(ExemplarSetCreateSchema)
    @blp.response(201, CuratedSetSchema)
    @blp.alt_response(400, description="A field is not valid, or the domain and role are outside my scope")
    def post(self, args: dict[str, Any]) -> Any:
        """Create a draft set for a domain and professional role of my district's framework."""
        made = sets.create_set(acting_user(), args["domain"], args["role"], args["title"], args["description"])
        return made


@blp.route("/<int:set_id>")
class SetItem(MethodView):
    decorators = [curator_required]

    @blp.response(200, CuratedSetSchema)
    @blp.alt_response(404, description="No such set that I curate")
    def get(self, set_id: int) -> Any:
        """A set with its exemplars and their anchors, and what stops a draft from opening."""
        return _set_or_404(set_id)


@blp.route("/<int:set_id>/exemplars")
class SetExemplars(MethodView):
    decorators = [curator_required]

    @blp.arguments(CuratedExemplarCreateSchema)
    @blp.response(201, CuratedExemplarSchema)
    @blp.alt_response(400, description="A field is not valid; errors name each")
    @blp.alt_response(404, description="No such set that I curate")
    @blp.alt_response(409, description="The set is opened, so frozen")
    def post(self, args: dict[str, Any], set_id: int) -> Any:
        """Add a written exemplar (and optional link) with its anchors to a draft set."""
        exemplar_set = _set_or_404(set_id)
        sets.require_draft(exemplar_set)
        return exemplars.add_exemplar(
            acting_user(),
            exemplar_set,
            args["title"],
            args["narrative"],
            url=args["url"],
            anchors=exemplars.anchors_by_code(exemplar_set, args["anchors"]),
            anchor_level=args["anchor_level"],
            rationale=args["rationale"],
        )


@blp.route("/<int:set_id>/open")
class SetOpen(MethodView):
    decorators = [curator_required]

    @blp.arguments(ExemplarSetOpenSchema)
    @blp.response(201, CuratedRoundSchema)
    @blp.alt_response(400, description="The set is not complete (every problem named) or the title is missing")
    @blp.alt_response(404, description="No such set that I curate")
    @blp.alt_response(409, description="The set is already opened")
    def post(self, args: dict[str, Any], set_id: int) -> Any:
        """Freeze a complete draft and open its first calibration round."""
        return opening.open_set(acting_user(), _set_or_404(set_id), args["round_title"])


@consent_blp.route("/<int:item_id>/calibration-consent")
class CalibrationConsentItem(MethodView):
    decorators = [educator_required]

    @consent_blp.response(200, CalibrationConsentSchema)
    @consent_blp.alt_response(401, description="Not signed in")
    @consent_blp.alt_response(404, description="No such evidence of mine")
    def put(self, item_id: int) -> Any:
        """Offer this evidence for calibration: it may be copied, with my names removed, into an exemplar
        set used only to train validators in my district. Idempotent."""
        item = get_visible_or_404(EvidenceItem, item_id, current_user)
        return consent.grant_consent(acting_user(), item)

    @consent_blp.response(204)
    @consent_blp.alt_response(404, description="No such evidence of mine")
    def delete(self, item_id: int) -> Any:
        """Withdraw my consent: no further copies; copies already made stay in their sets."""
        item = get_visible_or_404(EvidenceItem, item_id, current_user)
        consent.withdraw_consent(acting_user(), item)
        return None
