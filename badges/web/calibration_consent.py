"""The educator's consent control on their evidence page: offer one item for calibration (copied, names
removed, into an exemplar set of their district by its curators) or withdraw the offer
(badges.calibration.consent)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from ..access import acting_user, educator_required, get_visible_or_404
from ..calibration import consent
from ..models import EvidenceItem

bp = Blueprint("calibration_consent", __name__, url_prefix="/educator/evidence")


@bp.post("/<int:item_id>/calibration-consent")
@educator_required
def grant(item_id: int):
    item = get_visible_or_404(EvidenceItem, item_id, current_user)
    consent.grant_consent(acting_user(), item)
    flash(f"You offered “{item.title}” for calibration. You can withdraw at any time.")
    return redirect(url_for("evidence.show", item_id=item.id))


@bp.post("/<int:item_id>/calibration-consent/withdraw")
@educator_required
def withdraw(item_id: int):
    item = get_visible_or_404(EvidenceItem, item_id, current_user)
    if consent.withdraw_consent(acting_user(), item) is not None:
        flash("Consent withdrawn: no further copies will be made. Copies already made stay in their sets.")
    return redirect(url_for("evidence.show", item_id=item.id))
